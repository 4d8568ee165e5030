// The node's view of a replay: dates, the preloaded ACB table (as the batch backtest builds it),
// postures and a loader for each date's frame.
import { percentile } from '../engine/acb.ts';
import type { EngineConfig } from '../engine/config.ts';
import { planAcb, type RunPlan } from '../engine/run.ts';
import type { DayFrame } from '../engine/types.ts';
import { readDayFile } from '../market/day-file.ts';
import type { RunInputs } from '../market/run-inputs.ts';
import type { NodeInputs } from './context.ts';

/**
 * A replay of day files on disk. Reading a date starts reading the next one, as the batch backtest's
 * dayFrames does, so decoding the next file overlaps the engine's work on this one.
 */
export function nodeInputsFrom(run: RunInputs, cfg: EngineConfig): NodeInputs {
  const nextOf = new Map(run.refs.map((r, i) => [r.date, run.refs[i + 1]?.date]));
  const paths = new Map(run.refs.map((r) => [r.date, r.path]));
  const read = (date: string): Promise<DayFrame> => {
    const path = paths.get(date);
    return path === undefined ? Promise.reject(new Error(`no day file for ${date} in the replay`)) : readDayFile(path);
  };
  let ahead: { date: string; frame: Promise<DayFrame> } | null = null;
  return nodeInputsOf(run.plan, cfg, (date) => {
    const frame = ahead?.date === date ? ahead.frame : read(date);
    const next = nextOf.get(date);
    ahead = next === undefined ? null : { date: next, frame: read(next) };
    // a prefetch nobody asks for (the run stops) must not become an unhandled rejection
    ahead?.frame.catch(() => {});
    return frame;
  });
}

/** A replay of the plan's dates with frames from `loadDay` (files, memory, a generator). */
export function nodeInputsOf(plan: RunPlan, cfg: EngineConfig, loadDay: (date: string) => Promise<DayFrame>): NodeInputs {
  return {
    dates: plan.dates,
    acbDays: planAcb(plan, cfg),
    w750Threshold: percentile(plan.dates.map((d) => plan.w750ByDate.get(d) ?? NaN), cfg.acb.w750_threshold_pct),
    factorsByDate: plan.factorsByDate,
    postureByDate: plan.postureByDate,
    loadDay,
  };
}
