// daily.csv: one row per processed date.
import type { DayResult } from '../engine/types.ts';
import { csvText } from './csv.ts';

export const DAILY_CSV_COLUMNS = [
  'date',
  'pnl',
  'capital',
  'boost',
  'beta',
  'mc_status',
  'posture',
  'trades',
  'bars',
  'signals',
  'return',
] as const;

/**
 * `return` is pnl over the capital at the start of the day, computed as capital − pnl exactly as
 * engine/metrics.ts dailyReturns does, so the column reproduces the summary's Sharpe to the bit.
 * Empty when that start capital is 0.
 */
export function dailyCsv(days: readonly DayResult[]): string {
  const rows = days.map((d) => {
    const ret = d.pnl / (d.capital - d.pnl);
    return [
      d.date,
      d.pnl,
      d.capital,
      d.boost,
      d.beta,
      d.mcStatus,
      d.posture,
      d.trades,
      d.bars,
      d.signals,
      Number.isFinite(ret) ? ret : null,
    ];
  });
  return csvText(DAILY_CSV_COLUMNS, rows);
}
