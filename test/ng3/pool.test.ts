import test from 'ava';
import { computeColumns } from '../../ng3/columns.ts';
import { Ng3OptionsError } from '../../ng3/errors.ts';
import { Ng3Pool, Ng3PoolClosedError } from '../../ng3/pool.ts';
import { randomWalk } from './fixtures.ts';
import { sameBits } from './reference.ts';

// Serial: each pool starts its own threads (each loads tsx), and in parallel they only contend for cores.

const prices = randomWalk({ assets: 12, bars: 2000, seed: 17, regimeBars: 300 });
prices[2].fill(NaN, 500, 620);
const opts = { diagnostics: true, recomputeEvery: 600 } as const;
const single = computeColumns(prices, opts);

for (const threads of [1, 2, 3]) {
  test.serial(`a pool of ${threads} thread(s) gives columns bit-identical to computeColumns on this thread`, async (t) => {
    const pool = new Ng3Pool({ threads });
    t.teardown(() => pool.close());
    const cols = await pool.computeColumns(prices, opts);
    t.deepEqual(Object.keys(cols), Object.keys(single));
    for (const name of Object.keys(single)) t.true(sameBits(cols[name], single[name]), name);
  });
}

test.serial('pool: bad options are Ng3OptionsErrors, thrown for the pool and rejected for a request', async (t) => {
  t.throws(() => new Ng3Pool({ threads: 0 }), { instanceOf: Ng3OptionsError, message: /option threads/ });
  const pool = new Ng3Pool({ threads: 1 });
  t.teardown(() => pool.close());
  await t.throwsAsync(pool.computeColumns(prices, { windows: [150, 50] }), { instanceOf: Ng3OptionsError, message: /strictly increasing/ });
});

test.serial('pool: a request after close() rejects with Ng3PoolClosedError', async (t) => {
  const pool = new Ng3Pool({ threads: 1 });
  await pool.close();
  await t.throwsAsync(pool.computeColumns(prices), { instanceOf: Ng3PoolClosedError });
});
