// Cluster-wide singletons (ACB writer, watchdog, forewarner) elected through the store's FencedLock.
//
// The holder keeps the lock for as long as it leads. Followers try it (no wait) every retryMs; the
// holder confirms every retryMs that the lock's current fence is still its own. Leadership is a lease:
// each confirmation (and the election itself) extends it to `start of that call + leaseLossMs`; when
// the lease lapses without a new confirmation — store unreachable, calls hanging, the loop starved —
// the holder demotes itself (fail closed: a partitioned holder must stop acting as the singleton
// before the cluster gives the lock to someone else). On Hazelcast that hand-over happens when the
// holder's CP session expires, so leaseLossMs must stay well below the session TTL (docs/cluster.md).
//
// Fences strictly increase per lock, so a writer can prove it is still the holder just before it
// writes: stillLeader(store, lockName, fence). That is a check, not an atomic guard: the store's maps
// do not check fences, so a write can still land just after a take-over (the window is one call).
import type { Logger } from 'pino';
import { LockError, StoreClosedError, StoreUnavailableError } from '../store/errors.ts';
import type { FeatureStore, FencedLock } from '../store/port.ts';
import { singletonLockName, type SingletonRole } from './singleton-names.ts';

/**
 * Why a leader stopped leading: `lost` = the store says the lock is free or someone else's; `lease-expired`
 * = no confirmation for leaseLossMs; `stopped` = stop() was called; `closed` = the store client was closed.
 */
export type DemoteReason = 'lost' | 'lease-expired' | 'stopped' | 'closed';

export type ElectionState = 'idle' | 'follower' | 'leader' | 'stopped';

/** Timer functions, injectable so tests can drive time by hand. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ElectionOptions {
  role: SingletonRole;
  /** for logs only: the lock's owner is the store client, not this id */
  nodeId: string;
  /** followers try the lock, and the holder confirms it, this often */
  retryMs: number;
  /** a holder that could not confirm its lock for this long demotes itself; > retryMs; default 3 × retryMs */
  leaseLossMs?: number;
  /** monotonic ms; performance.now by default (a wall clock can jump and stretch a lease) */
  clock?: () => number;
  timers?: Timers;
  log?: Logger;
  onElected?: (fence: bigint) => void;
  onDemoted?: (reason: DemoteReason, fence: bigint) => void;
}

/** Options that cannot make a working election. */
export class ElectionConfigError extends Error {
  override readonly name = 'ElectionConfigError';
}

/** start() on an election that already ran. */
export class ElectionStateError extends Error {
  override readonly name = 'ElectionStateError';
}

