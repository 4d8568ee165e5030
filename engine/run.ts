// A multi-day run over frames the caller supplies (lazily, if it likes): the batch backtest.
// Pure: the caller does the reading; the same engine serves the actor node.
import { acbTable, type AcbDay } from './acb.ts';
import { AlphaEngine, type EngineProviders } from './alpha-engine.ts';
import type { EngineConfig } from './config.ts';
import { summarise } from './metrics.ts';
import type { DayFrame, DayResult, ExternalFactors, Posture, RunResult } from './types.ts';

export interface RunPlan {
  dates: readonly string[];
  /** the median finite v750 velocity of each date (§10.3 "preloaded") */
  w750ByDate: ReadonlyMap<string, number>;
  factorsByDate: ReadonlyMap<string, ExternalFactors>;
  postureByDate: ReadonlyMap<string, Posture>;
  capital: number;
  inputs?: Record<string, unknown>;
}

export function planAcb(plan: RunPlan, cfg: EngineConfig): Map<string, AcbDay> | null {
  return cfg.acb.use_acb ? acbTable(plan.dates, plan.w750ByDate, plan.factorsByDate, cfg.acb) : null;
}

export interface RunHooks {
  onDay?: (day: DayResult, index: number) => void;
}

/** Runs every frame in order; frames must come in the plan's date order. */
export async function runDays(
  frames: AsyncIterable<DayFrame> | Iterable<DayFrame>,
  plan: RunPlan,
  cfg: EngineConfig,
  providers: EngineProviders = {},
  hooks: RunHooks = {},
): Promise<RunResult> {
  const engine = new AlphaEngine(cfg, plan.capital, providers);
  const acb = planAcb(plan, cfg);
  const days: DayResult[] = [];
  let i = 0;
  for await (const frame of frames) {
    if (frame.date !== plan.dates[i]) {
      throw new Error(`frame for ${frame.date} arrived where the plan expects ${plan.dates[i] ?? 'no more days'}`);
    }
    const a = acb?.get(frame.date);
    const result = engine.processDay(
      frame,
      plan.postureByDate.get(frame.date) ?? 'APEX',
      a === undefined ? null : { boost: a.boost, beta: a.beta, signals: a.signals },
    );
    days.push(result);
    hooks.onDay?.(result, i);
    i++;
  }
  return {
    summary: summarise(plan.capital, days, engine.trades),
    days,
    trades: [...engine.trades],
    openPosition: engine.openPosition(),
    inputs: plan.inputs ?? {},
  };
}
