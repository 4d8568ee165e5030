// What the node hands its actors: the store client, the engine config, the run's inputs and the
// node's options. Actors receive it at construction and never reach outside it.
import type { AcbDay } from '../engine/acb.ts';
import type { EngineConfig } from '../engine/config.ts';
import type { McInput, McReport } from '../engine/forewarner-mc.ts';
import type { DayFrame, ExternalFactors, Posture } from '../engine/types.ts';
import type { FeatureStore } from '../store/port.ts';

/** bible §14.1 step 5 processes a HIBERNATE day as an empty day; 'engine' feeds it the bars (batch parity). */
export type HibernatePath = 'empty-day' | 'engine';

/** 'schedule': the posture of the factors file (APEX where absent); 'survival': the survival stack's. */
export type PostureSource = 'schedule' | 'survival';

export interface NodeOptions {
  /** day-file: the first bar of a date runs processDay on that date's file; streaming: processBar per bar */
  mode: 'day-file' | 'streaming';
  hibernatePath: HibernatePath;
  postureSource: PostureSource;
  /** the engine reads the forewarner's report from the store (§12 gate); off keeps batch parity */
  forewarnerGate: boolean;
  capital: number;
  /** engine checkpoints kept in the state map (≥ 1: a restart needs the latest) */
  checkpointsKept: number;
  /** free-form description of the inputs, echoed into summary.json */
  inputs: Record<string, unknown>;
}

/** The run's inputs as the actors see them: what the ACB and the watchdog schedule read. */
export interface NodeInputs {
  dates: readonly string[];
  /** the ACB of each date with the §10.3 threshold "preloaded" over all dates (as the backtest) */
  acbDays: ReadonlyMap<string, AcbDay> | null;
  /** the w750 threshold those days were computed with (sub-day updates reuse it) */
  w750Threshold: number;
  factorsByDate: ReadonlyMap<string, ExternalFactors>;
  postureByDate: ReadonlyMap<string, Posture>;
  loadDay(date: string): Promise<DayFrame>;
}

export type Assess = (input: McInput) => Promise<McReport>;

/** The cluster-wide singletons (docs/cluster.md): one node at a time runs each. */
export type SingletonRole = 'acb' | 'watchdog' | 'forewarner' | 'dolphin';

/**
 * What this node may do in a cluster of nodes: which singletons it leads now and which order-book
 * symbols it streams. A lone node leads everything and streams every symbol (SINGLE_NODE).
 */
export interface ClusterView {
  /** null on a lone node */
  readonly nodeId: string | null;
  leads(role: SingletonRole): boolean;
  /** the election already holds the ACB writer lock (the ACB writes without taking it per write) */
  holdsAcbLock(): boolean;
  /** the symbols of `symbols` whose books this node streams (shard split) */
  ownSymbols(symbols: readonly string[]): readonly string[];
  /** node ids whose heartbeat is fresh, sorted; [] on a lone node */
  liveNodes(): readonly string[];
}

export const SINGLE_NODE: ClusterView = {
  nodeId: null,
  leads: () => true,
  holdsAcbLock: () => false,
  ownSymbols: (symbols) => symbols,
  liveNodes: () => [],
};

export interface NodeContext {
  store: FeatureStore;
  cfg: EngineConfig;
  options: NodeOptions;
  inputs: NodeInputs;
  assess: Assess;
  cluster: ClusterView;
  /** wall clock in ms; injectable so tests control the watchdog's and OB's notion of time */
  now(): number;
}
