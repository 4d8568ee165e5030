// Exact SHAP values of the booster ("SHAP partials" in the blueprint's interpretability audit), with
// the path-dependent value function of TreeSHAP: v(S) follows x at splits on features in S and
// averages both children by training cover elsewhere. Shapley values are linear in the model, so each
// tree is explained over the few features it uses (≤ 7 at depth 3: ≤ 128 subsets) and the trees
// summed. This enumerates the Shapley formula directly instead of TreeSHAP's polynomial recursion:
// slower per tree in theory, trivially correct, and fast at this size.
import { rawScore, type Booster, type TreeNode } from './meta-model-booster.ts';

function usedFeatures(node: TreeNode, out: Set<number>): Set<number> {
  if (!node.leaf) {
    out.add(node.feature);
    usedFeatures(node.left, out);
    usedFeatures(node.right, out);
  }
  return out;
}

/** v(S): the tree's expected value when only the features in `known` are known. */
function conditional(node: TreeNode, x: readonly number[], known: (f: number) => boolean): number {
  if (node.leaf) return node.value;
  if (known(node.feature)) {
    const v = x[node.feature];
    const left = v !== v ? node.missingLeft : v <= node.threshold;
    return conditional(left ? node.left : node.right, x, known);
  }
  const l = conditional(node.left, x, known);
  const r = conditional(node.right, x, known);
  return (node.left.cover * l + node.right.cover * r) / (node.left.cover + node.right.cover);
}

function factorials(n: number): number[] {
  const f = [1];
  for (let i = 1; i <= n; i++) f.push(f[i - 1] * i);
  return f;
}

export interface ShapExplanation {
  /** E[f] under the training cover (raw score) */
  expected: number;
  /** one value per feature; expected + Σ values = the raw score of x (local accuracy) */
  values: number[];
}

export function shapValues(b: Booster, x: readonly number[]): ShapExplanation {
  const values = new Array<number>(b.features.length).fill(0);
  let expected = b.base;
  for (const tree of b.trees) {
    const used = [...usedFeatures(tree, new Set())].sort((a, c) => a - c);
    const m = used.length;
    const v = new Float64Array(1 << m);
    for (let mask = 0; mask < 1 << m; mask++) {
      v[mask] = conditional(tree, x, (f) => {
        const j = used.indexOf(f);
        return j >= 0 && (mask & (1 << j)) !== 0;
      });
    }
    expected += v[0];
    const fact = factorials(m);
    for (let j = 0; j < m; j++) {
      let phi = 0;
      for (let mask = 0; mask < 1 << m; mask++) {
        if (mask & (1 << j)) continue;
        const s = popcount(mask);
        phi += ((fact[s] * fact[m - s - 1]) / fact[m]) * (v[mask | (1 << j)] - v[mask]);
      }
      values[used[j]] += phi;
    }
  }
  return { expected, values };
}

function popcount(x: number): number {
  let c = 0;
  for (let y = x; y !== 0; y &= y - 1) c++;
  return c;
}

/** For the report: |SHAP| averaged over samples, per feature.  */
export function meanAbsShap(b: Booster, xs: readonly (readonly number[])[]): { feature: string; meanAbs: number }[] {
  const sum = new Array<number>(b.features.length).fill(0);
  for (const x of xs) shapValues(b, x).values.forEach((v, i) => { sum[i] += Math.abs(v); });
  return b.features.map((feature, i) => ({ feature, meanAbs: xs.length === 0 ? NaN : sum[i] / xs.length }));
}

/** expected + Σ values − raw score: 0 up to rounding (a self-check the tests and the report use). */
export function localAccuracyError(b: Booster, x: readonly number[]): number {
  const e = shapValues(b, x);
  return e.expected + e.values.reduce((a, c) => a + c, 0) - rawScore(b, x);
}
