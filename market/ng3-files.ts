// NG3's eigenvalue folders (bible §3.2) → what a run needs from them: per-date ACB v6 external factors
// (§10.2: median of the first 10 Indicators scans) and per-date w750 velocity (§10.3, from scan_global).
// The array names inside the files are not in the bible, so they are configuration (docs/ng3-files.md).

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExternalFactors } from '../engine/types.ts';
import { finiteMedian } from '../engine/acb.ts';
import { DataError } from './errors.ts';
import { FACTOR_COLUMNS, type DayFactors } from './factors.ts';
import { formatShape, NpyError, type NpyArray } from './npy.ts';
import { readNpz } from './npz.ts';
import { isIsoDate } from './time.ts';

type FactorName = (typeof FACTOR_COLUMNS)[number];

/** A names array plus a values array of the same length (plus, optionally, a per-entry success mask). */
export interface Ng3Pair {
  names: string;
  values: string;
  /** entries whose mask is 0/false count as missing */
  ok?: string;
}

export interface Ng3Names {
  /** per factor, the names it may have in a file, tried in order: as a member, then as a pair entry */
  factors: Record<FactorName, readonly string[]>;
  /** pair layouts searched, in order, for a factor no member is named after */
  pairs: readonly Ng3Pair[];
  /** the w750 velocity member of scan_global files, names tried in order */
  w750: readonly string[];
}

/** What callers may override; a string is taken as a one-name list. */
export interface Ng3NamesInput {
  factors?: Partial<Record<FactorName, string | readonly string[]>>;
  pairs?: readonly Ng3Pair[];
  w750?: string | readonly string[];
}

export const DEFAULT_NG3_NAMES: Ng3Names = {
  // the bible's §10.2 factor names
  factors: { funding_btc: ['funding_btc'], dvol_btc: ['dvol_btc'], fng: ['fng'], taker: ['taker'] },
  pairs: [
    { names: 'indicator_names', values: 'indicator_values' },
    // a layout recalled from the Python ACB loader; unconfirmed, harmless when absent
    { names: 'api_names', values: 'api_indicators', ok: 'api_success' },
  ],
  // §3.2: "scan_global.npz ← lambda_vel_w750"
  w750: ['lambda_vel_w750'],
};

/** §10.2: "median of first 10 scans per date". */
export const MAX_INDICATOR_SCANS = 10;
/** files read at once: a multi-year folder must not open every scan together */
const READ_CONCURRENCY = 16;

export function resolveNg3Names(input: Ng3NamesInput = {}): Ng3Names {
  const list = (v: string | readonly string[]): readonly string[] => (typeof v === 'string' ? [v] : v);
  const factors = { ...DEFAULT_NG3_NAMES.factors };
  for (const name of FACTOR_COLUMNS) {
    const v = input.factors?.[name];
    if (v !== undefined) factors[name] = list(v);
  }
  return {
    factors,
    pairs: input.pairs ?? DEFAULT_NG3_NAMES.pairs,
    w750: input.w750 === undefined ? DEFAULT_NG3_NAMES.w750 : list(input.w750),
  };
}

export interface ScanFile {
  scan: number;
  path: string;
}

export interface Ng3Date {
  date: string;
  /** sorted by scan number */
  indicators: ScanFile[];
  /** sorted by scan number */
  scanGlobal: ScanFile[];
}

const SCAN_FILE = /^scan_(\d+)__(Indicators|scan_global)\.npz$/;

/**
 * The date folders of an NG3 tree in [from, to], each with its scan files sorted by scan number (not
 * by name: `scan_1000000` follows `scan_999999`). `dir` is the `eigenvalues` folder or its parent.
 * Folders without scan files are left out.
 */
