// The port's behaviour as ava tests, run against every adapter (embedded now, Hazelcast later).
// Each test asks for a fresh connection and uses names of its own, so a shared real cluster works too.
// Waits poll with a deadline instead of sleeping a fixed time: events from a real cluster arrive late.
import test, { type ExecutionContext } from 'ava';
import { LockError, StoreClosedError, StoreUnavailableError } from '../../store/errors.ts';
import type { EntryEvent, FeatureStore } from '../../store/port.ts';

export interface ContractHarness {
  /** two clients of one cluster */
  stores: FeatureStore[];
  /** the node behind stores[i] dies */
  kill?(i: number): void | Promise<void>;
  /** the whole cluster becomes (un)reachable */
  setReachable?(reachable: boolean): void | Promise<void>;
  teardown(): Promise<void>;
}

export type ContractConnect = () => Promise<ContractHarness>;

let seq = 0;
/** a map/ref/lock name no other test uses */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${seq++}`;
}

export async function eventually(t: ExecutionContext, what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) {
      t.fail(`timed out waiting for ${what}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets in-flight events land before asserting that something did not arrive. */
export const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

function summary(e: EntryEvent): string {
  return `${e.kind} ${e.key}=${e.value ?? '∅'} (was ${e.oldValue ?? '∅'})`;
}

