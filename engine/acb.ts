// ACB v6 (bible §10): external factors → signals → base boost (scale 1); w750 percentile →
// dynamic beta (scale 3). Scale 2, the per-bar meta-boost, is sizing.regimeSizeMult.
import type { AcbParams } from './config.ts';
import type { ExternalFactors } from './types.ts';

/** Signal weight of each factor (§10.2); FNG needs the others to confirm it. NaN adds nothing. */
export function factorSignals(f: ExternalFactors, p: AcbParams): number {
  let others = 0;
  if (f.funding_btc < p.funding_very_bearish) others += 1.0;
  else if (f.funding_btc < p.funding_mild_bearish) others += 0.5;
  if (f.dvol_btc > p.dvol_extreme) others += 1.0;
  else if (f.dvol_btc > p.dvol_elevated) others += 0.5;
  if (f.taker < p.taker_selling) others += 1.0;
  else if (f.taker < p.taker_mild_selling) others += 0.5;
  let fng = 0;
  if (f.fng < p.fng_extreme_fear && others >= 1.0) fng = 1.0;
  else if (f.fng < p.fng_fear && others >= 0.5) fng = 0.5;
  return others + fng;
}

/** §10.2: 1 + 0.5·ln(1 + signals) from one signal up; 1.0 below. */
export function baseBoost(signals: number): number {
  return signals >= 1.0 ? 1.0 + 0.5 * Math.log1p(signals) : 1.0;
}

/** numpy.percentile with linear interpolation over the finite values; NaN if there are none. */
export function percentile(values: readonly number[], pct: number): number {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const pos = (pct / 100) * (xs.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  // numpy's lerp: a + (b − a)·t, with the t ≥ 0.5 branch computed from b to stay exact at the ends
  const t = pos - lo;
  const a = xs[lo];
  const b = xs[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** numpy.median of the finite values; NaN if there are none. */
export function finiteMedian(values: ArrayLike<number>): number {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) xs.push(values[i]);
  if (xs.length === 0) return NaN;
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

/** §10.3: BETA_HIGH when the date's w750 velocity is at or above the run's threshold. */
export function dynamicBeta(w750: number, threshold: number, p: AcbParams): number {
  return w750 >= threshold ? p.beta_high : p.beta_low;
}

export interface AcbDay {
  date: string;
  signals: number;
  boost: number;
  beta: number;
  w750: number;
}

/**
 * The ACB for every date of a run, "preloaded" as the bible does: the w750 threshold is the
 * percentile over all dates of the run, which looks ahead within the run (see docs/decisions.md).
 */
export function acbTable(
  dates: readonly string[],
  w750ByDate: ReadonlyMap<string, number>,
  factorsByDate: ReadonlyMap<string, ExternalFactors>,
  p: AcbParams,
): Map<string, AcbDay> {
  const w750s = dates.map((d) => w750ByDate.get(d) ?? NaN);
  const threshold = percentile(w750s, p.w750_threshold_pct);
  const out = new Map<string, AcbDay>();
  dates.forEach((date, i) => {
    const f = factorsByDate.get(date);
    const signals = f === undefined ? 0 : factorSignals(f, p);
    out.set(date, {
      date,
      signals,
      boost: baseBoost(signals),
      beta: dynamicBeta(w750s[i], threshold, p),
      w750: w750s[i],
    });
  });
  return out;
}
