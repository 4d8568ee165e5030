import test from 'ava';
import fc from 'fast-check';
import { CHAMPION } from '../../engine/config.ts';
import { SizerStats } from '../../engine/sizer-stats.ts';
import {
  bucketBoost,
  clampLeverage,
  dynamicLeverage,
  effectiveFraction,
  leverageCeiling,
  regimeSizeMult,
  signalBucket,
  streakMult,
  strengthScore,
  trendMult,
} from '../../engine/sizing.ts';
import { POSTURES } from '../../engine/types.ts';
import { approx, holds } from '../helpers/frames.ts';

const S = CHAMPION.sizing;
const TH = -0.02;
const EX = -0.05;

test('§6.1 strength score: 0 at the threshold, 0.5 midway, 1 at and beyond the extreme', (t) => {
  t.is(strengthScore(-0.02, TH, EX), 0);
  approx(t, strengthScore(-0.035, TH, EX), 0.5, 1e-12); // (−0.02 + 0.035)/0.03
  t.is(strengthScore(-0.05, TH, EX), 1);
  t.is(strengthScore(-0.2, TH, EX), 1);
  t.is(strengthScore(0.1, TH, EX), 0);
});

test('§6.2 / SPEC-NOTES leverage = 0.5 + s³·4.5: s = 0 → 0.5, s = 1 → 5.0, s = 0.5 → 1.0625', (t) => {
  t.is(dynamicLeverage(0, S), 0.5);
  t.is(dynamicLeverage(1, S), 5.0);
  t.is(dynamicLeverage(0.5, S), 1.0625); // 0.5 + 0.125·4.5 (the bible's "cubed twice" would give 0.5088)
});

test('§6.3 buckets: ≤ −0.075 extreme (0), ≤ −0.05 strong (1), ≤ −0.035 moderate (2), else weak (3)', (t) => {
  const b = (vd: number) => signalBucket(vd, TH, EX, -1);
  t.is(b(-0.2), 0);
  t.is(b(EX * 1.5), 0); // the boundary exactly as the bible computes it: extreme · 1.5
  t.is(b(-0.0751), 0);
  t.is(b(-0.0749), 1);
  t.is(b(-0.05), 1);
  t.is(b(-0.0499), 2);
  t.is(b(-0.035), 2); // (threshold + extreme)/2 = −0.035
  t.is(b(-0.0349), 3);
  t.is(b(-0.021), 3);
  // IEEE note: −0.05·1.5 = −0.07500000000000001, so a literal −0.075 lands in bucket 1 (as in numba)
  t.is(b(-0.075), 1);
});

test('§6.4 bucket boost: wr > 0.60 → 1.3, > 0.55 → 1.1, < 0.40 → 0.7, < 0.45 → 0.85, else 1.0', (t) => {
  t.is(bucketBoost(61, 100), 1.3);
  t.is(bucketBoost(60, 100), 1.1); // 0.60 is not > 0.60
  t.is(bucketBoost(56, 100), 1.1);
  t.is(bucketBoost(55, 100), 1.0); // 0.55 is not > 0.55
  t.is(bucketBoost(45, 100), 1.0); // 0.45 is not < 0.45
  t.is(bucketBoost(44, 100), 0.85);
  t.is(bucketBoost(40, 100), 0.85); // 0.40 is not < 0.40
  t.is(bucketBoost(39, 100), 0.7);
  t.is(bucketBoost(0, 3), 0.7);
  t.is(bucketBoost(3, 3), 1.3);
});

test('SPEC-NOTES §6: a bucket with no history has boost 1.0', (t) => {
  t.is(bucketBoost(0, 0), 1.0);
});

test('§6.4 / SPEC-NOTES streak: ≤1 loss → 1.1, 2 → 1.0, 3 → 0.7, ≥4 → 0.5', (t) => {
  t.deepEqual([0, 1, 2, 3, 4, 5].map(streakMult), [1.1, 1.1, 1.0, 0.7, 0.5, 0.5]);
});

