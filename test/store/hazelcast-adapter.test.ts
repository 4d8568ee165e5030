// The adapter's own logic — fences (Long ↔ bigint), lock misuse, listener wrapping, proxy caching,
// error surfacing, health, close — against small fakes of the client's proxies (store/hazelcast-client.ts
// interfaces). These fakes model only what the adapter relies on; the port's behaviour against a real
// member is the contract suite in hazelcast.test.ts.
import test from 'ava';
import { ClientNotActiveError, ClientOfflineError, LockOwnershipLostError } from 'hazelcast-client';
import { pino } from 'pino';
import { LockError, PayloadError, StoreClosedError, StoreUnavailableError } from '../../store/errors.ts';
import type { HzAtomicRef, HzClient, HzEntryEvent, HzEntryListener, HzLock, HzMap, LongLike } from '../../store/hazelcast-client.ts';
import { FenceRegistry, fenceOrNull, longToBigint } from '../../store/hazelcast-fences.ts';
import { HealthTracker } from '../../store/hazelcast-health.ts';
import { HazelcastStore } from '../../store/hazelcast.ts';
import type { EntryEvent } from '../../store/port.ts';

// ---- fakes ----

/** Like the client's Long: prints its value; the proxy recognises its own tokens by identity. */
class FakeLong implements LongLike {
  constructor(readonly value: bigint) {}
  toString(): string {
    return this.value.toString();
  }
}

class FakeLock implements HzLock {
  /** 0n when free */
  fence = 0n;
  next: bigint;
  token: FakeLong | null = null;
  unlockCalls: LongLike[] = [];
  failUnlock: Error[] = [];
  tryLockAcquires = true;

  constructor(firstFence = 1n) {
    this.next = firstFence;
  }

  async lock(): Promise<LongLike> {
    if (this.fence !== 0n) throw new Error('fake: lock() on a held lock would wait forever');
    return this.acquire();
  }

  async tryLock(): Promise<LongLike | undefined> {
    return this.tryLockAcquires && this.fence === 0n ? this.acquire() : undefined;
  }

  async unlock(token: LongLike): Promise<void> {
    this.unlockCalls.push(token);
    const failure = this.failUnlock.shift();
    if (failure) throw failure;
    if (token !== this.token) throw new Error('fake: not the token lock() returned');
    this.fence = 0n;
    this.token = null;
  }

  async isLocked(): Promise<boolean> {
    return this.fence !== 0n;
  }

  async ownershipFence(): Promise<LongLike> {
    return new FakeLong(this.fence);
  }

  /** the CP session expired: the cluster freed the lock behind the client's back */
  loseSession(): void {
    this.fence = 0n;
    this.token = null;
  }

  private acquire(): FakeLong {
    this.fence = this.next++;
    this.token = new FakeLong(this.fence);
    return this.token;
  }
}

class FakeMap implements HzMap {
  data = new Map<string, unknown>();
  listeners = new Map<string, { listener: HzEntryListener; key: string | undefined }>();
  removed: string[] = [];
  pendingGet: { reject: (e: Error) => void } | null = null;
  holdGets = false;
  failNext: Error | null = null;
  private seq = 0;

