// Shared fixtures of the actor tests: a NodeContext over an embedded cluster, in-memory NodeInputs
// built from seeded synthetic days, a supervisor torn down with the test, and small status/poll tools.
import type { ExecutionContext } from 'ava';
import type { Logger } from 'pino';
import type { AnyActorDef } from '../../supervision/actor-def.ts';
import { SINGLE_NODE, type NodeContext, type NodeInputs, type NodeOptions } from '../../actors/context.ts';
import { nodeInputsOf } from '../../actors/inputs.ts';
import { CHAMPION, type EngineConfig } from '../../engine/config.ts';
import { assessEnvelope } from '../../engine/forewarner-mc.ts';
import type { RunPlan } from '../../engine/run.ts';
import type { DayFrame } from '../../engine/types.ts';
import { generateDays } from '../../market/synthetic.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import type { FeatureStore } from '../../store/port.ts';
import type { ActorHandle } from '../../supervision/handle.ts';
import { createLogger } from '../../supervision/log.ts';
import type { RestartPolicy } from '../../supervision/policy.ts';
import { Supervisor } from '../../supervision/supervisor.ts';

/** Small backoffs so a restart takes milliseconds. */
export const FAST: RestartPolicy = { maxRestarts: 20, periodMs: 10_000, backoffInitialMs: 2, backoffFactor: 2, backoffMaxMs: 20 };

export const silent = (): Logger => createLogger({ level: 'silent' });

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a condition every 2 ms; rejects naming what was awaited after timeoutMs. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Seeded synthetic days, small enough for a test (a few hundred bars, a handful of assets). */
export function days(seed: number, n = 3, rows = 400, assets = 8): DayFrame[] {
  return generateDays({ seed, startDate: '2026-01-01', days: n, assets, barsPerDay: rows });
}

export { planOf } from '../helpers/node-run.ts';

/** NodeInputs over in-memory frames and a plan, as nodeInputsFrom builds them from day files. */
export function inputsOf(frames: readonly DayFrame[], plan: RunPlan, cfg: EngineConfig = CHAMPION): NodeInputs {
  const byDate = new Map(frames.map((f) => [f.date, f]));
  return nodeInputsOf(plan, cfg, async (date) => {
    const f = byDate.get(date);
    if (f === undefined) throw new Error(`no frame for ${date}`);
    return f;
  });
}

/** Inputs with nothing preloaded: no ACB table, no factors, no postures. */
export function bareInputs(frames: readonly DayFrame[] = []): NodeInputs {
  const byDate = new Map(frames.map((f) => [f.date, f]));
  return {
    dates: frames.map((f) => f.date),
    acbDays: null,
    w750Threshold: NaN,
    factorsByDate: new Map(),
    postureByDate: new Map(),
    loadDay: async (date) => {
      const f = byDate.get(date);
      if (f === undefined) throw new Error(`no frame for ${date}`);
      return f;
    },
  };
}

export interface CtxOptions {
  cfg?: EngineConfig;
  inputs?: NodeInputs;
  options?: Partial<NodeOptions>;
  now?: () => number;
  /** the client name the node connects with */
  client?: string;
}

/** A NodeContext on its own client of `cluster`. Defaults: champion engine, streaming, empty-day. */
export function ctxOf(cluster: EmbeddedCluster, o: CtxOptions = {}): NodeContext {
  return {
    store: cluster.connect(o.client ?? 'node'),
    cfg: o.cfg ?? CHAMPION,
    inputs: o.inputs ?? bareInputs(),
    now: o.now ?? Date.now,
    assess: async (input) => assessEnvelope(input),
    cluster: SINGLE_NODE,
    options: {
      mode: 'streaming',
      hibernatePath: 'empty-day',
      postureSource: 'schedule',
      forewarnerGate: false,
      capital: 25_000,
      checkpointsKept: 3,
      inputs: {},
      ...o.options,
    },
  };
}

/** A supervisor running `defs` in the given order, shut down when the test ends. */
export async function treeOf(t: ExecutionContext, defs: readonly AnyActorDef[]): Promise<Supervisor> {
  const sup = new Supervisor(silent(), FAST);
  t.teardown(() => sup.shutdown(500));
  for (const d of defs) sup.add({ policy: FAST, ...d });
  await sup.startInOrder(defs.map((d) => d.name));
  return sup;
}

/** The status detail of an actor. */
export async function status(h: ActorHandle, timeoutMs = 2_000): Promise<Record<string, unknown>> {
  const r = await h.ask({ type: 'Status' }, timeoutMs);
  if (r.type !== 'StatusReply') throw new Error(`expected a StatusReply, got ${r.type}`);
  return r.detail;
}

/** A second client of the cluster, closed with the test (another service sharing the store). */
export function otherClient(t: ExecutionContext, cluster: EmbeddedCluster, name = 'other'): FeatureStore {
  const c = cluster.connect(name);
  t.teardown(() => c.close());
  return c;
}
