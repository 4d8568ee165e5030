// The few hazelcast-client 5.6 calls the adapter makes, behind narrow interfaces: the adapter's logic
// (errors, fences, listeners, health) is tested against small fakes of these, and this file is the only
// one that touches the client's proxies — including the one internal call the port needs.
import type { Client, FencedLock as HzFencedLockProxy, IMap } from 'hazelcast-client';
import { StoreError } from './errors.ts';

/** hazelcast-client's `Long` as the adapter uses it: printed in decimal, handed back untouched. */
export interface LongLike {
  toString(radix?: number): string;
}

export interface HzEntryEvent {
  key: unknown;
  value: unknown;
  oldValue: unknown;
}

export interface HzEntryListener {
  added(e: HzEntryEvent): void;
  updated(e: HzEntryEvent): void;
  removed(e: HzEntryEvent): void;
}

export interface HzMap {
  get(key: string): Promise<unknown>;
  put(key: string, value: string): Promise<unknown>;
  putIfAbsent(key: string, value: string): Promise<unknown>;
  delete(key: string): Promise<void>;
  keySet(): Promise<unknown[]>;
  entrySet(): Promise<Array<[unknown, unknown]>>;
  /** with values (includeValue = true); resolves to the registration id */
  addEntryListener(listener: HzEntryListener, key: string | undefined): Promise<string>;
  removeEntryListener(registrationId: string): Promise<boolean>;
}

export interface HzAtomicRef {
  get(): Promise<unknown>;
  set(value: string | null): Promise<void>;
  compareAndSet(expect: string | null, update: string | null): Promise<boolean>;
}

export interface HzLock {
  lock(): Promise<LongLike>;
  /** undefined when not acquired */
  tryLock(timeoutMs: number): Promise<LongLike | undefined>;
  /** `token` must be the very object lock/tryLock returned: the proxy reads its thread id from it */
  unlock(token: LongLike): Promise<void>;
  isLocked(): Promise<boolean>;
  /** the current holder's fence, 0 when free */
  ownershipFence(): Promise<LongLike>;
}

export interface HzClient {
  /** the client's instance name */
  readonly name: string;
  getMap(name: string): Promise<HzMap>;
  getAtomicReference(name: string): Promise<HzAtomicRef>;
  getLock(name: string): Promise<HzLock>;
  /** members in the client's current member list */
  memberCount(): number;
  shutdown(): Promise<void>;
}

/**
 * FencedLockProxy's internal `requestLockOwnershipState()` — the call its public isLocked() makes — which
 * answers `{fence, lockCount, sessionId, threadId}`. The Node client has no public getter for the fence
 * (Java's has getFence()); hazelcast-client is pinned to ~5.6.0, where this method exists.
 */
interface LockOwnershipReader {
  requestLockOwnershipState?: () => Promise<{ fence: LongLike }>;
}

function wrapMap(map: IMap<string, string>): HzMap {
  return {
    get: (key) => map.get(key),
    put: (key, value) => map.put(key, value),
    putIfAbsent: (key, value) => map.putIfAbsent(key, value),
    delete: (key) => map.delete(key),
    keySet: () => map.keySet(),
    entrySet: () => map.entrySet(),
    addEntryListener: (l, key) => map.addEntryListener({ added: l.added, updated: l.updated, removed: l.removed }, key, true),
    removeEntryListener: (id) => map.removeEntryListener(id),
  };
}

function wrapLock(lock: HzFencedLockProxy, name: string): HzLock {
  const reader = lock as unknown as LockOwnershipReader;
  return {
    lock: () => lock.lock(),
    tryLock: (timeoutMs) => lock.tryLock(timeoutMs),
    // the token came from this proxy's lock()/tryLock(): it is the client's Long, thread-id symbol included
    unlock: (token) => lock.unlock(token as Parameters<HzFencedLockProxy['unlock']>[0]),
    isLocked: () => lock.isLocked(),
    ownershipFence: async () => {
      if (typeof reader.requestLockOwnershipState !== 'function') {
        throw new StoreError(`lock ${name}: this hazelcast-client has no FencedLockProxy.requestLockOwnershipState (expected in 5.6); cannot read the fence`);
      }
      return (await reader.requestLockOwnershipState.call(lock)).fence;
    },
  };
}

/** The real client behind the narrow interfaces. */
export function wrapHazelcastClient(client: Client): HzClient {
  return {
    name: client.getName(),
    getMap: async (name) => wrapMap(await client.getMap<string, string>(name)),
    getAtomicReference: (name) => client.getCPSubsystem().getAtomicReference<string | null>(name),
    getLock: async (name) => wrapLock(await client.getCPSubsystem().getLock(name), name),
    memberCount: () => client.getCluster().getMembers().length,
    shutdown: () => client.shutdown(),
  };
}