  async get(key: string): Promise<unknown> {
    this.maybeFail();
    if (this.holdGets) return new Promise((_, reject) => (this.pendingGet = { reject }));
    return this.data.get(key) ?? null;
  }
  async put(key: string, value: string): Promise<unknown> {
    this.maybeFail();
    const old = this.data.get(key) ?? null;
    this.data.set(key, value);
    return old;
  }
  async putIfAbsent(key: string, value: string): Promise<unknown> {
    const old = this.data.get(key);
    if (old === undefined) this.data.set(key, value);
    return old ?? null;
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
  async keySet(): Promise<unknown[]> {
    return [...this.data.keys()];
  }
  async entrySet(): Promise<Array<[unknown, unknown]>> {
    return [...this.data.entries()];
  }
  async addEntryListener(listener: HzEntryListener, key: string | undefined): Promise<string> {
    const id = `reg-${this.seq++}`;
    this.listeners.set(id, { listener, key });
    return id;
  }
  async removeEntryListener(id: string): Promise<boolean> {
    this.removed.push(id);
    return this.listeners.delete(id);
  }
  /** what the client does on an event from the member */
  fire(kind: 'added' | 'updated' | 'removed', e: HzEntryEvent): void {
    for (const { listener } of this.listeners.values()) listener[kind](e);
  }
  private maybeFail(): void {
    const e = this.failNext;
    this.failNext = null;
    if (e) throw e;
  }
}

class FakeRef implements HzAtomicRef {
  value: unknown = null;
  async get(): Promise<unknown> {
    return this.value;
  }
  async set(v: string | null): Promise<void> {
    this.value = v;
  }
  async compareAndSet(expect: string | null, update: string | null): Promise<boolean> {
    if (this.value !== expect) return false;
    this.value = update;
    return true;
  }
}

class FakeClient implements HzClient {
  readonly name = 'hz.client_fake';
  maps = new Map<string, FakeMap>();
  locks = new Map<string, FakeLock>();
  refs = new Map<string, FakeRef>();
  getMapCalls = 0;
  getMapFailures: Error[] = [];
  members = 3;
  shutdowns = 0;

  async getMap(name: string): Promise<HzMap> {
    this.getMapCalls++;
    const failure = this.getMapFailures.shift();
    if (failure) throw failure;
    return this.fakeMap(name);
  }
  async getAtomicReference(name: string): Promise<HzAtomicRef> {
    let r = this.refs.get(name);
    if (!r) this.refs.set(name, (r = new FakeRef()));
    return r;
  }
  async getLock(name: string): Promise<HzLock> {
    return this.fakeLock(name);
  }
  memberCount(): number {
    return this.members;
  }
  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
  fakeMap(name: string): FakeMap {
    let m = this.maps.get(name);
    if (!m) this.maps.set(name, (m = new FakeMap()));
    return m;
  }
  fakeLock(name: string, firstFence?: bigint): FakeLock {
    let l = this.locks.get(name);
    if (!l) this.locks.set(name, (l = new FakeLock(firstFence)));
    return l;
  }
}

const silent = pino({ level: 'silent' });

function setup(opts: { clock?: () => number; connected?: boolean; livenessBoundMs?: number } = {}) {
  const client = new FakeClient();
  const health = new HealthTracker({
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.livenessBoundMs === undefined ? {} : { livenessBoundMs: opts.livenessBoundMs }),
  });
  if (opts.connected !== false) health.onLifecycle('CONNECTED');
  const listenerErrors: Array<[unknown, EntryEvent | null]> = [];
  const store = new HazelcastStore(client, health, { logger: silent, onListenerError: (e, ev) => listenerErrors.push([e, ev]) });
  return { client, health, store, listenerErrors };
}

// ---- fences: Long ↔ bigint ----

test('longToBigint reads a Long\'s decimal value exactly, also beyond 2^53', (t) => {
  t.is(longToBigint(new FakeLong(2n ** 60n + 1n), 'x'), 1152921504606846977n);
  t.is(longToBigint(new FakeLong(-5n), 'x'), -5n);
});

test('longToBigint refuses something that does not print as an integer', (t) => {
  t.throws(() => longToBigint({ toString: () => '[object Object]' }, 'lock L'), { message: /lock L: expected a 64-bit integer/ });
});

test('fence 0 (the client\'s INVALID_FENCE) means "not held": fenceOrNull gives null', (t) => {
  t.is(fenceOrNull(new FakeLong(0n), 'x'), null);
  t.is(fenceOrNull(new FakeLong(7n), 'x'), 7n);
});

