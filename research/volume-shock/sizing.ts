// The seed's flow-based position size, stop, target and max hold (VolumeShockTradeExecutor).
import type { ExitParams, FlowTypeParams, SizingParams } from './params.ts';
import type { HedgePrediction } from './types.ts';

/**
 * size = base × confidence × flow multiplier × min(2, |delta| / 2000), capped at max_contracts.
 * The risk framework (risk.ts) may cut it further.
 */
export function flowBasedSize(flowMultiplier: number, confidence: number, deltaExposure: number, p: SizingParams): number {
  const deltaMultiplier = Math.min(p.delta_multiplier_cap, Math.abs(deltaExposure) / p.delta_divisor);
  return Math.min(p.base_contracts * confidence * flowMultiplier * deltaMultiplier, p.max_contracts);
}

export interface Exits {
  /** price distances, positive */
  stopDistance: number;
  targetDistance: number;
  maxHoldMinutes: number;
}

/**
 * Target at the predicted move; stop at `stop_fraction` of it; max hold = max response time + 3
 * (seed), never longer than the flow type's time stop of the risk framework.
 */
export function flowBasedExits(pred: HedgePrediction, ft: FlowTypeParams, exits: ExitParams): Exits {
  return {
    targetDistance: pred.magnitude,
    stopDistance: pred.magnitude * ft.stop_fraction,
    maxHoldMinutes: Math.min(pred.maxResponseMinutes + exits.max_hold_buffer_minutes, ft.max_hold_minutes),
  };
}
