// The default store: an in-process "cluster" that several clients share, with the semantics the port
// promises of Hazelcast (IMap + entry listeners, CP AtomicReference, CP FencedLock with fences) and the
// failures the node must survive (cluster unreachable, a node dying). Optional msgpackr snapshots let a
// node restart with its maps.
//
// Event delivery: one global FIFO for the whole cluster, drained on a later macrotask (setImmediate),
// so a listener never runs inside the write, and events reach listeners in write order — across keys
// and maps too, which is stronger than the port's per-key promise (callers must not rely on it).
//
// Simplifications, each deliberate:
// - close() and kill() release the client's locks at once (Hazelcast waits for the CP session to expire).
// - While unreachable, held locks stay held; waiting lock()/tryLock() calls reject with
//   StoreUnavailableError, as a Hazelcast client's blocked call fails when its connection drops.
// - tryLock timeouts use real timers; the injected clock only stamps health().
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Packr } from 'msgpackr';
import {
  LockError,
  PayloadError,
  SnapshotError,
  StoreClosedError,
  StoreError,
  StoreKeyError,
  StoreUnavailableError,
} from './errors.ts';
import type { AtomicRef, EntryEvent, FeatureStore, FencedLock, StoreHealth, StoreMap, Unsubscribe } from './port.ts';

export interface EmbeddedClusterOptions {
  /** ms clock for health(); Date.now by default */
  clock?: () => number;
  /** snapshot file: loaded by the constructor when present, written by flush() */
  persistPath?: string;
  /** told about every listener that throws (or rejects); the listener stays registered */
  onListenerError?: (error: unknown, event: EntryEvent) => void;
}

const packr = new Packr({ moreTypes: true, useRecords: false });
const SNAPSHOT_FORMAT = 'dolphin-embedded-store';
const SNAPSHOT_VERSION = 1;

/** The snapshot on disk. Pairs, not objects, so integer-like keys survive in order and bigints as strings. */
interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  maps: Array<[string, Array<[string, string]>]>;
  refs: Array<[string, string | null]>;
  /** last fence issued per lock name, so fences keep increasing across a restart */
  fences: Array<[string, string]>;
}

type ClientState = 'open' | 'closed' | 'killed';

interface Client {
  readonly name: string;
  state: ClientState;
  lastContactMs: number;
  readonly listeners: Set<Registration>;
  /** lock names this client holds */
  readonly held: Set<string>;
}

interface Registration {
  readonly client: Client;
  readonly map: string;
  readonly key: string | undefined;
  readonly fn: (e: EntryEvent) => void;
  active: boolean;
}

interface Waiter {
  readonly client: Client;
  readonly resolve: (fence: bigint | null) => void;
  readonly reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

interface LockState {
  holder: Client | null;
  /** the holder's fence; 0n when free */
  fence: bigint;
  lastFence: bigint;
  readonly waiters: Waiter[];
}

/** The cluster's state and rules; EmbeddedCluster is its public face, the client classes its users. */
class Core {
  private readonly clock: () => number;
  private readonly persistPath: string | undefined;
  private readonly onListenerError: (error: unknown, event: EntryEvent) => void;
  private readonly maps = new Map<string, Map<string, string>>();
  readonly refs = new Map<string, string | null>();
  private readonly locks = new Map<string, LockState>();
  private readonly clients = new Map<string, Client>();
  private readonly listeners = new Map<string, Set<Registration>>();
  private queue: Array<{ reg: Registration; event: EntryEvent }> = [];
  private drainScheduled = false;
  private reachable = true;
  private flushTail: Promise<void> = Promise.resolve();
  private flushSeq = 0;

  constructor(options: EmbeddedClusterOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.persistPath = options.persistPath;
    this.onListenerError = options.onListenerError ?? (() => {});
    if (this.persistPath !== undefined && existsSync(this.persistPath)) this.load(this.persistPath);
  }

  connect(clientName: string): FeatureStore {
    if (typeof clientName !== 'string' || clientName === '') throw new StoreKeyError('client name', String(clientName), 'must be a non-empty string');
    if (this.clients.has(clientName)) throw new StoreError(`connect: client ${clientName} is already connected`);
    const client: Client = { name: clientName, state: 'open', lastContactMs: this.clock(), listeners: new Set(), held: new Set() };
    this.clients.set(clientName, client);
    return new EmbeddedClient(this, client);
  }

