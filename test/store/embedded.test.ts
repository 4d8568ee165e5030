import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { LockError, SnapshotError, StoreClosedError, StoreError, StoreUnavailableError } from '../../store/errors.ts';
import type { EntryEvent } from '../../store/port.ts';
import { eventually, settle, storeContract } from './contract.ts';

storeContract(
  'embedded',
  async () => {
    const cluster = new EmbeddedCluster();
    const stores = [cluster.connect('a'), cluster.connect('b')];
    const names = ['a', 'b'];
    return {
      stores,
      kill: (i) => cluster.kill(names[i]),
      setReachable: (r) => cluster.setReachable(r),
      teardown: async () => {
        for (const s of stores) await s.close();
      },
    };
  },
  '',
);

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dolphin-store-'));
}

test('embedded: health counts connected clients and stamps the heartbeat with the injected clock', (t) => {
  let now = 1_000;
  const cluster = new EmbeddedCluster({ clock: () => now });
  const a = cluster.connect('a');
  const b = cluster.connect('b');
  now = 2_000;
  t.deepEqual(a.health(), { connected: true, nodes: 2, lastHeartbeatMs: 2_000 });
  cluster.setReachable(false);
  now = 9_000;
  t.deepEqual(a.health(), { connected: false, nodes: 0, lastHeartbeatMs: 2_000 }, 'last contact is when the cluster went away');
  cluster.setReachable(true);
  void b.close();
  t.deepEqual(a.health(), { connected: true, nodes: 1, lastHeartbeatMs: 9_000 });
});

test('embedded: a killed node\'s calls reject with StoreUnavailableError and its listeners stop', async (t) => {
  const cluster = new EmbeddedCluster();
  const a = cluster.connect('a');
  const b = cluster.connect('b');
  const seenByA: string[] = [];
  const seenByB: string[] = [];
  await a.map('M').addEntryListener((e) => seenByA.push(e.value!));
  await b.map('M').addEntryListener((e) => seenByB.push(e.value!));
  cluster.kill('a');
  await t.throwsAsync(a.map('M').get('k'), { instanceOf: StoreUnavailableError, message: /node a was killed/ });
  t.deepEqual(a.health(), { connected: false, nodes: 0, lastHeartbeatMs: a.health().lastHeartbeatMs });
  t.deepEqual(b.health().nodes, 1);
  await b.map('M').put('k', 'v');
  await eventually(t, 'b sees its write', () => seenByB.length === 1);
  await settle(10);
  t.deepEqual(seenByA, []);
  t.deepEqual(cluster.connectedClients(), ['b']);
});

test('embedded: a name is unique among connected clients and free again after close or kill', async (t) => {
  const cluster = new EmbeddedCluster();
  const a = cluster.connect('a');
  t.throws(() => cluster.connect('a'), { instanceOf: StoreError, message: /already connected/ });
  await a.close();
  cluster.connect('a');
  cluster.kill('a');
  t.notThrows(() => cluster.connect('a'));
  t.throws(() => cluster.kill('nobody'), { instanceOf: StoreError });
});

test('embedded: waiters get the lock in FIFO order, each with the next fence', async (t) => {
  const cluster = new EmbeddedCluster();
  const [a, b, c] = ['a', 'b', 'c'].map((n) => cluster.connect(n));
  const order: string[] = [];
  const f0 = await a.lock('L').lock();
  const fb = b.lock('L').lock().then((f) => (order.push('b'), f));
  const fc = c.lock('L').lock().then((f) => (order.push('c'), f));
  await a.lock('L').unlock(f0);
  const f1 = await fb;
  t.is(f1, f0 + 1n);
  await b.lock('L').unlock(f1);
  const f2 = await fc;
  t.is(f2, f1 + 1n);
  t.deepEqual(order, ['b', 'c']);
});

test('embedded: a waiter that times out leaves the queue and the next waiter gets the lock', async (t) => {
  const cluster = new EmbeddedCluster();
  const [a, b, c] = ['a', 'b', 'c'].map((n) => cluster.connect(n));
  const f0 = await a.lock('L').lock();
  const timedOut = b.lock('L').tryLock(10);
  const waiting = c.lock('L').lock();
  t.is(await timedOut, null);
  await a.lock('L').unlock(f0);
  t.is(await waiting, f0 + 1n);
});

test('embedded: going unreachable rejects waiting lock calls but keeps the held lock', async (t) => {
  const cluster = new EmbeddedCluster();
  const a = cluster.connect('a');
  const b = cluster.connect('b');
  const f = await a.lock('L').lock();
  const waiting = b.lock('L').lock();
  const trying = b.lock('L').tryLock(10_000);
  cluster.setReachable(false);
  await t.throwsAsync(waiting, { instanceOf: StoreUnavailableError });
  await t.throwsAsync(trying, { instanceOf: StoreUnavailableError });
  cluster.setReachable(true);
  t.is(await b.lock('L').currentFence(), f);
  await a.lock('L').unlock(f);
});

test('embedded: a client closing while it waits for a lock gets StoreClosedError', async (t) => {
  const cluster = new EmbeddedCluster();
  const a = cluster.connect('a');
  const b = cluster.connect('b');
  await a.lock('L').lock();
  const waiting = b.lock('L').lock();
  await b.close();
  await t.throwsAsync(waiting, { instanceOf: StoreClosedError });
});

