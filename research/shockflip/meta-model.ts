// Step 4 of the blueprint: the meta-model on the diamond events. Refuses unless Steps 1–3 passed.
// Rolling time-block CV scores the model out of sample (PF of the trades it would take vs all of
// them); the final model is fitted on every sample and audited: partial dependence, a monotonicity
// sanity check, extracted rules, gain importance and mean |SHAP| per feature.
import { fitBooster, MetaModelInputError, predict, type Booster } from './meta-model-booster.ts';
import { rollingFolds } from './meta-model-cv.ts';
import { assertGate, type MetaModelGate } from './meta-model-gate.ts';
import { extractRules, gainImportance, monotonicity, partialDependence, type MonotonicityCheck, type PartialDependence, type Rule } from './meta-model-interpret.ts';
import { metaModelOptions, type MetaModelOptions, type MetaModelOptionsInput } from './meta-model-options.ts';
import { meanAbsShap } from './meta-model-shap.ts';
import { pfImprovement, profitFactor } from './stats-pf.ts';

export interface MetaSample {
  /** entry time */
  ts: number;
  /** exit time of the trade (its label is known from then on) */
  labelEnd: number;
  /** feature values in the order of options.features */
  x: number[];
  /** the trade's net return (the PnL the objective weights by) */
  pnl: number;
}

export interface FoldResult {
  trainFrom: string;
  testFrom: string;
  testTo: string;
  trainN: number;
  purged: number;
  testN: number;
  taken: number;
  pfAll: number;
  pfTaken: number;
}

export interface Step4Acceptance {
  step: 4;
  passed: boolean;
  reasons: string[];
  /** what no offline run can settle: the blueprint's paper/live replay of the live threshold */
  pending: string;
}

export interface MetaModelReport {
  options: MetaModelOptions;
  samples: number;
  folds: FoldResult[];
  oos: { testN: number; taken: number; pfAll: number; pfTaken: number; pfImprovement: number; totalAll: number; totalTaken: number };
  model: Booster;
  threshold: number;
  partialDependence: PartialDependence[];
  monotonicity: MonotonicityCheck[];
  rules: Rule[];
  gain: { feature: string; gain: number; share: number }[];
  shap: { feature: string; meanAbs: number }[];
  acceptance: Step4Acceptance;
}

function trainingSet(samples: readonly MetaSample[], idx: readonly number[], o: MetaModelOptions) {
  const pnl = idx.map((i) => samples[i].pnl);
  const meanAbs = pnl.reduce((a, p) => a + Math.abs(p), 0) / pnl.length;
  return {
    x: idx.map((i) => samples[i].x),
    y: pnl.map((p) => (o.booster.objective === 'logistic' ? (p > 0 ? 1 : 0) : p)),
    // normalised to mean 1: the leaf penalty λ then means the same whatever the PnL's unit
    w: pnl.map((p) => (o.weighting === 'none' || !(meanAbs > 0) ? 1 : Math.abs(p) / meanAbs)),
    features: o.features,
  };
}

export function runMetaModel(gate: MetaModelGate, samples: readonly MetaSample[], input: MetaModelOptionsInput = {}): MetaModelReport {
  assertGate(gate);
  const o = metaModelOptions(input);
  samples.forEach((s, i) => {
    if (s.x.length !== o.features.length) throw new MetaModelInputError(`sample ${i} has ${s.x.length} feature values for ${o.features.length} features`);
    if (!Number.isFinite(s.pnl)) throw new MetaModelInputError(`sample ${i} has a non-finite pnl (${s.pnl})`);
  });
  const threshold = o.decisionThreshold ?? (o.booster.objective === 'logistic' ? 0.5 : 0);
  const folds = rollingFolds(samples, o.cv);
  const usable = folds.filter((f) => f.train.length > 0 && f.test.length > 0);
  if (usable.length === 0) {
    throw new MetaModelInputError(`no CV fold with both training and test samples: ${samples.length} samples need more than ${o.cv.trainMonths} + ${o.cv.testMonths} months`);
  }
  const allPnl: number[] = [];
  const takenPnl: number[] = [];
  const foldResults = usable.map((f) => {
    const model = fitBooster(trainingSet(samples, f.train, o), o.booster);
    const test = f.test.map((i) => samples[i]);
    const taken = test.filter((s) => predict(model, s.x) > threshold).map((s) => s.pnl);
    allPnl.push(...test.map((s) => s.pnl));
    takenPnl.push(...taken);
    return {
      trainFrom: f.trainFrom, testFrom: f.testFrom, testTo: f.testTo,
      trainN: f.train.length, purged: f.purged, testN: test.length, taken: taken.length,
      pfAll: profitFactor(test.map((s) => s.pnl)), pfTaken: profitFactor(taken),
    };
  });
  const oos = {
    testN: allPnl.length,
    taken: takenPnl.length,
    pfAll: profitFactor(allPnl),
    pfTaken: profitFactor(takenPnl),
    pfImprovement: pfImprovement(profitFactor(allPnl), profitFactor(takenPnl)),
    totalAll: allPnl.reduce((a, b) => a + b, 0),
    totalTaken: takenPnl.reduce((a, b) => a + b, 0),
  };

  const model = fitBooster(trainingSet(samples, samples.map((_, i) => i), o), o.booster);
  const xs = samples.map((s) => s.x);
  const pd = partialDependence(model, xs, o.pdPoints);
  const mono = monotonicity(pd, o.monotone, o.monotoneTolerance);
  const reasons: string[] = [];
  if (!(oos.pfImprovement > o.minOosPfImprovement)) {
    reasons.push(`OOS PF of the model's trades (${oos.pfTaken}) does not beat all diamond trades (${oos.pfAll}) by more than ${o.minOosPfImprovement}`);
  }
  for (const m of mono) if (!m.passed) reasons.push(`monotonicity: ${m.feature} ${m.note}`);
  return {
    options: o,
    samples: samples.length,
    folds: foldResults,
    oos,
    model,
    threshold,
    partialDependence: pd,
    monotonicity: mono,
    rules: extractRules(model, o.topRules),
    gain: gainImportance(model),
    shap: meanAbsShap(model, xs),
    acceptance: {
      step: 4,
      passed: reasons.length === 0,
      reasons,
      pending: 'the live threshold must still be validated on at least one month of unseen paper/live replay with parity',
    },
  };
}