  setReachable(reachable: boolean): void {
    if (reachable === this.reachable) return;
    this.reachable = reachable;
    if (reachable) return;
    const now = this.clock();
    for (const c of this.clients.values()) c.lastContactMs = now;
    for (const [name, s] of this.locks) {
      for (const w of s.waiters.splice(0)) this.failWaiter(w, new StoreUnavailableError(`lock ${name}`, 'cluster unreachable'));
    }
  }

  isReachable(): boolean {
    return this.reachable;
  }

  kill(clientName: string): void {
    const client = this.clients.get(clientName);
    if (!client) throw new StoreError(`kill: no connected client ${clientName}`);
    client.lastContactMs = this.clock();
    this.detach(client, 'killed', (lock) => new StoreUnavailableError(`lock ${lock}`, `node ${clientName} was killed`));
  }

  connectedClients(): string[] {
    return [...this.clients.keys()];
  }

  /** The state is captured now; flushes land in call order. */
  flush(): Promise<void> {
    const path = this.persistPath;
    if (path === undefined) return Promise.reject(new StoreError('flush: no persistPath configured'));
    const bytes = packr.pack(this.snapshot());
    const tmp = `${path}.${process.pid}.${this.flushSeq++}.${randomBytes(4).toString('hex')}.tmp`;
    const run = this.flushTail.then(() => writeAtomically(path, tmp, bytes));
    this.flushTail = run.catch(() => {});
    return run;
  }

  // ---- used by the client classes ----

  /** Throws the port's errors for a client that may not talk to the cluster; else stamps the contact. */
  guard(client: Client, operation: string): void {
    if (client.state === 'closed') throw new StoreClosedError(client.name, operation);
    if (client.state === 'killed') throw new StoreUnavailableError(operation, `node ${client.name} was killed`);
    if (!this.reachable) throw new StoreUnavailableError(operation, 'cluster unreachable');
    client.lastContactMs = this.clock();
  }

  health(client: Client): StoreHealth {
    const connected = client.state === 'open' && this.reachable;
    if (connected) client.lastContactMs = this.clock();
    return { connected, nodes: connected ? this.clients.size : 0, lastHeartbeatMs: client.lastContactMs };
  }

  close(client: Client): void {
    if (client.state !== 'open') return;
    client.lastContactMs = this.clock();
    this.detach(client, 'closed', (lock) => new StoreClosedError(client.name, `lock ${lock}`));
  }

  mapData(name: string): Map<string, string> | undefined {
    return this.maps.get(name);
  }

  mapDataForWrite(name: string): Map<string, string> {
    let m = this.maps.get(name);
    if (!m) this.maps.set(name, (m = new Map()));
    return m;
  }

  emit(event: EntryEvent): void {
    const regs = this.listeners.get(event.map);
    if (!regs) return;
    const frozen = Object.freeze(event);
    for (const reg of regs) {
      if (reg.active && (reg.key === undefined || reg.key === event.key)) this.queue.push({ reg, event: frozen });
    }
    this.scheduleDrain();
  }

  addListener(client: Client, map: string, fn: (e: EntryEvent) => void, key: string | undefined): Unsubscribe {
    const reg: Registration = { client, map, key, fn, active: true };
    let regs = this.listeners.get(map);
    if (!regs) this.listeners.set(map, (regs = new Set()));
    regs.add(reg);
    client.listeners.add(reg);
    return async () => this.removeListener(reg);
  }

  lockState(name: string): LockState {
    let s = this.locks.get(name);
    if (!s) this.locks.set(name, (s = { holder: null, fence: 0n, lastFence: 0n, waiters: [] }));
    return s;
  }

  acquire(name: string, s: LockState, client: Client): bigint {
    s.lastFence += 1n;
    s.fence = s.lastFence;
    s.holder = client;
    client.held.add(name);
    return s.fence;
  }

  /** Frees the lock and hands it to the first waiter (FIFO). */
  release(name: string, s: LockState): void {
    s.holder?.held.delete(name);
    s.holder = null;
    s.fence = 0n;
    const next = s.waiters.shift();
    if (next) {
      if (next.timer) clearTimeout(next.timer);
      next.resolve(this.acquire(name, s, next.client));
    }
  }

  // ---- internals ----

