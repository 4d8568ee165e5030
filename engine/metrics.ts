// Run metrics as SPEC-NOTES defines them: Sharpe on daily returns (ddof 1, √365), max drawdown
// on the equity after each closed trade, profit factor on net PnL, a win is net PnL > 0.
import type { DayResult, Summary, TradeRecord } from './types.ts';

export function sharpe(dailyReturns: readonly number[]): number {
  const n = dailyReturns.length;
  if (n < 2) return 0;
  const mean = dailyReturns.reduce((s, x) => s + x, 0) / n;
  const variance = dailyReturns.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (n - 1);
  const sd = Math.sqrt(variance);
  return sd === 0 ? 0 : (mean / sd) * Math.sqrt(365);
}

export function maxDrawdown(initialCapital: number, trades: readonly TradeRecord[]): number {
  let peak = initialCapital;
  let worst = 0;
  for (const t of trades) {
    if (t.capitalAfter > peak) peak = t.capitalAfter;
    const dd = (peak - t.capitalAfter) / peak;
    if (dd > worst) worst = dd;
  }
  return worst;
}

export function profitFactor(trades: readonly TradeRecord[]): number {
  let wins = 0;
  let losses = 0;
  for (const t of trades) {
    if (t.netPnl > 0) wins += t.netPnl;
    else losses -= t.netPnl;
  }
  if (losses === 0) return wins > 0 ? Infinity : 0;
  return wins / losses;
}

/** Each day's PnL over the capital it started with. */
export function dailyReturns(days: readonly DayResult[]): number[] {
  return days.map((d) => d.pnl / (d.capital - d.pnl));
}

export function summarise(initialCapital: number, days: readonly DayResult[], trades: readonly TradeRecord[]): Summary {
  const finalCapital = days.length > 0 ? days[days.length - 1].capital : initialCapital;
  const exitReasons: Record<string, number> = {};
  for (const t of trades) exitReasons[t.exitReason] = (exitReasons[t.exitReason] ?? 0) + 1;
  const wins = trades.filter((t) => t.netPnl > 0).length;
  return {
    initialCapital,
    finalCapital,
    roi: finalCapital / initialCapital - 1,
    profitFactor: profitFactor(trades),
    sharpe: sharpe(dailyReturns(days)),
    maxDrawdown: maxDrawdown(initialCapital, trades),
    winRate: trades.length > 0 ? wins / trades.length : 0,
    trades: trades.length,
    exitReasons: Object.fromEntries(Object.entries(exitReasons).sort(([a], [b]) => (a < b ? -1 : 1))),
    bars: days.reduce((s, d) => s + d.bars, 0),
    days: days.length,
  };
}