test('embedded: events are delivered in write order across keys and maps (one global FIFO)', async (t) => {
  const cluster = new EmbeddedCluster();
  const a = cluster.connect('a');
  const seen: string[] = [];
  const record = (e: EntryEvent) => seen.push(`${e.map}.${e.key}=${e.value}`);
  await a.map('M1').addEntryListener(record);
  await a.map('M2').addEntryListener(record);
  const writes: string[] = [];
  for (let i = 0; i < 20; i++) {
    const map = i % 3 === 0 ? 'M2' : 'M1';
    const key = `k${i % 4}`;
    writes.push(`${map}.${key}=${i}`);
    void a.map(map).put(key, String(i));
  }
  await eventually(t, 'all events', () => seen.length === 20);
  t.deepEqual(seen, writes);
});

test('embedded: a throwing or rejecting listener is reported to onListenerError with its event', async (t) => {
  const errors: Array<[string, string]> = [];
  const cluster = new EmbeddedCluster({ onListenerError: (e, ev) => errors.push([(e as Error).message, ev.key]) });
  const a = cluster.connect('a');
  await a.map('M').addEntryListener(() => {
    throw new Error('sync bug');
  });
  await a.map('M').addEntryListener((async () => {
    throw new Error('async bug');
  }) as () => void);
  await a.map('M').put('k', 'v');
  await eventually(t, 'both reports', () => errors.length === 2);
  t.deepEqual(errors.sort(), [['async bug', 'k'], ['sync bug', 'k']]);
});

test('embedded: a listener that writes does not starve the writer; its event comes in a later round', async (t) => {
  const cluster = new EmbeddedCluster();
  const a = cluster.connect('a');
  const seen: string[] = [];
  await a.map('M').addEntryListener((e) => {
    seen.push(e.value!);
    if (e.key === 'ping') void a.map('M').put('pong', `after ${e.value}`);
  });
  await a.map('M').put('ping', '1');
  await eventually(t, 'the pong', () => seen.length === 2);
  t.deepEqual(seen, ['1', 'after 1']);
});

test('embedded: a snapshot round-trips maps, atomic refs and fences through a new cluster', async (t) => {
  const dir = await tempDir();
  try {
    const path = join(dir, 'nested', 'store.msgpack');
    const first = new EmbeddedCluster({ persistPath: path });
    const a = first.connect('a');
    await a.map('DOLPHIN_PNL_BLUE').put('2026-01-01', '{"date": "2026-01-01", "pnl": 1.5}');
    await a.map('DOLPHIN_FEATURES').put('acb_boost', '{"boost": 1.0, "beta": 0.5}');
    await a.map('ints').put('10', 'ten');
    await a.map('ints').put('2', 'two');
    await a.atomicRef('DOLPHIN_SAFETY').set('{"posture": "TURTLE"}');
    await a.atomicRef('empty').set(null);
    const f = await a.lock('L').lock();
    await first.flush();
    t.deepEqual(await readdir(join(dir, 'nested')), ['store.msgpack'], 'no temp file is left behind');

    const second = new EmbeddedCluster({ persistPath: path });
    const b = second.connect('b');
    t.is(await b.map('DOLPHIN_PNL_BLUE').get('2026-01-01'), '{"date": "2026-01-01", "pnl": 1.5}');
    t.is(await b.map('DOLPHIN_FEATURES').get('acb_boost'), '{"boost": 1.0, "beta": 0.5}');
    t.deepEqual(await b.map('ints').entries(), [['10', 'ten'], ['2', 'two']]);
    t.is(await b.atomicRef('DOLPHIN_SAFETY').get(), '{"posture": "TURTLE"}');
    t.false(await b.lock('L').isLocked(), 'locks belong to sessions and do not survive a restart');
    t.true((await b.lock('L').lock()) > f, 'fences keep increasing across the restart');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('embedded: flush captures the state at the call and later flushes win', async (t) => {
  const dir = await tempDir();
  try {
    const path = join(dir, 'store.msgpack');
    const cluster = new EmbeddedCluster({ persistPath: path });
    const a = cluster.connect('a');
    await a.map('M').put('k', '1');
    const p1 = cluster.flush();
    await a.map('M').put('k', '2');
    const p2 = cluster.flush();
    await Promise.all([p1, p2]);
    t.is(await new EmbeddedCluster({ persistPath: path }).connect('x').map('M').get('k'), '2');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('embedded: a missing snapshot starts empty; a corrupt or foreign one is a SnapshotError naming the file', async (t) => {
  const dir = await tempDir();
  try {
    const missing = join(dir, 'none.msgpack');
    t.deepEqual(await new EmbeddedCluster({ persistPath: missing }).connect('a').map('M').keys(), []);

    const corrupt = join(dir, 'corrupt.msgpack');
    await writeFile(corrupt, Buffer.from([0xc1, 0xff, 0x00]));
    const e1 = t.throws(() => new EmbeddedCluster({ persistPath: corrupt }), { instanceOf: SnapshotError });
    t.is(e1?.path, corrupt);

    const foreign = join(dir, 'foreign.msgpack');
    const { Packr } = await import('msgpackr');
    await writeFile(foreign, new Packr({ useRecords: false }).pack({ hello: 'world' }));
    t.throws(() => new EmbeddedCluster({ persistPath: foreign }), { instanceOf: SnapshotError, message: /format/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('embedded: flush without persistPath rejects', async (t) => {
  await t.throwsAsync(new EmbeddedCluster().flush(), { instanceOf: StoreError, message: /no persistPath/ });
});

test('embedded: unlock with a non-bigint fence and a negative tryLock timeout are LockErrors', async (t) => {
  const a = new EmbeddedCluster().connect('a');
  const f = await a.lock('L').lock();
  await t.throwsAsync(a.lock('L').unlock(Number(f) as unknown as bigint), { instanceOf: LockError, message: /bigint/ });
  await t.throwsAsync(a.lock('L').tryLock(-1), { instanceOf: LockError, message: /timeout/ });
});