  private detach(client: Client, state: ClientState, lockError: (lock: string) => Error): void {
    client.state = state;
    this.clients.delete(client.name);
    for (const reg of [...client.listeners]) this.removeListener(reg);
    for (const [name, s] of this.locks) {
      for (let i = s.waiters.length - 1; i >= 0; i--) {
        const w = s.waiters[i];
        if (w.client !== client) continue;
        s.waiters.splice(i, 1);
        this.failWaiter(w, lockError(name));
      }
      if (s.holder === client) this.release(name, s);
    }
  }

  private failWaiter(w: Waiter, e: Error): void {
    if (w.timer) clearTimeout(w.timer);
    w.reject(e);
  }

  private removeListener(reg: Registration): void {
    reg.active = false;
    this.listeners.get(reg.map)?.delete(reg);
    reg.client.listeners.delete(reg);
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.queue.length === 0) return;
    this.drainScheduled = true;
    setImmediate(() => this.drain());
  }

  /** Delivers what was queued when the drain began; events written by listeners wait for the next round. */
  private drain(): void {
    this.drainScheduled = false;
    const batch = this.queue;
    this.queue = [];
    for (const { reg, event } of batch) {
      if (!reg.active) continue;
      try {
        const r: unknown = reg.fn(event);
        if (r instanceof Promise) r.catch((e: unknown) => this.reportListenerError(e, event));
      } catch (e) {
        this.reportListenerError(e, event);
      }
    }
    this.scheduleDrain();
  }

  private reportListenerError(e: unknown, event: EntryEvent): void {
    try {
      this.onListenerError(e, event);
    } catch {
      // the hook itself failing must not stop delivery either
    }
  }

  private snapshot(): Snapshot {
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      maps: [...this.maps].map(([name, m]) => [name, [...m]]),
      refs: [...this.refs],
      fences: [...this.locks].filter(([, s]) => s.lastFence > 0n).map(([name, s]) => [name, s.lastFence.toString()]),
    };
  }

  private load(path: string): void {
    let raw: unknown;
    try {
      raw = packr.unpack(readFileSync(path));
    } catch (e) {
      throw new SnapshotError(path, `not a readable snapshot: ${(e as Error).message}`, { cause: e });
    }
    const snap = validateSnapshot(path, raw);
    for (const [name, entries] of snap.maps) this.maps.set(name, new Map(entries));
    for (const [name, value] of snap.refs) this.refs.set(name, value);
    for (const [name, fence] of snap.fences) this.lockState(name).lastFence = BigInt(fence);
  }
}

/**
 * An in-process cluster shared by the clients connect() returns. See the file comment for its
 * event-order promise and its simplifications.
 */
export class EmbeddedCluster {
  readonly #core: Core;

  constructor(options: EmbeddedClusterOptions = {}) {
    this.#core = new Core(options);
  }

  /** A new client. Its name must not belong to a connected client (a closed or killed name is free again). */
  connect(clientName: string): FeatureStore {
    return this.#core.connect(clientName);
  }

  /** While false, every client call rejects with StoreUnavailableError and waiting lock calls fail. */
  setReachable(reachable: boolean): void {
    this.#core.setReachable(reachable);
  }

  isReachable(): boolean {
    return this.#core.isReachable();
  }

  /** A node dies: its locks go to their next waiters, its listeners stop, its calls reject as unavailable. */
  kill(clientName: string): void {
    this.#core.kill(clientName);
  }

  /** Names of the connected clients. */
  connectedClients(): string[] {
    return this.#core.connectedClients();
  }

  /**
   * Writes every map, atomic reference and last fence to persistPath (temp file + rename, so a crash
   * leaves the old snapshot or the new one, never half of one). The state is captured when flush() is
   * called; concurrent flushes land in call order.
   */
  flush(): Promise<void> {
    return this.#core.flush();
  }
}

class EmbeddedClient implements FeatureStore {
  private readonly mapHandles = new Map<string, StoreMap>();

  constructor(
    private readonly cluster: Core,
    private readonly client: Client,
  ) {}

  /** the name given to connect() */
  get clientName(): string {
    return this.client.name;
  }

  map(name: string): StoreMap {
    requireName('map name', name);
    let h = this.mapHandles.get(name);
    if (!h) this.mapHandles.set(name, (h = new EmbeddedMap(this.cluster, this.client, name)));
    return h;
  }

