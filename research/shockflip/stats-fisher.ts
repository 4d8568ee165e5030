// Fisher's exact test for a 2×2 table, one-sided for "the first row has the higher success rate".
// It is the exact permutation test of lift: conditional on the margins, the number of successes in
// the bucket is hypergeometric, so the p-value needs no sampling and no normal approximation (the
// diamond subset is small: tens of events per month, where a z test is unreliable).

/** ln(n!) for n up to the table size, summed exactly in order (no Stirling approximation). */
function logFactorials(n: number): Float64Array {
  const t = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) t[i] = t[i - 1] + Math.log(i);
  return t;
}

export interface TwoByTwo {
  /** successes inside the bucket */
  a: number;
  /** failures inside the bucket */
  b: number;
  /** successes outside the bucket */
  c: number;
  /** failures outside the bucket */
  d: number;
}

function checkCounts(t: TwoByTwo): void {
  for (const [k, v] of Object.entries(t)) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`2×2 count ${k} must be a non-negative integer, got ${v}`);
  }
}

/**
 * P(X ≥ a) for X hypergeometric with the table's margins: the one-sided p-value of Fisher's exact
 * test that the bucket's success rate exceeds the rest's (R: fisher.test(m, alternative = "greater")).
 * Each term is exp of its logarithm, so large tables neither overflow nor lose tiny tails.
 */
export function fisherGreater(t: TwoByTwo): number {
  checkCounts(t);
  const { a, b, c, d } = t;
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  if (row1 === 0 || row1 === n || col1 === 0 || col1 === n) return 1;
  const lf = logFactorials(n);
  const lo = Math.max(0, row1 + col1 - n);
  const hi = Math.min(row1, col1);
  // ln of the constant part of C(row1, x)·C(n − row1, col1 − x) / C(n, col1)
  const logConst = lf[row1] + lf[n - row1] + lf[col1] + lf[n - col1] - lf[n];
  const logP = (x: number): number => logConst - (lf[x] + lf[row1 - x] + lf[col1 - x] + lf[n - row1 - col1 + x]);
  // smallest terms first, so adding them to a large partial sum loses less
  let sum = 0;
  for (let x = hi; x >= Math.max(a, lo); x--) sum += Math.exp(logP(x));
  return Math.min(1, sum);
}

/** Success rates inside and outside, and lift = inside / outside (Infinity when outside is 0). */
export function liftOf(t: TwoByTwo): { inside: number; outside: number; lift: number } {
  const inside = t.a + t.b === 0 ? NaN : t.a / (t.a + t.b);
  const outside = t.c + t.d === 0 ? NaN : t.c / (t.c + t.d);
  const lift = outside === 0 ? (inside > 0 ? Infinity : NaN) : inside / outside;
  return { inside, outside, lift };
}
