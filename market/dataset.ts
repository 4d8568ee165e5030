// A directory of day files: which dates it holds, and cheap per-date facts needed before a run starts.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readDayColumn } from './day-file.ts';
import { DataError } from './errors.ts';
import { isIsoDate } from './time.ts';
import { finiteMedian } from '../engine/acb.ts';

export interface DayFileRef {
  date: string; // YYYY-MM-DD
  path: string;
  format: 'parquet' | 'csv';
  /** a same-date CSV that was passed over because the parquet file wins */
  shadowed?: string;
}

export interface DateRange {
  from?: string; // inclusive YYYY-MM-DD
  to?: string; // inclusive YYYY-MM-DD
}

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.(parquet|csv)$/;

/**
 * The day files of a directory, sorted by date and filtered to [from, to]. Other files (e.g. the
 * bible's `2026-02-25.parquet.STALE_20260307`) are ignored. Errors when the directory is missing or no
 * day file is in range: a run over zero days is always a mistake.
 */
export function listDays(dir: string, range: DateRange = {}): DayFileRef[] {
  for (const key of ['from', 'to'] as const) {
    const value = range[key];
    if (value !== undefined && !isIsoDate(value)) {
      throw new DataError({ file: dir }, `${key} date ${JSON.stringify(value)} is not YYYY-MM-DD`);
    }
  }
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new DataError({ file: dir }, 'not a directory');
    names = readdirSync(dir);
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError({ file: dir }, `data directory not readable (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }

  const byDate = new Map<string, DayFileRef>();
  let found = 0;
  for (const name of names) {
    const m = DAY_FILE.exec(name);
    if (m === null) continue;
    const path = join(dir, name);
    if (!isFile(path)) continue;
    const [, date, ext] = m;
    if (!isIsoDate(date)) throw new DataError({ file: path }, 'file name is not a calendar date');
    found++;
    const format = ext as 'parquet' | 'csv';
    const other = byDate.get(date);
    if (other === undefined) byDate.set(date, { date, path, format });
    else if (format === 'parquet') byDate.set(date, { date, path, format, shadowed: other.path });
    else other.shadowed = path;
  }
  if (found === 0) throw new DataError({ file: dir }, 'no day files (YYYY-MM-DD.parquet or .csv) in directory');

  const refs = [...byDate.values()]
    .filter((r) => (range.from === undefined || r.date >= range.from) && (range.to === undefined || r.date <= range.to))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (refs.length === 0) {
    throw new DataError({ file: dir }, `no day files between ${range.from ?? 'the first'} and ${range.to ?? 'the last'} date`);
  }
  return refs;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch (err) {
    // e.g. a dangling symlink named like a day file: a day that cannot be read must not vanish quietly
    throw new DataError({ file: path }, `cannot stat day file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
}

export interface DayRowCount {
  date: string;
  rows: number;
  path?: string;
}

export interface PartialDayWarning {
  date: string;
  rows: number;
  /** median row count of the neighbouring days it was compared with */
  typicalRows: number;
  path?: string;
}

export interface PartialDayOptions {
  /** a day is flagged when rows < ratio × typicalRows (default 0.5) */
  ratio?: number;
  /** neighbours compared on each side (default 3) */
  window?: number;
  /** throw a DataError instead of returning warnings */
  strict?: boolean;
}

/**
 * Flags days with far fewer rows than their neighbours: the bible's 2026-02-25 file was built
 * mid-day and silently dropped the day's late trades (§1). A day is compared with the median of up to
 * `window` days before and after it, so a run of short days at one end still has a reference.
 */
export function checkPartialDays(days: readonly DayRowCount[], options: PartialDayOptions = {}): PartialDayWarning[] {
  const ratio = options.ratio ?? 0.5;
  const window = options.window ?? 3;
  if (!(ratio > 0) || !Number.isInteger(window) || window < 1) {
    throw new RangeError(`checkPartialDays: ratio must be > 0 and window a positive integer (got ${ratio}, ${window})`);
  }
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const warnings: PartialDayWarning[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const neighbours: number[] = [];
    for (let k = Math.max(0, i - window); k <= Math.min(sorted.length - 1, i + window); k++) {
      if (k !== i) neighbours.push(sorted[k].rows);
    }
    if (neighbours.length === 0) continue;
    const typicalRows = finiteMedian(neighbours);
    const day = sorted[i];
    if (day.rows < ratio * typicalRows) {
      const w: PartialDayWarning = { date: day.date, rows: day.rows, typicalRows };
      if (day.path !== undefined) w.path = day.path;
      warnings.push(w);
    }
  }
  if (options.strict === true && warnings.length > 0) {
    const first = warnings[0];
    const list = warnings.map((w) => `${w.date} (${w.rows} rows, typical ${w.typicalRows})`).join(', ');
    throw new DataError({ file: first.path ?? first.date }, `possibly partial day file(s): ${list}`);
  }
  return warnings;
}

export interface DaySummary {
  date: string;
  rows: number;
  /** median of the finite `v750_lambda_max_velocity` values; NaN when there are none */
  w750Median: number;
}

/** Row count and w750 median of a day, decoding only the v750 column. */
export async function readDaySummary(ref: DayFileRef): Promise<DaySummary> {
  const { rows, values } = await readDayColumn(ref.path, 'v750_lambda_max_velocity');
  return { date: ref.date, rows, w750Median: values === null ? NaN : finiteMedian(values) };
}

/** The date's w750 velocity for ACB beta (SPEC-NOTES: median of the finite v750 values). */
export async function readW750Median(ref: DayFileRef): Promise<number> {
  return (await readDaySummary(ref)).w750Median;
}

/** Re-exported: the engine's numpy-compatible median serves the dataset summary too. */
export { finiteMedian };
