// dolphin build-days: raw OHLCV (ccxt rows, one JSON file per asset) → one bar grid → NG3-lite columns
// over the whole series (state carries over midnight) → one day file per UTC date in the engine's schema,
// plus build-days.json. docs/real-data.md describes the rules and what they gave on the shared data.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SIGNAL_COLUMNS } from '../../engine/types.ts';
import { writeDayFile } from '../../market/day-file.ts';
import { DataError } from '../../market/errors.ts';
import { alignOhlcv, inferBarMs, nativeStep, type AlignedBars } from '../../market/ohlcv-align.ts';
import { dayFrame, daySpans, type SignalColumns } from '../../market/ohlcv-days.ts';
import { cellCounts, daySummary, signalSummary, type DaySummary, type SignalSummary } from '../../market/ohlcv-stats.ts';
import { formatTimeframe, listOhlcvFiles, parseTimeframe, readOhlcvFile, type OhlcvFileRef, type OhlcvSeries } from '../../market/ohlcv.ts';
import { assembleColumns, runWindows } from '../../ng3/columns.ts';
import { ng3ColumnNames } from '../../ng3/kernel.ts';
import { resolveNg3Options, type ResolvedNg3Options } from '../../ng3/options.ts';
import { Ng3Pool } from '../../ng3/pool.ts';
import { guarded, UsageError } from '../cli-errors.ts';
import { progress, type Progress } from '../progress.ts';

export const MANIFEST = 'build-days.json';
const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.(parquet|csv)$/;

/** The flags as commander gives them (strings), so a script can call runBuildDays the same way. */
export interface BuildDaysOptions {
  prices: string;
  out: string;
  bar?: string;
  assets?: string;
  format?: string;
  windows?: string;
  threads?: string;
  /** leave out the leading rows whose vel_div is NaN (dolphin backtest refuses NaN vel_div) */
  /** write the warm-up rows (vel_div NaN) too; by default they are left out so the backtest reads the days */
  keepWarmup?: boolean;
}

export interface BuildDaysManifest {
  tool: 'dolphin build-days';
  inputs: { dir: string; files: ReturnType<typeof fileEntry>[] };
  options: {
    bar: string;
    barSource: 'flag' | 'inferred';
    assets: string[];
    format: 'parquet' | 'csv';
    windows: number[];
    threads: number;
    skipWarmup: boolean;
    /** the NG3 options the columns were computed with; the schema's v50…v750 slots hold windows[0…3] */
    ng3: ResolvedNg3Options;
  };
  grid: { start: string; end: string; bars: number };
  /** leading bars with NaN vel_div (750 + lag with the default windows) */
  warmupRows: number;
  /** over the whole grid; fractions are of the bars with a finite vel_div */
  signal: SignalSummary;
  days: (DaySummary & { file: string })[];
}

export interface BuildDaysResult {
  outDir: string;
  manifestPath: string;
  manifest: BuildDaysManifest;
}

