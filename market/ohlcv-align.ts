// Many assets' OHLCV rows on one bar grid: the shape NG3's correlation and the engine both need (every
// asset read at the same bar). docs/real-data.md states the rules; in short:
//   - bars are [k·bar, (k+1)·bar) in epoch ms, labelled by their open time, from the earliest asset's
//     first bar to the latest asset's last bar;
//   - a bar's close is the close of the asset's last row inside it (several rows when the bar is coarser
//     than the file's rows, e.g. 1-minute rows on a 5-minute grid);
//   - a bar without a row carries the asset's previous close forward and is marked FILLED;
//   - before an asset's first row its close is NaN (the engine's "no price") and the bar is marked NONE.
// Forward fill matches the live path (market/live-bars.ts) and gives NG3 the same returns as leaving the
// bar empty (its own fill gives ln(p/p) = 0 either way).

import { DataError } from './errors.ts';
import { formatTimeframe, type OhlcvSeries } from './ohlcv.ts';

/** Per asset and bar: no price yet (close NaN), a row in the bar, or the previous close carried forward. */
export const BAR_NONE = 0;
export const BAR_TRADED = 1;
export const BAR_FILLED = 2;

const DAY_MS = 86_400_000;
/** A grid larger than this is a timestamp mistake (or needs a streaming builder), not a history to allocate. */
export const MAX_BARS = 20_000_000;

export interface AlignedBars {
  barMs: number;
  /** open time of bar 0, epoch ms (a multiple of barMs) */
  start: number;
  bars: number;
  assets: string[];
  /** per asset, one close per bar: forward-filled, NaN before the asset's first row */
  closes: Float64Array[];
  /** per asset, one BAR_NONE / BAR_TRADED / BAR_FILLED per bar */
  state: Uint8Array[];
}

/**
 * The bar length a file's rows come in: its name's timeframe, else the greatest common divisor of the
 * steps between its rows (not the smallest step: an illiquid 1-minute file may never have two rows in a
 * row); null for a one-row file without a timeframe in its name.
 */
export function nativeStep(s: OhlcvSeries): number | null {
  if (s.timeframeMs !== null) return s.timeframeMs;
  let step = 0;
  for (let i = 1; i < s.rows; i++) step = gcd(step, s.ts[i] - s.ts[i - 1]);
  return step === 0 ? null : step;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The coarsest native step of the files: every file can fill it without inventing bars. */
export function inferBarMs(series: readonly OhlcvSeries[]): number {
  let bar = 0;
  for (const s of series) bar = Math.max(bar, nativeStep(s) ?? 0);
  if (bar === 0) throw new DataError({ file: series[0]?.path ?? '(no files)' }, 'cannot infer the bar length (single rows, no timeframe in the names): give --bar');
  return bar;
}

export function alignOhlcv(series: readonly OhlcvSeries[], barMs: number = inferBarMs(series)): AlignedBars {
  if (series.length === 0) throw new RangeError('alignOhlcv: no series');
  if (!Number.isInteger(barMs) || barMs <= 0 || DAY_MS % barMs !== 0) {
    throw new DataError({ file: series[0].path }, `bar of ${barMs} ms does not divide a day into whole bars`);
  }
  for (const s of series) checkGrid(s, barMs);
  const bucket = (t: number) => t - (t % barMs);
  let start = Infinity;
  let end = -Infinity;
  for (const s of series) {
    start = Math.min(start, bucket(s.ts[0]));
    end = Math.max(end, bucket(s.ts[s.rows - 1]));
  }
  const bars = (end - start) / barMs + 1;
  if (bars > MAX_BARS) {
    throw new DataError({ file: series[0].path }, `${bars} bars of ${formatTimeframe(barMs)} from ${iso(start)} to ${iso(end)}: more than ${MAX_BARS}; check the timestamps`);
  }
  const closes: Float64Array[] = [];
  const state: Uint8Array[] = [];
  for (const s of series) {
    const c = new Float64Array(bars).fill(NaN);
    const m = new Uint8Array(bars); // BAR_NONE
    // rows are strictly increasing (readOhlcvFile checked), so the last row written to a bar is its close
    for (let i = 0; i < s.rows; i++) {
      const k = (bucket(s.ts[i]) - start) / barMs;
      c[k] = s.close[i];
      m[k] = BAR_TRADED;
    }
    for (let k = 1; k < bars; k++) {
      if (m[k] === BAR_NONE && m[k - 1] !== BAR_NONE) {
        c[k] = c[k - 1];
        m[k] = BAR_FILLED;
      }
    }
    closes.push(c);
    state.push(m);
  }
  return { barMs, start, bars, assets: series.map((s) => s.asset), closes, state };
}

/**
 * A row must lie wholly inside one bar: its own period [ts, ts + step) may not cross a bar boundary, or
 * its close would be dated before it happened. So the bar is a multiple of the file's step and every
 * row starts on the file's step grid.
 */
function checkGrid(s: OhlcvSeries, barMs: number): void {
  const step = nativeStep(s) ?? barMs;
  if (barMs % step !== 0) {
    const what = barMs < step ? 'finer than' : 'not a multiple of';
    throw new DataError({ file: s.path }, `bar ${formatTimeframe(barMs)} is ${what} the file's ${formatTimeframe(step)} rows`);
  }
  for (let i = 0; i < s.rows; i++) {
    if (s.ts[i] % step !== 0) {
      throw new DataError({ file: s.path, row: i + 1, column: 'timestamp' }, `${iso(s.ts[i])} is not on the file's ${formatTimeframe(step)} grid`);
    }
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
