import test from 'ava';
import { Ng3Kernel } from '../../ng3/kernel.ts';
import { ReturnRing } from '../../ng3/returns.ts';
import { barOf, randomWalk } from './fixtures.ts';

const N = 6;

test('a missing close (NaN, 0, negative, ±∞) forward-fills: return 0 on that bar, the whole move on the next valid close', (t) => {
  const ring = new ReturnRing(1, 10);
  const closes = [100, NaN, 0, -5, Infinity, 110, 121];
  const returns: number[] = [];
  for (const c of closes) if (ring.push([c])) returns.push(ring.data[ring.offset(ring.count - 1)]);
  t.deepEqual(returns, [0, 0, 0, 0, Math.log(110 / 100), Math.log(121 / 110)]);
});

test('returns are 0 before an asset’s first valid close', (t) => {
  const ring = new ReturnRing(2, 10);
  const got: number[][] = [];
  for (const bar of [[NaN, 10], [NaN, 11], [50, 12], [55, 12]]) {
    if (ring.push(bar)) got.push([ring.data[ring.offset(ring.count - 1)], ring.data[ring.offset(ring.count - 1) + 1]]);
  }
  t.deepEqual(got, [[0, Math.log(11 / 10)], [0, Math.log(12 / 11)], [Math.log(55 / 50), 0]]);
});

test('an asset halted (no closes) drops out of a window exactly while the window holds only its zero returns', (t) => {
  const prices = randomWalk({ assets: N, bars: 1300, seed: 2 });
  for (let b = 1000; b < 1100; b++) prices[3][b] = NaN; // bars 1000…1099 have no close for asset 3
  const k = new Ng3Kernel({ assets: N, windows: [50, 150] });
  const reduced: number[] = [];
  for (let b = 0; b < 1300; b++) {
    const row = k.push(barOf(prices, b));
    if (b >= 150 && row.active[0] !== N) reduced.push(b);
    if (b >= 150) t.is(row.active[1], N, `bar ${b}: the 150 window always holds a move of asset 3`);
  }
  // returns of bars 1000…1099 are 0 (bar t's return is ln(p_t / p_{t−1})); 50 of them fill the 50-bar
  // window from bar 1049 through bar 1099; bar 1100 brings the move over the whole gap
  t.deepEqual(reduced, Array.from({ length: 51 }, (_, i) => 1049 + i));
});

test('an excluded constant asset leaves λmax as if the asset were not there (to the solver tolerance)', (t) => {
  const base = randomWalk({ assets: N, bars: 900, seed: 6 });
  const withFlat = [...base.slice(0, 2), new Float64Array(900).fill(42), ...base.slice(2)];
  const a = new Ng3Kernel({ assets: N, windows: [50, 300] });
  const b = new Ng3Kernel({ assets: N + 1, windows: [50, 300] });
  let compared = 0;
  for (let t0 = 0; t0 < 900; t0++) {
    const ra = a.push(barOf(base, t0));
    const rb = b.push(barOf(withFlat, t0));
    t.is(rb.active[0], ra.active[0]);
    for (let w = 0; w < 2; w++) {
      if (Number.isNaN(ra.lambdaMax[w])) continue;
      // the start vectors differ (the generic perturbation is indexed by asset), so equality is to tolerance
      t.true(Math.abs(rb.lambdaMax[w] - ra.lambdaMax[w]) <= 1e-9 * ra.lambdaMax[w], `bar ${t0}`);
      t.is(rb.lambdaNorm[w], rb.lambdaMax[w] / N, 'λ̂ divides by the active assets, not all assets');
      compared++;
    }
  }
  t.true(compared > 1000);
});

test('constant non-zero returns (a price that doubles every bar) have zero variance and are excluded', (t) => {
  const prices = randomWalk({ assets: 3, bars: 120, seed: 1 });
  prices.push(Float64Array.from({ length: 120 }, (_, i) => 2 ** (i % 1000) / 2 ** 60));
  const k = new Ng3Kernel({ assets: 4, windows: [50] });
  let row = k.push(barOf(prices, 0));
  for (let b = 1; b < 120; b++) row = k.push(barOf(prices, b));
  t.is(row.active[0], 3);
});

test('fewer active assets than minAssets gives NaN λ, velocity and vel_div', (t) => {
  const prices = randomWalk({ assets: 2, bars: 900, seed: 3 });
  prices[1].fill(7); // one asset never moves: one active asset left
  const k = new Ng3Kernel({ assets: 2 });
  let row = k.push(barOf(prices, 0));
  for (let b = 1; b < 900; b++) row = k.push(barOf(prices, b));
  t.deepEqual([...row.active], [1, 1, 1, 1]);
  t.true([...row.lambdaMax, ...row.velocity, row.vel_div].every(Number.isNaN));
});

test('with minAssets 1 a single active asset is its own 1×1 correlation matrix: λmax = 1', (t) => {
  const prices = randomWalk({ assets: 2, bars: 60, seed: 3 });
  prices[1].fill(7);
  const k = new Ng3Kernel({ assets: 2, windows: [50], minAssets: 1 });
  let row = k.push(barOf(prices, 0));
  for (let b = 1; b < 60; b++) row = k.push(barOf(prices, b));
  t.is(row.active[0], 1);
  t.true(Math.abs(row.lambdaMax[0] - 1) < 1e-15);
});
