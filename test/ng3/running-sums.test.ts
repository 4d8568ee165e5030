import test from 'ava';
import { Ng3Kernel } from '../../ng3/kernel.ts';
import { barOf, randomWalk, TestRng } from './fixtures.ts';
import { exactCorrelation, maxAbsDiff, sameBits } from './reference.ts';

const N = 12;

/** Correlation of each window after `bars` bars against a two-pass correlation from the prices. */
function driftAfter(prices: Float64Array[], bars: number, opts: { recomputeEvery: number; decayLimit: number }): number[] {
  const windows = [50, 750];
  const k = new Ng3Kernel({ assets: N, windows, ...opts });
  const bar = new Float64Array(N);
  for (let t = 0; t < bars; t++) k.push(barOf(prices, t, bar));
  const c = new Float64Array(N * N);
  return windows.map((w, i) => maxAbsDiff(k.correlation(i, c), exactCorrelation(prices, bars - 1, w)));
}

/** Log-volatility 0.05 for the first half, then `drop` times smaller: the worst case for subtracted sums. */
function volatilityCollapse(bars: number, drop: number): Float64Array[] {
  const rng = new TestRng(9);
  const lp = new Float64Array(N);
  const out = Array.from({ length: N }, () => new Float64Array(bars));
  for (let t = 0; t < bars; t++) {
    const vol = t < bars / 2 ? 0.05 : 0.05 / drop;
    const m = rng.normal();
    for (let a = 0; a < N; a++) {
      lp[a] += vol * (0.6 * m + 0.8 * rng.normal());
      out[a][t] = Math.exp(lp[a]);
    }
  }
  return out;
}

test('with no rebuild at all, the sliding correlation stays within 1e-12 of a two-pass correlation after 40k bars', (t) => {
  const prices = randomWalk({ assets: N, bars: 40_000, seed: 4 });
  const drift = driftAfter(prices, 40_000, { recomputeEvery: 0, decayLimit: 0 });
  t.log(`max |C_sliding − C_exact| for windows 50, 750: ${drift.map((d) => d.toExponential(1)).join(', ')}`);
  for (const d of drift) t.true(d < 1e-12, `drift ${drift}`);
});

test('after a 1000× volatility collapse the decay rebuild keeps the correlation within 1e-11 of exact', (t) => {
  const prices = volatilityCollapse(20_000, 1000);
  const without = driftAfter(prices, 20_000, { recomputeEvery: 0, decayLimit: 0 });
  const guarded = driftAfter(prices, 20_000, { recomputeEvery: 0, decayLimit: 1e4 });
  t.log(`unguarded ${without.map((d) => d.toExponential(1)).join(', ')}; guarded ${guarded.map((d) => d.toExponential(1)).join(', ')}`);
  for (const d of guarded) t.true(d < 1e-11, `guarded drift ${guarded}`);
  // the case is a real one: sliding sums alone carry the rounding of the large early values
  t.true(Math.max(...without) > 100 * Math.max(...guarded), `unguarded ${without}, guarded ${guarded}`);
});

test('a scheduled rebuild leaves sums bit-identical to a window that only ever saw its last W returns', (t) => {
  const W = 150;
  const K = 1000;
  const prices = randomWalk({ assets: N, bars: 3000, seed: 8 });
  const a = new Ng3Kernel({ assets: N, windows: [W], recomputeEvery: K, decayLimit: 0 });
  const rebuildBar = 2 * K + 1; // return k = 2K (bar k+1) triggers the rebuild
  for (let b = 0; b <= rebuildBar; b++) a.push(barOf(prices, b));
  // a fresh kernel fed bars rebuildBar − W … rebuildBar holds exactly the returns of that window
  const fresh = new Ng3Kernel({ assets: N, windows: [W], recomputeEvery: 0, decayLimit: 0 });
  for (let b = rebuildBar - W; b <= rebuildBar; b++) fresh.push(barOf(prices, b));
  const ca = a.correlation(0, new Float64Array(N * N));
  const cf = fresh.correlation(0, new Float64Array(N * N));
  t.true(sameBits(ca, cf));
  // one bar earlier the sliding sums differ from the rebuild in the last bits (else this test proves nothing)
  const b2 = new Ng3Kernel({ assets: N, windows: [W], recomputeEvery: K, decayLimit: 0 });
  for (let b = 0; b < rebuildBar; b++) b2.push(barOf(prices, b));
  const fresh2 = new Ng3Kernel({ assets: N, windows: [W], recomputeEvery: 0, decayLimit: 0 });
  for (let b = rebuildBar - 1 - W; b < rebuildBar; b++) fresh2.push(barOf(prices, b));
  t.false(sameBits(b2.correlation(0, new Float64Array(N * N)), fresh2.correlation(0, new Float64Array(N * N))));
});
