// Signal layer (bible §4): the vel_div gate and confidence, direction confirmation, OB sub-2.
import type { DcParams, SignalParams } from './config.ts';
import { effectiveImbalance, type ObSignal } from './ob.ts';

export type DcResult = 'CONFIRM' | 'NEUTRAL' | 'CONTRADICT';

/** The newest prices of one asset: back(1) is the latest. */
export interface PriceSeries {
  readonly length: number;
  back(k: number): number;
}

/** Gate threshold and extreme for the regime direction (SHORT champion, LONG green). */
export function thresholds(p: SignalParams, direction: -1 | 1): { threshold: number; extreme: number } {
  return direction === -1
    ? { threshold: p.vel_div_threshold, extreme: p.vel_div_extreme }
    : { threshold: p.long_threshold, extreme: p.long_extreme };
}

/** §4.1: SHORT fires below the threshold, LONG above it. NaN never fires. */
export function passesGate(velDiv: number, threshold: number, direction: -1 | 1): boolean {
  return direction === -1 ? velDiv < threshold : velDiv > threshold;
}

/** (threshold − vd) / (threshold − extreme) clamped to [0, 1]; the same form serves both sides. */
export function signalRatio(velDiv: number, threshold: number, extreme: number): number {
  const r = (threshold - velDiv) / (threshold - extreme);
  return r < 0 ? 0 : r > 1 ? 1 : r;
}

/** §4.1: 0.50 + ratio · 0.40, in [0.50, 0.90]. */
export function confidence(velDiv: number, threshold: number, extreme: number): number {
  return 0.5 + signalRatio(velDiv, threshold, extreme) * 0.4;
}

/** §4.2: price change over the lookback; fewer than lookback+1 prices is NEUTRAL. */
export function directionConfirm(history: PriceSeries, p: DcParams, direction: -1 | 1): DcResult {
  const n = history.length;
  if (n < p.dc_lookback_bars + 1) return 'NEUTRAL';
  const p0 = history.back(p.dc_lookback_bars + 1);
  const p1 = history.back(1);
  const chgBps = ((p1 - p0) / p0) * 10000.0 * direction;
  // direction −1: a falling price (negative change) confirms the SHORT
  if (chgBps > p.dc_min_magnitude_bps) return 'CONFIRM';
  if (chgBps < -p.dc_min_magnitude_bps) return 'CONTRADICT';
  return 'NEUTRAL';
}

/** §4.3 OB sub-2: returns the adjusted confidence, or null for a hard skip. */
export function obConfirm(conf: number, ob: ObSignal, direction: -1 | 1): number | null {
  const effImb = effectiveImbalance(ob, direction);
  const persistence = ob.persistence;
  if (effImb > 0.1) return conf * (1 + Math.min(0.15, effImb * persistence * 0.5));
  if (effImb < -0.15 && persistence > 0.6) return null;
  if (effImb < -0.1) return conf * Math.max(0.85, 1 - Math.abs(effImb) * persistence * 0.4);
  return conf;
}
