// Open-ended quantile buckets: cut points fitted on one sample (in-sample events) and applied to
// another (OOS events, PD grids), so a value outside the fitted range still lands in the first or
// last bucket. (diamond.ts's relVolBuckets fits and assigns on the same events and leaves values
// outside its edges in none.) Percentiles are quantile.ts's: numpy's default, linear / type 7.
import { percentileSorted, sortedFinite } from './quantile.ts';

/**
 * Inner cut points of `k` equal-count buckets (the 100/k … 100(k−1)/k percentiles), with repeats
 * removed: a feature with many equal values gives fewer buckets rather than empty ones.
 */
export function bucketCuts(values: ArrayLike<number>, k: number): number[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`bucket count must be an integer ≥ 2, got ${k}`);
  const sorted = sortedFinite(values);
  const cuts: number[] = [];
  for (let j = 1; j < k; j++) {
    const c = percentileSorted(sorted, (100 * j) / k);
    if (c === c && (cuts.length === 0 || c > cuts[cuts.length - 1])) cuts.push(c);
  }
  return cuts;
}

/**
 * Bucket of x given ascending cuts: 0 for x ≤ cuts[0], i for cuts[i−1] < x ≤ cuts[i], cuts.length
 * above the last (right-closed, as pandas.qcut); -1 for NaN.
 */
export function bucketOf(x: number, cuts: readonly number[]): number {
  if (x !== x) return -1;
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