export function storeContract(title: string, connect: ContractConnect | null, skipReason: string): void {
  const cases: Array<[string, (t: ExecutionContext, h: ContractHarness) => Promise<void>, boolean?]> = [];
  const it = (name: string, body: (t: ExecutionContext, h: ContractHarness) => Promise<void>, serial = false) =>
    cases.push([name, body, serial]);

  // ---- maps ----
  it('map get returns null for an absent key and the value after put', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    t.is(await m.get('k'), null);
    t.is(await m.put('k', '{"x": 1}'), null);
    t.is(await m.get('k'), '{"x": 1}');
  });

  it('map put returns the previous value', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    await m.put('k', '1');
    t.is(await m.put('k', '2'), '1');
    t.is(await m.get('k'), '2');
  });

  it('a write by one client is read by the other', async (t, { stores: [a, b] }) => {
    const name = uniqueName('M');
    await a.map(name).put('k', 'v');
    t.is(await b.map(name).get('k'), 'v');
  });

  it('putIfAbsent writes only when the key is absent and returns the existing value otherwise', async (t, { stores: [a, b] }) => {
    const name = uniqueName('M');
    t.is(await a.map(name).putIfAbsent('k', 'first'), null);
    t.is(await b.map(name).putIfAbsent('k', 'second'), 'first');
    t.is(await a.map(name).get('k'), 'first');
  });

  it('delete removes the key; deleting an absent key is a no-op', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    await m.put('k', 'v');
    await m.delete('k');
    t.is(await m.get('k'), null);
    await t.notThrowsAsync(m.delete('never'));
  });

  it('keys and entries list the map (in any order)', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    t.deepEqual(await m.keys(), []);
    await m.put('b', '2');
    await m.put('a', '1');
    await m.put('c', '3');
    await m.delete('c');
    t.deepEqual((await m.keys()).sort(), ['a', 'b']);
    t.deepEqual((await m.entries()).sort(([x], [y]) => x.localeCompare(y)), [['a', '1'], ['b', '2']]);
  });

  it('maps of different names are independent', async (t, { stores: [a] }) => {
    const m1 = a.map(uniqueName('M'));
    const m2 = a.map(uniqueName('M'));
    await m1.put('k', '1');
    t.is(await m2.get('k'), null);
  });

  // ---- listeners ----
  it('a listener sees added, updated and removed with old and new values, also for the other client\'s writes', async (t, { stores: [a, b] }) => {
    const name = uniqueName('M');
    const seen: EntryEvent[] = [];
    await b.map(name).addEntryListener((e) => seen.push(e));
    const m = a.map(name);
    await m.put('k', '1');
    await m.put('k', '2');
    await m.delete('k');
    await eventually(t, 'three events', () => seen.length >= 3);
    t.deepEqual(
      seen.map((e) => ({ ...e })),
      [
        { map: name, key: 'k', value: '1', oldValue: null, kind: 'added' },
        { map: name, key: 'k', value: '2', oldValue: '1', kind: 'updated' },
        { map: name, key: 'k', value: null, oldValue: '2', kind: 'removed' },
      ],
    );
  });

  it('putIfAbsent on a present key fires no event', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    const seen: EntryEvent[] = [];
    await m.addEntryListener((e) => seen.push(e));
    await m.putIfAbsent('k', '1');
    await m.putIfAbsent('k', '2');
    await m.put('k', '3');
    await eventually(t, 'the update', () => seen.some((e) => e.value === '3'));
    t.deepEqual(seen.map(summary), ['added k=1 (was ∅)', 'updated k=3 (was 1)']);
  });

  it('events for one key arrive in write order', async (t, { stores: [a, b] }) => {
    const name = uniqueName('M');
    const seen: string[] = [];
    await b.map(name).addEntryListener((e) => seen.push(e.value!));
    const m = a.map(name);
    const written = Array.from({ length: 50 }, (_, i) => String(i));
    for (const v of written) await m.put('k', v);
    await eventually(t, '50 events', () => seen.length >= 50);
    t.deepEqual(seen, written);
  });

  it('a key-filtered listener sees only its key', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    const filtered: string[] = [];
    const all: string[] = [];
    await m.addEntryListener((e) => filtered.push(e.key), 'acb_boost');
    await m.addEntryListener((e) => all.push(e.key));
    await m.put('other', '1');
    await m.put('acb_boost', '2');
    await m.put('other', '3');
    await eventually(t, 'all events', () => all.length >= 3);
    await settle();
    t.deepEqual(filtered, ['acb_boost']);
  });

  it('after unsubscribe a listener receives nothing more', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    const gone: string[] = [];
    const kept: string[] = [];
    const unsubscribe = await m.addEntryListener((e) => gone.push(e.value!));
    await m.addEntryListener((e) => kept.push(e.value!));
    await m.put('k', '1');
    await eventually(t, 'first event', () => gone.length === 1 && kept.length === 1);
    await unsubscribe();
    await m.put('k', '2');
    await eventually(t, 'second event on the kept listener', () => kept.length === 2);
    await settle();
    t.deepEqual(gone, ['1']);
  });

  it('a throwing listener affects neither the writer nor other listeners, and keeps receiving', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    let thrown = 0;
    const others: string[] = [];
    await m.addEntryListener(() => {
      thrown++;
      throw new Error('listener bug');
    });
    await m.addEntryListener((e) => others.push(e.value!));
    await t.notThrowsAsync(m.put('k', '1'));
    await t.notThrowsAsync(m.put('k', '2'));
    await eventually(t, 'both events everywhere', () => others.length === 2 && thrown === 2);
    t.deepEqual(others, ['1', '2']);
  });

  it('a listener never runs synchronously inside put', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    let insidePut = false;
    const calls: boolean[] = [];
    await m.addEntryListener(() => calls.push(insidePut));
    insidePut = true;
    const pending = m.put('k', 'v');
    insidePut = false;
    await pending;
    await eventually(t, 'the event', () => calls.length === 1);
    t.deepEqual(calls, [false]);
  });

  it('a listener does not see writes made before it subscribed', async (t, { stores: [a] }) => {
    const m = a.map(uniqueName('M'));
    await m.put('k', 'before');
    const seen: string[] = [];
    await m.addEntryListener((e) => seen.push(e.value!));
    await m.put('k', 'after');
    await eventually(t, 'the event', () => seen.length >= 1);
    await settle();
    t.deepEqual(seen, ['after']);
  });

  // ---- atomic reference ----
  it('atomic ref starts null, set/get round-trip across clients', async (t, { stores: [a, b] }) => {
    const name = uniqueName('R');
    t.is(await a.atomicRef(name).get(), null);
    await a.atomicRef(name).set('{"posture": "APEX"}');
    t.is(await b.atomicRef(name).get(), '{"posture": "APEX"}');
    await b.atomicRef(name).set(null);
    t.is(await a.atomicRef(name).get(), null);
  });

  it('compareAndSet swaps only on the expected value (compared as strings, null included)', async (t, { stores: [a, b] }) => {
    const name = uniqueName('R');
    t.true(await a.atomicRef(name).compareAndSet(null, 'one'));
    t.false(await b.atomicRef(name).compareAndSet(null, 'two'));
    t.false(await b.atomicRef(name).compareAndSet('ONE', 'two'));
    t.true(await b.atomicRef(name).compareAndSet('one', 'two'));
    t.is(await a.atomicRef(name).get(), 'two');
    t.true(await a.atomicRef(name).compareAndSet('two', null));
    t.is(await b.atomicRef(name).get(), null);
  });

  it('concurrent compareAndSet from the same expected value: exactly one wins', async (t, { stores: [a, b] }) => {
    const name = uniqueName('R');
    await a.atomicRef(name).set('v0');
    const results = await Promise.all([
      a.atomicRef(name).compareAndSet('v0', 'a'),
      b.atomicRef(name).compareAndSet('v0', 'b'),
    ]);
    t.is(results.filter(Boolean).length, 1);
    t.is(await a.atomicRef(name).get(), results[0] ? 'a' : 'b');
  });

  // ---- fenced lock ----
  it('fences strictly increase each time the lock goes from free to held, whoever takes it', async (t, { stores: [a, b] }) => {
    const name = uniqueName('L');
    const f1 = await a.lock(name).lock();
    t.true(await b.lock(name).isLocked());
    t.is(await b.lock(name).currentFence(), f1);
    await a.lock(name).unlock(f1);
    t.false(await a.lock(name).isLocked());
    t.is(await a.lock(name).currentFence(), null);
    const f2 = await b.lock(name).lock();
    t.is(await a.lock(name).tryLock(), null);
    await b.lock(name).unlock(f2);
    const f3 = await a.lock(name).tryLock();
    t.not(f3, null);
    t.true(f1 < f2 && f2 < f3!);
    t.is(typeof f1, 'bigint');
    await a.lock(name).unlock(f3!);
  });

  it('unlock with a wrong fence or by a non-holder rejects with LockError and leaves the lock held', async (t, { stores: [a, b] }) => {
    const name = uniqueName('L');
    const f = await a.lock(name).lock();
    await t.throwsAsync(a.lock(name).unlock(f + 1n), { instanceOf: LockError });
    await t.throwsAsync(b.lock(name).unlock(f), { instanceOf: LockError });
    t.is(await b.lock(name).currentFence(), f);
    await a.lock(name).unlock(f);
    await t.throwsAsync(a.lock(name).unlock(f), { instanceOf: LockError }, 'unlocking a free lock');
  });

  it('the lock is not re-entrant: lock and tryLock by the holder reject with LockError', async (t, { stores: [a] }) => {
    const name = uniqueName('L');
    const f = await a.lock(name).lock();
    await t.throwsAsync(a.lock(name).lock(), { instanceOf: LockError });
    await t.throwsAsync(a.lock(name).tryLock(), { instanceOf: LockError });
    t.is(await a.lock(name).currentFence(), f);
    await a.lock(name).unlock(f);
  });

  it('lock() waits for the holder to unlock, then acquires with a larger fence', async (t, { stores: [a, b] }) => {
    const name = uniqueName('L');
    const f1 = await a.lock(name).lock();
    let acquired: bigint | null = null;
    const waiting = b.lock(name).lock().then((f) => (acquired = f));
    await settle();
    t.is(acquired, null);
    await a.lock(name).unlock(f1);
    const f2 = await waiting;
    t.true(f2 > f1);
    t.is(await a.lock(name).currentFence(), f2);
    await b.lock(name).unlock(f2);
  });

  it('tryLock(timeout) returns null when the lock stays held', async (t, { stores: [a, b] }) => {
    const name = uniqueName('L');
    const f = await a.lock(name).lock();
    const started = Date.now();
    t.is(await b.lock(name).tryLock(60), null);
    t.true(Date.now() - started >= 40, 'it waited for (about) its timeout');
    t.is(await b.lock(name).currentFence(), f);
    await a.lock(name).unlock(f);
  });

  it('tryLock(timeout) acquires when the lock is released within the timeout', async (t, { stores: [a, b] }) => {
    const name = uniqueName('L');
    const f1 = await a.lock(name).lock();
    const attempt = b.lock(name).tryLock(5000);
    await settle(20);
    await a.lock(name).unlock(f1);
    const f2 = await attempt;
    t.not(f2, null);
    t.true(f2! > f1);
    await b.lock(name).unlock(f2!);
  });

  it('closing the holder releases its lock; a waiter acquires it with a larger fence', async (t, { stores: [a, b] }) => {
    const name = uniqueName('L');
    const f1 = await a.lock(name).lock();
    const waiting = b.lock(name).lock();
    await settle(20);
    await a.close();
    const f2 = await waiting;
    t.true(f2 > f1);
    await b.lock(name).unlock(f2);
  });

  // ---- client lifecycle and health ----
  it('health of a connected client: connected, at least one node, a finite heartbeat time', async (t, { stores: [a] }) => {
    const h = a.health();
    t.true(h.connected);
    t.true(h.nodes >= 1);
    t.true(Number.isFinite(h.lastHeartbeatMs));
  });

  it('a closed client rejects every call with StoreClosedError; close is idempotent; the other client goes on', async (t, { stores: [a, b] }) => {
    const name = uniqueName('M');
    await a.close();
    await t.notThrowsAsync(a.close());
    await t.throwsAsync(a.map(name).get('k'), { instanceOf: StoreClosedError });
    await t.throwsAsync(a.map(name).put('k', 'v'), { instanceOf: StoreClosedError });
    await t.throwsAsync(a.atomicRef(name).get(), { instanceOf: StoreClosedError });
    await t.throwsAsync(a.lock(name).tryLock(), { instanceOf: StoreClosedError });
    t.false(a.health().connected);
    await b.map(name).put('k', 'v');
    t.is(await b.map(name).get('k'), 'v');
  });

  it('closing a client stops its listeners', async (t, { stores: [a, b] }) => {
    const name = uniqueName('M');
    const closedSeen: string[] = [];
    const liveSeen: string[] = [];
    await a.map(name).addEntryListener((e) => closedSeen.push(e.value!));
    await b.map(name).addEntryListener((e) => liveSeen.push(e.value!));
    await a.close();
    await b.map(name).put('k', 'v');
    await eventually(t, 'the live listener', () => liveSeen.length === 1);
    await settle();
    t.deepEqual(closedSeen, []);
  });

  // ---- failures the harness can inject ----
  it('killing the holder\'s node releases its lock to a waiter with a larger fence', async (t, h) => {
    if (!h.kill) {
      t.pass('harness cannot kill a node');
      return;
    }
    const [a, b] = h.stores;
    const name = uniqueName('L');
    const f1 = await a.lock(name).lock();
    const waiting = b.lock(name).lock();
    await settle(20);
    await h.kill(0);
    const f2 = await waiting;
    t.true(f2 > f1);
    t.false(a.health().connected);
    await b.lock(name).unlock(f2);
  });

  it(
    'while unreachable every call rejects with StoreUnavailableError and health says disconnected; it recovers',
    async (t, h) => {
      if (!h.setReachable) {
        t.pass('harness cannot cut the cluster off');
        return;
      }
      const [a] = h.stores;
      const name = uniqueName('M');
      await a.map(name).put('k', 'v');
      await h.setReachable(false);
      try {
        await t.throwsAsync(a.map(name).get('k'), { instanceOf: StoreUnavailableError });
        await t.throwsAsync(a.map(name).put('k', 'w'), { instanceOf: StoreUnavailableError });
        await t.throwsAsync(a.atomicRef(name).get(), { instanceOf: StoreUnavailableError });
        await t.throwsAsync(a.lock(name).tryLock(), { instanceOf: StoreUnavailableError });
        const down = a.health();
        t.false(down.connected);
        t.is(down.nodes, 0);
      } finally {
        await h.setReachable(true);
      }
      await eventually(t, 'reconnection', () => a.health().connected, 30_000);
      t.is(await a.map(name).get('k'), 'v');
    },
    true,
  );

  for (const [name, body, serial] of cases) {
    const full = `${title}: ${name}`;
    if (connect === null) {
      test.skip(`${full} (skipped: ${skipReason})`, () => {});
      continue;
    }
    const run = async (t: ExecutionContext) => {
      const h = await connect();
      try {
        await body(t, h);
      } finally {
        await h.teardown();
      }
    };
    if (serial) test.serial(full, run);
    else test(full, run);
  }
}