const realTimers: Timers = {
  setTimeout(fn, ms) {
    const h = setTimeout(fn, ms);
    h.unref(); // an election alone must not keep a stopping process alive
    return h;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class SingletonElection {
  readonly role: SingletonRole;
  readonly nodeId: string;
  readonly lockName: string;
  readonly retryMs: number;
  readonly leaseLossMs: number;

  private readonly lock: FencedLock;
  private readonly clock: () => number;
  private readonly timers: Timers;
  private readonly log: Logger | undefined;
  private readonly electedFns = new Set<(fence: bigint) => void>();
  private readonly demotedFns = new Set<(reason: DemoteReason, fence: bigint) => void>();

  private st: ElectionState = 'idle';
  private myFence: bigint | null = null;
  /** a fence we may still hold after our lease lapsed: released before we compete again */
  private staleFence: bigint | null = null;
  private leaseUntil = 0;
  private tickTimer: unknown = null;
  private leaseTimer: unknown = null;
  private inflight: Promise<void> | null = null;

  constructor(store: FeatureStore, o: ElectionOptions) {
    if (typeof o.nodeId !== 'string' || o.nodeId === '') throw new ElectionConfigError(`nodeId must be a non-empty string, got ${JSON.stringify(o.nodeId)}`);
    if (!Number.isFinite(o.retryMs) || o.retryMs <= 0) throw new ElectionConfigError(`retryMs must be > 0, got ${o.retryMs}`);
    const leaseLossMs = o.leaseLossMs ?? 3 * o.retryMs;
    // a lease no longer than the confirmation period would lapse between two healthy confirmations
    if (!Number.isFinite(leaseLossMs) || leaseLossMs <= o.retryMs) {
      throw new ElectionConfigError(`leaseLossMs (${leaseLossMs}) must be greater than retryMs (${o.retryMs})`);
    }
    this.role = o.role;
    this.nodeId = o.nodeId;
    this.lockName = singletonLockName(o.role);
    this.retryMs = o.retryMs;
    this.leaseLossMs = leaseLossMs;
    this.lock = store.lock(this.lockName);
    this.clock = o.clock ?? (() => performance.now());
    this.timers = o.timers ?? realTimers;
    this.log = o.log?.child({ component: 'election', role: o.role, node: o.nodeId });
    if (o.onElected) this.electedFns.add(o.onElected);
    if (o.onDemoted) this.demotedFns.add(o.onDemoted);
  }

  get state(): ElectionState {
    return this.st;
  }

  /** True only while the lease holds; a lapsed lease demotes here even if its timer has not run yet. */
  isLeader(): boolean {
    if (this.st !== 'leader') return false;
    if (this.clock() >= this.leaseUntil) {
      this.demote('lease-expired');
      return false;
    }
    return true;
  }

  /** The fence this node leads under; null when not leading. */
  fence(): bigint | null {
    return this.isLeader() ? this.myFence : null;
  }

  on(event: 'elected', fn: (fence: bigint) => void): () => void;
  on(event: 'demoted', fn: (reason: DemoteReason, fence: bigint) => void): () => void;
  on(event: 'elected' | 'demoted', fn: ((fence: bigint) => void) | ((reason: DemoteReason, fence: bigint) => void)): () => void {
    const set = (event === 'elected' ? this.electedFns : this.demotedFns) as Set<typeof fn>;
    set.add(fn);
    return () => void set.delete(fn);
  }

  /** Begins competing at once; never throws for store trouble (it retries every retryMs). */
  start(): void {
    if (this.st !== 'idle') throw new ElectionStateError(`election ${this.lockName} on ${this.nodeId} was already started`);
    this.st = 'follower';
    this.log?.debug({ lock: this.lockName, retryMs: this.retryMs, leaseLossMs: this.leaseLossMs }, 'election started');
    this.schedule(0);
  }

  /** Stops competing; a leader demotes at once ('stopped') and releases the lock with its fence. */
  async stop(): Promise<void> {
    if (this.st === 'stopped') return;
    const held = this.myFence;
    if (this.st === 'leader') this.demote('stopped');
    this.st = 'stopped';
    this.clearTimer('tick');
    await this.inflight; // an attempt in flight sees 'stopped' and gives back what it got
    for (const fence of [held, this.staleFence]) if (fence !== null) await this.release(fence);
    this.staleFence = null;
  }

  // ---- the loop ----

  private schedule(ms: number): void {
    this.tickTimer = this.timers.setTimeout(() => {
      this.tickTimer = null;
      const run = this.tick().finally(() => {
        if (this.inflight === run) this.inflight = null;
        if (this.st === 'follower' || this.st === 'leader') this.schedule(this.retryMs);
      });
      this.inflight = run;
    }, ms);
  }

  private async tick(): Promise<void> {
    try {
      if (this.st === 'leader') await this.confirm();
      else if (this.st === 'follower') await this.attempt();
    } catch (e) {
      // never reached by store trouble (handled below); a bug must not kill the loop silently
      this.log?.error({ err: e }, 'election tick failed');
    }
  }

  private async confirm(): Promise<void> {
    const fence = this.myFence;
    const startedAt = this.clock();
    let current: bigint | null;
    try {
      current = await this.lock.currentFence();
    } catch (e) {
      if (e instanceof StoreClosedError) return this.halt('closed');
      this.log?.debug({ err: e }, 'cannot confirm the lock; the lease runs on');
      return;
    }
    if (this.st !== 'leader' || this.myFence !== fence) return; // demoted or stopped meanwhile
    if (current === fence) this.renewLease(startedAt);
    else this.demote('lost', { current: current === null ? null : String(current) });
  }

  private async attempt(): Promise<void> {
    if (this.staleFence !== null && !(await this.releaseStale())) return;
    const startedAt = this.clock();
    let fence: bigint | null;
    try {
      fence = await this.lock.tryLock();
    } catch (e) {
      if (e instanceof StoreClosedError) return this.halt('closed');
      // re-entrant: we hold it under a fence we no longer know; give it back before competing again
      if (e instanceof LockError) this.staleFence = await this.lock.currentFence().catch(() => null);
      else this.log?.debug({ err: e }, 'cannot try the lock');
      return;
    }
    if (fence === null) return;
    if (this.st !== 'follower') {
      await this.release(fence); // stop() was called while the attempt was in flight
      return;
    }
    if (this.clock() >= startedAt + this.leaseLossMs) {
      this.staleFence = fence; // the answer came too late to lead on: hand it back next tick
      return;
    }
    this.st = 'leader';
    this.myFence = fence;
    this.renewLease(startedAt);
    this.log?.info({ lock: this.lockName, fence: String(fence) }, 'elected');
    for (const fn of this.electedFns) this.safely(() => fn(fence));
  }

  /** true when there is nothing stale left to release */
  private async releaseStale(): Promise<boolean> {
    const fence = this.staleFence!;
    try {
      await this.lock.unlock(fence);
    } catch (e) {
      if (e instanceof StoreUnavailableError) return false; // try again next tick
      // LockError: the cluster already took it from us (session expired, someone else holds it)
    }
    this.staleFence = null;
    return true;
  }

  // ---- lease ----

  private renewLease(from: number): void {
    this.leaseUntil = from + this.leaseLossMs;
    this.armLease();
  }

  private armLease(): void {
    this.clearTimer('lease');
    const left = this.leaseUntil - this.clock();
    if (left <= 0) {
      this.demote('lease-expired');
      return;
    }
    this.leaseTimer = this.timers.setTimeout(() => {
      this.leaseTimer = null;
      if (this.st !== 'leader') return;
      if (this.clock() >= this.leaseUntil) this.demote('lease-expired');
      else this.armLease(); // timers may fire early on a coarse clock
    }, left);
  }

  // ---- state changes ----

  private demote(reason: DemoteReason, detail: Record<string, unknown> = {}): void {
    if (this.st !== 'leader' || this.myFence === null) return;
    const fence = this.myFence;
    this.st = reason === 'stopped' || reason === 'closed' ? 'stopped' : 'follower';
    this.myFence = null;
    this.clearTimer('lease');
    // after a lapsed lease the cluster may still count us as holder (embedded store: until we unlock)
    if (reason === 'lease-expired') this.staleFence = fence;
    this.log?.warn({ lock: this.lockName, fence: String(fence), reason, ...detail }, 'demoted');
    for (const fn of this.demotedFns) this.safely(() => fn(reason, fence));
  }

  /** The store client is closed for good: nothing more can be done with it. */
  private halt(reason: 'closed'): void {
    this.demote(reason);
    this.st = 'stopped';
    this.clearTimer('tick');
    this.clearTimer('lease');
  }

  private async release(fence: bigint): Promise<void> {
    try {
      await this.lock.unlock(fence);
      this.log?.debug({ lock: this.lockName, fence: String(fence) }, 'released');
    } catch (e) {
      // unreachable or already taken: the cluster frees it when our session ends (close, expiry)
      this.log?.warn({ err: e, lock: this.lockName, fence: String(fence) }, 'could not release the lock');
    }
  }

  private clearTimer(which: 'tick' | 'lease'): void {
    const h = which === 'tick' ? this.tickTimer : this.leaseTimer;
    if (h === null) return;
    this.timers.clearTimeout(h);
    if (which === 'tick') this.tickTimer = null;
    else this.leaseTimer = null;
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log?.error({ err: e }, 'election listener threw');
    }
  }
}

/**
 * Whether `fence` is the lock's current fence, i.e. the acquisition that issued it still holds the lock.
 * Fails closed: an unreachable or closed store answers false. A null fence (never elected) is false.
 */
export async function stillLeader(store: FeatureStore, lockName: string, fence: bigint | null): Promise<boolean> {
  if (fence === null) return false;
  try {
    return (await store.lock(lockName).currentFence()) === fence;
  } catch (e) {
    if (e instanceof StoreUnavailableError || e instanceof StoreClosedError) return false;
    throw e;
  }
}
