// A small gradient-boosted tree model (Newton boosting, as XGBoost): depth-limited regression trees
// fitted to the gradient and hessian of the loss, leaf values −G/(H + λ), shrunk by the learning
// rate. Written here rather than pulled from npm: the trees must be deterministic, weighted, readable
// for the rule extraction and small (hundreds of diamond events, six features); no maintained JS tree
// library offers all four. Determinism: features are scanned in order, thresholds ascending, and a
// candidate replaces the best split only when its gain is strictly higher.

export type Objective = 'logistic' | 'squared';

export interface BoosterOptions {
  objective: Objective;
  nEstimators: number;
  learningRate: number;
  maxDepth: number;
  /** samples (by count) each leaf must keep */
  minSamplesLeaf: number;
  /** L2 penalty on leaf values (λ) */
  lambda: number;
  /** a split must improve the regularised loss by more than this */
  minSplitGain: number;
}

export const DEFAULT_BOOSTER_OPTIONS: BoosterOptions = {
  objective: 'logistic',
  nEstimators: 200,
  learningRate: 0.05,
  maxDepth: 3,
  minSamplesLeaf: 10,
  lambda: 1,
  minSplitGain: 0,
};

export interface Leaf {
  leaf: true;
  value: number;
  /** training samples that reached it */
  cover: number;
}

export interface Split {
  leaf: false;
  feature: number;
  /** x ≤ threshold goes left */
  threshold: number;
  /** where a missing (NaN) value goes: learned at fit time (the side that gave the higher gain) */
  missingLeft: boolean;
  /** training samples at this node with a missing value of the feature */
  missingCover: number;
  gain: number;
  cover: number;
  left: TreeNode;
  right: TreeNode;
}

export type TreeNode = Leaf | Split;

export interface Booster {
  objective: Objective;
  features: readonly string[];
  /** the raw score before any tree: log-odds (logistic) or mean (squared) of the weighted labels */
  base: number;
  trees: TreeNode[];
}

export interface TrainingSet {
  /** rows of feature values, all the same length as `features` */
  x: readonly (readonly number[])[];
  y: readonly number[];
  /** sample weights ≥ 0 (expected-PnL weighting: |PnL| per event) */
  w: readonly number[];
  features: readonly string[];
}

