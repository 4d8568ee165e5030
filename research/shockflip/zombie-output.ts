// Files of `dolphin research zombie`: every simulated trade of every run (zombie_trades.csv) and the
// summary with the Step-2 verdict (zombie_summary.json).
import { csvText } from './csv.ts';
import type { ZombieReport } from './zombie.ts';

export const ZOMBIE_TRADE_COLUMNS = [
  'run', 'entry_ts', 'exit_ts', 'side', 'diamond', 'entry_price', 'exit_price', 'atr', 'exit_reason', 'bars_held',
  'partial_price', 'gross_return', 'net_return', 'return_atr', 'mfe_atr',
] as const;

const iso = (ms: number): string => new Date(ms).toISOString();

export function zombieTradesCsv(z: ZombieReport): string {
  const rows = z.runs.flatMap((r) => r.trades.map((t) => [
    r.name, iso(t.entryTs), iso(t.exitTs), t.side === 1 ? 'long' : 'short', t.diamond, t.entryPrice, t.exitPrice, t.atr,
    t.exitReason, t.barsHeld, t.partial?.price ?? null, t.grossReturn, t.netReturn, t.returnAtr, t.mfeAtr,
  ]));
  return csvText(ZOMBIE_TRADE_COLUMNS, rows);
}

/** The summary object (runs without their trade lists, which are in the CSV). */
export function zombieSummary(z: ZombieReport): Record<string, unknown> {
  return {
    verdict: z.verdict,
    months: z.months,
    runs: z.runs.map((r) => ({ name: r.name, ...r.stats, skipped: r.skipped })),
    options: z.options,
  };
}