test('SPEC-NOTES §6: streak counts losses over the last min(5, n) closed trades only', (t) => {
  const s = new SizerStats();
  t.is(s.recentLosses(5), 0); // no history → 0 losses → 1.1
  for (const win of [false, false, false]) s.record(3, win);
  t.is(s.recentLosses(5), 3);
  for (const win of [true, true, true]) s.record(3, win);
  // last five: L L W W W → 2 losses (the first loss has dropped out)
  t.is(s.recentLosses(5), 2);
  t.is(streakMult(s.recentLosses(5)), 1.0);
});

test('SPEC-NOTES §6: bucket win rates are cumulative per bucket over the run', (t) => {
  const s = new SizerStats();
  s.record(0, true);
  s.record(0, false);
  s.record(0, true);
  s.record(2, false);
  t.deepEqual([s.wins(0), s.total(0), s.wins(2), s.total(2), s.total(1)], [2, 3, 0, 1, 0]);
});

test('§6.4 trend mult (SHORT): trend < −0.01 → 1.3, > +0.01 → 0.7, within ±0.01 → 1.0', (t) => {
  t.is(trendMult(-0.0101, -1), 1.3);
  t.is(trendMult(-0.01, -1), 1.0);
  t.is(trendMult(0, -1), 1.0);
  t.is(trendMult(0.01, -1), 1.0);
  t.is(trendMult(0.0101, -1), 0.7);
});

test('§6.4 effective fraction, worked by hand (moderate signal)', (t) => {
  // s = 0.5, not extreme: conf 0.55 → conf_mult 0.55/0.95 = 0.578947…; base = 0.02 + 0.5·0.18 = 0.11
  // 0.11 · 0.578947 · 1.0 (no extreme boost) · 1.3 (trend) · 1.1 (bucket) · 1.1 (streak) = 0.1001752632
  const f = effectiveFraction({ strength: 0.5, isExtreme: false, trendMult: 1.3, bucketBoost: 1.1, streakMult: 1.1 }, S);
  approx(t, f, 0.1001752632, 1e-10);
});

test('§6.4 effective fraction, worked by hand (extreme signal, recovering trend, losing streak)', (t) => {
  // s = 1, extreme: 0.20 · (0.70/0.95) · 2.0 · 0.7 · 1.0 · 0.5 = 0.1031578947
  const f = effectiveFraction({ strength: 1, isExtreme: true, trendMult: 0.7, bucketBoost: 1.0, streakMult: 0.5 }, S);
  approx(t, f, 0.1031578947, 1e-10);
});

test('§6.4 effective fraction is clamped to [0.02, 0.20]', (t) => {
  // 0.20 · 0.7368 · 2 · 1.1 = 0.324 → 0.20
  t.is(effectiveFraction({ strength: 1, isExtreme: true, trendMult: 1, bucketBoost: 1, streakMult: 1.1 }, S), 0.2);
  // 0.02 · 0.5789 · 0.7 · 0.7 · 0.5 = 0.0028 → 0.02
  t.is(effectiveFraction({ strength: 0, isExtreme: false, trendMult: 0.7, bucketBoost: 0.7, streakMult: 0.5 }, S), 0.02);
  holds(
    t,
    fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.boolean(),
      fc.constantFrom(0.7, 1.0, 1.3),
      fc.constantFrom(0.7, 0.85, 1.0, 1.1, 1.3),
      fc.constantFrom(0.5, 0.7, 1.0, 1.1),
      (strength, isExtreme, tm, bb, sm) => {
        const f = effectiveFraction({ strength, isExtreme, trendMult: tm, bucketBoost: bb, streakMult: sm }, S);
        return f >= 0.02 && f <= 0.2;
      },
    ),
    { numRuns: 100 },
  );
});

