// Which nodes are alive: each node writes a heartbeat `{"node", "ts", "host", "instance"}` under its
// id in the IMap DOLPHIN_NODES every heartbeatMs; a node whose heartbeat is older than deadAfterMs is
// dead. The live set drives the order-book symbol split (supervision/shard-split.ts).
//
// `ts` is the writer's wall clock and is compared with the reader's, so the nodes' clocks must agree to
// well within deadAfterMs − heartbeatMs (NTP). `instance` is random per process: a node that finds
// another instance's heartbeat under its own id between two of its beats reports a duplicate node id.
// Entries of dead nodes are left in the map (harmless, ignored); a node removes its own on stop().
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { PayloadError, StoreClosedError } from '../store/errors.ts';
import type { FeatureStore, StoreMap } from '../store/port.ts';
import { pyJsonDumps } from '../store/py-json.ts';
import type { Timers } from './election.ts';
import { DOLPHIN_NODES } from './singleton-names.ts';
import { sameStrings } from '../actors/same-strings.ts';

export interface NodeHeartbeat {
  node: string;
  /** wall-clock ms of the write */
  ts: number;
  host: string;
  /** random per process: tells two processes using one node id apart */
  instance: string;
}

export interface MembershipOptions {
  nodeId: string;
  heartbeatMs: number;
  /** a heartbeat older than this means the node is dead; > heartbeatMs; default 3 × heartbeatMs */
  deadAfterMs?: number;
  host?: string;
  /** wall-clock ms shared by all nodes (Date.now by default) */
  clock?: () => number;
  timers?: Timers;
  log?: Logger;
  /** the live set (sorted) changed, as seen after one of our heartbeats */
  onChange?: (liveIds: readonly string[]) => void;
  /** another process heartbeats under our node id */
  onConflict?: (other: NodeHeartbeat) => void;
}

export class MembershipConfigError extends Error {
  override readonly name = 'MembershipConfigError';
}

