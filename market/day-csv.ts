// CSV day files: a header row, then one comma-separated row of numbers per bar (no quoting inside data).

import type { DayFrame } from '../engine/types.ts';
import { formatNumberCell, parseNumberCell, splitLines, unquote } from './cells.ts';
import { DataError, quoteCell } from './errors.ts';
import { checkHeader, frameColumns, TIMESTAMP_COLUMN, type RawDay } from './frame.ts';
import { formatIsoMs, parseTimestampCell } from './time.ts';

export function parseDayCsv(file: string, date: string, text: string): RawDay {
  const lines = splitLines(text);
  if (lines.length === 0) throw new DataError({ file }, 'empty file: no header row');
  const header = lines[0].split(',').map(unquote);
  // pandas' to_csv writes its row index as a first column with an empty name: not data
  const skipFirst = header.length > 1 && header[0] === '';
  checkHeader(file, skipFirst ? header.slice(1) : header);

  const width = header.length;
  const rows = lines.length - 1;
  const tsIndex = header.indexOf(TIMESTAMP_COLUMN);
  const timestamps = tsIndex >= 0 ? new Float64Array(rows) : null;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  // target[j] is the column that header cell j fills (null for the timestamp, undefined to skip)
  const target: (Float64Array | null | undefined)[] = [];
  for (let j = 0; j < width; j++) {
    if (j === tsIndex || (j === 0 && skipFirst)) {
      target.push(j === tsIndex ? null : undefined);
      continue;
    }
    const col = new Float64Array(rows);
    names.push(header[j]);
    columns.push(col);
    target.push(col);
  }

  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1].split(',');
    if (cells.length !== width) {
      throw new DataError(
        { file, row: r + 1, column: cells.length < width ? header[cells.length] : undefined },
        `expected ${width} cells, found ${cells.length}`,
      );
    }
    for (let j = 0; j < width; j++) {
      const col = target[j];
      const cell = cells[j];
      if (col === undefined) continue;
      if (col === null) {
        const t = parseTimestampCell(cell);
        if (t !== t && cell.trim().length > 0) {
          throw new DataError({ file, row: r + 1, column: TIMESTAMP_COLUMN }, `not a timestamp (${quoteCell(cell)})`);
        }
        timestamps![r] = t; // a blank one is reported by the frame check, with the same location
        continue;
      }
      const x = parseNumberCell(cell);
      if (x === null) {
        throw new DataError({ file, row: r + 1, column: header[j] }, `not a number (${quoteCell(cell)})`);
      }
      col[r] = x;
    }
  }
  return { file, date, rows, names, columns, timestamps };
}

/**
 * Reads one column of a CSV day file without parsing the rest (for per-date statistics over many days).
 * Returns null values when the file has no such column.
 */
export function parseCsvColumn(file: string, text: string, column: string): { rows: number; values: Float64Array | null } {
  const lines = splitLines(text);
  if (lines.length === 0) throw new DataError({ file }, 'empty file: no header row');
  const header = lines[0].split(',').map(unquote);
  const rows = lines.length - 1;
  const k = header.indexOf(column);
  if (k < 0) return { rows, values: null };
  const values = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const line = lines[r + 1];
    let start = 0;
    for (let j = 0; j < k; j++) {
      const comma = line.indexOf(',', start);
      if (comma < 0) throw new DataError({ file, row: r + 1, column }, 'row too short');
      start = comma + 1;
    }
    const end = line.indexOf(',', start);
    const cell = end < 0 ? line.slice(start) : line.slice(start, end);
    const x = parseNumberCell(cell);
    if (x === null) throw new DataError({ file, row: r + 1, column }, `not a number (${quoteCell(cell)})`);
    values[r] = x;
  }
  return { rows, values };
}

/** The CSV text of a day: timestamp (if any), the signal columns, then one column per asset. */
export function formatDayCsv(file: string, frame: DayFrame): string {
  const cols = frameColumns(frame);
  const names: string[] = [];
  const data: Float64Array[] = [];
  for (const [name, values] of cols) {
    names.push(name);
    data.push(values);
  }
  const ts = frame.timestamps;
  const tsCells = ts === null ? null : formatTimestamps(file, ts);
  const out: string[] = new Array(frame.rows + 1);
  out[0] = (tsCells === null ? names : [TIMESTAMP_COLUMN, ...names]).join(',');
  const row: string[] = new Array(names.length);
  for (let r = 0; r < frame.rows; r++) {
    for (let j = 0; j < data.length; j++) row[j] = formatNumberCell(data[j][r]);
    out[r + 1] = tsCells === null ? row.join(',') : tsCells[r] + ',' + row.join(',');
  }
  return out.join('\n') + '\n';
}

// ISO text when every timestamp is a whole millisecond (the usual case); otherwise epoch ms numbers,
// which keep sub-millisecond parts exactly.
function formatTimestamps(file: string, ts: Float64Array): string[] {
  const cells: string[] = new Array(ts.length);
  for (let i = 0; i < ts.length; i++) {
    const iso = formatIsoMs(ts[i]);
    if (iso === null) return Array.from(ts, (t, r) => epochCell(file, t, r));
    cells[i] = iso;
  }
  return cells;
}

function epochCell(file: string, t: number, r: number): string {
  if (!Number.isFinite(t) || Math.abs(t) < 1e11 || Math.abs(t) >= 1e14) {
    throw new DataError({ file, row: r + 1, column: TIMESTAMP_COLUMN }, `timestamp not writable (${t})`);
  }
  return String(t);
}
