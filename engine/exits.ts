// Exit management (bible §7): TP, stop, OB duress adjustments, max hold; exit slippage.
import type { ExitParams } from './config.ts';
import { effectiveImbalance, type ObMacro, type ObSignal } from './ob.ts';
import type { ExitReason } from './types.ts';

export interface ExitLimits {
  tpPct: number;
  slPct: number;
  maxHold: number;
}

/** PnL of a position at a price, as a fraction of the entry price, on the position's side. */
export function pnlPct(entryPrice: number, price: number, direction: -1 | 1): number {
  return ((price - entryPrice) / entryPrice) * direction;
}

/** §7.2 dynamic TP/SL/max-hold from the OB macro regime and the asset's own book. */
export function obAdjustedLimits(
  p: ExitParams,
  pnl: number,
  macro: ObMacro,
  signal: ObSignal | null,
  direction: -1 | 1,
): ExitLimits {
  let tpPct = p.fixed_tp_pct;
  let slPct = p.stop_pct;
  let maxHold = p.max_hold_bars;
  const effImb = signal !== null ? effectiveImbalance(signal, direction) : 0;
  const duress = macro.cascadeCount > 0 || macro.regimeSignal === 1;
  if (macro.cascadeCount > 0) {
    tpPct *= 1.4;
    maxHold = Math.trunc(p.max_hold_bars * 0.5);
  } else if (macro.regimeSignal === 1) {
    slPct = 0.1;
    if (pnl > 0.0) tpPct *= 0.6;
    if (effImb < -0.1) maxHold = Math.trunc(p.max_hold_bars * 0.4);
  } else if (macro.regimeSignal === -1 && effImb > 0.15) {
    maxHold = Math.trunc(p.max_hold_bars * 1.5);
  }
  if (signal !== null && signal.withdrawalVelocity < -0.2 && !duress) {
    maxHold = Math.min(maxHold, Math.trunc(p.max_hold_bars * 0.4));
    if (pnl > 0.0) tpPct *= 0.75;
  }
  return { tpPct, slPct, maxHold };
}

/** §7.1 priority: TP, stop, max hold. Returns the reason or null to hold. */
export function evaluateExit(pnl: number, barsHeld: number, limits: ExitLimits): ExitReason | null {
  if (pnl >= limits.tpPct) return 'FIXED_TP';
  if (pnl <= -limits.slPct) return 'STOP_LOSS';
  if (barsHeld >= limits.maxHold) return 'MAX_HOLD';
  return null;
}

/** §7.4: slippage always against us: a SHORT covers higher, a LONG sells lower. */
export function slippedExitPrice(price: number, reason: ExitReason, direction: -1 | 1, p: ExitParams): number {
  const slip = reason === 'STOP_LOSS' ? p.slip_stop_loss : p.slip_default;
  return price * (1.0 - direction * slip);
}