  atomicRef(name: string): AtomicRef {
    requireName('atomic reference name', name);
    return new EmbeddedAtomicRef(this.cluster, this.client, name);
  }

  lock(name: string): FencedLock {
    requireName('lock name', name);
    return new EmbeddedLock(this.cluster, this.client, name);
  }

  health(): StoreHealth {
    return this.cluster.health(this.client);
  }

  async close(): Promise<void> {
    this.cluster.close(this.client);
  }
}

class EmbeddedMap implements StoreMap {
  constructor(
    private readonly cluster: Core,
    private readonly client: Client,
    readonly name: string,
  ) {}

  async get(key: string): Promise<string | null> {
    this.cluster.guard(this.client, `${this.name}.get`);
    return this.cluster.mapData(this.name)?.get(key) ?? null;
  }

  async put(key: string, value: string): Promise<string | null> {
    this.check(key, value);
    this.cluster.guard(this.client, `${this.name}.put`);
    const m = this.cluster.mapDataForWrite(this.name);
    const old = m.get(key) ?? null;
    m.set(key, value);
    this.cluster.emit({ map: this.name, key, value, oldValue: old, kind: old === null ? 'added' : 'updated' });
    return old;
  }

  async putIfAbsent(key: string, value: string): Promise<string | null> {
    this.check(key, value);
    this.cluster.guard(this.client, `${this.name}.putIfAbsent`);
    const m = this.cluster.mapDataForWrite(this.name);
    const existing = m.get(key);
    if (existing !== undefined) return existing;
    m.set(key, value);
    this.cluster.emit({ map: this.name, key, value, oldValue: null, kind: 'added' });
    return null;
  }

  async delete(key: string): Promise<void> {
    requireKey(key);
    this.cluster.guard(this.client, `${this.name}.delete`);
    const m = this.cluster.mapData(this.name);
    const old = m?.get(key);
    if (m === undefined || old === undefined) return;
    m.delete(key);
    this.cluster.emit({ map: this.name, key, value: null, oldValue: old, kind: 'removed' });
  }

  async keys(): Promise<string[]> {
    this.cluster.guard(this.client, `${this.name}.keys`);
    return [...(this.cluster.mapData(this.name)?.keys() ?? [])];
  }

  async entries(): Promise<Array<[string, string]>> {
    this.cluster.guard(this.client, `${this.name}.entries`);
    return [...(this.cluster.mapData(this.name)?.entries() ?? [])];
  }

  async addEntryListener(listener: (e: EntryEvent) => void, key?: string): Promise<Unsubscribe> {
    if (typeof listener !== 'function') throw new StoreKeyError('listener', String(listener), 'must be a function');
    if (key !== undefined) requireKey(key);
    this.cluster.guard(this.client, `${this.name}.addEntryListener`);
    return this.cluster.addListener(this.client, this.name, listener, key);
  }

  private check(key: string, value: string): void {
    requireKey(key);
    if (typeof value !== 'string') throw new PayloadError({ map: this.name, key }, '', `expected a string value, got ${typeof value}`);
  }
}

class EmbeddedAtomicRef implements AtomicRef {
  constructor(
    private readonly cluster: Core,
    private readonly client: Client,
    private readonly name: string,
  ) {}

  async get(): Promise<string | null> {
    this.cluster.guard(this.client, `${this.name}.get`);
    return this.cluster.refs.get(this.name) ?? null;
  }

  async set(v: string | null): Promise<void> {
    this.check(v);
    this.cluster.guard(this.client, `${this.name}.set`);
    this.cluster.refs.set(this.name, v);
  }

  async compareAndSet(expect: string | null, update: string | null): Promise<boolean> {
    this.check(expect);
    this.check(update);
    this.cluster.guard(this.client, `${this.name}.compareAndSet`);
    const refs = this.cluster.refs;
    if ((refs.get(this.name) ?? null) !== expect) return false;
    refs.set(this.name, update);
    return true;
  }

  private check(v: string | null): void {
    if (v !== null && typeof v !== 'string') {
      throw new PayloadError({ map: this.name, key: '(AtomicReference)' }, '', `expected a string or null, got ${typeof v}`);
    }
  }
}

class EmbeddedLock implements FencedLock {
  constructor(
    private readonly cluster: Core,
    private readonly client: Client,
    private readonly name: string,
  ) {}

