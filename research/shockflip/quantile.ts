// Percentiles as numpy's default (linear interpolation between order statistics, "type 7"), so the
// blueprint's rel_vol_90 and bootstrap intervals mean what np.percentile means.

/** q-th percentile (0 … 100) of sorted ascending values; NaN for an empty array. */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo], b = sorted[hi];
  return a + (h - lo) * (b - a);
}

/** q-th percentile of values, NaNs dropped (as np.nanpercentile). */
export function percentile(values: ArrayLike<number>, q: number): number {
  return percentileSorted(sortedFinite(values), q);
}

/** The non-NaN values, ascending (±Infinity kept). */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) k++;
  const out = new Float64Array(k);
  k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) out[k++] = values[i];
  return out.sort();
}