export async function listNg3Dates(dir: string, range: { from?: string; to?: string } = {}): Promise<Ng3Date[]> {
  for (const key of ['from', 'to'] as const) {
    const value = range[key];
    if (value !== undefined && !isIsoDate(value)) throw new DataError({ file: dir }, `${key} date ${JSON.stringify(value)} is not YYYY-MM-DD`);
  }
  const root = (await isDir(join(dir, 'eigenvalues'))) ? join(dir, 'eigenvalues') : dir;
  const out: Ng3Date[] = [];
  for (const name of (await list(root)).sort()) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(name)) continue;
    const dateDir = join(root, name);
    if (!(await isDir(dateDir))) continue;
    if (!isIsoDate(name)) throw new DataError({ file: dateDir }, 'folder name is not a calendar date');
    if ((range.from !== undefined && name < range.from) || (range.to !== undefined && name > range.to)) continue;
    const day: Ng3Date = { date: name, indicators: [], scanGlobal: [] };
    for (const file of await list(dateDir)) {
      const m = SCAN_FILE.exec(file);
      if (m === null) continue;
      (m[2] === 'Indicators' ? day.indicators : day.scanGlobal).push({ scan: Number(m[1]), path: join(dateDir, file) });
    }
    if (day.indicators.length + day.scanGlobal.length === 0) continue;
    // ties (scan_01 next to scan_1) fall back to the name so the order never depends on readdir
    const byScan = (a: ScanFile, b: ScanFile): number => a.scan - b.scan || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    day.indicators.sort(byScan);
    day.scanGlobal.sort(byScan);
    out.push(day);
  }
  return out;
}

/** One Indicators file's factors; a factor found in no configured form is NaN. */
export async function readIndicatorsScan(path: string, names: Ng3Names = DEFAULT_NG3_NAMES): Promise<ExternalFactors> {
  const wanted = new Set<string>(FACTOR_COLUMNS.flatMap((f) => names.factors[f]));
  for (const p of names.pairs) [p.names, p.values, p.ok].forEach((n) => n !== undefined && wanted.add(n));
  const arrays = await readNpz(path, { only: wanted });
  const factors = {} as ExternalFactors;
  for (const f of FACTOR_COLUMNS) factors[f] = factorValue(path, arrays, names.factors[f], names.pairs);
  return factors;
}

/** One scan_global file's w750 velocity; NaN when no configured member is present. */
export async function readW750Scan(path: string, names: Ng3Names = DEFAULT_NG3_NAMES): Promise<number> {
  const arrays = await readNpz(path, { only: names.w750 });
  for (const name of names.w750) {
    const arr = arrays.get(name);
    if (arr !== undefined) return scalarOf(path, name, arr);
  }
  return NaN;
}

function factorValue(file: string, arrays: Map<string, NpyArray>, aliases: readonly string[], pairs: readonly Ng3Pair[]): number {
  for (const name of aliases) {
    const arr = arrays.get(name);
    if (arr !== undefined) return scalarOf(file, name, arr);
  }
  for (const pair of pairs) {
    const keys = arrays.get(pair.names);
    const values = arrays.get(pair.values);
    if (keys === undefined || values === undefined) continue;
    if (keys.kind !== 'string') throw new NpyError({ file, array: pair.names }, `expected a string array of names, found ${keys.descr}`);
    if (values.kind !== 'numeric') throw new NpyError({ file, array: pair.values }, `expected numbers, found ${values.descr}`);
    if (values.data.length !== keys.data.length) {
      throw new NpyError({ file, array: pair.values }, `${values.data.length} values for ${keys.data.length} names in ${JSON.stringify(pair.names)}`);
    }
    const ok = pair.ok === undefined ? undefined : arrays.get(pair.ok);
    if (ok !== undefined && (ok.kind !== 'numeric' || ok.data.length !== keys.data.length)) {
      throw new NpyError({ file, array: pair.ok }, `expected ${keys.data.length} booleans, found ${ok.descr} shape ${formatShape(ok.shape)}`);
    }
    for (const name of aliases) {
      const i = keys.data.indexOf(name);
      if (i < 0) continue;
      if (ok !== undefined && Number(ok.data[i]) === 0) return NaN;
      return Number(values.data[i]);
    }
  }
  return NaN;
}

/** A 0-d scalar or a 1-element array of any shape, as a number. */
function scalarOf(file: string, name: string, arr: NpyArray): number {
  if (arr.kind !== 'numeric') throw new NpyError({ file, array: name }, `expected a number, found a ${arr.descr} string array`);
  if (arr.data.length !== 1) throw new NpyError({ file, array: name }, `expected a scalar or a 1-element array, found shape ${formatShape(arr.shape)}`);
  return Number(arr.data[0]);
}

