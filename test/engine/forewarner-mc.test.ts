import test from 'ava';
import fc from 'fast-check';
import { percentile } from '../../engine/acb.ts';
import { CHAMPION } from '../../engine/config.ts';
import { mcStatus } from '../../engine/forewarner.ts';
import {
  assessEnvelope,
  isInsufficient,
  MC_DEFAULTS,
  mcConfigForDay,
  mergeChunks,
  outcomesFromTrades,
  planChunks,
  resolveMcParams,
  simulateChunk,
  type McInput,
  type McParams,
} from '../../engine/forewarner-mc.ts';
import { MT19937 } from '../../engine/rng.ts';
import type { TradeRecord } from '../../engine/types.ts';

const BASE = CHAMPION.sizing.max_leverage;
const FW = CHAMPION.forewarner;

/** A deterministic mixed history: mostly small wins, some losses, one bad trade. */
const history = Array.from({ length: 120 }, (_, i) => (i % 11 === 0 ? -0.06 : i % 4 === 0 ? -0.02 : 0.01 + (i % 5) * 0.002));

function req(over: Partial<McInput> = {}, params: Partial<McParams> = {}): McInput {
  return { date: '2026-01-05', outcomes: history, cfg: { max_leverage: BASE }, seed: 7, ...over, params: { paths: 300, ...params } };
}

const onThread = (input: McInput, firstPath: number, count: number) => simulateChunk(input, firstPath, count);
const allFinals = (input: McInput) => onThread(input, 0, resolveMcParams(input.params).paths).finals;

test('fewer outcomes than min_outcomes gives the neutral report, which the §12 gate reads as OK', (t) => {
  const input = req({ outcomes: history.slice(0, MC_DEFAULTS.min_outcomes - 1) });
  t.true(isInsufficient(input));
  const r = assessEnvelope(input);
  t.deepEqual(r, {
    date: '2026-01-05',
    outcomesUsed: 29,
    leverageScale: 1,
    catastrophicProbability: 0,
    envelopeScore: 0,
    insufficient: true,
    paths: 0,
    ruinProbability: 0,
    p5: 0,
    p50: 0,
    p95: 0,
    iqr: 0,
  });
  t.is(mcStatus(r, FW), 'OK');
  t.false(assessEnvelope(req({ outcomes: history.slice(0, MC_DEFAULTS.min_outcomes) })).insufficient); // exactly enough
});

test('neutral report still validates its input: a bad seed is an error even with no history', (t) => {
  t.throws(() => assessEnvelope(req({ outcomes: [], seed: -1 })), { instanceOf: RangeError, message: /seed/ });
});

test('all-positive outcomes never draw down: catastrophicProbability 0, positive score, gate OK', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(
      fc.array(fc.double({ min: 1e-6, max: 0.05, noNaN: true }), { minLength: 30, maxLength: 80 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      (outcomes, seed) => {
        const r = assessEnvelope(req({ outcomes, seed }, { paths: 64 }));
        return r.catastrophicProbability === 0 && r.ruinProbability === 0 && r.p5 > 0 && r.envelopeScore > 0 && mcStatus(r, FW) === 'OK';
      },
    ),
    { numRuns: 60 },
  ));
});

test('every outcome −0.3: every path is catastrophic at its first trade, none ruined, gate RED', (t) => {
  const h = 40;
  const r = assessEnvelope(req({ outcomes: Array(50).fill(-0.3) }, { horizon: h }));
  t.is(r.catastrophicProbability, 1);
  t.is(r.ruinProbability, 0);
  let eq = 1;
  for (let k = 0; k < h; k++) eq *= 0.7;
  t.is(r.p50, eq - 1);
  t.is(r.iqr, 0);
  t.is(mcStatus(r, FW), 'RED');
});

test('ruin: an outcome ≤ −1 after leverage scaling zeroes equity and the path takes no further trades', (t) => {
  // −0.3 at 4× the base ceiling is −1.2. Without the stop, two trades would give (−0.2)² − 1 = −0.96.
  const r = assessEnvelope(req({ outcomes: Array(50).fill(-0.3), cfg: { max_leverage: 4 * BASE } }, { horizon: 2 }));
  t.is(r.leverageScale, 4);
  t.is(r.ruinProbability, 1);
  t.is(r.catastrophicProbability, 1);
  t.deepEqual([r.p5, r.p50, r.p95], [-1, -1, -1]);
  // exactly −1 (scale such that x·scale = −1) is ruin too
  const exact = assessEnvelope(req({ outcomes: Array(50).fill(-0.5), cfg: { max_leverage: 2 * BASE } }, { horizon: 3 }));
  t.is(exact.ruinProbability, 1);
  t.is(exact.p50, -1);
});

