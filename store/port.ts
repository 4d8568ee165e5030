// The feature-store port. Every adapter (embedded, Hazelcast) implements it; actors see nothing else.
// Shapes follow hazelcast-client 5.6 (IMap, IAtomicReference, FencedLock) so the Hazelcast adapter is a
// thin translation. Differences, each for a reason:
// - handles (`map`, `atomicRef`, `lock`) are returned synchronously; Hazelcast's getMap() is async, so
//   its adapter resolves the proxy lazily inside each call.
// - addEntryListener returns an Unsubscribe instead of a registration id to pass to removeEntryListener.
// - fences are bigint instead of `Long`; the Hazelcast adapter keeps the Long it got for each fence
//   (its unlock needs that very object).
// Errors: every call may reject with StoreUnavailableError (cluster unreachable) or StoreClosedError
// (client closed); FencedLock misuse rejects with LockError.

export type EntryEventKind = 'added' | 'updated' | 'removed';

export interface EntryEvent {
  map: string;
  key: string;
  /** the new value; null on 'removed' */
  value: string | null;
  /** the value before the write; null on 'added' */
  oldValue: string | null;
  kind: EntryEventKind;
}

export type Unsubscribe = () => Promise<void>;

/** An IMap of string keys to JSON strings, as the Python services write them. */
export interface StoreMap {
  readonly name: string;
  get(key: string): Promise<string | null>;
  /** returns the previous value, null if there was none */
  put(key: string, value: string): Promise<string | null>;
  /** writes only when the key is absent; returns the existing value, or null when it wrote */
  putIfAbsent(key: string, value: string): Promise<string | null>;
  delete(key: string): Promise<void>;
  /** no order is promised (Hazelcast has none) */
  keys(): Promise<string[]>;
  entries(): Promise<Array<[string, string]>>;
  /**
   * Listeners run asynchronously, never inside the write (Hazelcast runs them on its event threads).
   * Events for one key arrive in the order of its writes; across keys no order is promised.
   * A listener that throws does not affect the writer or other listeners.
   * `key` restricts the listener to that key.
   */
  addEntryListener(listener: (e: EntryEvent) => void, key?: string): Promise<Unsubscribe>;
}

/** CP AtomicReference holding a JSON string (or null). Linearizable. */
export interface AtomicRef {
  get(): Promise<string | null>;
  set(v: string | null): Promise<void>;
  /** compares by string value */
  compareAndSet(expect: string | null, update: string | null): Promise<boolean>;
}

/**
 * CP FencedLock. Owned by the client's session: closing the client (or its node dying) releases it.
 * Not re-entrant. Fence tokens strictly increase per lock name, each time the lock goes from free to held.
 */
export interface FencedLock {
  /** waits until acquired; returns the fence */
  lock(): Promise<bigint>;
  /** null when not acquired within timeoutMs (default 0: one immediate attempt) */
  tryLock(timeoutMs?: number): Promise<bigint | null>;
  /** throws LockError unless this client holds the lock under exactly this fence */
  unlock(fence: bigint): Promise<void>;
  /** held by anyone in the cluster */
  isLocked(): Promise<boolean>;
  /**
   * The current holder's fence (whoever holds it), null when free. Hazelcast's Node client has no
   * public getter; its adapter reads the lock-ownership state that isLocked() itself uses.
   */
  currentFence(): Promise<bigint | null>;
}

export interface StoreHealth {
  /** this client can reach the cluster */
  connected: boolean;
  /** cluster members seen by this client; 0 when not connected */
  nodes: number;
  /** time (the store's clock, ms) of the last successful contact with the cluster */
  lastHeartbeatMs: number;
}

/** One client connection to the cluster. */
export interface FeatureStore {
  map(name: string): StoreMap;
  atomicRef(name: string): AtomicRef;
  lock(name: string): FencedLock;
  /** synchronous: the watchdog samples it every cycle and must not block on a dead cluster */
  health(): StoreHealth;
  /** releases this client's locks and listeners; idempotent */
  close(): Promise<void>;
}
