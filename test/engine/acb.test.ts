import test from 'ava';
import { acbTable, baseBoost, dynamicBeta, factorSignals, finiteMedian, percentile } from '../../engine/acb.ts';
import { CHAMPION } from '../../engine/config.ts';
import type { ExternalFactors } from '../../engine/types.ts';
import { approx } from '../helpers/frames.ts';

const A = CHAMPION.acb;
const calm: ExternalFactors = { funding_btc: 0.0001, dvol_btc: 40, fng: 60, taker: 1.05 };
const f = (x: Partial<ExternalFactors>): ExternalFactors => ({ ...calm, ...x });

test('§10.2 base boost 1 + 0.5·ln(1 + signals): 1.3466 / 1.5493 / 1.6931 for 1 / 2 / 3 signals', (t) => {
  // 1 + 0.5·ln 2 = 1.34657; 1 + 0.5·ln 3 = 1.54931; 1 + 0.5·ln 4 = 1.69315
  approx(t, baseBoost(1), 1.3466, 5e-5);
  approx(t, baseBoost(2), 1.5493, 5e-5);
  approx(t, baseBoost(3), 1.6931, 5e-5);
  approx(t, baseBoost(2.5), 1 + 0.5 * Math.log(3.5), 1e-15);
});

test('§10.2 base boost is 1.0 below one signal', (t) => {
  t.is(baseBoost(0), 1.0);
  t.is(baseBoost(0.5), 1.0);
  t.is(baseBoost(0.99), 1.0);
});

test('§10.2 calm factors give no signal; NaN factors add nothing', (t) => {
  t.is(factorSignals(calm, A), 0);
  t.is(factorSignals({ funding_btc: NaN, dvol_btc: NaN, fng: NaN, taker: NaN }, A), 0);
});

test('§10.2 funding: < −0.0001 → 1.0, < 0 → 0.5 (strict bounds)', (t) => {
  t.is(factorSignals(f({ funding_btc: -0.0002 }), A), 1.0);
  t.is(factorSignals(f({ funding_btc: -0.0001 }), A), 0.5);
  t.is(factorSignals(f({ funding_btc: -0.00001 }), A), 0.5);
  t.is(factorSignals(f({ funding_btc: 0 }), A), 0);
});

test('§10.2 dvol: > 80 → 1.0, > 55 → 0.5 (strict bounds)', (t) => {
  t.is(factorSignals(f({ dvol_btc: 81 }), A), 1.0);
  t.is(factorSignals(f({ dvol_btc: 80 }), A), 0.5);
  t.is(factorSignals(f({ dvol_btc: 56 }), A), 0.5);
  t.is(factorSignals(f({ dvol_btc: 55 }), A), 0);
});

test('§10.2 taker: < 0.80 → 1.0, < 0.90 → 0.5 (strict bounds)', (t) => {
  t.is(factorSignals(f({ taker: 0.79 }), A), 1.0);
  t.is(factorSignals(f({ taker: 0.8 }), A), 0.5);
  t.is(factorSignals(f({ taker: 0.89 }), A), 0.5);
  t.is(factorSignals(f({ taker: 0.9 }), A), 0);
});

test('SPEC-NOTES §10: FNG < 25 adds 1.0 only when the other three sum to ≥ 1.0', (t) => {
  // others: funding 1.0 → FNG 20 confirmed → 2.0
  t.is(factorSignals(f({ fng: 20, funding_btc: -0.0002 }), A), 2.0);
  // others: funding 0.5 + taker 0.5 = 1.0 → 2.0
  t.is(factorSignals(f({ fng: 20, funding_btc: -0.00005, taker: 0.85 }), A), 2.0);
});

test('SPEC-NOTES §10: FNG < 25 with others in [0.5, 1.0) falls back to the FNG < 40 rule (+0.5)', (t) => {
  // others 0.5 → FNG adds 0.5 → 1.0
  t.is(factorSignals(f({ fng: 20, funding_btc: -0.00005 }), A), 1.0);
});

