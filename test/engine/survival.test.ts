import test from 'ava';
import fc from 'fast-check';
import {
  boundedRecovery,
  cat1,
  cat2,
  cat3,
  cat4,
  cat5,
  INITIAL_SURVIVAL,
  postureFor,
  SURVIVAL_DEFAULTS as P,
  survivalStep,
  targetRm,
  type Sensors,
  type SurvivalState,
} from '../../engine/survival.ts';
import type { Posture } from '../../engine/types.ts';
import { approx, holds } from '../helpers/frames.ts';

const OK: Sensors = {
  hzNodes: 1,
  heartbeatAgeS: 0,
  mcStatus: 'OK',
  mcStalenessHours: 0,
  obStale: false,
  depthQuality: 1,
  fillProbability: 1,
  minutesSinceDvolSpike: null,
  drawdown: 0,
};
const s = (x: Partial<Sensors>): Sensors => ({ ...OK, ...x });

test('§11.2 Cat1 kill switch: no store node or heartbeat older than 30 s → 0', (t) => {
  t.is(cat1(OK, P), 1);
  t.is(cat1(s({ hzNodes: 0 }), P), 0);
  t.is(cat1(s({ heartbeatAgeS: 30 }), P), 1);
  t.is(cat1(s({ heartbeatAgeS: 30.5 }), P), 0);
});

test('§11.2 Cat2: base by MC status, no decay up to 6 h of staleness', (t) => {
  t.is(cat2(s({ mcStatus: 'OK', mcStalenessHours: 6 }), P), 1.0);
  t.is(cat2(s({ mcStatus: 'ORANGE' }), P), 0.5);
  t.is(cat2(s({ mcStatus: 'RED' }), P), 0.1);
});

test('§11.2 Cat2 decays as exp(−(h − 6)/3) after 6 h', (t) => {
  // ORANGE at 9 h: 0.5·e^−1 = 0.18394; OK at 12 h: e^−2 = 0.13534
  approx(t, cat2(s({ mcStatus: 'ORANGE', mcStalenessHours: 9 }), P), 0.5 * Math.exp(-1), 1e-15);
  approx(t, cat2(s({ mcStalenessHours: 12 }), P), 0.1353352832, 1e-10);
});

test('§11.2 Cat3: stale book → 0.5; else clamp(0.3 + 0.7·min(depth, fill), 0.3, 1)', (t) => {
  t.is(cat3(s({ obStale: true })), 0.5);
  approx(t, cat3(s({ depthQuality: 0.5, fillProbability: 0.8 })), 0.65, 1e-15); // 0.3 + 0.35
  t.is(cat3(s({ depthQuality: 2, fillProbability: 1.5 })), 1.0); // 1.35 → 1
  t.is(cat3(s({ depthQuality: 0, fillProbability: 1 })), 0.3);
});

test('§11.2 / SPEC-NOTES Cat4: no spike ever → 1.0; at the spike → 0.3', (t) => {
  t.is(cat4(OK, P), 1.0);
  t.is(cat4(s({ minutesSinceDvolSpike: 0 }), P), 0.3);
});

test('§11.2 Cat4 recovers with a 60-minute time constant', (t) => {
  // t = 60: 0.3 + 0.7·(1 − e^−1) = 0.742484
  approx(t, cat4(s({ minutesSinceDvolSpike: 60 }), P), 0.7424843911, 1e-10);
});

test('§11.2 Cat5 sigmoid: ≈1.0 at 5 %, 0.5 at 12 %, ≈0.1 at 20 % drawdown', (t) => {
  // 1/(1 + e^(30·(dd − 0.12))): dd 0.05 → 1/(1 + e^−2.1) = 0.8909; dd 0.12 → 0.5; dd 0.20 → 1/(1 + e^2.4) = 0.0832
  const at = (drawdown: number) => cat5(s({ drawdown }), P);
  approx(t, at(0.05), 0.8909031788, 1e-10);
  approx(t, at(0.12), 0.5, 1e-15);
  approx(t, at(0.2), 0.0831726965, 1e-10);
  // the bible's "≈" readings, with the tolerance they need: ±0.11 at 5 %, ±0.02 at 20 %
  approx(t, at(0.05), 1.0, 0.11, '≈1.0 at 5 %');
  approx(t, at(0.2), 0.1, 0.02, '≈0.1 at 20 %');
  t.true(at(0.01) > 0.96);
});

test('§11.3 r_target = Cat1 · Cat5 · min(Cat2, Cat4) · Cat3 (one degraded sensor: no penalty)', (t) => {
  // dd 0 → Cat5 = 1/(1 + e^−3.6) = 0.973403; ORANGE → Cat2 0.5; Cat3 = Cat4 = 1
  const b = targetRm(s({ mcStatus: 'ORANGE' }), P);
  t.is(b.degraded, 1);
  approx(t, b.rTarget, 0.973403006 * 0.5, 1e-9);
  // spike now: Cat4 0.3 is the worse of the environment pair
  approx(t, targetRm(s({ minutesSinceDvolSpike: 0 }), P).rTarget, 0.973403006 * 0.3, 1e-9);
});

