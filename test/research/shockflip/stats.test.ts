import test from 'ava';
import fc from 'fast-check';
import { bhAdjust, bhRejected } from '../../../research/shockflip/stats-fdr.ts';
import { fisherGreater, liftOf } from '../../../research/shockflip/stats-fisher.ts';
import { kaplanMeier } from '../../../research/shockflip/stats-km.ts';
import { monthIndex, monthKey, monthLabel, monthStartMs } from '../../../research/shockflip/stats-months.ts';
import { bucketCuts, bucketOf } from '../../../research/shockflip/stats-quantile.ts';

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('BH matches R p.adjust(method = "BH"), worked by hand', (t) => {
  // sorted 0.005, 0.01, 0.03, 0.04, 0.2 → m·p/rank = 0.025, 0.025, 0.05, 0.05, 0.2 → running min from the top
  const q = bhAdjust([0.01, 0.04, 0.03, 0.005, 0.2]);
  [0.025, 0.05, 0.05, 0.025, 0.2].forEach((x, i) => t.true(close(q[i], x), `${i}: ${q[i]}`));
  // the running minimum pulls earlier ranks down: 0.04, 0.04, 0.028, 0.5 → 0.028, 0.028, 0.028, 0.5
  const q2 = bhAdjust([0.01, 0.02, 0.021, 0.5]);
  [0.028, 0.028, 0.028, 0.5].forEach((x, i) => t.true(close(q2[i], x), `${i}: ${q2[i]}`));
  // NA does not count towards m (R's default n = sum(!is.na(p)))
  const q3 = bhAdjust([0.01, NaN, 0.04]);
  t.true(close(q3[0], 0.02) && Number.isNaN(q3[1]) && close(q3[2], 0.04));
  // capped at 1
  t.deepEqual(bhAdjust([0.9, 0.8]), [0.9, 0.9]);
  t.deepEqual(bhRejected([0.01, 0.04, 0.03, 0.005, 0.2], 0.05), [true, false, false, true, false]);
  t.throws(() => bhAdjust([1.5]), { instanceOf: RangeError });
});

test('BH invariants: adjusted ≥ raw, ≤ 1, same order as raw', (t) => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (p) => {
      const q = bhAdjust(p);
      for (let i = 0; i < p.length; i++) {
        t.true(q[i] >= p[i] - 1e-15 && q[i] <= 1);
        for (let j = 0; j < p.length; j++) if (p[i] < p[j]) t.true(q[i] <= q[j]);
      }
    }),
    { numRuns: 200, seed: 3 },
  );
});

test('Fisher one-sided: the tea-tasting table and a perfect split, by hand', (t) => {
  // [[3,1],[1,3]]: P(X ≥ 3) = (C(4,3)·C(4,1) + C(4,4)·C(4,0)) / C(8,4) = 17/70 (R: 0.2428571)
  t.true(close(fisherGreater({ a: 3, b: 1, c: 1, d: 3 }), 17 / 70));
  // [[10,0],[0,10]]: 1 / C(20,10)
  t.true(close(fisherGreater({ a: 10, b: 0, c: 0, d: 10 }), 1 / 184756));
  t.is(fisherGreater({ a: 0, b: 5, c: 0, d: 5 }), 1);
  t.true(close(fisherGreater({ a: 0, b: 4, c: 4, d: 0 }), 1));
  t.throws(() => fisherGreater({ a: -1, b: 0, c: 0, d: 0 }), { instanceOf: RangeError });
  t.deepEqual(liftOf({ a: 3, b: 1, c: 1, d: 3 }), { inside: 0.75, outside: 0.25, lift: 3 });
});

/** C(n, k) exactly. */
function choose(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 0; i < k; i++) r = (r * BigInt(n - i)) / BigInt(i + 1);
  return r;
}

test('Fisher equals the exact hypergeometric tail computed with integers', (t) => {
  const cell = fc.integer({ min: 0, max: 25 });
  fc.assert(
    fc.property(cell, cell, cell, cell, (a, b, c, d) => {
      const row1 = a + b, col1 = a + c, n = a + b + c + d;
      let num = 0n;
      for (let x = a; x <= Math.min(row1, col1); x++) num += choose(row1, x) * choose(n - row1, col1 - x);
      const den = choose(n, col1);
      const SCALE = 10n ** 30n;
      const exact = Number((num * SCALE) / den) / 1e30;
      const p = fisherGreater({ a, b, c, d });
      t.true(Math.abs(p - Math.min(1, exact)) <= 1e-11 * Math.max(exact, 1e-300) + 1e-15, `${a},${b},${c},${d}: ${p} vs ${exact}`);
    }),
    { numRuns: 300, seed: 11 },
  );
});

test('cut points are numpy-linear percentiles; buckets are right-closed like pandas.qcut, open-ended', (t) => {
  t.deepEqual(bucketCuts([4, 1, 3, 2], 2), [2.5]);
  t.deepEqual(bucketCuts([], 4), []);
  const cuts = bucketCuts([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, NaN], 10);
  [1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1].forEach((x, i) => t.true(close(cuts[i], x)));
  t.is(bucketOf(1, cuts), 0);
  t.is(bucketOf(1.9, cuts), 0);
  t.is(bucketOf(2, cuts), 1);
  t.is(bucketOf(10, cuts), 9);
  t.is(bucketOf(NaN, cuts), -1);
  // many equal values: fewer cuts, never an empty bucket in between
  t.deepEqual(bucketCuts([0, 0, 0, 0, 0, 0, 1, 2, 3, 4], 4), [0, 1.75]);
});

test('Kaplan–Meier by hand: events at 1, 3, 3, 5, censored at 2 and 4', (t) => {
  const km = kaplanMeier([
    { time: 1, event: true }, { time: 2, event: false }, { time: 3, event: true },
    { time: 3, event: true }, { time: 4, event: false }, { time: 5, event: true },
  ]);
  t.deepEqual(km.map((s) => [s.time, s.atRisk, s.events, s.censored]), [[0, 6, 0, 0], [1, 6, 1, 0], [2, 5, 0, 1], [3, 4, 2, 0], [4, 2, 0, 1], [5, 1, 1, 0]]);
  [1, 5 / 6, 5 / 6, 5 / 12, 5 / 12, 0].forEach((s, i) => t.true(close(km[i].survival, s)));
  t.deepEqual(kaplanMeier([]), [{ time: 0, atRisk: 0, events: 0, censored: 0, survival: 1 }]);
});

test('months are UTC calendar months', (t) => {
  const ms = Date.UTC(2024, 1, 29, 23, 59);
  t.is(monthKey(ms), '2024-02');
  t.is(monthIndex(Date.UTC(2024, 2, 1)) - monthIndex(ms), 1);
  t.is(monthStartMs(monthIndex(ms)), Date.UTC(2024, 1, 1));
  t.is(monthLabel(monthIndex(ms)), '2024-02');
});
