// Step 2 of the blueprint ("Hygiene"): the same events traded three ways — the legacy TP/SL
// baseline, + the bar-10 zombie exit, + the zombie exit and the 0.5-ATR partial take — with profit
// factor and trades per month for each, and the verdict: PF(variant) ≥ PF(baseline) + 0.15 and at
// least 20 trades per month.
import { MONTH_MS, monthKey } from './stats-months.ts';
import { pfImprovement, profitFactor } from './stats-pf.ts';
import { zombieOptions, type ZombieOptions, type ZombieOptionsInput } from './zombie-options.ts';
export { pfImprovement, profitFactor } from './stats-pf.ts';
import { simulate, type PriceBars, type SimResult, type SimTrade, type TradeEvent } from './zombie-sim.ts';

export interface RunStats {
  trades: number;
  wins: number;
  /** Σ positive net returns / |Σ negative net returns|; Infinity with gains and no loss; NaN with neither */
  profitFactor: number;
  /** Σ net returns (fractions of notional, not compounded) */
  totalReturn: number;
  /** mean net return in ATRs per trade */
  meanReturnAtr: number;
  /** trades / months spanned by the bars */
  tradesPerMonth: number;
  /** trades per calendar month (UTC) of the entry, in month order */
  byMonth: { month: string; trades: number }[];
  exitReasons: Record<string, number>;
}

export interface ZombieRun extends SimResult {
  name: 'baseline' | 'zombie' | 'zombie_partial';
  stats: RunStats;
}

export interface Step2Verdict {
  step: 2;
  passed: boolean;
  variant: 'zombie' | 'zombie_partial';
  baselinePf: number;
  variantPf: number;
  pfImprovement: number;
  tradesPerMonth: number;
  /** why it failed, one line per unmet criterion; empty when it passed */
  reasons: string[];
}

export interface ZombieReport {
  options: ZombieOptions;
  /** months spanned by the bars (the denominator of trades per month) */
  months: number;
  runs: ZombieRun[];
  verdict: Step2Verdict;
}

/** Months covered by the bars: (last − first timestamp) / average month. */
export function monthsSpanned(bars: PriceBars): number {
  const n = bars.ts.length;
  return n < 2 ? 0 : (bars.ts[n - 1] - bars.ts[0]) / MONTH_MS;
}

export function runStats(trades: readonly SimTrade[], months: number): RunStats {
  const returns = trades.map((t) => t.netReturn);
  const counts = new Map<string, number>();
  const reasons: Record<string, number> = {};
  for (const t of trades) {
    const m = monthKey(t.entryTs);
    counts.set(m, (counts.get(m) ?? 0) + 1);
    reasons[t.exitReason] = (reasons[t.exitReason] ?? 0) + 1;
  }
  return {
    trades: trades.length,
    wins: returns.filter((r) => r > 0).length,
    profitFactor: profitFactor(returns),
    totalReturn: returns.reduce((a, b) => a + b, 0),
    meanReturnAtr: trades.length === 0 ? NaN : trades.reduce((a, t) => a + t.returnAtr, 0) / trades.length,
    tradesPerMonth: months > 0 ? trades.length / months : NaN,
    byMonth: [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([month, n]) => ({ month, trades: n })),
    exitReasons: reasons,
  };
}

export function step2Verdict(runs: readonly ZombieRun[], o: ZombieOptions): Step2Verdict {
  const base = runs.find((r) => r.name === 'baseline')!;
  const variant = runs.find((r) => r.name === o.verdict.variant)!;
  const improvement = pfImprovement(base.stats.profitFactor, variant.stats.profitFactor);
  const reasons: string[] = [];
  if (!(improvement >= o.verdict.minPfImprovement)) {
    reasons.push(`PF improvement ${improvement} is below ${o.verdict.minPfImprovement} (baseline ${base.stats.profitFactor}, ${variant.name} ${variant.stats.profitFactor})`);
  }
  if (!(variant.stats.tradesPerMonth >= o.verdict.minTradesPerMonth)) {
    reasons.push(`${variant.stats.tradesPerMonth} trades/month is below the floor of ${o.verdict.minTradesPerMonth}`);
  }
  return {
    step: 2,
    passed: reasons.length === 0,
    variant: o.verdict.variant,
    baselinePf: base.stats.profitFactor,
    variantPf: variant.stats.profitFactor,
    pfImprovement: improvement,
    tradesPerMonth: variant.stats.tradesPerMonth,
    reasons,
  };
}

export function runZombie(bars: PriceBars, events: readonly TradeEvent[], input: ZombieOptionsInput = {}): ZombieReport {
  const o = zombieOptions(input);
  const months = monthsSpanned(bars);
  const plan = [
    ['baseline', { zombie: false, partial: false }],
    ['zombie', { zombie: true, partial: false }],
    ['zombie_partial', { zombie: true, partial: true }],
  ] as const;
  const runs: ZombieRun[] = plan.map(([name, rules]) => {
    const r = simulate(bars, events, o, rules);
    return { name, ...r, stats: runStats(r.trades, months) };
  });
  return { options: o, months, runs, verdict: step2Verdict(runs, o) };
}