test('SPEC-NOTES §10: FNG < 40 adds 0.5 only when the others sum to ≥ 0.5; unconfirmed fear adds nothing', (t) => {
  t.is(factorSignals(f({ fng: 30, dvol_btc: 60 }), A), 1.0); // 0.5 + 0.5
  t.is(factorSignals(f({ fng: 30, dvol_btc: 90 }), A), 1.5); // 1.0 + 0.5 (FNG 30 is not < 25)
  t.is(factorSignals(f({ fng: 20 }), A), 0); // extreme fear alone
  t.is(factorSignals(f({ fng: 30 }), A), 0);
  t.is(factorSignals(f({ fng: 40, dvol_btc: 90 }), A), 1.0); // FNG 40 is not < 40
});

test('§10.2 the golden day-1 factors (funding −0.0002, dvol 60, fng 20, taker 0.95) give 2.5 signals', (t) => {
  // funding 1.0 + dvol 0.5 + taker 0 = 1.5 ≥ 1.0 → FNG 20 adds 1.0 → 2.5
  t.is(factorSignals({ funding_btc: -0.0002, dvol_btc: 60, fng: 20, taker: 0.95 }, A), 2.5);
});

test('§10.3 percentile uses numpy linear interpolation: percentile([1,2,3,4,5], 60) = 3.4', (t) => {
  // position 0.6·(5 − 1) = 2.4 → 3 + 0.4·(4 − 3)
  approx(t, percentile([1, 2, 3, 4, 5], 60), 3.4, 1e-15);
  approx(t, percentile([5, 3, 1, 4, 2], 60), 3.4, 1e-15); // order does not matter
  t.is(percentile([1, 2, 3, 4, 5], 0), 1);
  t.is(percentile([1, 2, 3, 4, 5], 100), 5);
  t.is(percentile([1, 2, 3, 4], 50), 2.5);
  t.is(percentile([7], 60), 7);
});

test('§10.3 percentile ignores non-finite values; none at all gives NaN', (t) => {
  approx(t, percentile([1, NaN, 2, 3, Infinity, 4, 5], 60), 3.4, 1e-15);
  t.true(Number.isNaN(percentile([NaN], 60)));
  t.true(Number.isNaN(percentile([], 60)));
});

test('SPEC-NOTES §10: a date\'s w750 is the median of its finite v750 values', (t) => {
  t.is(finiteMedian([3, NaN, 1, 2]), 2);
  t.is(finiteMedian([4, 1, 3, 2]), 2.5);
  t.true(Number.isNaN(finiteMedian([NaN, NaN])));
});

test('§10.3 beta is 0.8 at or above the threshold, 0.2 below', (t) => {
  t.is(dynamicBeta(3.4, 3.4, A), 0.8);
  t.is(dynamicBeta(3.5, 3.4, A), 0.8);
  t.is(dynamicBeta(3.3, 3.4, A), 0.2);
});

test('§10.3 acbTable: threshold is the run-wide 60th percentile of the per-date w750 values', (t) => {
  const dates = ['d1', 'd2', 'd3', 'd4', 'd5'];
  const w750 = new Map(dates.map((d, i) => [d, i + 1])); // 1..5 → threshold 3.4
  const table = acbTable(dates, w750, new Map(), A);
  t.deepEqual(dates.map((d) => table.get(d)!.beta), [0.2, 0.2, 0.2, 0.8, 0.8]);
});

test('SPEC-NOTES §10: a date with no factors has 0 signals and boost 1.0, its beta still from w750', (t) => {
  const dates = ['a', 'b'];
  const w750 = new Map([['a', 1], ['b', 2]]); // threshold = 1 + 0.6·1 = 1.6 → a: 0.2, b: 0.8
  const factors = new Map([['a', f({ funding_btc: -0.0002, dvol_btc: 90 })]]); // 2 signals
  const table = acbTable(dates, w750, factors, A);
  t.deepEqual(
    { signals: table.get('a')!.signals, beta: table.get('a')!.beta },
    { signals: 2, beta: 0.2 },
  );
  approx(t, table.get('a')!.boost, 1 + 0.5 * Math.log(3), 1e-15);
  t.deepEqual(table.get('b'), { date: 'b', signals: 0, boost: 1.0, beta: 0.8, w750: 2 });
});
