import test from 'ava';
import { computeColumns } from '../../ng3/columns.ts';
import { Ng3Kernel } from '../../ng3/kernel.ts';
import { barOf, randomWalk } from './fixtures.ts';
import { sameBits } from './reference.ts';

const N = 10;
const BARS = 2500;
const prices = randomWalk({ assets: N, bars: BARS, seed: 21, regimeBars: 250 });
prices[4].fill(NaN, 900, 1000); // a gap, so forward fill and exclusion are exercised too
const opts = { recomputeEvery: 700, diagnostics: true } as const;

test('the same input gives bit-identical columns on a second run', (t) => {
  const a = computeColumns(prices, opts);
  const b = computeColumns(prices.map((p) => p.slice()), opts);
  t.deepEqual(Object.keys(a), Object.keys(b));
  for (const name of Object.keys(a)) t.true(sameBits(a[name], b[name]), name);
});

test('push() bar by bar gives bit-identical values to computeColumns()', (t) => {
  const cols = computeColumns(prices, opts);
  const k = new Ng3Kernel({ assets: N, recomputeEvery: 700 });
  const got = Object.fromEntries(k.columns.map((c) => [c, new Float64Array(BARS)]));
  for (let b = 0; b < BARS; b++) {
    const row = k.push(barOf(prices, b));
    k.columns.forEach((c, i) => (got[c][b] = row.values[i]));
  }
  for (const c of k.columns) t.true(sameBits(got[c], cols[c]), c);
});