export async function runBuildDays(o: BuildDaysOptions, showProgress = true): Promise<BuildDaysResult> {
  const flags = parseFlags(o);
  const refs = selectAssets(listOhlcvFiles(o.prices), flags.assets);
  const series = withProgress(showProgress, refs.length, 'read', (bar) =>
    refs.map((r) => {
      const s = readOhlcvFile(r);
      bar?.tick(r.asset);
      return s;
    }),
  );
  const barMs = flags.barMs ?? inferBarMs(series);
  const aligned = alignOhlcv(series, barMs);

  const ng3Bar = showProgress ? progress(flags.windows.length, 'ng3') : null;
  const signals = await computeSignalColumns(aligned.closes, flags.windows, flags.threads, (w) => ng3Bar?.tick(`w${w}`));
  ng3Bar?.stop();

  const summary = signalSummary(signals.vel_div);
  const spans = daySpans(aligned, flags.skipWarmup ? summary.warmupRows : 0);
  if (spans.length === 0) throw new DataError({ file: o.prices }, `all ${aligned.bars} bars are warm-up (vel_div NaN): nothing to write (the warm-up rows are left out unless --keep-warmup)`);
  const outDir = resolve(o.out);
  const names = spans.map((s) => `${s.date}.${flags.format}`);
  await prepareOutDir(outDir, names);
  const days: BuildDaysManifest['days'] = [];
  const writeBar = showProgress ? progress(spans.length, 'write') : null;
  for (let i = 0; i < spans.length; i++) {
    await writeDayFile(join(outDir, names[i]), dayFrame(aligned, signals, spans[i]));
    days.push({ file: names[i], ...daySummary(aligned, signals.vel_div, spans[i]) });
    writeBar?.tick(spans[i].date);
  }
  writeBar?.stop();

  const manifest: BuildDaysManifest = {
    tool: 'dolphin build-days',
    inputs: { dir: resolve(o.prices), files: series.map((s, a) => fileEntry(s, aligned.state[a])) },
    options: {
      bar: formatTimeframe(barMs),
      barSource: flags.barMs === null ? 'inferred' : 'flag',
      assets: aligned.assets,
      format: flags.format,
      windows: flags.windows,
      threads: flags.threads,
      skipWarmup: flags.skipWarmup,
      ng3: ng3Options(aligned.assets.length, flags.windows),
    },
    grid: { start: iso(aligned.start), end: iso(aligned.start + (aligned.bars - 1) * barMs), bars: aligned.bars },
    warmupRows: summary.warmupRows,
    signal: summary,
    days,
  };
  const manifestPath = join(outDir, MANIFEST);
  await writeAtomic(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { outDir, manifestPath, manifest };
}

/**
 * The day-file signal columns of the aligned closes: NG3-lite with the given four windows, whose
 * velocities fill the schema's v50…v750 slots in order and whose first two give instability_50/150.
 * One thread runs the windows one after the other here; more run them on an Ng3Pool. Both are
 * bit-identical to computeColumns(closes, { windows }) (a window depends only on the closes).
 */
export async function computeSignalColumns(
  closes: readonly Float64Array[],
  windows: readonly number[],
  threads: number,
  onWindow: (w: number) => void = () => {},
): Promise<SignalColumns> {
  const o = ng3Options(closes.length, windows);
  let cols: Record<string, Float64Array>;
  if (threads <= 1) {
    const series = [];
    for (const w of o.windows) {
      series.push(...runWindows(closes, o, [w]));
      onWindow(w);
    }
    cols = assembleColumns(o, series);
  } else {
    const pool = new Ng3Pool({ threads: Math.min(threads, o.windows.length) });
    try {
      cols = await pool.computeColumns(closes, { windows: o.windows, instabilityWindows: o.instabilityWindows });
    } finally {
      await pool.close();
    }
    o.windows.forEach(onWindow);
  }
  const names = ng3ColumnNames(o);
  return Object.fromEntries(SIGNAL_COLUMNS.map((slot, i) => [slot, cols[names[i]]])) as SignalColumns;
}

function ng3Options(assets: number, windows: readonly number[]): ResolvedNg3Options {
  return resolveNg3Options({ assets, windows, instabilityWindows: windows.slice(0, 2) });
}

interface Flags {
  barMs: number | null;
  assets: string[] | null;
  format: 'parquet' | 'csv';
  windows: number[];
  threads: number;
  skipWarmup: boolean;
}

function parseFlags(o: BuildDaysOptions): Flags {
  let barMs: number | null = null;
  if (o.bar !== undefined) {
    barMs = parseTimeframe(o.bar);
    if (barMs === null || 86_400_000 % barMs !== 0) throw new UsageError(`--bar must be a bar length that divides a day (1m, 5m, …), got "${o.bar}"`);
  }
  const format = o.format ?? 'parquet';
  if (format !== 'parquet' && format !== 'csv') throw new UsageError(`--format must be parquet or csv, got "${format}"`);
  const windows = (o.windows ?? '50,150,300,750').split(',').map((s) => Number(s.trim()));
  if (windows.length !== 4 || windows.some((w, i) => !Number.isInteger(w) || w < 2 || (i > 0 && w <= windows[i - 1]))) {
    // the day-file schema has exactly four velocity slots (v50, v150, v300, v750)
    throw new UsageError(`--windows must be four increasing integers ≥ 2 (the schema's four velocity columns), got "${o.windows}"`);
  }
  const threads = o.threads === undefined ? Math.max(1, Math.min(4, availableParallelism())) : Number(o.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--threads must be a positive integer, got "${o.threads}"`);
  const assets = o.assets === undefined ? null : o.assets.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  // commander's --no-warmup… negation: keepWarmup true writes the NaN rows (dolphin backtest refuses them)
  return { barMs, assets, format, windows, threads, skipWarmup: o.keepWarmup !== true };
}

/** Files of the named assets, in the order named (`ADABTC`, `ADA_BTC` and `ADA/BTC` all name ADA_BTC-1m.json). */
function selectAssets(refs: OhlcvFileRef[], wanted: string[] | null): OhlcvFileRef[] {
  const chosen = wanted === null ? refs : wanted.map((name) => {
    const key = name.replace(/[_/-]/g, '').toUpperCase();
    const ref = refs.find((r) => r.asset.toUpperCase() === key);
    if (ref === undefined) throw new UsageError(`--assets: no file for ${name} (have ${refs.map((r) => r.asset).join(', ')})`);
    return ref;
  });
  if (new Set(chosen.map((r) => r.asset)).size !== chosen.length) throw new UsageError(`--assets names an asset twice: ${wanted!.join(',')}`);
  if (chosen.length < 2) throw new UsageError(`a correlation needs at least 2 assets, got ${chosen.length}`);
  return chosen;
}

/**
 * Refuses an output folder holding day files this build would not overwrite: dolphin backtest reads every
 * day file in a folder (and a parquet file shadows a same-date CSV), so a stale day would join the run.
 */
async function prepareOutDir(dir: string, names: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const keep = new Set(names);
  const stale = (await readdir(dir)).filter((f) => DAY_FILE.test(f) && !keep.has(f)).sort();
  if (stale.length > 0) {
    const list = stale.slice(0, 5).join(', ') + (stale.length > 5 ? ', …' : '');
    throw new DataError({ file: dir }, `holds ${stale.length} day file(s) this build does not write (${list}): remove them or choose another --out`);
  }
}

function fileEntry(s: OhlcvSeries, state: Uint8Array) {
  const step = nativeStep(s);
  return {
    file: resolve(s.path),
    asset: s.asset,
    rows: s.rows,
    first: iso(s.ts[0]),
    last: iso(s.ts[s.rows - 1]),
    timeframe: step === null ? null : formatTimeframe(step),
    /** bars of the grid with a row, forward-filled, and before the first row */
    ...cellCounts(state),
  };
}

function withProgress<T>(show: boolean, total: number, what: string, fn: (bar: Progress | null) => T): T {
  const bar = show ? progress(total, what) : null;
  try {
    return fn(bar);
  } finally {
    bar?.stop();
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const aside = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(aside, text);
    await rename(aside, path);
  } catch (err) {
    await rm(aside, { force: true });
    throw err;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function registerBuildDays(program: Command): void {
  program
    .command('build-days')
    .description('turn raw OHLCV files (ccxt rows, one JSON file per asset) into day files with NG3-lite signal columns')
    .requiredOption('--prices <dir>', 'folder of <PAIR>[-<timeframe>].json files of [ts_ms, open, high, low, close, volume] rows')
    .requiredOption('--out <dir>', 'folder for the day files and build-days.json')
    .option('--bar <1m|5m>', 'bar length of the grid (default: the coarsest bar of the files)')
    .option('--assets <A,B,…>', 'only these assets, in this column order (default: every file, by name)')
    .option('--format <parquet|csv>', 'day file format', 'parquet')
    .option('--windows <list>', 'the four NG3 windows in bars', '50,150,300,750')
    .option('--threads <n>', 'worker threads for the NG3 windows (1 = this thread)')
    .option('--keep-warmup', 'also write the leading rows whose vel_div is still NaN (dolphin backtest refuses them; default: left out)')
    .action(
      guarded(async (o: BuildDaysOptions) => {
        const { outDir, manifest: m } = await runBuildDays(o);
        const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
        console.log(`wrote ${m.days.length} day files (${m.days[0].date} → ${m.days[m.days.length - 1].date}) and ${MANIFEST} to ${outDir}`);
        console.log(`${m.options.assets.length} assets, ${m.grid.bars} bars of ${m.options.bar}, warm-up ${m.warmupRows} bars`);
        console.log(`vel_div < −0.02 on ${pct(m.signal.fractionBelow002)} of ${m.signal.finite} bars, < −0.05 on ${pct(m.signal.fractionBelow005)}`);
      }),
    );
}
