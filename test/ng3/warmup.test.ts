import test from 'ava';
import { computeColumns } from '../../ng3/columns.ts';
import { randomWalk } from './fixtures.ts';

const prices = randomWalk({ assets: 8, bars: 1000, seed: 12 });

/** Index of the first finite value, and whether every value after it is finite. */
function firstFinite(col: Float64Array): { first: number; allAfter: boolean } {
  const first = col.findIndex((x) => Number.isFinite(x));
  return { first, allAfter: col.subarray(first).every((x) => Number.isFinite(x)) };
}

for (const lag of [1, 3]) {
  test(`lag ${lag}: λ̂ from bar w, velocity and instability from bar w + ${lag}, vel_div from bar 750 + ${lag}, NaN before`, (t) => {
    const cols = computeColumns(prices, { lag, diagnostics: true });
    for (const w of [50, 150, 300, 750]) {
      t.deepEqual(firstFinite(cols[`lambda_norm_${w}`]), { first: w, allAfter: true }, `λ̂ ${w}`);
      t.deepEqual(firstFinite(cols[`v${w}_lambda_max_velocity`]), { first: w + lag, allAfter: true }, `v${w}`);
    }
    for (const w of [50, 150]) t.deepEqual(firstFinite(cols[`instability_${w}`]), { first: w + lag, allAfter: true }, `instability ${w}`);
    t.deepEqual(firstFinite(cols.vel_div), { first: 750 + lag, allAfter: true });
  });
}