export class MetaModelInputError extends Error {
  override readonly name = 'MetaModelInputError';
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function checkSet(s: TrainingSet, o: BoosterOptions): void {
  const n = s.x.length;
  if (n === 0) throw new MetaModelInputError('no training samples');
  if (s.y.length !== n || s.w.length !== n) throw new MetaModelInputError(`x, y and w differ in length (${n}, ${s.y.length}, ${s.w.length})`);
  s.x.forEach((row, i) => {
    if (row.length !== s.features.length) throw new MetaModelInputError(`row ${i} has ${row.length} values for ${s.features.length} features`);
  });
  s.w.forEach((w, i) => {
    if (!(w >= 0) || !Number.isFinite(w)) throw new MetaModelInputError(`weight ${i} must be finite and ≥ 0, got ${w}`);
  });
  s.y.forEach((y, i) => {
    if (!Number.isFinite(y) || (o.objective === 'logistic' && y !== 0 && y !== 1)) throw new MetaModelInputError(`label ${i} must be ${o.objective === 'logistic' ? '0 or 1' : 'finite'}, got ${y}`);
  });
  if (s.w.reduce((a, b) => a + b, 0) <= 0) throw new MetaModelInputError('all sample weights are 0');
  if (!(o.nEstimators >= 1 && Number.isInteger(o.nEstimators))) throw new MetaModelInputError(`nEstimators must be an integer ≥ 1, got ${o.nEstimators}`);
  if (!(o.maxDepth >= 1 && o.maxDepth <= 3 && Number.isInteger(o.maxDepth))) throw new MetaModelInputError(`maxDepth must be 1, 2 or 3, got ${o.maxDepth}`);
  if (!(o.learningRate > 0 && o.learningRate <= 1)) throw new MetaModelInputError(`learningRate must be in (0, 1], got ${o.learningRate}`);
  if (!(o.minSamplesLeaf >= 1 && Number.isInteger(o.minSamplesLeaf))) throw new MetaModelInputError(`minSamplesLeaf must be an integer ≥ 1, got ${o.minSamplesLeaf}`);
  if (!(o.lambda >= 0)) throw new MetaModelInputError(`lambda must be ≥ 0, got ${o.lambda}`);
}

function baseScore(s: TrainingSet, objective: Objective): number {
  let sw = 0, swy = 0;
  for (let i = 0; i < s.y.length; i++) { sw += s.w[i]; swy += s.w[i] * s.y[i]; }
  const m = swy / sw;
  if (objective === 'squared') return m;
  // clamp so an all-win or all-loss training set gives a large finite log-odds, not ±Infinity
  const p = Math.min(1 - 1e-6, Math.max(1e-6, m));
  return Math.log(p / (1 - p));
}

export function fitBooster(s: TrainingSet, options: Partial<BoosterOptions> = {}): Booster {
  const o = { ...DEFAULT_BOOSTER_OPTIONS, ...options };
  checkSet(s, o);
  const n = s.x.length;
  const base = baseScore(s, o.objective);
  const score = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const all = Array.from({ length: n }, (_, i) => i);
  const trees: TreeNode[] = [];
  for (let t = 0; t < o.nEstimators; t++) {
    for (let i = 0; i < n; i++) {
      if (o.objective === 'logistic') {
        const p = sigmoid(score[i]);
        g[i] = s.w[i] * (p - s.y[i]);
        h[i] = s.w[i] * Math.max(p * (1 - p), 1e-16);
      } else {
        g[i] = s.w[i] * (score[i] - s.y[i]);
        h[i] = s.w[i];
      }
    }
    const tree = grow(s.x, g, h, all, 0, o);
    trees.push(tree);
    for (let i = 0; i < n; i++) score[i] += nodeValue(tree, s.x[i]);
  }
  return { objective: o.objective, features: [...s.features], base, trees };
}

function sums(idx: readonly number[], g: Float64Array, h: Float64Array): [number, number] {
  let G = 0, H = 0;
  for (const i of idx) { G += g[i]; H += h[i]; }
  return [G, H];
}

function grow(x: TrainingSet['x'], g: Float64Array, h: Float64Array, idx: number[], depth: number, o: BoosterOptions): TreeNode {
  const [G, H] = sums(idx, g, h);
  const leaf: Leaf = { leaf: true, value: (-G / (H + o.lambda)) * o.learningRate, cover: idx.length };
  if (depth >= o.maxDepth || idx.length < 2 * o.minSamplesLeaf) return leaf;
  const best = bestSplit(x, g, h, idx, G, H, o);
  if (best === null) return leaf;
  const left: number[] = [];
  const right: number[] = [];
  for (const i of idx) (goesLeft(x[i][best.feature], best.threshold, best.missingLeft) ? left : right).push(i);
  return {
    leaf: false,
    feature: best.feature,
    threshold: best.threshold,
    missingLeft: best.missingLeft,
    missingCover: idx.reduce((k, i) => k + (x[i][best.feature] !== x[i][best.feature] ? 1 : 0), 0),
    gain: best.gain,
    cover: idx.length,
    left: grow(x, g, h, left, depth + 1, o),
    right: grow(x, g, h, right, depth + 1, o),
  };
}

function goesLeft(v: number, threshold: number, missingLeft: boolean): boolean {
  return v !== v ? missingLeft : v <= threshold;
}

interface Candidate {
  feature: number;
  threshold: number;
  missingLeft: boolean;
  gain: number;
}

function bestSplit(x: TrainingSet['x'], g: Float64Array, h: Float64Array, idx: readonly number[], G: number, H: number, o: BoosterOptions): Candidate | null {
  const score = (gs: number, hs: number): number => (gs * gs) / (hs + o.lambda);
  const parent = score(G, H);
  let best: Candidate | null = null;
  const nf = x[idx[0]].length;
  for (let f = 0; f < nf; f++) {
    const present = idx.filter((i) => x[i][f] === x[i][f]).sort((a, b) => x[a][f] - x[b][f] || a - b);
    const missing = idx.length - present.length;
    const [Gm, Hm] = sums(idx.filter((i) => x[i][f] !== x[i][f]), g, h);
    let GL = 0, HL = 0;
    for (let k = 0; k < present.length - 1; k++) {
      GL += g[present[k]];
      HL += h[present[k]];
      const a = x[present[k]][f];
      const b = x[present[k + 1]][f];
      if (a === b) continue; // a threshold must separate distinct values
      const nLeft = k + 1;
      const nRight = present.length - nLeft;
      // missing values try both sides; left first, so a tie keeps them left
      for (const missingLeft of [true, false]) {
        const cl = nLeft + (missingLeft ? missing : 0);
        const cr = nRight + (missingLeft ? 0 : missing);
        if (cl < o.minSamplesLeaf || cr < o.minSamplesLeaf) continue;
        const gl = GL + (missingLeft ? Gm : 0), hl = HL + (missingLeft ? Hm : 0);
        const gain = score(gl, hl) + score(G - gl, H - hl) - parent;
        if (gain > o.minSplitGain && (best === null || gain > best.gain)) {
          // midpoint, as scikit-learn: the split does not hug the training values
          best = { feature: f, threshold: a + (b - a) / 2, missingLeft, gain };
        }
        if (missing === 0) break;
      }
    }
  }
  return best;
}

export function nodeValue(node: TreeNode, x: readonly number[]): number {
  let n = node;
  while (!n.leaf) n = goesLeft(x[n.feature], n.threshold, n.missingLeft) ? n.left : n.right;
  return n.value;
}

/** Raw score: log-odds (logistic) or predicted value (squared). */
export function rawScore(b: Booster, x: readonly number[]): number {
  let s = b.base;
  for (const t of b.trees) s += nodeValue(t, x);
  return s;
}

/** Probability of a win (logistic) or the predicted value (squared). */
export function predict(b: Booster, x: readonly number[]): number {
  const s = rawScore(b, x);
  return b.objective === 'logistic' ? sigmoid(s) : s;
}