  async lock(): Promise<bigint> {
    this.cluster.guard(this.client, `lock ${this.name}`);
    const s = this.cluster.lockState(this.name);
    if (s.holder === this.client) throw this.reentrant();
    if (s.holder === null) return this.cluster.acquire(this.name, s, this.client);
    return new Promise<bigint>((resolve, reject) => {
      s.waiters.push({ client: this.client, resolve: (f) => resolve(f!), reject });
    });
  }

  async tryLock(timeoutMs = 0): Promise<bigint | null> {
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) throw new LockError(this.name, `tryLock timeout ${String(timeoutMs)} ms must be ≥ 0`);
    this.cluster.guard(this.client, `lock ${this.name}`);
    const s = this.cluster.lockState(this.name);
    if (s.holder === this.client) throw this.reentrant();
    if (s.holder === null) return this.cluster.acquire(this.name, s, this.client);
    if (timeoutMs === 0) return null;
    return new Promise<bigint | null>((resolve, reject) => {
      const w: Waiter = { client: this.client, resolve, reject };
      w.timer = setTimeout(() => {
        const i = s.waiters.indexOf(w);
        if (i >= 0) s.waiters.splice(i, 1);
        resolve(null);
      }, timeoutMs);
      s.waiters.push(w);
    });
  }

  async unlock(fence: bigint): Promise<void> {
    if (typeof fence !== 'bigint') throw new LockError(this.name, `unlock fence must be a bigint, got ${typeof fence}`);
    this.cluster.guard(this.client, `unlock ${this.name}`);
    const s = this.cluster.lockState(this.name);
    if (s.holder !== this.client) {
      const by = s.holder === null ? 'it is free' : `it is held by ${s.holder.name}`;
      throw new LockError(this.name, `unlock by ${this.client.name}, which does not hold it (${by})`);
    }
    if (fence !== s.fence) throw new LockError(this.name, `unlock with fence ${fence}, the current fence is ${s.fence}`);
    this.cluster.release(this.name, s);
  }

  async isLocked(): Promise<boolean> {
    this.cluster.guard(this.client, `isLocked ${this.name}`);
    return this.cluster.lockState(this.name).holder !== null;
  }

  async currentFence(): Promise<bigint | null> {
    this.cluster.guard(this.client, `currentFence ${this.name}`);
    const s = this.cluster.lockState(this.name);
    return s.holder === null ? null : s.fence;
  }

  private reentrant(): LockError {
    return new LockError(this.name, `already held by ${this.client.name} (the lock is not re-entrant)`);
  }
}

function requireName(what: string, name: string): void {
  if (typeof name !== 'string' || name === '') throw new StoreKeyError(what, String(name), 'must be a non-empty string');
}

function requireKey(key: string): void {
  if (typeof key !== 'string') throw new StoreKeyError('map key', String(key), 'must be a string');
}

async function writeAtomically(path: string, tmp: string, bytes: Uint8Array): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new SnapshotError(path, `cannot write snapshot: ${(e as Error).message}`, { cause: e });
  }
}

function isPairs(v: unknown, second: (x: unknown) => boolean): boolean {
  return Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && second(p[1]));
}

function validateSnapshot(path: string, raw: unknown): Snapshot {
  if (typeof raw !== 'object' || raw === null) throw new SnapshotError(path, 'not a snapshot object');
  const s = raw as Partial<Snapshot>;
  if (s.format !== SNAPSHOT_FORMAT) throw new SnapshotError(path, `format ${JSON.stringify(s.format)} is not ${SNAPSHOT_FORMAT}`);
  if (s.version !== SNAPSHOT_VERSION) throw new SnapshotError(path, `version ${String(s.version)} is not ${SNAPSHOT_VERSION}`);
  const isString = (x: unknown) => typeof x === 'string';
  if (!isPairs(s.maps, (entries) => isPairs(entries, isString))) throw new SnapshotError(path, 'maps: expected [name, [key, value][]] pairs');
  if (!isPairs(s.refs, (x) => x === null || typeof x === 'string')) throw new SnapshotError(path, 'refs: expected [name, value] pairs');
  if (!isPairs(s.fences, (x) => typeof x === 'string' && /^[0-9]+$/.test(x))) throw new SnapshotError(path, 'fences: expected [name, decimal] pairs');
  return s as Snapshot;
}
