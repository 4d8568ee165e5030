// Day files in and out, by extension: `YYYY-MM-DD.parquet` or `YYYY-MM-DD.csv`.

import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { DayFrame } from '../engine/types.ts';
import { splitLines } from './cells.ts';
import { formatDayCsv, parseCsvColumn, parseDayCsv } from './day-csv.ts';
import { encodeDayParquet, parseDayParquet, parquetRowCount, parseParquetColumn } from './day-parquet.ts';
import { DataError } from './errors.ts';
import { buildDayFrame, dayFileDate, dayFileFormat, type ReadDayOptions } from './frame.ts';

export type { ReadDayOptions } from './frame.ts';
export { dayFileDate } from './frame.ts';

/** Reads and validates one day file; any bad cell is a DataError naming file, row and column. */
export async function readDayFile(path: string, options: ReadDayOptions = {}): Promise<DayFrame> {
  const date = dayFileDate(path);
  const raw = dayFileFormat(path) === 'parquet' ? await parseDayParquet(path, date) : parseDayCsv(path, date, await readText(path));
  return buildDayFrame(raw, options);
}

let asideSeq = 0;

/**
 * Writes a day so that readDayFile gives back the same frame bit for bit. The file appears whole or
 * not at all (written aside, then renamed): a half-written day must never look like a short day.
 */
export async function writeDayFile(path: string, frame: DayFrame): Promise<void> {
  const date = dayFileDate(path);
  if (date !== frame.date) throw new RangeError(`day ${frame.date} cannot be written to ${path}: the name says ${date}`);
  const content = dayFileFormat(path) === 'parquet' ? new Uint8Array(encodeDayParquet(frame)) : formatDayCsv(path, frame);
  const aside = `${path}.${process.pid}-${asideSeq++}.tmp`;
  try {
    await writeFile(aside, content);
    await rename(aside, path);
  } catch (err) {
    await rm(aside, { force: true });
    throw err;
  }
}

/** Number of data rows, from the parquet footer or by counting CSV lines. */
export async function readDayRowCount(path: string): Promise<number> {
  if (dayFileFormat(path) === 'parquet') return parquetRowCount(path);
  const lines = splitLines(await readText(path));
  if (lines.length === 0) throw new DataError({ file: path }, 'empty file: no header row');
  return lines.length - 1;
}

/**
 * Row count and one numeric column (null when the file lacks it), without decoding the rest of the
 * file. Cells are read as numbers; blanks are NaN; nothing else is validated.
 */
export async function readDayColumn(path: string, column: string): Promise<{ rows: number; values: Float64Array | null }> {
  if (dayFileFormat(path) === 'parquet') return parseParquetColumn(path, column);
  return parseCsvColumn(path, await readText(path), column);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new DataError({ file: path }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}