test('the fence registry keeps the very Long it was given, by lock name, until forgotten', (t) => {
  const r = new FenceRegistry();
  const token = new FakeLong(42n);
  t.is(r.remember('L', token), 42n);
  t.is(r.held('L')?.token, token);
  r.forget('L');
  t.is(r.held('L'), undefined);
});

test('lock() hands out the fence as bigint, beyond 2^53 exactly', async (t) => {
  const { client, store } = setup();
  client.fakeLock('L', 2n ** 60n);
  t.is(await store.lock('L').lock(), 2n ** 60n);
  t.is(await store.lock('L').currentFence(), 2n ** 60n);
});

test('unlock(fence) gives the client back the very Long that lock() returned', async (t) => {
  const { client, store } = setup();
  const f = await store.lock('L').lock();
  const issued = client.fakeLock('L').token!;
  await store.lock('L').unlock(f);
  t.is(client.fakeLock('L').unlockCalls[0], issued);
  t.false(await store.lock('L').isLocked());
});

test('a fence from one handle unlocks through another handle of the same client', async (t) => {
  const { store } = setup();
  const f = await store.lock('L').tryLock();
  await t.notThrowsAsync(store.lock('L').unlock(f!));
});

// ---- lock misuse ----

test('unlock with a fence this client does not hold is a LockError, refused before any round trip', async (t) => {
  const { client, store } = setup();
  const f = await store.lock('L').lock();
  await t.throwsAsync(store.lock('L').unlock(f + 1n), { instanceOf: LockError, message: /the fence hz\.client_fake holds is/ });
  await t.throwsAsync(store.lock('OTHER').unlock(f), { instanceOf: LockError, message: /does not hold it/ });
  t.deepEqual(client.fakeLock('L').unlockCalls, []);
});

test('unlock with a non-bigint fence is a LockError', async (t) => {
  const { store } = setup();
  const f = await store.lock('L').lock();
  await t.throwsAsync(store.lock('L').unlock(Number(f) as unknown as bigint), { instanceOf: LockError, message: /bigint/ });
});

test('lock() or tryLock() while this client holds the lock is a LockError (the client would wait on itself)', async (t) => {
  const { store } = setup();
  const f = await store.lock('L').lock();
  await t.throwsAsync(store.lock('L').lock(), { instanceOf: LockError, message: /not re-entrant/ });
  await t.throwsAsync(store.lock('L').tryLock(100), { instanceOf: LockError, message: /not re-entrant/ });
  t.is(await store.lock('L').currentFence(), f);
});

test('a remembered fence the cluster no longer shows (session lost) is dropped and lock() acquires again', async (t) => {
  const { client, store } = setup();
  const f1 = await store.lock('L').lock();
  client.fakeLock('L').loseSession();
  const f2 = await store.lock('L').lock();
  t.true(f2 > f1);
  await t.throwsAsync(store.lock('L').unlock(f1), { instanceOf: LockError }, 'the lost fence is not ours any more');
});

test('an unlock the cluster refuses (ownership lost) is a LockError and the fence is forgotten', async (t) => {
  const { client, store } = setup();
  const f = await store.lock('L').lock();
  client.fakeLock('L').failUnlock.push(new LockOwnershipLostError('session closed by server'));
  await t.throwsAsync(store.lock('L').unlock(f), { instanceOf: LockError, message: /LockOwnershipLostError/ });
  await t.throwsAsync(store.lock('L').unlock(f), { instanceOf: LockError, message: /does not hold it/ });
});

test('an unlock that fails on the network is StoreUnavailableError and keeps the fence for a retry', async (t) => {
  const { client, store } = setup();
  const f = await store.lock('L').lock();
  client.fakeLock('L').failUnlock.push(new ClientOfflineError());
  await t.throwsAsync(store.lock('L').unlock(f), { instanceOf: StoreUnavailableError });
  await t.notThrowsAsync(store.lock('L').unlock(f));
  t.false(await store.lock('L').isLocked());
});

