// Named parameters of the MC-Forewarner envelope model (docs/forewarner.md). The bible gives the gate's
// thresholds (config.ts ForewarnerParams), not these: every number here is our choice, with a default.
import { CHAMPION } from './config.ts';

export interface McParams {
  /** most recent outcomes resampled (older trades describe a market that has moved on) */
  window: number;
  /** simulated equity paths per assessment */
  paths: number;
  /** trades per path: the trades one expects in a day, since the gate decides for one day */
  horizon: number;
  /** the ceiling the outcomes were earned under; a day's max_leverage scales them by max_leverage / this */
  base_max_leverage: number;
  /** a path is catastrophic once its drawdown from its running peak reaches this */
  catastrophic_drawdown: number;
  /** below this many outcomes the report is neutral: too little history to judge */
  min_outcomes: number;
  /** interquartile range of a normal distribution in standard deviations (2 × 0.6745) */
  iqr_per_sigma: number;
  /** keeps the score finite when every path ends the same */
  score_epsilon: number;
}

export const MC_DEFAULTS: Readonly<McParams> = Object.freeze({
  window: 500,
  paths: 2000,
  horizon: 40,
  base_max_leverage: CHAMPION.sizing.max_leverage,
  catastrophic_drawdown: 0.2,
  min_outcomes: 30,
  iqr_per_sigma: 1.349,
  score_epsilon: 1e-12,
});

const positiveInts: ReadonlyArray<keyof McParams> = ['window', 'paths', 'horizon', 'min_outcomes'];

/** Defaults overlaid with the given values; throws a RangeError naming the first bad one. */
export function resolveMcParams(over: Partial<McParams> = {}): McParams {
  const p: McParams = { ...MC_DEFAULTS, ...over };
  for (const k of positiveInts) {
    if (!Number.isInteger(p[k]) || p[k] < 1) throw new RangeError(`forewarner param ${k} must be a positive integer, got ${p[k]}`);
  }
  // a window shorter than min_outcomes would simulate from fewer outcomes than the rule calls enough
  if (p.window < p.min_outcomes) throw new RangeError(`forewarner param window must be ≥ min_outcomes (${p.min_outcomes}), got ${p.window}`);
  if (!(p.catastrophic_drawdown > 0 && p.catastrophic_drawdown <= 1)) {
    throw new RangeError(`forewarner param catastrophic_drawdown must be in (0, 1], got ${p.catastrophic_drawdown}`);
  }
  // > 0, not ≥ 0: with every path ending at 0 a zero epsilon makes the score 0/0 = NaN, which the gate reads as OK
  for (const k of ['base_max_leverage', 'iqr_per_sigma', 'score_epsilon'] as const) {
    if (!(Number.isFinite(p[k]) && p[k] > 0)) throw new RangeError(`forewarner param ${k} must be > 0, got ${p[k]}`);
  }
  return p;
}
