// In-memory replays for node tests: seeded synthetic days, the batch backtest's plan over them, and a
// node started on a fresh embedded store.
import { nodeInputsOf } from '../../actors/inputs.ts';
import { championConfig } from '../../config/engine-schema.ts';
import { parseNodeConfig, type NodeConfig } from '../../config/node-schema.ts';
import { finiteMedian } from '../../engine/acb.ts';
import type { EngineConfig } from '../../engine/config.ts';
import { runDays, type RunPlan } from '../../engine/run.ts';
import type { DayFrame, ExternalFactors, Posture, RunResult } from '../../engine/types.ts';
import { generateDays, syntheticFactors } from '../../market/synthetic.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { createLogger } from '../../supervision/log.ts';
import { DolphinNode } from '../../supervision/node.ts';

export interface MemoryRun {
  cfg: EngineConfig;
  frames: Map<string, DayFrame>;
  plan: RunPlan;
}

export function memoryRun(o: { seed: number; days: number; assets: number; bars: number; capital?: number }): MemoryRun {
  const cfg = championConfig();
  const list = generateDays({ seed: o.seed, startDate: '2026-03-01', days: o.days, assets: o.assets, barsPerDay: o.bars });
  return { cfg, frames: new Map(list.map((f) => [f.date, f])), plan: planOf(list, o.seed, o.capital) };
}

/** The batch backtest's plan over in-memory frames, with the synthetic generator's factors. */
export function planOf(frames: readonly DayFrame[], seed: number, capital = 25_000, postures: ReadonlyMap<string, Posture> = new Map()): RunPlan {
  const dates = frames.map((f) => f.date);
  const factorsByDate = new Map<string, ExternalFactors>([...syntheticFactors(seed, dates)].map(([d, v]) => [d, v.factors]));
  const w750ByDate = new Map(frames.map((f) => [f.date, finiteMedian(f.v750)]));
  return { dates, w750ByDate, factorsByDate, postureByDate: new Map(postures), capital };
}

export function batchRun(r: MemoryRun): Promise<RunResult> {
  return runDays(r.plan.dates.map((d) => r.frames.get(d)!), r.plan, r.cfg);
}

export async function startNode(r: MemoryRun, config: Record<string, unknown>, cluster = new EmbeddedCluster()): Promise<{ node: DolphinNode; cluster: EmbeddedCluster; config: NodeConfig }> {
  const cfg = parseNodeConfig({ http: { port: null }, forewarner: { threads: 0 }, capital: r.plan.capital, ...config }, 'test');
  const inputs = nodeInputsOf(r.plan, r.cfg, async (d) => r.frames.get(d)!);
  const node = await DolphinNode.start({ config: cfg, engine: r.cfg, inputs, store: cluster.connect(`node-${Math.random().toString(36).slice(2)}`), log: createLogger({ level: 'silent' }) });
  return { node, cluster, config: cfg };
}