test('tryLock that does not acquire returns null and remembers nothing', async (t) => {
  const { client, store } = setup();
  client.fakeLock('L').tryLockAcquires = false;
  t.is(await store.lock('L').tryLock(10), null);
  await t.throwsAsync(store.lock('L').unlock(1n), { instanceOf: LockError, message: /does not hold it/ });
});

test('a negative tryLock timeout is a LockError', async (t) => {
  const { store } = setup();
  await t.throwsAsync(store.lock('L').tryLock(-1), { instanceOf: LockError, message: /timeout/ });
});

test('currentFence is null when the cluster reports the lock free', async (t) => {
  const { store } = setup();
  t.is(await store.lock('L').currentFence(), null);
});

// ---- maps, listeners ----

test('client entry events become the port\'s events: added without oldValue, removed without value, frozen', async (t) => {
  const { client, store } = setup();
  const seen: EntryEvent[] = [];
  await store.map('M').addEntryListener((e) => seen.push(e));
  const m = client.fakeMap('M');
  m.fire('added', { key: 'k', value: '1', oldValue: undefined });
  m.fire('updated', { key: 'k', value: '2', oldValue: '1' });
  m.fire('removed', { key: 'k', value: null, oldValue: '2' });
  t.deepEqual(seen.map((e) => ({ ...e })), [
    { map: 'M', key: 'k', value: '1', oldValue: null, kind: 'added' },
    { map: 'M', key: 'k', value: '2', oldValue: '1', kind: 'updated' },
    { map: 'M', key: 'k', value: null, oldValue: '2', kind: 'removed' },
  ]);
  t.true(Object.isFrozen(seen[0]));
});

test('a key-restricted listener is registered with its key', async (t) => {
  const { client, store } = setup();
  await store.map('DOLPHIN_FEATURES').addEntryListener(() => {}, 'acb_boost');
  t.deepEqual([...client.fakeMap('DOLPHIN_FEATURES').listeners.values()].map((r) => r.key), ['acb_boost']);
});

test('a throwing or rejecting listener never throws into the client and is reported with its event', async (t) => {
  const { client, store, listenerErrors } = setup();
  await store.map('M').addEntryListener(() => {
    throw new Error('sync bug');
  });
  await store.map('M').addEntryListener((async () => {
    throw new Error('async bug');
  }) as () => void);
  t.notThrows(() => client.fakeMap('M').fire('added', { key: 'k', value: 'v', oldValue: null }));
  await new Promise((r) => setImmediate(r));
  t.deepEqual(listenerErrors.map(([e, ev]) => [(e as Error).message, ev?.key]).sort(), [['async bug', 'k'], ['sync bug', 'k']]);
});

test('an event carrying a non-string value is reported as a PayloadError and not delivered', async (t) => {
  const { client, store, listenerErrors } = setup();
  const seen: EntryEvent[] = [];
  await store.map('M').addEntryListener((e) => seen.push(e));
  client.fakeMap('M').fire('added', { key: 'k', value: 42, oldValue: null });
  t.deepEqual(seen, []);
  t.true(listenerErrors[0]?.[0] instanceof PayloadError);
});

test('unsubscribe removes the client registration once, however often it is called', async (t) => {
  const { client, store } = setup();
  const unsubscribe = await store.map('M').addEntryListener(() => {});
  await unsubscribe();
  await unsubscribe();
  t.deepEqual(client.fakeMap('M').removed, ['reg-0']);
});

test('an unsubscribe that fails on the network is StoreUnavailableError and can be retried', async (t) => {
  const { client, store } = setup();
  const unsubscribe = await store.map('M').addEntryListener(() => {});
  const m = client.fakeMap('M');
  const remove = m.removeEntryListener.bind(m);
  let failures = 1;
  m.removeEntryListener = async (id) => {
    if (failures-- > 0) throw new ClientOfflineError();
    return remove(id);
  };
  await t.throwsAsync(unsubscribe(), { instanceOf: StoreUnavailableError });
  await unsubscribe();
  t.deepEqual(m.removed, ['reg-0']);
  t.is(m.listeners.size, 0);
});

