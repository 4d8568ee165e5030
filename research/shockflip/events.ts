// The ShockFlip event table: one row per detected event, with exactly the blueprint's
// `events_annotated.csv` columns, in the blueprint's order. This is the contract between the event
// study (detector + outcomes) and everything downstream (zombie exit, selection, meta-model, report):
// readers get a typed row, writers produce byte-identical CSV for identical events.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataError, quoteCell } from '../../market/errors.ts';
import { formatIsoMs, parseTimestampCell } from '../../market/time.ts';

export type EventSide = 'long' | 'short';

/**
 * One ShockFlip event (definitions in docs/shockflip.md). Times are epoch ms; every ratio is a plain
 * number; a feature that cannot be computed (e.g. a zero ATR) is NaN and is written as an empty cell.
 */
export interface EventRow {
  /** end of the signal bar = the moment the decision is taken; entry at `entry_close` */
  entry_ts: number;
  /** 'long' after a sell shock flipped (expect up), 'short' after a buy shock flipped (expect down) */
  side: EventSide;
  /** signal-bar volume / mean volume of the previous rel_vol_window bars */
  rel_vol: number;
  /** flow z-score of the signal bar (imbalance vs the previous z_window bars) */
  flow_z: number;
  /** price–flow divergence score at the signal bar */
  div_score: number;
  /** flow_z(t) − flow_z(t − z_velocity_lag) */
  z_velocity: number;
  /** ATR(atr_window) at entry, price units */
  atr: number;
  /** 1 when mfe6_atr >= did_snap_atr_mult, else 0 */
  did_snap: 0 | 1;
  /** max favourable excursion over the next snap_horizon_bars bars, in ATRs */
  mfe6_atr: number;
  /** the same over the next mfe_long_horizon_bars (10) bars */
  mfe10_atr: number;
  /** close of the signal bar */
  entry_close: number;
  /** (close − Donchian low) / (Donchian high − Donchian low) over the previous donchian_window bars */
  donchian_loc: number;
  /** (close − rolling VWAP) / ATR */
  vwap_dist: number;
  /** (high − low) / close of the signal bar: the bar-range spread proxy (no L2 book in trade data) */
  spread: number;
  /** Σ q² / (Σ q)² over the signal bar's trades (Herfindahl of trade sizes, 1/n … 1) */
  trade_concentration: number;
  // Not in the blueprint's table, but named by it as meta-model inputs ("atr_pctile", "spread_z").
  // Written after the blueprint's columns; optional so rows built by hand need not carry them.
  /** ATR at entry as a percentile rank (0 … 1) among the previous atr_pctile_window bars' ATRs */
  atr_pctile?: number;
  /** spread's z-score against the previous z_window bars */
  spread_z?: number;
}

/** The blueprint's column order; the CSV header is exactly this. */
export const EVENT_COLUMNS = [
  'entry_ts', 'side', 'rel_vol', 'flow_z', 'div_score', 'z_velocity', 'atr', 'did_snap',
  'mfe6_atr', 'mfe10_atr', 'entry_close', 'donchian_loc', 'vwap_dist', 'spread', 'trade_concentration',
] as const satisfies readonly (keyof EventRow)[];

export type EventColumn = (typeof EVENT_COLUMNS)[number];

/** Extra columns after the blueprint's (meta-model inputs the blueprint names elsewhere). */
export const EVENT_EXTRA_COLUMNS = ['atr_pctile', 'spread_z'] as const satisfies readonly (keyof EventRow)[];

// every EventRow key is in one of the two lists (compile-time check)
type Missing = Exclude<keyof EventRow, EventColumn | (typeof EVENT_EXTRA_COLUMNS)[number]>;
const _allColumns: Missing extends never ? true : never = true;
void _allColumns;

type NumericColumn = Exclude<EventColumn, 'entry_ts' | 'side' | 'did_snap'>;
const NUMERIC_COLUMNS = EVENT_COLUMNS.filter(
  (c): c is NumericColumn => c !== 'entry_ts' && c !== 'side' && c !== 'did_snap',
);

/** A number as the shortest text that reads back to the same double; NaN as an empty cell, ±inf as inf/-inf. */
function num(x: number): string {
  if (x !== x) return '';
  // as pandas writes them (and reads them back)
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0 && 1 / x < 0) return '0';
  return String(x);
}