test('twice the base max_leverage doubles every resampled outcome (same seed, same draws)', (t) => {
  const one = req({}, { horizon: 1 });
  const two = req({ cfg: { max_leverage: 2 * BASE } }, { horizon: 1 });
  const a = allFinals(one);
  const b = allFinals(two);
  for (let i = 0; i < a.length; i++) t.true(Math.abs(b[i] - 2 * a[i]) < 1e-15, `path ${i}: ${b[i]} vs 2×${a[i]}`);
  t.is(assessEnvelope(two).leverageScale, 2);
  // a 15 % loss is not catastrophic; doubled to 30 % it is
  const loss = (lev: number) => assessEnvelope(req({ outcomes: Array(40).fill(-0.15), cfg: { max_leverage: lev } }, { horizon: 1 }));
  t.is(loss(BASE).catastrophicProbability, 0);
  t.is(loss(2 * BASE).catastrophicProbability, 1);
});

test('mcConfigForDay is the §12 mc_cfg: base max_leverage × the day boost', (t) => {
  t.deepEqual(mcConfigForDay(1.6), { max_leverage: 5.0 * 1.6 });
  t.deepEqual(mcConfigForDay(2, 3), { max_leverage: 6 });
});

test('the report does not depend on how the paths are chunked, nor on the order chunks arrive', (t) => {
  const input = req({}, { paths: 257 });
  const whole = assessEnvelope(input);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 1000 }), (k, rot) => {
      const chunks = planChunks(257, k).map((c) => onThread(input, c.firstPath, c.count));
      const turned = chunks.map((_, i) => chunks[(i + rot) % chunks.length]);
      t.deepEqual(mergeChunks(input, turned), whole);
      t.deepEqual(Float64Array.from(chunks.flatMap((c) => Array.from(c.finals))), allFinals(input));
    }),
    { numRuns: 40 },
  );
});

test('planChunks tiles [0, paths) with contiguous chunks whose sizes differ by at most one', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 64 }), (paths, parts) => {
      const cs = planChunks(paths, parts);
      let next = 0;
      for (const c of cs) {
        if (c.firstPath !== next || c.count < 1) return false;
        next += c.count;
      }
      const sizes = cs.map((c) => c.count);
      return next === paths && cs.length === Math.min(paths, parts) && Math.max(...sizes) - Math.min(...sizes) <= 1;
    }),
  ));
});

test('same seed gives the same report; seeds far apart give different finals', (t) => {
  t.deepEqual(assessEnvelope(req({ seed: 11 })), assessEnvelope(req({ seed: 11 })));
  t.notDeepEqual(allFinals(req({ seed: 11 })), allFinals(req({ seed: 11 + 100_000 })));
});

test('path i draws from MT19937(seed + i): seeds s and s+1 share all but one path (documented caveat)', (t) => {
  const a = allFinals(req({ seed: 500 }));
  const b = allFinals(req({ seed: 501 }));
  t.deepEqual(b.subarray(0, a.length - 1), a.subarray(1));
  t.notDeepEqual(a, b);
  // the seed wraps modulo 2^32 instead of failing at the top of the range
  t.is(onThread(req({ seed: 0xffffffff }), 1, 1).finals[0], onThread(req({ seed: 0 }), 0, 1).finals[0]);
});

test('bad input is a RangeError naming the field', (t) => {
  const bad: Array<[McInput, RegExp]> = [
    [req({ seed: -1 }), /seed must be an integer/],
    [req({ seed: 1.5 }), /seed must be an integer/],
    [req({ seed: 2 ** 32 }), /seed must be an integer/],
    [req({ cfg: { max_leverage: 0 } }), /cfg\.max_leverage must be > 0/],
    [req({ cfg: { max_leverage: NaN } }), /cfg\.max_leverage/],
    [req({ outcomes: history.map((x, i) => (i === 3 ? NaN : x)) }), /outcomes\[3\] is NaN/],
    [req({ outcomes: history.map((x, i) => (i === 0 ? Infinity : x)) }), /outcomes\[0\] is Infinity/],
    [req({}, { paths: 0 }), /param paths must be a positive integer/],
    [req({}, { horizon: 1.5 }), /param horizon/],
    [req({}, { window: 10 }), /param window must be ≥ min_outcomes \(30\)/],
    [req({}, { min_outcomes: 0 }), /param min_outcomes/],
    [req({}, { catastrophic_drawdown: 0 }), /param catastrophic_drawdown/],
    [req({}, { catastrophic_drawdown: 1.5 }), /param catastrophic_drawdown/],
    [req({}, { base_max_leverage: -5 }), /param base_max_leverage/],
    [req({}, { iqr_per_sigma: 0 }), /param iqr_per_sigma/],
    [req({}, { score_epsilon: -1 }), /param score_epsilon/],
    [req({}, { score_epsilon: 0 }), /param score_epsilon must be > 0/], // 0 would let 0/0 = NaN through the gate as OK
  ];
  for (const [input, message] of bad) t.throws(() => assessEnvelope(input), { instanceOf: RangeError, message });
});

