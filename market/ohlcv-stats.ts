// Figures for build-days.json: how much of the grid is real rows vs forward fill, the warm-up, and how
// often vel_div crosses the bible's thresholds (§4.1: −0.02 gate, −0.05 extreme) — the number that
// says whether the thresholds mean anything on these prices.

import { BAR_FILLED, BAR_NONE, BAR_TRADED, type AlignedBars } from './ohlcv-align.ts';
import type { DaySpan } from './ohlcv-days.ts';

export const GATE = -0.02;
export const EXTREME = -0.05;

export interface CellCounts {
  /** bars with a row of their own */
  traded: number;
  /** bars carrying the previous close forward */
  filled: number;
  /** bars before the asset's first row (close NaN) */
  none: number;
}

export interface Crossings {
  /** bars with a finite vel_div */
  finite: number;
  below002: number;
  below005: number;
}

export interface SignalSummary extends Crossings {
  bars: number;
  /** leading bars whose vel_div is NaN (the NG3 windows filling: 750 + lag bars by default) */
  warmupRows: number;
  /** NaN vel_div bars after the first finite one (a window with fewer than 2 moving assets) */
  nanAfterWarmup: number;
  /** below002 / finite and below005 / finite */
  fractionBelow002: number;
  fractionBelow005: number;
  /** bars above the LONG threshold +0.01 (§4.1), for comparison */
  above001: number;
  /** population sd and quantiles of the finite values */
  sd: number;
  quantiles: Record<string, number>;
}

/** Traded / filled / none counts of one asset over bars [from, to). */
export function cellCounts(state: Uint8Array, from = 0, to = state.length): CellCounts {
  const c: CellCounts = { traded: 0, filled: 0, none: 0 };
  for (let t = from; t < to; t++) {
    if (state[t] === BAR_TRADED) c.traded++;
    else if (state[t] === BAR_FILLED) c.filled++;
    else if (state[t] === BAR_NONE) c.none++;
  }
  return c;
}

/** Summed over every asset of the grid in bars [from, to). */
export function gridCounts(a: AlignedBars, from = 0, to = a.bars): CellCounts {
  const sum: CellCounts = { traded: 0, filled: 0, none: 0 };
  for (const s of a.state) {
    const c = cellCounts(s, from, to);
    sum.traded += c.traded;
    sum.filled += c.filled;
    sum.none += c.none;
  }
  return sum;
}

export function crossings(velDiv: Float64Array, from = 0, to = velDiv.length): Crossings {
  const c: Crossings = { finite: 0, below002: 0, below005: 0 };
  for (let t = from; t < to; t++) {
    const x = velDiv[t];
    if (!Number.isFinite(x)) continue;
    c.finite++;
    if (x < GATE) c.below002++;
    if (x < EXTREME) c.below005++;
  }
  return c;
}

/** Leading NaN rows of vel_div: the warm-up. */
export function warmupRows(velDiv: Float64Array): number {
  let t = 0;
  while (t < velDiv.length && !Number.isFinite(velDiv[t])) t++;
  return t;
}

export function signalSummary(velDiv: Float64Array): SignalSummary {
  const warm = warmupRows(velDiv);
  const c = crossings(velDiv);
  const finite = Float64Array.from(velDiv.subarray(warm).filter((x) => Number.isFinite(x))).sort();
  let above = 0;
  let sum = 0;
  for (const x of finite) {
    sum += x;
    if (x > 0.01) above++;
  }
  const mean = finite.length > 0 ? sum / finite.length : NaN;
  let ss = 0;
  for (const x of finite) ss += (x - mean) ** 2;
  const q = (p: number) => (finite.length > 0 ? finite[Math.min(finite.length - 1, Math.floor(p * finite.length))] : NaN);
  return {
    bars: velDiv.length,
    warmupRows: warm,
    nanAfterWarmup: velDiv.length - warm - c.finite,
    ...c,
    fractionBelow002: c.finite > 0 ? c.below002 / c.finite : NaN,
    fractionBelow005: c.finite > 0 ? c.below005 / c.finite : NaN,
    above001: above,
    sd: finite.length > 0 ? Math.sqrt(ss / finite.length) : NaN,
    quantiles: { p01: q(0.01), p05: q(0.05), p50: q(0.5), p95: q(0.95), p99: q(0.99) },
  };
}

export interface DaySummary extends Crossings, CellCounts {
  date: string;
  rows: number;
  /** first and last bar's open time (ISO) */
  first: string;
  last: string;
  /** NaN vel_div rows of the day */
  nanVelDiv: number;
}

export function daySummary(a: AlignedBars, velDiv: Float64Array, span: DaySpan): DaySummary {
  const c = crossings(velDiv, span.from, span.to);
  return {
    date: span.date,
    rows: span.to - span.from,
    first: new Date(a.start + span.from * a.barMs).toISOString(),
    last: new Date(a.start + (span.to - 1) * a.barMs).toISOString(),
    nanVelDiv: span.to - span.from - c.finite,
    ...c,
    ...gridCounts(a, span.from, span.to),
  };
}
