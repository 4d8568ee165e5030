import test from 'ava';
import { fitBooster, MetaModelInputError, predict, type TreeNode } from '../../../research/shockflip/meta-model-booster.ts';
import { extractRules, gainImportance, monotonicity, partialDependence } from '../../../research/shockflip/meta-model-interpret.ts';
import { localAccuracyError, shapValues } from '../../../research/shockflip/meta-model-shap.ts';
import { FEATURES, plantedSamples } from './meta-model-fixtures.ts';

function setOf(samples = plantedSamples()) {
  return { x: samples.map((s) => s.x), y: samples.map((s) => (s.pnl > 0 ? 1 : 0)), w: samples.map(() => 1), features: FEATURES };
}

function leaves(n: TreeNode): TreeNode[] {
  return n.leaf ? [n] : [...leaves(n.left), ...leaves(n.right)];
}

function depth(n: TreeNode): number {
  return n.leaf ? 0 : 1 + Math.max(depth(n.left), depth(n.right));
}

test('the booster recovers a planted monotone relationship and ignores noise', (t) => {
  const s = setOf();
  const b = fitBooster(s, { nEstimators: 60, learningRate: 0.1, maxDepth: 2, minSamplesLeaf: 20 });
  const pd = partialDependence(b, s.x, 10);
  const rel = pd[0];
  // the planted probability goes from 0.15 to 0.85 over [7, 17]; the 5 %–95 % grid spans most of it
  t.true(rel.pd[rel.pd.length - 1] - rel.pd[0] > 0.4, `PD range ${rel.pd[0]} → ${rel.pd[rel.pd.length - 1]}`);
  const [check] = monotonicity(pd, { rel_vol: 1 }, 0.1);
  t.true(check.passed, check.note);
  const noise = pd[1];
  t.true(Math.max(...noise.pd) - Math.min(...noise.pd) < 0.5 * (Math.max(...rel.pd) - Math.min(...rel.pd)));
  const gain = gainImportance(b);
  t.true(gain[0].share > 0.6, `rel_vol gain share ${gain[0].share}`);
  t.true(predict(b, [16.5, 0.5]) > 0.7 && predict(b, [7.5, 0.5]) < 0.35);
});

test('the booster is deterministic: the same data gives the same trees, bit for bit', (t) => {
  const s = setOf();
  const a = fitBooster(s, { nEstimators: 30 });
  const b = fitBooster(s, { nEstimators: 30 });
  t.is(JSON.stringify(a), JSON.stringify(b));
});

test('trees respect max depth ≤ 3 and min samples per leaf', (t) => {
  const s = setOf();
  const b = fitBooster(s, { nEstimators: 20, maxDepth: 3, minSamplesLeaf: 37 });
  for (const tree of b.trees) {
    t.true(depth(tree) <= 3);
    for (const l of leaves(tree)) t.true(l.cover >= 37);
  }
  t.throws(() => fitBooster(s, { maxDepth: 4 }), { instanceOf: MetaModelInputError });
});

test('squared loss fits a step; missing values learn a direction', (t) => {
  const x = Array.from({ length: 200 }, (_, i) => [i < 20 ? NaN : i]);
  const y = x.map(([v]) => (v !== v || v >= 100 ? 5 : 1));
  const b = fitBooster({ x, y, w: y.map(() => 1), features: ['v'] }, { objective: 'squared', nEstimators: 100, learningRate: 0.3, lambda: 0, minSamplesLeaf: 5 });
  t.true(Math.abs(predict(b, [150]) - 5) < 1e-3);
  t.true(Math.abs(predict(b, [50]) - 1) < 1e-3);
  t.true(Math.abs(predict(b, [NaN]) - 5) < 1e-3);
});

test('weights steer the fit: a heavy sample pulls the prediction towards its label', (t) => {
  const x = [[0], [0], [0], [0]];
  const y = [1, 0, 0, 0];
  const light = fitBooster({ x, y, w: [1, 1, 1, 1], features: ['v'] }, { nEstimators: 1, minSamplesLeaf: 1 });
  const heavy = fitBooster({ x, y, w: [9, 1, 1, 1], features: ['v'] }, { nEstimators: 1, minSamplesLeaf: 1 });
  t.true(Math.abs(predict(light, [0]) - 0.25) < 1e-9);
  t.true(Math.abs(predict(heavy, [0]) - 0.75) < 1e-9);
  t.throws(() => fitBooster({ x, y, w: [0, 0, 0, 0], features: ['v'] }), { instanceOf: MetaModelInputError, message: /weights are 0/ });
});

test('SHAP values add up to the prediction and credit the planted feature', (t) => {
  const s = setOf();
  const b = fitBooster(s, { nEstimators: 40, maxDepth: 3, minSamplesLeaf: 20 });
  for (const x of s.x.slice(0, 50)) t.true(Math.abs(localAccuracyError(b, x)) < 1e-9);
  const hi = shapValues(b, [16.5, 0.5]).values;
  const lo = shapValues(b, [7.5, 0.5]).values;
  t.true(hi[0] > 0 && lo[0] < 0);
});

test('rules read as conditions on the features; the same leaf in several trees is one rule', (t) => {
  const x = Array.from({ length: 100 }, (_, i) => [i]);
  const y = x.map(([v]) => (v > 49 ? 1 : 0));
  const set = { x, y, w: y.map(() => 1), features: ['rel_vol'] };
  const b = fitBooster(set, { nEstimators: 2, maxDepth: 1, minSamplesLeaf: 10 });
  const rules = extractRules(b, 5);
  t.deepEqual(rules.map((r) => r.conditions).sort(), ['rel_vol > 49.5', 'rel_vol ≤ 49.5']);
  t.true(rules.every((r) => r.cover === 50 && r.trees.join() === '0,1'));
  const pos = rules.find((r) => r.conditions === 'rel_vol > 49.5')!;
  const leafValues = b.trees.map((tree) => (tree.leaf ? NaN : tree.right.leaf ? tree.right.value : NaN));
  t.true(Math.abs(pos.value - (leafValues[0] + leafValues[1])) < 1e-15 && pos.value > 0);
  // a split that saw missing values says where they go
  const withNaN = { ...set, x: x.map(([v]) => [v < 10 ? NaN : v]) };
  const m = fitBooster(withNaN, { nEstimators: 1, maxDepth: 1, minSamplesLeaf: 5 });
  t.true(extractRules(m, 5).some((r) => r.conditions.endsWith('(or missing)')));
});
