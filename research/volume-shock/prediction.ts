// Hedge direction and magnitude (the seed's _generate_hedge_prediction) and the signal confidence.
import type { ConfidenceParams, FlowTypeParams } from './params.ts';
import type { HedgePrediction, ShockEvent } from './types.ts';

/** Linear in x from xs[0]→ys[0] to xs[1]→ys[1], clamped to ys (a flat range gives ys[0]). */
export function interpolate(x: number, xs: readonly [number, number], ys: readonly [number, number]): number {
  if (xs[1] <= xs[0]) return x >= xs[1] ? ys[1] : ys[0];
  const t = Math.min(1, Math.max(0, (x - xs[0]) / (xs[1] - xs[0])));
  return ys[0] + t * (ys[1] - ys[0]);
}

/**
 * The seed never defines `confidence`. Ours: how far the volume ratio is past the threshold on a log
 * scale, from `floor` at ratio = min_ratio to 1 at ratio = full_ratio.
 */
export function confidenceOf(volumeRatio: number, minRatio: number, p: ConfidenceParams): number {
  if (!(p.full_ratio > minRatio)) return 1;
  const t = Math.min(1, Math.max(0, Math.log(volumeRatio / minRatio) / Math.log(p.full_ratio / minRatio)));
  return p.floor + (1 - p.floor) * t;
}

export interface PredictionSettings {
  flowType: FlowTypeParams;
  confidence: ConfidenceParams;
  minRatio: number;
  /** exposure.reference_price: magnitude_points are points at this price */
  referencePrice: number;
}

/**
 * Customers net long delta (netDelta > 0) leave the market makers short delta: they buy the
 * underlying, so the predicted hedge flow, and our trade, is long. The quantity is the delta to hedge;
 * the magnitude is the flow type's point range, placed by the exposure, scaled to this price.
 */
export function predictHedge(e: ShockEvent, price: number, s: PredictionSettings): HedgePrediction | null {
  if (e.netDelta === 0 || !Number.isFinite(e.netDelta)) return null;
  const quantity = Math.abs(e.netDelta);
  const points = interpolate(quantity, s.flowType.magnitude_exposure, s.flowType.magnitude_points);
  return {
    direction: e.netDelta > 0 ? 1 : -1,
    quantity,
    magnitude: (points * price) / s.referencePrice,
    timingMinutes: e.responseMinutes,
    maxResponseMinutes: s.flowType.response_time_range[1],
    confidence: confidenceOf(e.volumeRatio, s.minRatio, s.confidence),
  };
}