test('§11.3 correlated collapse: two or more of Cat2/Cat3/Cat4 below 0.8 halve r_target', (t) => {
  // ORANGE (0.5) and stale book (0.5): 0.973403 · 0.5 · 0.5 · 0.5 = 0.121675
  const b = targetRm(s({ mcStatus: 'ORANGE', obStale: true }), P);
  t.is(b.degraded, 2);
  approx(t, b.rTarget, 0.973403006 * 0.125, 1e-9);
});

test('§11.3 Cat1 = 0 zeroes r_target', (t) => {
  t.is(targetRm(s({ hzNodes: 0 }), P).rTarget, 0);
});

test('§11.4 bounded recovery: immediate drop, slow rise (alpha = 0.02·dt)', (t) => {
  t.is(boundedRecovery(0.2, 0.9, 1, P), 0.2); // fast attack
  approx(t, boundedRecovery(1.0, 0.5, 1, P), 0.51, 1e-15); // 0.02·0.5 = 0.01
  approx(t, boundedRecovery(1.0, 0.5, 10, P), 0.6, 1e-15); // 0.2·0.5 = 0.1 ≤ 0.5
  t.is(boundedRecovery(1.0, 0.5, 100, P), 1.0); // alpha capped at 1
});

test('SPEC-NOTES §11: the first Rm sample is taken as it is', (t) => {
  t.is(boundedRecovery(0.7, null, 1, P), 0.7);
});

test('§11.4 recovery never rises more than 5 %/min nor overshoots the target (property)', (t) => {
  holds(
    t,
    fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0.01, max: 200, noNaN: true }),
      (target, last, dt) => {
        const r = boundedRecovery(target, last, dt, P);
        return target < last ? r === target : r >= last && r <= target + 1e-15 && r - last <= 0.05 * dt + 1e-15;
      },
    ),
    { numRuns: 200 },
  );
});

test('§11.5 / §18.3 posture thresholds 0.90 / 0.75 / 0.50', (t) => {
  const m = (rm: number): Posture => postureFor(rm, P);
  t.deepEqual([1, 0.9, 0.8999, 0.75, 0.7499, 0.5, 0.4999, 0].map(m), [
    'APEX',
    'APEX',
    'STALKER',
    'STALKER',
    'TURTLE',
    'TURTLE',
    'HIBERNATE',
    'HIBERNATE',
  ]);
});

// Hysteresis. dt = 100 min makes recovery instant (alpha = 1), so raw posture follows the sensors.
// Drawdown 0 → Rm 0.9734 (APEX); 0.08 → 0.7685 (STALKER); 0.10 → 0.6457 (TURTLE).
const GOOD = s({ drawdown: 0 });
const STALK = s({ drawdown: 0.08 });
const BAD = s({ drawdown: 0.1 });

function postures(seq: readonly Sensors[], state: SurvivalState = INITIAL_SURVIVAL): { out: Posture[]; raw: Posture[]; state: SurvivalState } {
  const out: Posture[] = [];
  const raw: Posture[] = [];
  for (const x of seq) {
    const step = survivalStep(state, x, 100, P);
    state = step.state;
    out.push(step.posture);
    raw.push(step.raw);
  }
  return { out, raw, state };
}

test('SPEC-NOTES §11: the first posture is the raw mapping', (t) => {
  t.deepEqual(postures([BAD]).out, ['TURTLE']);
  t.deepEqual(postures([GOOD]).out, ['APEX']);
});

test('§11.6 hysteresis down: two consecutive worse evaluations are needed', (t) => {
  const r = postures([GOOD, BAD, BAD]);
  t.deepEqual(r.raw, ['APEX', 'TURTLE', 'TURTLE']);
  t.deepEqual(r.out, ['APEX', 'APEX', 'TURTLE']);
});

test('§11.6 hysteresis down: an interrupted run of worse evaluations does not move the posture', (t) => {
  t.deepEqual(postures([GOOD, BAD, GOOD, BAD, GOOD]).out, ['APEX', 'APEX', 'APEX', 'APEX', 'APEX']);
});

test('SPEC-NOTES §11: on reaching the count the posture moves to the latest raw posture', (t) => {
  t.deepEqual(postures([GOOD, STALK, BAD]).out, ['APEX', 'APEX', 'TURTLE']);
});

test('§11.6 hysteresis up: five consecutive better evaluations are needed', (t) => {
  const r = postures([BAD, GOOD, GOOD, GOOD, GOOD, GOOD]);
  t.deepEqual(r.out, ['TURTLE', 'TURTLE', 'TURTLE', 'TURTLE', 'TURTLE', 'APEX']);
  // interrupted after four: the count restarts
  t.deepEqual(postures([BAD, GOOD, GOOD, GOOD, GOOD, BAD, GOOD]).out, Array(7).fill('TURTLE'));
});

test('§11.2 / SPEC-NOTES: Cat1 = 0 forces HIBERNATE at once, without hysteresis', (t) => {
  const r = postures([GOOD, GOOD, s({ hzNodes: 0 })]);
  t.deepEqual(r.out, ['APEX', 'APEX', 'HIBERNATE']);
  // and leaving HIBERNATE still takes five better evaluations
  t.deepEqual(postures([GOOD, GOOD, GOOD, GOOD, GOOD], r.state).out, ['HIBERNATE', 'HIBERNATE', 'HIBERNATE', 'HIBERNATE', 'APEX']);
});
