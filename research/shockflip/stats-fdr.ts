// Benjamini–Hochberg false-discovery-rate adjustment, the same numbers as R's p.adjust(p, "BH").

/**
 * BH-adjusted p-values in the input order: q_(i) = min over j ≥ i of min(1, m·p_(j)/j), with p sorted
 * ascending. NaN p-values (a test that could not be run) stay NaN and do not count towards m, which
 * is what p.adjust does with NA (its default n = number of non-NA values).
 */
export function bhAdjust(p: readonly number[]): number[] {
  for (const x of p) {
    if (!(x !== x) && (x < 0 || x > 1)) throw new RangeError(`p-value out of [0, 1]: ${x}`);
  }
  const order = p
    .map((x, i) => ({ x, i }))
    .filter((e) => e.x === e.x)
    // ties keep input order, so the result does not depend on sort stability quirks
    .sort((a, b) => a.x - b.x || a.i - b.i);
  const m = order.length;
  const out = p.map(() => NaN);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    // (m / rank) · p in that order, as p.adjust computes it, so boundary cases round the same way
    running = Math.min(running, (m / (k + 1)) * order[k].x);
    out[order[k].i] = running;
  }
  return out;
}

/** Indices rejected at FDR level q (adjusted p < q, strictly, as the blueprint's "p < 0.05"). */
export function bhRejected(p: readonly number[], q: number): boolean[] {
  return bhAdjust(p).map((x) => x < q);
}