const realTimers: Timers = {
  setTimeout(fn, ms) {
    const h = setTimeout(fn, ms);
    h.unref();
    return h;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The heartbeat's JSON, in Python json.dumps style like every other value in the cluster. */
export function heartbeatJson(hb: NodeHeartbeat): string {
  return pyJsonDumps({ node: hb.node, ts: Math.round(hb.ts), host: hb.host, instance: hb.instance });
}

/** Throws PayloadError naming the key and field when the value is not a heartbeat of that node. */
export function parseHeartbeat(key: string, json: string): NodeHeartbeat {
  const where = { map: DOLPHIN_NODES, key };
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new PayloadError(where, '', `not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new PayloadError(where, '', 'expected a JSON object');
  const o = v as Record<string, unknown>;
  if (o.node !== key) throw new PayloadError(where, 'node', `expected ${JSON.stringify(key)} (the key), got ${JSON.stringify(o.node)}`);
  if (typeof o.ts !== 'number' || !Number.isFinite(o.ts)) throw new PayloadError(where, 'ts', `expected a number of ms, got ${JSON.stringify(o.ts)}`);
  const host = typeof o.host === 'string' ? o.host : '';
  const instance = typeof o.instance === 'string' ? o.instance : '';
  return { node: key, ts: o.ts, host, instance };
}

/** Live ids among the map's entries at `now`, sorted by code unit (the same order on every node). */
export function liveIdsOf(entries: ReadonlyArray<readonly [string, string]>, now: number, deadAfterMs: number, onBad?: (e: PayloadError) => void): string[] {
  const live: string[] = [];
  for (const [key, json] of entries) {
    let hb: NodeHeartbeat;
    try {
      hb = parseHeartbeat(key, json);
    } catch (e) {
      if (!(e instanceof PayloadError)) throw e;
      onBad?.(e);
      continue;
    }
    if (now - hb.ts <= deadAfterMs) live.push(key);
  }
  return live.sort(byCodeUnit);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Membership {
  readonly nodeId: string;
  readonly heartbeatMs: number;
  readonly deadAfterMs: number;
  readonly instance = randomBytes(8).toString('hex');

  private readonly map: StoreMap;
  private readonly host: string;
  private readonly clock: () => number;
  private readonly timers: Timers;
  private readonly log: Logger | undefined;
  private readonly onChange: ((liveIds: readonly string[]) => void) | undefined;
  private readonly onConflict: ((other: NodeHeartbeat) => void) | undefined;

  private running = false;
  private beats = 0;
  private current: readonly string[] = [];
  private timer: unknown = null;
  private inflight: Promise<void> | null = null;

  constructor(store: FeatureStore, o: MembershipOptions) {
    if (typeof o.nodeId !== 'string' || o.nodeId === '') throw new MembershipConfigError(`nodeId must be a non-empty string, got ${JSON.stringify(o.nodeId)}`);
    if (!Number.isFinite(o.heartbeatMs) || o.heartbeatMs <= 0) throw new MembershipConfigError(`heartbeatMs must be > 0, got ${o.heartbeatMs}`);
    const deadAfterMs = o.deadAfterMs ?? 3 * o.heartbeatMs;
    // a node must not be declared dead between two of its own healthy heartbeats
    if (!Number.isFinite(deadAfterMs) || deadAfterMs <= o.heartbeatMs) {
      throw new MembershipConfigError(`deadAfterMs (${deadAfterMs}) must be greater than heartbeatMs (${o.heartbeatMs})`);
    }
    this.nodeId = o.nodeId;
    this.heartbeatMs = o.heartbeatMs;
    this.deadAfterMs = deadAfterMs;
    this.map = store.map(DOLPHIN_NODES);
    this.host = o.host ?? hostname();
    this.clock = o.clock ?? Date.now;
    this.timers = o.timers ?? realTimers;
    this.log = o.log?.child({ component: 'membership', node: o.nodeId });
    this.onChange = o.onChange;
    this.onConflict = o.onConflict;
  }

  /** The live ids (sorted) as of our latest heartbeat; empty before the first one lands. */
  view(): readonly string[] {
    return this.current;
  }

  /** Writes the first heartbeat and reads the live set; store trouble is logged and retried, never thrown. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.runBeat();
  }

  /** Stops heartbeating and removes this node's entry (only if it is still ours). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.inflight;
    try {
      const json = await this.map.get(this.nodeId);
      if (json !== null && parseHeartbeat(this.nodeId, json).instance === this.instance) await this.map.delete(this.nodeId);
    } catch (e) {
      // unreachable: the entry ages out after deadAfterMs, which is what a crash would leave anyway
      this.log?.warn({ err: e }, 'could not remove the heartbeat');
    }
  }

  /** A fresh read of the live ids, sorted. Rejects with the store's errors (e.g. StoreUnavailableError). */
  async liveNodes(): Promise<string[]> {
    const entries = await this.map.entries();
    return liveIdsOf(entries, this.clock(), this.deadAfterMs, (e) => this.log?.warn({ err: e }, 'ignoring a malformed heartbeat'));
  }

  private runBeat(): Promise<void> {
    const run = this.beat()
      .catch((e: unknown) => this.log?.error({ err: e }, 'heartbeat failed'))
      .finally(() => {
        if (this.inflight === run) this.inflight = null;
        if (this.running) this.timer = this.timers.setTimeout(() => void this.runBeat(), this.heartbeatMs);
      });
    this.inflight = run;
    return run;
  }

  private async beat(): Promise<void> {
    const hb: NodeHeartbeat = { node: this.nodeId, ts: this.clock(), host: this.host, instance: this.instance };
    let previous: string | null;
    try {
      previous = await this.map.put(this.nodeId, heartbeatJson(hb));
    } catch (e) {
      if (e instanceof StoreClosedError) this.running = false;
      this.log?.debug({ err: e }, 'cannot write the heartbeat');
      return;
    }
    // between two of our beats only we should have written our key
    if (this.beats++ > 0 && previous !== null) this.checkConflict(previous);
    let live: string[];
    try {
      live = await this.liveNodes();
    } catch (e) {
      this.log?.debug({ err: e }, 'cannot read the live nodes');
      return;
    }
    if (sameStrings(live, this.current)) return;
    this.current = Object.freeze(live);
    this.log?.info({ live }, 'live nodes changed');
    try {
      this.onChange?.(this.current);
    } catch (e) {
      this.log?.error({ err: e }, 'membership listener threw');
    }
  }

  private checkConflict(previous: string): void {
    let other: NodeHeartbeat;
    try {
      other = parseHeartbeat(this.nodeId, previous);
    } catch {
      return; // garbage under our key is overwritten by our beat; nothing to report about a process
    }
    if (other.instance === this.instance) return;
    this.log?.error({ other }, `another process heartbeats as node ${this.nodeId}: node ids must be unique`);
    try {
      this.onConflict?.(other);
    } catch (e) {
      this.log?.error({ err: e }, 'membership listener threw');
    }
  }
}