/** One CSV line (no newline) for an event. entry_ts is ISO-8601 UTC (`2019-10-11T00:05:00Z`). */
export function eventCsvLine(e: EventRow): string {
  const ts = formatIsoMs(e.entry_ts) ?? String(e.entry_ts);
  return [
    ts, e.side, num(e.rel_vol), num(e.flow_z), num(e.div_score), num(e.z_velocity), num(e.atr),
    String(e.did_snap), num(e.mfe6_atr), num(e.mfe10_atr), num(e.entry_close), num(e.donchian_loc),
    num(e.vwap_dist), num(e.spread), num(e.trade_concentration),
    num(e.atr_pctile ?? NaN), num(e.spread_z ?? NaN),
  ].join(',');
}

/** The whole events_annotated.csv text: header (the blueprint's columns, then the extras), one line per event, "\n" endings, final newline. */
export function eventsCsv(events: readonly EventRow[]): string {
  const lines = [[...EVENT_COLUMNS, ...EVENT_EXTRA_COLUMNS].join(',')];
  for (const e of events) lines.push(eventCsvLine(e));
  return lines.join('\n') + '\n';
}

/**
 * Parses events_annotated.csv text. Columns may come in any order and extra columns are ignored (a
 * pandas index column, annotations added by later steps); every blueprint column must be present.
 * A bad cell is a DataError naming file, 1-based data row and column.
 */
export function parseEventsCsv(text: string, file = 'events_annotated.csv'): EventRow[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new DataError({ file }, 'empty file: no header row');
  const header = lines[0].split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const index = new Map<string, number>();
  header.forEach((h, i) => index.set(h, i));
  for (const c of EVENT_COLUMNS) {
    if (!index.has(c)) throw new DataError({ file, column: c }, `missing column (header: ${quoteCell(lines[0])})`);
  }
  const col = (c: EventColumn): number => index.get(c)!;
  const out: EventRow[] = [];
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    if (cells.length !== header.length) {
      throw new DataError({ file, row: r }, `expected ${header.length} cells, found ${cells.length}`);
    }
    const cell = (c: EventColumn): string => cells[col(c)].trim();
    const tsCell = cell('entry_ts');
    const entry_ts = parseTimestampCell(tsCell);
    if (!Number.isFinite(entry_ts)) throw new DataError({ file, row: r, column: 'entry_ts' }, `not a timestamp (${quoteCell(tsCell)})`);
    const side = cell('side');
    if (side !== 'long' && side !== 'short') {
      throw new DataError({ file, row: r, column: 'side' }, `must be long or short, got ${quoteCell(side)}`);
    }
    const snapCell = cell('did_snap');
    // pandas may have written a boolean column as True/False
    const did_snap = snapCell === '1' || snapCell === 'True' || snapCell === 'true' ? 1
      : snapCell === '0' || snapCell === 'False' || snapCell === 'false' ? 0 : null;
    if (did_snap === null) throw new DataError({ file, row: r, column: 'did_snap' }, `must be 0 or 1, got ${quoteCell(snapCell)}`);
    const row = { entry_ts, side, did_snap } as EventRow;
    for (const c of NUMERIC_COLUMNS) row[c] = numberCell(cell(c), file, r, c);
    for (const c of EVENT_EXTRA_COLUMNS) {
      const k = index.get(c);
      if (k !== undefined) row[c] = numberCell(cells[k].trim(), file, r, c);
    }
    out.push(row);
  }
  return out;
}

function numberCell(s: string, file: string, row: number, column: string): number {
  const lower = s.toLowerCase();
  if (s === '' || lower === 'nan') return NaN;
  if (lower === 'inf' || lower === 'infinity' || lower === '+inf') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  const x = Number(s);
  if (!Number.isFinite(x)) throw new DataError({ file, row, column }, `not a number (${quoteCell(s)})`);
  return x;
}

/** Writes events_annotated.csv (creating the directory). */
export async function writeEventsCsv(path: string, events: readonly EventRow[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, eventsCsv(events));
}

/** Reads events_annotated.csv; errors name the path given. */
export async function readEventsCsv(path: string): Promise<EventRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DataError({ file: path }, `cannot read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseEventsCsv(text, path);
}
