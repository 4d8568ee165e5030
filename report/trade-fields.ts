// Snake_case views of trades and the open position: one place for the names all writers share.
import type { Direction, EntryDiagnostics, OpenPositionRecord, TradeRecord } from '../engine/types.ts';

export function directionLabel(direction: Direction): 'SHORT' | 'LONG' {
  return direction === -1 ? 'SHORT' : 'LONG';
}

/**
 * A closed trade with the key names and order of the golden trades.jsonl
 * (/work/shared/golden/engine-synth-3d/expected), plus trade_id first and market_ob_mult,
 * which the golden run (no OB engine) did not carry.
 */
export function tradeRow(t: TradeRecord) {
  const e = t.entry;
  return {
    trade_id: t.tradeId,
    date: t.date,
    entry_date: t.entryDate,
    entry_bar: t.entryBar,
    exit_bar: t.exitBar,
    entry_ts: t.entryTs,
    exit_ts: t.exitTs,
    asset: t.asset,
    direction: directionLabel(t.direction),
    entry_price: t.entryPrice,
    exit_price: t.exitPrice,
    exit_trigger_price: t.exitTriggerPrice,
    leverage: t.leverage,
    notional: t.notional,
    fraction: t.fraction,
    exit_reason: t.exitReason,
    bars_held: t.barsHeld,
    pnl_pct_price: t.pnlPctPrice,
    pnl_pct_raw: t.pnlPctRaw,
    rng_entry_draw: t.rngEntryDraw,
    rng_exit_draw: t.rngExitDraw,
    rng_ob_draw: t.rngObDraw,
    entry_fee: t.entryFee,
    exit_fee: t.exitFee,
    gross_pnl: t.grossPnl,
    net_pnl: t.netPnl,
    capital_after: t.capitalAfter,
    capital_at_entry: e.capitalAtEntry,
    vel_div_entry: e.velDiv,
    ...sizingFields(e),
    posture_at_entry: e.posture,
  };
}

export type TradeRow = ReturnType<typeof tradeRow>;

/**
 * The open position with the key names of the golden summary.json's open_position: direction as
 * -1/1 and the entry diagnostics unprefixed (vel_div, posture), plus market_ob_mult.
 */
export function openPositionRow(p: OpenPositionRecord) {
  const e = p.entry;
  return {
    trade_id: p.tradeId,
    asset: p.asset,
    direction: p.direction,
    entry_price: p.entryPrice,
    entry_bar: p.entryBar,
    entry_date: p.entryDate,
    entry_ts: p.entryTs,
    notional: p.notional,
    leverage: p.leverage,
    fraction: p.fraction,
    capital_at_entry: e.capitalAtEntry,
    vel_div: e.velDiv,
    ...sizingFields(e),
    posture: e.posture,
  };
}

/** The entry's sizing and selection diagnostics, in the order both rows carry them. */
function sizingFields(e: EntryDiagnostics) {
  return {
    vel_div_trend: e.velDivTrend,
    bucket: e.bucket,
    bucket_boost: e.bucketBoost,
    streak_mult: e.streakMult,
    trend_mult: e.trendMult,
    strength_score: e.strengthScore,
    size_leverage: e.sizeLeverage,
    regime_size_mult: e.regimeSizeMult,
    market_ob_mult: e.marketObMult,
    clamped_max_leverage: e.clampedMaxLeverage,
    raw_leverage: e.rawLeverage,
    dc: e.dc,
    signal_confidence: e.signalConfidence,
    ars: e.ars,
    irp_alignment: e.irpAlignment,
  };
}