test('chunks that do not tile the paths are refused', (t) => {
  const input = req({}, { paths: 10 });
  t.throws(() => onThread(input, 5, 6), { instanceOf: RangeError, message: /chunk \[5, 11\) outside \[0, 10\)/ });
  t.throws(() => onThread(input, -1, 2), { instanceOf: RangeError, message: /outside/ });
  const a = onThread(input, 0, 5);
  t.throws(() => mergeChunks(input, [a]), { instanceOf: RangeError, message: /cover 5 of 10 paths/ });
  t.throws(() => mergeChunks(input, [a, onThread(input, 4, 6)]), { instanceOf: RangeError, message: /gap or overlap at path 5/ });
  t.throws(() => mergeChunks(input, [a, onThread(input, 6, 4)]), { instanceOf: RangeError, message: /gap or overlap at path 5/ });
});

test('hand-worked: one path, two trades, a window of one outcome x gives final (1 + x)² − 1', (t) => {
  const x = 0.0123;
  // 0.9 is outside the window of 1: only the most recent outcome is resampled
  const r = assessEnvelope(req({ outcomes: [0.9, x], seed: 3 }, { paths: 1, horizon: 2, window: 1, min_outcomes: 1 }));
  const final = (1 + x) * (1 + x) - 1;
  t.is(r.outcomesUsed, 1);
  t.deepEqual([r.p5, r.p50, r.p95, r.iqr], [final, final, final, 0]);
  t.is(r.envelopeScore, final / (0 / 1.349 + 1e-12)); // IQR 0: the epsilon keeps it finite
  t.is(r.catastrophicProbability, 0);
});

test('a drawdown of exactly catastrophic_drawdown (0.2) is catastrophic; a hair less is not', (t) => {
  const one = (x: number) => assessEnvelope(req({ outcomes: [x] }, { paths: 1, horizon: 1, window: 1, min_outcomes: 1 }));
  t.is(one(-0.2).catastrophicProbability, 1); // (1 − 0.8)/1 is 0.19999999999999996 in floats: the model compares equity to peak·0.8
  t.is(one(-0.19999999999999984).catastrophicProbability, 0); // equity 0.8000000000000002, the next double above 0.8
  t.is(one(-0.2).p50, -0.19999999999999996); // 0.8 − 1 in floats
});

test('drawdown is measured from the running peak: +25 % then −20 % is catastrophic although equity ends at 1', (t) => {
  // reference: replay each path's draws; index 0 is +0.25, index 1 is −0.2
  const seed = 99;
  const paths = 200;
  const r = assessEnvelope(req({ outcomes: [0.25, -0.2], seed }, { paths, horizon: 2, window: 2, min_outcomes: 2 }));
  let upUp = 0;
  for (let i = 0; i < paths; i++) {
    const rng = new MT19937(seed + i);
    if (Math.floor(rng.random() * 2) === 0 && Math.floor(rng.random() * 2) === 0) upUp++;
  }
  t.true(upUp > 0 && upUp < paths);
  t.is(r.catastrophicProbability, (paths - upUp) / paths); // every path but +25 % twice touches −20 % from its peak
  t.is(r.ruinProbability, 0);
});

test('envelopeScore = median final / (IQR/1.349 + ε) and the quantiles are numpy-linear percentiles of the finals', (t) => {
  const input = req({ cfg: { max_leverage: 3 * BASE } });
  const r = assessEnvelope(input);
  const finals = Array.from(allFinals(input));
  const iqr = percentile(finals, 75) - percentile(finals, 25);
  t.is(r.iqr, iqr);
  t.is(r.p50, percentile(finals, 50));
  t.is(r.p5, percentile(finals, 5));
  t.is(r.p95, percentile(finals, 95));
  t.is(r.envelopeScore, r.p50 / (iqr / 1.349 + 1e-12));
  t.true(r.p5 < r.p50 && r.p50 < r.p95);
});

test('outcomesFromTrades is net PnL over the capital at entry, in closing order', (t) => {
  const tr = (netPnl: number, capitalAtEntry: number) => ({ netPnl, entry: { capitalAtEntry } }) as unknown as TradeRecord;
  t.deepEqual(outcomesFromTrades([tr(50, 10_000), tr(-200, 10_050)]), [0.005, -200 / 10_050]);
});