test('unsubscribe after close resolves without calling the client (its registrations went with it)', async (t) => {
  const { client, store } = setup();
  const unsubscribe = await store.map('M').addEntryListener(() => {});
  await store.close();
  await t.notThrowsAsync(unsubscribe());
  t.deepEqual(client.fakeMap('M').removed, []);
});

test('a non-string value stored in a map is a PayloadError naming map and key', async (t) => {
  const { client, store } = setup();
  client.fakeMap('DOLPHIN_PNL_BLUE').data.set('2026-01-05', 12.5);
  const e = await t.throwsAsync(store.map('DOLPHIN_PNL_BLUE').get('2026-01-05'), { instanceOf: PayloadError });
  t.like(e, { map: 'DOLPHIN_PNL_BLUE', key: '2026-01-05' });
  await t.throwsAsync(store.map('DOLPHIN_PNL_BLUE').entries(), { instanceOf: PayloadError });
});

test('a non-string value stored in an atomic reference is a PayloadError', async (t) => {
  const { client, store } = setup();
  (await client.getAtomicReference('DOLPHIN_SAFETY') as FakeRef).value = { posture: 'APEX' };
  await t.throwsAsync(store.atomicRef('DOLPHIN_SAFETY').get(), { instanceOf: PayloadError, message: /DOLPHIN_SAFETY/ });
});

// ---- proxies and errors ----

test('a map proxy is resolved once and cached across handles and calls', async (t) => {
  const { client, store } = setup();
  await store.map('M').put('k', 'v');
  await store.map('M').get('k');
  await store.map('M').keys();
  t.is(client.getMapCalls, 1);
});

