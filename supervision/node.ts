// The DOLPHIN node: the six actors under one supervisor, started in the bible's §16.6 order (store,
// ACB, OB, watchdog, forewarner, Dolphin last) and stopped in reverse. The node owns what must outlive
// any one actor: the store client, the forewarner's worker pool and the order-book source.
import type { Logger } from 'pino';
import { acbActor } from '../actors/acb.ts';
import { runFeed, type FeedReport, type LastBar, type SubdayUpdate } from '../actors/bar-feed.ts';
import { SINGLE_NODE, type NodeContext, type NodeInputs } from '../actors/context.ts';
import { dolphinActor } from '../actors/dolphin.ts';
import { featuresActor } from '../actors/features.ts';
import { forewarnerActor } from '../actors/forewarner.ts';
import { obStreamActor } from '../actors/ob-stream.ts';
import { openResources, type NodeResources } from '../actors/resources.ts';
import { readRunResult } from '../actors/results.ts';
import { watchdogActor } from '../actors/watchdog.ts';
import type { NodeConfig } from '../config/node-schema.ts';
import type { EngineConfig } from '../engine/config.ts';
import type { RunResult } from '../engine/types.ts';
import type { ObSource } from '../market/ob-source.ts';
import { colorOfDirection } from '../store/names.ts';
import type { FeatureStore } from '../store/port.ts';
import type { AnyActorDef } from './actor-def.ts';
import { Chaos } from './chaos.ts';
import { NodeCluster } from './node-cluster.ts';
import { Supervisor } from './supervisor.ts';

/** Start order of §16.6; shutdown runs it backwards. */
export const START_ORDER = ['features', 'acb', 'ob', 'watchdog', 'forewarner', 'dolphin'] as const;
export type ActorName = (typeof START_ORDER)[number];

export interface NodeSetup {
  config: NodeConfig;
  engine: EngineConfig;
  inputs: NodeInputs;
  store: FeatureStore;
  log: Logger;
  /** echoed into summary.json */
  describe?: Record<string, unknown>;
  now?: () => number;
  /** an order-book source built by the caller (the paper command's ccxt source) */
  obSource?: ObSource;
  /** actors composed by the caller (e.g. the paper command's Volume Shock trader), started after the six */
  extraActors?: AnyActorDef[];
}

export class DolphinNode {
  readonly tree: Supervisor;
  readonly ctx: NodeContext;
  readonly chaos: Chaos;
  /** the last bar Dolphin took, with the wall-clock time it took it (for /health) */
  lastBar: (LastBar & { atMs: number }) | null = null;
  private stopped = false;

  private constructor(
    readonly setup: NodeSetup,
    private readonly resources: NodeResources,
    /** null on a lone node */
    readonly cluster: NodeCluster | null,
  ) {
    const { config: c, log } = setup;
    this.tree = new Supervisor(log, {
      maxRestarts: c.supervision.max_restarts,
      periodMs: c.supervision.period_ms,
      backoffInitialMs: c.supervision.backoff_initial_ms,
      backoffFactor: c.supervision.backoff_factor,
      backoffMaxMs: c.supervision.backoff_max_ms,
    });
    this.ctx = {
      store: setup.store,
      cfg: setup.engine,
      inputs: setup.inputs,
      now: setup.now ?? Date.now,
      assess: resources.assess,
      cluster: cluster ?? SINGLE_NODE,
      options: {
        mode: c.mode,
        hibernatePath: c.hibernate_path,
        postureSource: c.posture_source,
        forewarnerGate: c.forewarner_gate,
        capital: c.capital,
        checkpointsKept: c.checkpoints_kept,
        inputs: { ...setup.describe, node: { mode: c.mode, hibernate_path: c.hibernate_path, posture_source: c.posture_source }, seed: setup.engine.seed },
      },
    };
    const a = c.actors;
    this.tree.add(featuresActor(this.ctx, { dolphin: 'dolphin' }));
    this.tree.add(acbActor(this.ctx, { lockTimeoutMs: a.acb_lock_timeout_ms }));
    this.tree.add(obStreamActor(this.ctx, { source: resources.obSource, symbols: a.ob_symbols, cycleMs: a.ob_cycle_ms, staleAfterMs: a.ob_stale_after_ms, features: 'features' }));
    this.tree.add(watchdogActor(this.ctx, { cycleMs: a.watchdog_cycle_ms }));
    this.tree.add(forewarnerActor(this.ctx));
    this.tree.add(dolphinActor(this.ctx));
    for (const def of setup.extraActors ?? []) this.tree.add(def);
    this.chaos = new Chaos(this.tree, { rate: c.chaos.rate, intervalMs: c.chaos.interval_ms, seed: c.chaos.seed, mode: c.chaos.mode, delayMaxMs: c.chaos.delay_max_ms, actors: c.chaos.actors, pick: c.chaos.pick }, log.child({ component: 'chaos' }));
  }

  static async start(setup: NodeSetup): Promise<DolphinNode> {
    const c = setup.config.cluster;
    // §16.6: the store comes first; in a cluster that includes this node's heartbeat and its elections
    const cluster = c.enabled ? await NodeCluster.join(setup.store, c, colorOfDirection(setup.engine.direction), setup.log) : null;
    const node = new DolphinNode(setup, await openResources(setup.config, setup.obSource), cluster);
    await node.tree.startInOrder([...START_ORDER, ...(setup.extraActors ?? []).map((d) => d.name)]);
    setup.log.info({ actors: START_ORDER, mode: setup.config.mode, cluster: cluster?.summary() ?? null }, 'node running');
    return node;
  }

  /** Replays the inputs' dates through the tree; resolves when Dolphin has written the last one. */
  replay(
    opts: { subday?: ReadonlyMap<string, readonly SubdayUpdate[]>; signal?: AbortSignal; onDay?(date: string): void; onBatch?(rows: number, ms: number): void; onBar?(bar: LastBar): void } = {},
  ): Promise<FeedReport> {
    const f = this.setup.config.feed;
    return runFeed(
      this.tree,
      this.ctx.inputs,
      {
        mode: this.setup.config.mode,
        batchRows: f.batch_rows,
        speed: f.speed,
        barMs: f.bar_ms,
        askTimeoutMs: f.ask_timeout_ms,
        forewarner: f.forewarner_daily,
        forewarnerBlocks: this.setup.config.forewarner_gate,
        maxLeverage: this.setup.engine.sizing.max_leverage,
        names: { dolphin: 'dolphin', acb: 'acb', watchdog: 'watchdog', forewarner: 'forewarner', features: 'features' },
        maxRetriesPerDate: f.max_retries_per_date,
        ...opts,
        onBar: (bar) => {
          this.lastBar = { ...bar, atMs: this.ctx.now() };
          opts.onBar?.(bar);
        },
      },
      this.setup.log.child({ component: 'feed' }),
    );
  }

  /** The results as the store holds them (the same shapes the batch backtest returns). */
  async results(): Promise<RunResult> {
    const dolphin = this.tree.get('dolphin');
    await dolphin.whenRunning();
    const st = await dolphin.ask({ type: 'Status' }, this.setup.config.feed.ask_timeout_ms);
    const open = st.type === 'StatusReply' ? ((st.detail.openPosition ?? null) as RunResult['openPosition']) : null;
    return readRunResult(this.ctx, open);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.chaos.stop();
    await this.tree.shutdown();
    await this.cluster?.leave();
    await this.resources.close();
  }
}
