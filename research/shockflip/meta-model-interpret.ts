// The interpretability audit of the meta-model: partial dependence per feature, a monotonicity
// sanity check on it, the rules the trees encode (leaf paths as readable conditions) and each
// feature's total split gain.
import { predict, type Booster, type TreeNode } from './meta-model-booster.ts';
import { percentileSorted, sortedFinite } from './quantile.ts';

export interface PartialDependence {
  feature: string;
  /** grid values: quantiles of the feature over the samples */
  grid: number[];
  /** mean prediction (probability, or predicted value) with the feature set to each grid value */
  pd: number[];
}

/**
 * PD_f(v) = mean over samples of predict(x with x_f = v), at `points` quantiles of the feature from
 * 5 % to 95 % (the tails hold too few samples to say anything). Repeated grid values are dropped.
 */
export function partialDependence(b: Booster, xs: readonly (readonly number[])[], points: number): PartialDependence[] {
  if (!Number.isInteger(points) || points < 2) throw new RangeError(`PD grid needs ≥ 2 points, got ${points}`);
  return b.features.map((feature, f) => {
    const sorted = sortedFinite(xs.map((x) => x[f]));
    const grid: number[] = [];
    for (let k = 0; k < points; k++) {
      const v = percentileSorted(sorted, 5 + (90 * k) / (points - 1));
      if (v === v && (grid.length === 0 || v > grid[grid.length - 1])) grid.push(v);
    }
    const pd = grid.map((v) => {
      let s = 0;
      for (const x of xs) {
        const row = [...x];
        row[f] = v;
        s += predict(b, row);
      }
      return s / xs.length;
    });
    return { feature, grid, pd };
  });
}

export interface MonotonicityCheck {
  feature: string;
  /** +1: PD should not fall as the feature rises; −1: should not rise */
  direction: 1 | -1;
  /** the largest move against the direction between any two grid points (≥ 0) */
  maxViolation: number;
  /** max − min of the PD */
  range: number;
  passed: boolean;
  note: string;
}

/**
 * Sanity, not proof: the PD may wobble against the expected direction by at most `tolerance` of its
 * range. A flat PD passes (the model ignores the feature, which the note says); a feature missing
 * from the model fails.
 */
export function monotonicity(pds: readonly PartialDependence[], expected: Readonly<Record<string, 1 | -1>>, tolerance: number): MonotonicityCheck[] {
  return Object.entries(expected).map(([feature, direction]) => {
    const p = pds.find((x) => x.feature === feature);
    if (p === undefined) return { feature, direction, maxViolation: NaN, range: NaN, passed: false, note: 'feature not in the model' };
    let maxViolation = 0;
    let best = -Infinity; // running extreme in the expected direction
    for (const v of p.pd) {
      best = Math.max(best, direction * v);
      maxViolation = Math.max(maxViolation, best - direction * v);
    }
    const range = p.pd.length === 0 ? 0 : Math.max(...p.pd) - Math.min(...p.pd);
    const passed = maxViolation <= tolerance * range;
    const note = range === 0 ? 'flat: the model does not use it' : passed ? '' : `moves against the expected direction by ${maxViolation.toPrecision(3)} (${((100 * maxViolation) / range).toFixed(1)} % of its range)`;
    return { feature, direction, maxViolation, range, passed, note };
  });
}

export interface Rule {
  /** readable conditions joined by " AND " */
  conditions: string;
  /**
   * the summed leaf values of every tree that has a leaf with exactly these conditions: the rule's
   * contribution to the raw score (log-odds for the logistic objective)
   */
  value: number;
  /** training samples that reach the leaf */
  cover: number;
  /** the trees holding the rule */
  trees: number[];
}

interface Bound {
  lo: number;
  hi: number;
  /** whether missing values (seen in training) reach this leaf along every split on the feature */
  missing: boolean;
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}

function describe(features: readonly string[], bounds: Map<number, Bound>): string {
  const parts = [...bounds.entries()].sort(([a], [b]) => a - b).map(([f, b]) => {
    const name = features[f];
    let s = b.lo === -Infinity ? `${name} ≤ ${fmt(b.hi)}` : b.hi === Infinity ? `${name} > ${fmt(b.lo)}` : `${fmt(b.lo)} < ${name} ≤ ${fmt(b.hi)}`;
    if (b.missing) s += ' (or missing)';
    return s;
  });
  return parts.length === 0 ? 'always' : parts.join(' AND ');
}

/**
 * Every leaf of every tree as a rule; leaves with identical conditions in different trees (boosting
 * repeats a good split) are merged by summing their values. Ranked by |value| × cover: the largest
 * effect on the most samples first.
 */
export function extractRules(b: Booster, top: number): Rule[] {
  const byConditions = new Map<string, Rule>();
  const walk = (node: TreeNode, tree: number, bounds: Map<number, Bound>): void => {
    if (node.leaf) {
      const conditions = describe(b.features, bounds);
      const r = byConditions.get(conditions);
      if (r === undefined) byConditions.set(conditions, { conditions, value: node.value, cover: node.cover, trees: [tree] });
      else {
        r.value += node.value;
        if (r.trees[r.trees.length - 1] !== tree) r.trees.push(tree);
      }
      return;
    }
    const prev = bounds.get(node.feature) ?? { lo: -Infinity, hi: Infinity, missing: true };
    const left = new Map(bounds).set(node.feature, { lo: prev.lo, hi: Math.min(prev.hi, node.threshold), missing: prev.missing && node.missingLeft && node.missingCover > 0 });
    const right = new Map(bounds).set(node.feature, { lo: Math.max(prev.lo, node.threshold), hi: prev.hi, missing: prev.missing && !node.missingLeft && node.missingCover > 0 });
    walk(node.left, tree, left);
    walk(node.right, tree, right);
  };
  b.trees.forEach((t, i) => walk(t, i, new Map()));
  // Map order is first appearance, so equal scores keep tree order: deterministic
  return [...byConditions.values()]
    .map((r, k) => ({ r, k }))
    .sort((a, c) => Math.abs(c.r.value) * c.r.cover - Math.abs(a.r.value) * a.r.cover || a.k - c.k)
    .slice(0, top)
    .map((x) => x.r);
}

/** Total split gain per feature, as a share of all gain (0 for a feature never split on). */
export function gainImportance(b: Booster): { feature: string; gain: number; share: number }[] {
  const gain = new Array<number>(b.features.length).fill(0);
  const walk = (n: TreeNode): void => {
    if (n.leaf) return;
    gain[n.feature] += n.gain;
    walk(n.left);
    walk(n.right);
  };
  b.trees.forEach(walk);
  const total = gain.reduce((a, c) => a + c, 0);
  return b.features.map((feature, i) => ({ feature, gain: gain[i], share: total > 0 ? gain[i] / total : 0 }));
}
