// Raw OHLCV histories as ccxt gives them: one JSON file per asset holding an array of rows
// [ts_ms, open, high, low, close, volume] (freqtrade's layout, e.g. `ADA_BTC-1m.json`; `.json.gz` too).
// Every bad value is a DataError naming the file, the row (1-based position in the array) and the column:
// a history with a hole in it must be fixed, not silently shortened.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { META_COLUMNS } from '../engine/types.ts';
import { DataError, quoteCell } from './errors.ts';

/** The six values of a ccxt OHLCV row, in order (the names errors use as columns). */
export const OHLCV_COLUMNS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;

const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS };

/** `1m`, `5m`, `15s`, `1h`, `1d` → milliseconds; null when the text is not such a timeframe. */
export function parseTimeframe(text: string): number | null {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  if (m === null) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  return ms > 0 ? ms : null;
}

/** The shortest ccxt-style spelling of a bar length (`60000` → `1m`). */
export function formatTimeframe(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

export interface OhlcvFileRef {
  path: string;
  /** day-file column name: the pair without separators, as the engine's assets are named (`ADABTC`) */
  asset: string;
  /** the pair as the file names it (`ADA_BTC`) */
  pair: string;
  /** bar length the name declares (freqtrade's `-1m` suffix), or null */
  timeframeMs: number | null;
}

const FILE_NAME = /^(.+?)(?:-(\d+[smhd]))?\.json(?:\.gz)?$/;

/** Asset and timeframe from a file name such as `ADA_BTC-1m.json`; null for names that are not OHLCV files. */
export function parseOhlcvFileName(path: string): OhlcvFileRef | null {
  const m = FILE_NAME.exec(basename(path));
  if (m === null) return null;
  const pair = m[1];
  const asset = pair.replace(/[_/-]/g, '');
  // the asset becomes a column header: it must not collide with a signal column or break a CSV row
  if (!/^[A-Za-z0-9.]+$/.test(asset) || META_COLUMNS.has(asset)) {
    throw new DataError({ file: path }, `file name gives no usable asset name (${quoteCell(pair)})`);
  }
  return { path, asset, pair, timeframeMs: m[2] === undefined ? null : parseTimeframe(m[2]) };
}

/** The OHLCV files of a directory (not recursive), sorted by name; one per asset. */
export function listOhlcvFiles(dir: string): OhlcvFileRef[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new DataError({ file: dir }, `price directory not readable (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  const refs: OhlcvFileRef[] = [];
  const byAsset = new Map<string, string>();
  for (const name of names.sort()) {
    const ref = parseOhlcvFileName(join(dir, name));
    if (ref === null) continue;
    const other = byAsset.get(ref.asset);
    if (other !== undefined) throw new DataError({ file: ref.path }, `second file for asset ${ref.asset} (first: ${other}); keep one per folder`);
    byAsset.set(ref.asset, ref.path);
    refs.push(ref);
  }
  if (refs.length === 0) throw new DataError({ file: dir }, 'no OHLCV files (<PAIR>[-<timeframe>].json or .json.gz) in directory');
  return refs;
}

/** One asset's rows: open times and closes (the only values the day files need), validated. */
export interface OhlcvSeries extends OhlcvFileRef {
  rows: number;
  /** open time of each row, epoch ms, strictly increasing */
  ts: Float64Array;
  close: Float64Array;
}

export function readOhlcvFile(ref: OhlcvFileRef): OhlcvSeries {
  let text: string;
  try {
    const bytes = readFileSync(ref.path);
    text = (ref.path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (err) {
    throw new DataError({ file: ref.path }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return { ...ref, ...parseOhlcvJson(ref.path, text) };
}

/** Parses and validates the JSON text of one file. */
export function parseOhlcvJson(file: string, text: string): { rows: number; ts: Float64Array; close: Float64Array } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataError({ file }, `not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(data)) throw new DataError({ file }, `expected a JSON array of OHLCV rows, found ${describe(data)}`);
  if (data.length === 0) throw new DataError({ file }, 'no rows');
  const ts = new Float64Array(data.length);
  const close = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    checkRow(file, i + 1, data[i], i > 0 ? ts[i - 1] : null);
    const r = data[i] as number[];
    ts[i] = r[0];
    close[i] = r[4];
  }
  return { rows: data.length, ts, close };
}

function checkRow(file: string, row: number, r: unknown, prevTs: number | null): void {
  if (!Array.isArray(r)) throw new DataError({ file, row }, `expected [timestamp, open, high, low, close, volume], found ${describe(r)}`);
  if (r.length !== OHLCV_COLUMNS.length) {
    throw new DataError({ file, row }, `expected 6 values [timestamp, open, high, low, close, volume], found ${r.length}`);
  }
  for (let j = 0; j < OHLCV_COLUMNS.length; j++) {
    const v: unknown = r[j];
    const column = OHLCV_COLUMNS[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataError({ file, row, column }, `not a finite number (${describe(v)})`);
    if (j === 0) checkTimestamp(file, row, v, prevTs);
    else if (j < 5 && !(v > 0)) throw new DataError({ file, row, column }, `not a positive price (${v})`);
    else if (j === 5 && v < 0) throw new DataError({ file, row, column }, `negative volume (${v})`);
  }
}

function checkTimestamp(file: string, row: number, t: number, prev: number | null): void {
  const where = { file, row, column: 'timestamp' };
  if (!Number.isInteger(t)) throw new DataError(where, `not a whole millisecond (${t})`);
  // 1e11 ms is March 1973: anything smaller is almost surely seconds, which would put the grid in 1970
  if (t < 1e11) throw new DataError(where, `${t} looks like seconds, not epoch milliseconds`);
  if (prev === null) return;
  if (t === prev) throw new DataError(where, `duplicate timestamp (same as row ${row - 1})`);
  if (t < prev) throw new DataError(where, `timestamp out of order (earlier than row ${row - 1})`);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v !== null && typeof v === 'object') return 'an object';
  return quoteCell(JSON.stringify(v) ?? String(v));
}