export interface Ng3InputOptions {
  from?: string | undefined;
  to?: string | undefined;
  names?: Ng3NamesInput | undefined;
}

export interface Ng3Inputs {
  /** dates with Indicators files; a factor with no finite value in the first 10 scans is NaN */
  factors: Map<string, DayFactors>;
  /** dates with scan_global files: the median of the finite values over all the date's scans */
  w750: Map<string, number>;
  /** one line each, for the operator */
  warnings: string[];
}

/** Everything a run takes from an NG3 tree: per-date factors (posture APEX) and per-date w750. */
export async function readNg3Inputs(dir: string, options: Ng3InputOptions = {}): Promise<Ng3Inputs> {
  const names = resolveNg3Names(options.names);
  const range: { from?: string; to?: string } = {};
  if (options.from !== undefined) range.from = options.from;
  if (options.to !== undefined) range.to = options.to;
  const dates = await listNg3Dates(dir, range);
  if (dates.length === 0) {
    throw new DataError({ file: dir }, `no NG3 scan files (YYYY-MM-DD/scan_*__Indicators.npz or __scan_global.npz) between ${range.from ?? 'the first'} and ${range.to ?? 'the last'} date`);
  }

  // every file of every date through one bounded pool; results land in per-date slots
  const days = dates.map((d) => ({
    date: d.date,
    factorScans: new Array<ExternalFactors>(Math.min(d.indicators.length, MAX_INDICATOR_SCANS)),
    w750Scans: new Array<number>(d.scanGlobal.length),
  }));
  const jobs: Array<() => Promise<void>> = [];
  dates.forEach((d, k) => {
    d.indicators.slice(0, MAX_INDICATOR_SCANS).forEach((f, i) => {
      jobs.push(async () => {
        days[k].factorScans[i] = await readIndicatorsScan(f.path, names);
      });
    });
    d.scanGlobal.forEach((f, i) => {
      jobs.push(async () => {
        days[k].w750Scans[i] = await readW750Scan(f.path, names);
      });
    });
  });
  await runLimited(jobs, READ_CONCURRENCY);

  const factors = new Map<string, DayFactors>();
  const w750 = new Map<string, number>();
  // problem → dates, so a factor NG3 never writes gives one warning, not one per date
  const problems = new Map<string, string[]>();
  const note = (problem: string, date: string): void => {
    const ds = problems.get(problem);
    if (ds === undefined) problems.set(problem, [date]);
    else ds.push(date);
  };
  for (const day of days) {
    if (day.factorScans.length > 0) {
      const f = {} as ExternalFactors;
      for (const name of FACTOR_COLUMNS) {
        f[name] = finiteMedian(day.factorScans.map((s) => s[name]));
        if (Number.isNaN(f[name])) {
          note(`no finite ${name} in the first ${MAX_INDICATOR_SCANS} Indicators scans (names tried: ${names.factors[name].join(', ')})`, day.date);
        }
      }
      factors.set(day.date, { factors: f, posture: 'APEX' });
    } else note('no Indicators files (ACB boost 1.0)', day.date);
    if (day.w750Scans.length > 0) {
      const v = finiteMedian(day.w750Scans);
      w750.set(day.date, v);
      if (Number.isNaN(v)) note(`no finite w750 in the scan_global files (names tried: ${names.w750.join(', ')})`, day.date);
    } else note('no scan_global files (w750 unknown)', day.date);
  }
  const warnings = [...problems].map(([what, ds]) => `${what}: ${ds.length} date(s) (${ds.slice(0, 5).join(', ')}${ds.length > 5 ? ', …' : ''})`);
  return { factors, w750, warnings };
}

async function runLimited(jobs: ReadonlyArray<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    // after the first error the rest is not read: the run is refused anyway
    while (!failed && next < jobs.length) {
      try {
        await jobs[next++]();
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    throw new DataError({ file: dir }, `NG3 folder not readable (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
