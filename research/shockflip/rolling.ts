// Causal rolling windows over bar series. Two kinds, and every caller says which:
//   past(i, W)     = bars i−W … i−1   (a baseline the current bar is compared with: z-score, rel_vol)
//   trailing(i, W) = bars i−W+1 … i   (a level known at bar i's close: ATR, Donchian, rolling VWAP)
// Nothing reads bar i+1 or later. A window that does not fit yet (warm-up) or holds a NaN gives NaN.
// Each window is summed afresh (O(n·W)) rather than by running sums, so a value depends on its own
// window only — never on rounding carried from earlier bars — which keeps results bit-identical when
// data far in the past or in the future changes.

/** Mean and sample std (ddof 1, as pandas' rolling std) of x over past(i, W). */
export function pastMeanStd(x: Float64Array, W: number, mean: Float64Array, std: Float64Array): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    if (i < W || W < 2) {
      mean[i] = NaN;
      std[i] = NaN;
      continue;
    }
    let s = 0;
    for (let j = i - W; j < i; j++) s += x[j];
    const m = s / W;
    let ss = 0;
    for (let j = i - W; j < i; j++) {
      const d = x[j] - m;
      ss += d * d;
    }
    mean[i] = m;
    std[i] = Math.sqrt(ss / (W - 1));
  }
}

/** Mean of x over past(i, W). */
export function pastMean(x: Float64Array, W: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (i < W) {
      out[i] = NaN;
      continue;
    }
    let s = 0;
    for (let j = i - W; j < i; j++) s += x[j];
    out[i] = s / W;
  }
  return out;
}

/** Sum of x over trailing(i, W); `from` is the first index whose window is valid. */
export function trailingSum(x: Float64Array, W: number, from = W - 1): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (i < from || i < W - 1) {
      out[i] = NaN;
      continue;
    }
    let s = 0;
    for (let j = i - W + 1; j <= i; j++) s += x[j];
    out[i] = s;
  }
  return out;
}

/** Max of x over trailing(i, W). */
export function trailingMax(x: Float64Array, W: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (i < W - 1) {
      out[i] = NaN;
      continue;
    }
    let m = -Infinity;
    for (let j = i - W + 1; j <= i; j++) if (!(x[j] <= m)) m = x[j]; // a NaN wins and stays
    out[i] = m;
  }
  return out;
}

/** Min of x over trailing(i, W). */
export function trailingMin(x: Float64Array, W: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (i < W - 1) {
      out[i] = NaN;
      continue;
    }
    let m = Infinity;
    for (let j = i - W + 1; j <= i; j++) if (!(x[j] >= m)) m = x[j];
    out[i] = m;
  }
  return out;
}

/**
 * Share of past(i, W) values ≤ x[i] (a percentile rank in [0, 1]), NaNs in the window skipped;
 * NaN when x[i] is NaN or the window has no value. Computed for one bar (event features only).
 */
export function pastRankAt(x: Float64Array, i: number, W: number): number {
  const v = x[i];
  if (v !== v || i < W) return NaN;
  let le = 0, k = 0;
  for (let j = i - W; j < i; j++) {
    const y = x[j];
    if (y !== y) continue;
    k++;
    if (y <= v) le++;
  }
  return k === 0 ? NaN : le / k;
}

/** z-score of x[i] against past(i, W), NaNs in the window skipped; for one bar (event features). */
export function pastZAt(x: Float64Array, i: number, W: number): number {
  const v = x[i];
  if (v !== v || i < W) return NaN;
  let s = 0, k = 0;
  for (let j = i - W; j < i; j++) {
    const y = x[j];
    if (y === y) {
      s += y;
      k++;
    }
  }
  if (k < 2) return NaN;
  const m = s / k;
  let ss = 0;
  for (let j = i - W; j < i; j++) {
    const y = x[j];
    if (y === y) ss += (y - m) * (y - m);
  }
  const sd = Math.sqrt(ss / (k - 1));
  return sd > 0 ? (v - m) / sd : NaN;
}
