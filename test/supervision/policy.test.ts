// Restart intensity (OTP: at most maxRestarts within periodMs, else escalate) and exponential backoff.
// RestartWindow takes the clock as an argument (onFailure(now)), so every time here is explicit.
import test from 'ava';
import fc from 'fast-check';
import { DEFAULT_POLICY, RestartWindow, type RestartPolicy } from '../../supervision/policy.ts';

const policy: RestartPolicy = { maxRestarts: 3, periodMs: 1_000, backoffInitialMs: 10, backoffFactor: 2, backoffMaxMs: 1_000 };

test('up to maxRestarts failures within the period restart, the next one escalates', (t) => {
  const w = new RestartWindow(policy);
  t.deepEqual(
    [0, 100, 200].map((now) => w.onFailure(now).action),
    ['restart', 'restart', 'restart'],
  );
  t.deepEqual(w.onFailure(300), { action: 'escalate', recent: 4 });
});

test('maxRestarts 0 escalates the first failure', (t) => {
  t.is(new RestartWindow({ ...policy, maxRestarts: 0 }).onFailure(0).action, 'escalate');
});

test('failures older than the period are forgotten', (t) => {
  const w = new RestartWindow(policy);
  w.onFailure(0);
  w.onFailure(10);
  w.onFailure(20);
  // at 1010 the failures at 0 and 10 are exactly/over one period old: only the one at 20 still counts
  const d = w.onFailure(1_010);
  t.deepEqual(d, { action: 'restart', delayMs: 20, recent: 2 });
});

test('a failure exactly one period old no longer counts', (t) => {
  const w = new RestartWindow({ ...policy, maxRestarts: 1 });
  w.onFailure(0);
  t.is(w.onFailure(999).action, 'escalate');
  const w2 = new RestartWindow({ ...policy, maxRestarts: 1 });
  w2.onFailure(0);
  t.is(w2.onFailure(1_000).action, 'restart');
});

test('backoff doubles from the initial delay and stops at the maximum', (t) => {
  const w = new RestartWindow({ maxRestarts: 10, periodMs: 60_000, backoffInitialMs: 10, backoffFactor: 2, backoffMaxMs: 50 });
  const delays = [0, 1, 2, 3, 4, 5].map((i) => {
    const d = w.onFailure(i);
    return d.action === 'restart' ? d.delayMs : -1;
  });
  t.deepEqual(delays, [10, 20, 40, 50, 50, 50]);
});

test('backoff starts again from the initial delay after a quiet period', (t) => {
  const w = new RestartWindow(policy);
  w.onFailure(0);
  w.onFailure(1);
  t.like(w.onFailure(2), { delayMs: 40 });
  t.like(w.onFailure(5_000), { action: 'restart', delayMs: 10, recent: 1 });
});

test('the default policy is an OTP-like intensity with bounded backoff', (t) => {
  t.true(DEFAULT_POLICY.maxRestarts > 0 && DEFAULT_POLICY.periodMs > 0);
  t.true(DEFAULT_POLICY.backoffInitialMs <= DEFAULT_POLICY.backoffMaxMs && DEFAULT_POLICY.backoffFactor >= 1);
});

const policyArb: fc.Arbitrary<RestartPolicy> = fc
  .record({
    maxRestarts: fc.integer({ min: 0, max: 12 }),
    periodMs: fc.integer({ min: 1, max: 1_000_000 }),
    backoffInitialMs: fc.integer({ min: 0, max: 2_000 }),
    backoffFactor: fc.double({ min: 1, max: 4, noNaN: true }),
    extra: fc.integer({ min: 0, max: 100_000 }),
  })
  .map(({ extra, ...p }) => ({ ...p, backoffMaxMs: p.backoffInitialMs + extra }));

test('within one period: delays never decrease, never exceed the maximum, escalation exactly at maxRestarts+1 (property)', (t) => {
  const scenario = policyArb.chain((p) =>
    fc.record({
      p: fc.constant(p),
      start: fc.integer({ min: 0, max: 2 ** 40 }),
      // failure times inside one period, in order; a few failures past the escalation too
      offsets: fc.array(fc.integer({ min: 0, max: p.periodMs - 1 }), { minLength: p.maxRestarts + 1, maxLength: p.maxRestarts + 4 }).map((xs) => xs.sort((a, b) => a - b)),
    }),
  );
  t.notThrows(() => fc.assert(
    fc.property(scenario, ({ p, start, offsets }) => {
      const w = new RestartWindow(p);
      let last = -Infinity;
      offsets.forEach((off, i) => {
        const d = w.onFailure(start + off);
        if (d.recent !== i + 1) throw new Error(`failure ${i + 1} counted as ${d.recent}`);
        if (i < p.maxRestarts) {
          if (d.action !== 'restart') throw new Error(`escalated at failure ${i + 1} of ${p.maxRestarts} allowed`);
          if (d.delayMs < last) throw new Error(`delay went down: ${last} → ${d.delayMs}`);
          if (d.delayMs > p.backoffMaxMs) throw new Error(`delay ${d.delayMs} above the maximum ${p.backoffMaxMs}`);
          if (d.delayMs < Math.min(p.backoffInitialMs, p.backoffMaxMs)) throw new Error(`delay ${d.delayMs} below the initial delay`);
          last = d.delayMs;
        } else if (d.action !== 'escalate') {
          throw new Error(`failure ${i + 1} restarted, but only ${p.maxRestarts} are allowed`);
        }
      });
    }),
    { numRuns: 500 },
  ));
});

test('failures at least one period apart never escalate and always wait the initial delay (property)', (t) => {
  const scenario = policyArb
    .filter((p) => p.maxRestarts >= 1)
    .chain((p) => fc.record({ p: fc.constant(p), gaps: fc.array(fc.integer({ min: p.periodMs, max: p.periodMs * 3 }), { minLength: 1, maxLength: 20 }) }));
  t.notThrows(() => fc.assert(
    fc.property(scenario, ({ p, gaps }) => {
      const w = new RestartWindow(p);
      let now = 0;
      for (const gap of gaps) {
        now += gap;
        const d = w.onFailure(now);
        if (d.action !== 'restart' || d.recent !== 1 || d.delayMs !== Math.min(p.backoffInitialMs, p.backoffMaxMs)) {
          throw new Error(`unexpected ${JSON.stringify(d)}`);
        }
      }
    }),
    { numRuns: 300 },
  ));
});
