import test from 'ava';
import fc from 'fast-check';
import { rollingFolds } from '../../../research/shockflip/meta-model-cv.ts';
import { StepGateError } from '../../../research/shockflip/meta-model-gate.ts';
import { runMetaModel } from '../../../research/shockflip/meta-model.ts';
import { MetaModelInputError } from '../../../research/shockflip/meta-model-booster.ts';
import { FEATURES, PASSED, plantedSamples } from './meta-model-fixtures.ts';

const SMALL = { features: FEATURES, booster: { nEstimators: 40, learningRate: 0.1, maxDepth: 2, minSamplesLeaf: 20 } };

test('refuses unless Steps 1–3 passed, naming each failed step and its reasons', (t) => {
  const samples = plantedSamples(5, 20);
  const err = t.throws(() => runMetaModel({ ...PASSED, step2: { passed: false, reasons: ['PF improvement 0.02 is below 0.15'], source: 'out/zombie_summary.json' } }, samples, SMALL), { instanceOf: StepGateError });
  t.deepEqual(err.failed, [2]);
  t.regex(err.message, /Step 2 \(zombie exit \/ hygiene\) did not pass \[out\/zombie_summary.json\]: PF improvement 0.02 is below 0.15/);
  t.notRegex(err.message, /Step 1|Step 3 \(/);
  const all = t.throws(() => runMetaModel({ step1: { passed: false }, step2: { passed: false }, step3: { passed: false } }, samples, SMALL), { instanceOf: StepGateError });
  t.deepEqual(all.failed, [1, 2, 3]);
});

test('rolling folds: 3 months train / 1 month test, consecutive, never training on the future', (t) => {
  const samples = plantedSamples(6, 10);
  const folds = rollingFolds(samples, { trainMonths: 3, testMonths: 1 });
  t.deepEqual(folds.map((f) => [f.trainFrom, f.testFrom, f.testTo]), [
    ['2024-01', '2024-04', '2024-04'], ['2024-02', '2024-05', '2024-05'], ['2024-03', '2024-06', '2024-06'],
  ]);
  for (const f of folds) {
    t.is(f.train.length, 30);
    t.is(f.test.length, 10);
  }
});

test('CV invariant: every training label ends before its fold’s first test sample (property)', (t) => {
  const sample = fc.record({ ts: fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2024, 11, 31) }), hold: fc.integer({ min: 0, max: 40 * 86_400_000 }) });
  fc.assert(
    fc.property(fc.array(sample, { maxLength: 80 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (raw, trainMonths, testMonths) => {
      const samples = raw.map((r) => ({ ts: r.ts, labelEnd: r.ts + r.hold }));
      const folds = rollingFolds(samples, { trainMonths, testMonths });
      const tested = new Set<number>();
      for (const f of folds) {
        const testStart = Math.min(...f.test.map((i) => samples[i].ts), Infinity);
        for (const i of f.train) {
          t.true(samples[i].labelEnd < Date.parse(`${f.testFrom}-01T00:00:00Z`));
          t.true(samples[i].ts < testStart);
        }
        for (const i of f.test) {
          t.false(tested.has(i)); // test blocks do not overlap
          tested.add(i);
        }
      }
    }),
    { numRuns: 150, seed: 5 },
  );
});

test('a trade whose exit falls in the test month is purged from training', (t) => {
  const samples = plantedSamples(4, 10);
  samples[29] = { ...samples[29], labelEnd: Date.UTC(2024, 3, 2) }; // a March trade exiting on April 2
  const [fold] = rollingFolds(samples, { trainMonths: 3, testMonths: 1 });
  t.is(fold.purged, 1);
  t.false(fold.train.includes(29));
});

test('end to end on planted data: OOS PF improves, rel_vol is monotone, rules and PD reported', (t) => {
  const r = runMetaModel(PASSED, plantedSamples(), SMALL);
  t.is(r.folds.length, 3);
  t.true(r.oos.pfTaken > r.oos.pfAll, `${r.oos.pfTaken} vs ${r.oos.pfAll}`);
  t.true(r.oos.taken > 0 && r.oos.taken < r.oos.testN);
  t.deepEqual(r.monotonicity.map((m) => [m.feature, m.passed]), [['rel_vol', true]]);
  t.is(r.partialDependence.length, 2);
  t.true(r.rules.length > 0 && r.rules.every((x) => x.conditions.length > 0));
  t.is(r.shap.length, 2);
  t.true(r.shap[0].meanAbs > r.shap[1].meanAbs);
  t.true(r.acceptance.passed, r.acceptance.reasons.join('; '));
  t.regex(r.acceptance.pending, /paper\/live replay/);
});

test('a feature moving against its expected direction fails the monotonicity sanity check', (t) => {
  const r = runMetaModel(PASSED, plantedSamples(), { ...SMALL, monotone: { rel_vol: -1 } });
  t.false(r.monotonicity[0].passed);
  t.false(r.acceptance.passed);
  t.true(r.acceptance.reasons.some((x) => x.startsWith('monotonicity: rel_vol')));
});

test('too few months for one fold is an input error', (t) => {
  t.throws(() => runMetaModel(PASSED, plantedSamples(3, 20), SMALL), { instanceOf: MetaModelInputError, message: /no CV fold/ });
});
