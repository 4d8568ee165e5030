// Fees, SmartPlacer refunds and OB edge (bible §8). Both fees are charged at exit on the entry
// notional; the random draws happen here, in the bible's order, from the run's one stream.
import type { FeeParams } from './config.ts';
import type { ObPlacement } from './ob.ts';
import type { MT19937 } from './rng.ts';
import type { ExitReason } from './types.ts';

export interface FeeOutcome {
  pnlPctRaw: number;
  entryFee: number;
  exitFee: number;
  grossPnl: number;
  netPnl: number;
  rngEntryDraw: number | null;
  rngExitDraw: number | null;
  rngObDraw: number | null;
}

export function blendedFeeRate(makerRate: number, p: FeeParams): number {
  return p.maker_fee * makerRate + p.taker_fee * (1 - makerRate);
}

/**
 * @param placement the held asset's OB placement at exit, when an OB provider is wired in;
 *   undefined means legacy mode (Monte-Carlo OB confirm draw).
 */
export function settleExit(
  pnlPctPrice: number,
  notional: number,
  reason: ExitReason,
  p: FeeParams,
  rng: MT19937,
  placement: ObPlacement | null | undefined,
): FeeOutcome {
  const isStop = reason === 'STOP_LOSS';
  let raw = pnlPctPrice;
  const rngEntryDraw = rng.random();
  if (rngEntryDraw < p.sp_maker_entry_rate) raw += p.sp_refund_pct;
  let rngExitDraw: number | null = null;
  if (!isStop) {
    rngExitDraw = rng.random();
    if (rngExitDraw < p.sp_maker_exit_rate) raw += p.sp_refund_pct;
  }
  let rngObDraw: number | null = null;
  if (placement === undefined) {
    rngObDraw = rng.random();
    if (rngObDraw < p.ob_confirm_rate) raw += p.ob_edge_bps * 1e-4;
  } else if (placement !== null && placement.depthQuality > p.ob_edge_min_depth_quality) {
    raw += placement.fillProbability * p.ob_edge_bps * 1e-4;
  }
  const entryFee = blendedFeeRate(p.sp_maker_entry_rate, p) * notional;
  const exitFee = (isStop ? p.taker_fee : blendedFeeRate(p.sp_maker_exit_rate, p)) * notional;
  const grossPnl = raw * notional;
  return {
    pnlPctRaw: raw,
    entryFee,
    exitFee,
    grossPnl,
    netPnl: grossPnl - entryFee - exitFee,
    rngEntryDraw,
    rngExitDraw,
    rngObDraw,
  };
}
