// Options of the Step-4 meta-model. Defaults: the blueprint's feature list, 3-month train / 1-month
// test, and the booster sizes of config/strategies_shockflip_only.yaml's meta_model section.
import { DEFAULT_BOOSTER_OPTIONS, MetaModelInputError, type BoosterOptions } from './meta-model-booster.ts';
import type { CvOptions } from './meta-model-cv.ts';

export interface MetaModelOptions {
  features: string[];
  cv: CvOptions;
  booster: BoosterOptions;
  /**
   * 'pnl': logistic loss on win/loss weighted by |PnL| (normalised to mean 1), so the model's
   * "take when p > 0.5" is "take when the expected PnL is positive"; 'none': unweighted.
   */
  weighting: 'pnl' | 'none';
  /** take a trade when the prediction exceeds this; null = 0.5 (logistic) or 0 (squared: expected PnL) */
  decisionThreshold: number | null;
  /** expected direction of the prediction in a feature (the physics: more rel_vol, more snap) */
  monotone: Record<string, 1 | -1>;
  /** allowed move against the expected direction, as a share of the PD's range */
  monotoneTolerance: number;
  /** partial-dependence grid points per feature */
  pdPoints: number;
  /** rules listed in the interpretability report */
  topRules: number;
  /** OOS PF(model-selected trades) − PF(all trades) must exceed this */
  minOosPfImprovement: number;
}

export const DEFAULT_META_MODEL_OPTIONS: MetaModelOptions = {
  features: ['rel_vol', 'atr_pctile', 'donchian_loc', 'vwap_dist', 'spread_z', 'trade_concentration'],
  cv: { trainMonths: 3, testMonths: 1 },
  booster: { ...DEFAULT_BOOSTER_OPTIONS },
  weighting: 'pnl',
  decisionThreshold: null,
  monotone: { rel_vol: 1 },
  monotoneTolerance: 0.1,
  pdPoints: 10,
  topRules: 15,
  minOosPfImprovement: 0,
};

export type MetaModelOptionsInput = Partial<Omit<MetaModelOptions, 'cv' | 'booster'>> & {
  cv?: Partial<CvOptions>;
  booster?: Partial<BoosterOptions>;
};

export function metaModelOptions(input: MetaModelOptionsInput = {}): MetaModelOptions {
  const d = DEFAULT_META_MODEL_OPTIONS;
  const o: MetaModelOptions = { ...d, ...input, cv: { ...d.cv, ...input.cv }, booster: { ...d.booster, ...input.booster } };
  const fail = (what: string, v: unknown): never => {
    throw new MetaModelInputError(`${what}, got ${JSON.stringify(v)}`);
  };
  if (o.features.length === 0 || new Set(o.features).size !== o.features.length) fail('features must be a non-empty list without repeats', o.features);
  for (const f of Object.keys(o.monotone)) if (!o.features.includes(f)) fail(`monotone feature ${f} is not in features`, o.features);
  if (!(o.monotoneTolerance >= 0 && o.monotoneTolerance < 1)) fail('monotoneTolerance must be in [0, 1)', o.monotoneTolerance);
  if (!(Number.isInteger(o.pdPoints) && o.pdPoints >= 2)) fail('pdPoints must be an integer ≥ 2', o.pdPoints);
  if (!(Number.isInteger(o.topRules) && o.topRules >= 1)) fail('topRules must be an integer ≥ 1', o.topRules);
  if (o.decisionThreshold !== null && !Number.isFinite(o.decisionThreshold)) fail('decisionThreshold must be a number or null', o.decisionThreshold);
  return o;
}
