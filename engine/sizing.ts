// Position sizing (bible §6): strength, cubic leverage, buckets, alpha layers, fraction, ceilings.
import type { SizingParams } from './config.ts';
import type { Posture } from './types.ts';
import { signalRatio } from './signal.ts';

/** §6.1: 1.0 at or beyond the extreme, else the clamped ratio. */
export function strengthScore(velDiv: number, threshold: number, extreme: number): number {
  return signalRatio(velDiv, threshold, extreme);
}

/** §6.2: min + strength^convexity · (max − min) — 0.5 + s³ · 4.5 for the champion. */
export function dynamicLeverage(strength: number, p: SizingParams): number {
  return p.min_leverage + Math.pow(strength, p.leverage_convexity) * (p.max_leverage - p.min_leverage);
}

/** "vd is at or beyond x" on the regime's side: ≤ for SHORT, ≥ for LONG. */
function beyond(velDiv: number, x: number, direction: -1 | 1): boolean {
  return direction === -1 ? velDiv <= x : velDiv >= x;
}

/** §6.3: 0 extreme, 1 strong, 2 moderate, 3 weak. */
export function signalBucket(velDiv: number, threshold: number, extreme: number, direction: -1 | 1): number {
  if (beyond(velDiv, extreme * 1.5, direction)) return 0;
  if (beyond(velDiv, extreme, direction)) return 1;
  if (beyond(velDiv, (threshold + extreme) / 2, direction)) return 2;
  return 3;
}

/** §6.4 get_bucket_boost_nb: a bucket with no closed trade has boost 1.0. */
export function bucketBoost(wins: number, total: number): number {
  if (total === 0) return 1.0;
  const wr = wins / total;
  if (wr > 0.6) return 1.3;
  if (wr > 0.55) return 1.1;
  if (wr < 0.4) return 0.7;
  if (wr < 0.45) return 0.85;
  return 1.0;
}

/** §6.4 get_streak_mult_nb over the losses among the last min(5, n) closed trades. */
export function streakMult(lossesInLast5: number): number {
  if (lossesInLast5 >= 4) return 0.5;
  if (lossesInLast5 >= 3) return 0.7;
  if (lossesInLast5 <= 1) return 1.1;
  return 1.0;
}

/** §6.4 get_trend_mult_nb; the trend is read on the regime's side (deepening = toward the extreme). */
export function trendMult(vdTrend: number, direction: -1 | 1): number {
  const deepening = direction === -1 ? -vdTrend : vdTrend;
  if (deepening > 0.01) return 1.3;
  if (deepening < -0.01) return 0.7;
  return 1.0;
}

export interface FractionInputs {
  strength: number;
  isExtreme: boolean;
  trendMult: number;
  bucketBoost: number;
  streakMult: number;
}

/** §6.4 effective fraction, clamped to [min_fraction, fraction]. */
export function effectiveFraction(x: FractionInputs, p: SizingParams): number {
  const conf = x.isExtreme ? 0.7 : 0.55;
  const confMult = conf / 0.95;
  const extremeBoost = x.isExtreme ? 2.0 : 1.0;
  const baseFrac = p.min_fraction + x.strength * (p.fraction - p.min_fraction);
  const f = baseFrac * confMult * extremeBoost * x.trendMult * x.bucketBoost * x.streakMult;
  return f < p.min_fraction ? p.min_fraction : f > p.fraction ? p.fraction : f;
}

/** §6.5 / §10.4: the per-bar ACB regime size multiplier. */
export function regimeSizeMult(
  velDiv: number,
  threshold: number,
  extreme: number,
  dayBaseBoost: number,
  dayBeta: number,
  dayMcScale: number,
  convexity: number,
): number {
  if (dayBeta > 0) {
    const r = Number.isNaN(velDiv) ? 0 : signalRatio(velDiv, threshold, extreme);
    return dayBaseBoost * (1.0 + dayBeta * Math.pow(r, convexity)) * dayMcScale;
  }
  return dayBaseBoost * dayMcScale;
}

/** §6.5 ceiling: min(max_leverage · rsm · ob_mult, abs_max); STALKER caps it further. */
export function leverageCeiling(rsm: number, marketObMult: number, posture: Posture, p: SizingParams): number {
  const ceiling = Math.min(p.max_leverage * rsm * marketObMult, p.abs_max_leverage);
  return posture === 'STALKER' ? Math.min(ceiling, p.stalker_max_leverage) : ceiling;
}

/** clamp(raw, min_leverage, ceiling) as np.clip: the ceiling wins if it is below the floor. */
export function clampLeverage(raw: number, ceiling: number, p: SizingParams): number {
  return Math.min(Math.max(raw, p.min_leverage), ceiling);
}
