// trades.csv: one row per closed trade, the trade first, then the entry diagnostics.
import type { TradeRecord } from '../engine/types.ts';
import { csvText } from './csv.ts';
import { type TradeRow, tradeRow } from './trade-fields.ts';

export const TRADES_CSV_COLUMNS = [
  'trade_id',
  'date',
  'entry_date',
  'entry_bar',
  'exit_bar',
  'entry_ts',
  'exit_ts',
  'asset',
  'direction',
  'entry_price',
  'exit_price',
  'exit_trigger_price',
  'leverage',
  'notional',
  'fraction',
  'exit_reason',
  'bars_held',
  'pnl_pct_price',
  'pnl_pct_raw',
  'entry_fee',
  'exit_fee',
  'gross_pnl',
  'net_pnl',
  'capital_after',
  // diagnostics
  'capital_at_entry',
  'vel_div_entry',
  'vel_div_trend',
  'bucket',
  'bucket_boost',
  'streak_mult',
  'trend_mult',
  'strength_score',
  'size_leverage',
  'regime_size_mult',
  'market_ob_mult',
  'clamped_max_leverage',
  'raw_leverage',
  'dc',
  'signal_confidence',
  'ars',
  'irp_alignment',
  'posture_at_entry',
  'rng_entry_draw',
  'rng_exit_draw',
  'rng_ob_draw',
] as const satisfies readonly (keyof TradeRow)[];

export function tradesCsv(trades: readonly TradeRecord[]): string {
  return csvText(
    TRADES_CSV_COLUMNS,
    trades.map((t) => {
      const row = tradeRow(t);
      return TRADES_CSV_COLUMNS.map((c) => row[c]);
    }),
  );
}