test('a proxy that fails to resolve (cluster offline) is StoreUnavailableError and is resolved again next call', async (t) => {
  const { client, store } = setup();
  client.getMapFailures.push(new ClientOfflineError());
  await t.throwsAsync(store.map('M').get('k'), { instanceOf: StoreUnavailableError, message: /^M\.get: store unavailable \(ClientOfflineError/ });
  t.is(await store.map('M').get('k'), null);
  t.is(client.getMapCalls, 2);
});

test('an operation failing on the network surfaces as StoreUnavailableError naming the operation', async (t) => {
  const { client, store } = setup();
  await store.map('M').get('k');
  client.fakeMap('M').failNext = new ClientOfflineError();
  await t.throwsAsync(store.map('M').put('k', 'v'), { instanceOf: StoreUnavailableError, message: /^M\.put: / });
});

test('a call in flight when close() begins rejects with StoreClosedError', async (t) => {
  const { client, store } = setup();
  await store.map('M').get('k');
  client.fakeMap('M').holdGets = true;
  const inFlight = store.map('M').get('k');
  await new Promise((r) => setImmediate(r));
  await store.close();
  client.fakeMap('M').pendingGet?.reject(new ClientNotActiveError('Client is shutting down.'));
  await t.throwsAsync(inFlight, { instanceOf: StoreClosedError });
});

test('after close every call is StoreClosedError without touching the client, and the client is shut down once', async (t) => {
  const { client, store } = setup();
  await store.close();
  await store.close();
  await t.throwsAsync(store.map('M').get('k'), { instanceOf: StoreClosedError });
  await t.throwsAsync(store.atomicRef('R').set('x'), { instanceOf: StoreClosedError });
  await t.throwsAsync(store.lock('L').lock(), { instanceOf: StoreClosedError });
  await t.throwsAsync(store.lock('L').unlock(1n), { instanceOf: StoreClosedError });
  t.is(client.getMapCalls, 0);
  t.is(client.shutdowns, 1);
});

test('bad keys and values are refused as typed errors before any round trip', async (t) => {
  const { client, store } = setup();
  await t.throwsAsync(store.map('M').put('k', 5 as unknown as string), { instanceOf: PayloadError });
  await t.throwsAsync(store.map('M').get(undefined as unknown as string), { message: /map key/ });
  t.throws(() => store.map(''), { message: /map name/ });
  t.is(client.getMapCalls, 0);
});

// ---- health ----

test('health follows the lifecycle: CONNECTED gives the member count, DISCONNECTED gives 0 nodes', (t) => {
  let now = 1_000;
  const { client, health, store } = setup({ clock: () => now, connected: false });
  t.deepEqual(store.health(), { connected: false, nodes: 0, lastHeartbeatMs: 1_000 });
  now = 2_000;
  health.onLifecycle('CONNECTED');
  client.members = 2;
  t.deepEqual(store.health(), { connected: true, nodes: 2, lastHeartbeatMs: 2_000 });
  now = 3_000;
  health.onLifecycle('DISCONNECTED');
  t.deepEqual(store.health(), { connected: false, nodes: 0, lastHeartbeatMs: 3_000 }, 'last contact is when the connection went');
});

test('connected before the member list has arrived reports one node, never connected with 0 nodes', (t) => {
  const { client, store } = setup();
  client.members = 0;
  t.like(store.health(), { connected: true, nodes: 1 });
});

test('lastHeartbeatMs moves on a successful operation and not on a failed one', async (t) => {
  let now = 1_000;
  const { client, store } = setup({ clock: () => now });
  now = 5_000;
  await store.map('M').put('k', 'v');
  t.is(store.health().lastHeartbeatMs, 5_000);
  now = 9_000;
  client.fakeMap('M').failNext = new ClientOfflineError();
  await t.throwsAsync(store.map('M').put('k', 'w'));
  t.is(store.health().lastHeartbeatMs, 5_000);
});

test('while connected and idle, lastHeartbeatMs is never older than the client\'s liveness bound (heartbeat timeout + interval)', (t) => {
  let now = 1_000;
  const { store } = setup({ clock: () => now, livenessBoundMs: 20_000 });
  now = 100_000;
  t.is(store.health().lastHeartbeatMs, 80_000);
});

test('once disconnected, lastHeartbeatMs stays at the last real contact and ages', (t) => {
  let now = 1_000;
  const { health, store } = setup({ clock: () => now, livenessBoundMs: 20_000 });
  now = 50_000;
  health.onLifecycle('DISCONNECTED');
  now = 100_000;
  t.is(store.health().lastHeartbeatMs, 50_000);
});

test('lastHeartbeatMs moves on an entry event and on a membership event', async (t) => {
  let now = 1_000;
  const { client, health, store } = setup({ clock: () => now });
  await store.map('M').addEntryListener(() => {});
  now = 7_000;
  client.fakeMap('M').fire('added', { key: 'k', value: 'v', oldValue: null });
  t.is(store.health().lastHeartbeatMs, 7_000);
  now = 8_000;
  health.onMembership();
  t.is(store.health().lastHeartbeatMs, 8_000);
});

test('after close health says disconnected, even if a late CONNECTED arrives', async (t) => {
  const { health, store } = setup();
  await store.close();
  health.onLifecycle('CONNECTED');
  t.like(store.health(), { connected: false, nodes: 0 });
});

test('whenConnected resolves true on the first CONNECTED', async (t) => {
  const { health, store } = setup({ connected: false });
  const waiting = store.whenConnected(10_000);
  health.onLifecycle('CONNECTED');
  t.true(await waiting);
});

test('whenConnected resolves false when the timeout passes first', async (t) => {
  const { store } = setup({ connected: false });
  t.false(await store.whenConnected(5));
});

test('whenConnected resolves false when the store is closed while waiting', async (t) => {
  const { store } = setup({ connected: false });
  const waiting = store.whenConnected(10_000);
  await store.close();
  t.false(await waiting);
});
