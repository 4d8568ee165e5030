import test from 'ava';
import { Ng3Kernel } from '../../ng3/kernel.ts';
import { barOf, randomWalk } from './fixtures.ts';
import { fullTopEigen } from './reference.ts';

// 12 assets, 4000 bars, a new regime every 300 bars: independent assets (λ̂ ≈ 1/n, λ1 barely above
// λ2: the hard case for an iterative solver), a weak and a strong market, a block moving against it.
const N = 12;
const BARS = 4000;
const prices = randomWalk({ assets: N, bars: BARS, seed: 11, regimeBars: 300 });

test('λmax of every window on every bar matches a full decomposition of the same correlation matrix to < 1e-9', (t) => {
  const k = new Ng3Kernel({ assets: N });
  const c = new Float64Array(N * N);
  const bar = new Float64Array(N);
  let worst = 0;
  let checked = 0;
  for (let b = 0; b < BARS; b++) {
    const row = k.push(barOf(prices, b, bar));
    for (let w = 0; w < 4; w++) {
      if (Number.isNaN(row.lambdaMax[w])) continue;
      const ref = fullTopEigen(k.correlation(w, c), N).lambda;
      worst = Math.max(worst, Math.abs(row.lambdaMax[w] - ref) / ref);
      checked++;
    }
  }
  t.true(checked > 12_000, `checked ${checked}`);
  t.log(`${checked} solves, worst relative error ${worst.toExponential(2)}`);
  t.true(worst < 1e-9, `worst relative error ${worst}`);
  t.deepEqual(k.unconverged(), [0, 0, 0, 0]);
});

test('the eigenvector is the decomposition’s leading eigenvector (|cos| > 1 − 1e-9)', (t) => {
  const k = new Ng3Kernel({ assets: N, windows: [50, 150] });
  const c = new Float64Array(N * N);
  let worst = 1;
  for (let b = 0; b < 2000; b++) {
    const row = k.push(barOf(prices, b));
    if (b % 7 !== 0 || Number.isNaN(row.lambdaMax[0])) continue;
    const ref = fullTopEigen(k.correlation(0, c), N).vector;
    const u = k.eigenvector(0);
    let dot = 0;
    for (let i = 0; i < N; i++) dot += u[i] * ref[i];
    worst = Math.min(worst, Math.abs(dot));
  }
  t.log(`worst 1 − |cos| = ${(1 - worst).toExponential(2)}`);
  t.true(1 - worst < 1e-9, `1 − |cos| = ${1 - worst}`);
});

test('48 assets: λmax matches the full decomposition to < 1e-9 through regime changes', (t) => {
  const n = 48;
  const p = randomWalk({ assets: n, bars: 1200, seed: 5, regimeBars: 200 });
  const k = new Ng3Kernel({ assets: n, windows: [50, 150] });
  const c = new Float64Array(n * n);
  let worst = 0;
  for (let b = 0; b < 1200; b++) {
    const row = k.push(barOf(p, b));
    if (b % 5 !== 0) continue;
    for (let w = 0; w < 2; w++) {
      if (Number.isNaN(row.lambdaMax[w])) continue;
      const ref = fullTopEigen(k.correlation(w, c), n).lambda;
      worst = Math.max(worst, Math.abs(row.lambdaMax[w] - ref) / ref);
    }
  }
  t.log(`worst relative error ${worst.toExponential(2)}`);
  t.true(worst < 1e-9, `worst relative error ${worst}`);
});