test('§6.5 regime size mult = boost · (1 + beta · strength³) · mc_scale when beta > 0', (t) => {
  // vd = −0.035: strength 0.5, cubic 0.125; 1.5 · (1 + 0.8·0.125) · 1 = 1.65
  approx(t, regimeSizeMult(-0.035, TH, EX, 1.5, 0.8, 1.0, 3), 1.65, 1e-12);
  // vd = −0.06: strength 1; 1.5 · 1.8 = 2.7; with ORANGE scale 0.5 → 1.35
  approx(t, regimeSizeMult(-0.06, TH, EX, 1.5, 0.8, 1.0, 3), 2.7, 1e-12);
  approx(t, regimeSizeMult(-0.06, TH, EX, 1.5, 0.8, 0.5, 3), 1.35, 1e-12);
  // no signal: strength 0 → boost · mc_scale
  t.is(regimeSizeMult(0.01, TH, EX, 1.5, 0.8, 1.0, 3), 1.5);
  // golden day 1: boost 1 + 0.5·ln(3.5) = 1.6263815, beta 0.2, strength 1 → ×1.2 = 1.9516578
  approx(t, regimeSizeMult(-0.08, TH, EX, 1 + 0.5 * Math.log(3.5), 0.2, 1.0, 3), 1.9516577810972207, 1e-12);
});

test('§6.5 regime size mult = boost · mc_scale when beta is 0', (t) => {
  t.is(regimeSizeMult(-0.06, TH, EX, 1.5, 0, 0.5, 3), 0.75);
  t.is(regimeSizeMult(-0.06, TH, EX, 1.0, 0, 1.0, 3), 1.0);
});

test('SPEC-NOTES §6 ceiling = min(5 · rsm · ob_mult, 6.0)', (t) => {
  t.is(leverageCeiling(1.0, 1.0, 'APEX', S), 5.0);
  approx(t, leverageCeiling(1.1, 1.0, 'APEX', S), 5.5, 1e-12);
  t.is(leverageCeiling(1.3, 1.0, 'APEX', S), 6.0); // 6.5 → 6.0
  t.is(leverageCeiling(1.1, 1.2, 'APEX', S), 6.0); // 6.6 → 6.0
  t.is(leverageCeiling(0.5, 1.0, 'APEX', S), 2.5); // ORANGE day without ACB
  approx(t, leverageCeiling(1.0, 0.85, 'APEX', S), 4.25, 1e-12);
});

test('§6.5 STALKER caps the ceiling at 2.0', (t) => {
  t.is(leverageCeiling(1.0, 1.0, 'STALKER', S), 2.0);
  t.is(leverageCeiling(3.0, 1.2, 'STALKER', S), 2.0);
  t.is(leverageCeiling(0.3, 1.0, 'STALKER', S), 1.5); // already below 2.0
});

test('§6.5 final leverage = clamp(raw, 0.5, ceiling)', (t) => {
  t.is(clampLeverage(0.3, 5, S), 0.5);
  t.is(clampLeverage(3.2, 5, S), 3.2);
  t.is(clampLeverage(9.76, 6, S), 6);
});

test('§6.5 final leverage always lies in [0.5, 6.0], and ≤ 2.0 in STALKER (property)', (t) => {
  holds(
    t,
    fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 1.0, max: 1.75, noNaN: true }), // boost: 1 ≤ 1 + 0.5·ln(1+signals)
      fc.constantFrom(0, 0.2, 0.8, 1.0),
      fc.constantFrom(0.5, 1.0),
      fc.double({ min: 0.85, max: 1.2, noNaN: true }),
      fc.constantFrom(...POSTURES),
      (s, boost, beta, mc, ob, posture) => {
        const vd = TH + s * (EX - TH);
        const rsm = regimeSizeMult(vd, TH, EX, boost, beta, mc, 3);
        const lev = clampLeverage(dynamicLeverage(strengthScore(vd, TH, EX), S) * rsm * ob, leverageCeiling(rsm, ob, posture, S), S);
        return lev >= 0.5 && lev <= 6.0 && (posture !== 'STALKER' || lev <= 2.0);
      },
    ),
    { numRuns: 200 },
  );
});
