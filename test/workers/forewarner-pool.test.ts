import test from 'ava';
import { CHAMPION } from '../../engine/config.ts';
import { assessEnvelope, type McInput } from '../../engine/forewarner-mc.ts';
import { ForewarnerPool, ForewarnerPoolClosedError } from '../../workers/forewarner-pool.ts';

// Serial: each pool starts its own threads (each loads tsx), and in parallel they only contend for cores.

const history = Array.from({ length: 200 }, (_, i) => (i % 9 === 0 ? -0.05 : i % 3 === 0 ? -0.015 : 0.004 + (i % 7) * 0.001));
const input = (over: Partial<McInput> = {}): McInput => ({
  date: '2026-02-03',
  outcomes: history,
  cfg: { max_leverage: CHAMPION.sizing.max_leverage * 1.8 },
  seed: 42,
  params: { paths: 1001 },
  ...over,
});

for (const [threads, chunks] of [
  [1, 1],
  [1, 5],
  [2, 2],
  [2, 7],
  [2, 1001],
] as const) {
  test.serial(`pool report with ${threads} thread(s) and ${chunks} chunk(s) equals assessEnvelope exactly`, async (t) => {
    const pool = new ForewarnerPool({ threads, chunks });
    t.teardown(() => pool.close());
    t.is(pool.threads, threads);
    for (const seed of [1, 42, 0xffffffff]) {
      const req = input({ seed });
      t.deepEqual(await pool.assess(req), assessEnvelope(req));
    }
  });
}

test.serial('pool: insufficient history gives the neutral report without a worker round-trip', async (t) => {
  const pool = new ForewarnerPool({ threads: 1 });
  t.teardown(() => pool.close());
  const req = input({ outcomes: history.slice(0, 5) });
  const r = await pool.assess(req);
  t.true(r.insufficient);
  t.deepEqual(r, assessEnvelope(req));
});

test.serial('pool: concurrent assessments each get their own report', async (t) => {
  const pool = new ForewarnerPool({ threads: 2, chunks: 3 });
  t.teardown(() => pool.close());
  const reqs = [3, 4, 5, 6].map((seed) => input({ seed, date: `2026-02-0${seed}` }));
  t.deepEqual(await Promise.all(reqs.map((r) => pool.assess(r))), reqs.map(assessEnvelope));
});

test.serial('pool: an error thrown in a worker rejects assess() with the model’s RangeError and message', async (t) => {
  const pool = new ForewarnerPool({ threads: 2 });
  t.teardown(() => pool.close());
  await t.throwsAsync(pool.assess(input({ seed: -1 })), { instanceOf: RangeError, message: 'forewarner 2026-02-03: seed must be an integer in [0, 2^32), got -1' });
  const nan = history.map((x, i) => (i === 17 ? NaN : x));
  await t.throwsAsync(pool.assess(input({ outcomes: nan })), { instanceOf: RangeError, message: /outcomes\[17\] is NaN/ });
  // a bad parameter is caught before any chunk is planned
  await t.throwsAsync(pool.assess(input({ params: { paths: 0 } })), { instanceOf: RangeError, message: /param paths/ });
  // the pool survives errors
  t.deepEqual(await pool.assess(input()), assessEnvelope(input()));
});

test.serial('pool: bad options are RangeErrors naming the option', (t) => {
  t.throws(() => new ForewarnerPool({ threads: 0 }), { instanceOf: RangeError, message: /threads must be a positive integer/ });
  t.throws(() => new ForewarnerPool({ threads: 1, chunks: 1.5 }), { instanceOf: RangeError, message: /chunks must be a positive integer/ });
});

test.serial('pool: close() is idempotent and assess() after close rejects with ForewarnerPoolClosedError', async (t) => {
  const pool = new ForewarnerPool({ threads: 2 });
  const running = pool.assess(input());
  const first = pool.close();
  t.is(pool.close(), first);
  await first;
  await pool.close();
  t.deepEqual(await running, assessEnvelope(input())); // started before close: allowed to finish
  await t.throwsAsync(pool.assess(input()), { instanceOf: ForewarnerPoolClosedError });
});
