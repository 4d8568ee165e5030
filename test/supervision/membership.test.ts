// Membership through DOLPHIN_NODES heartbeats, with several clients ("nodes") of one EmbeddedCluster.
// Short real timers, polls with deadlines; the liveness boundary is checked on a fixed clock.
import test from 'ava';
import { sleep, until } from './helpers.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { StoreUnavailableError } from '../../store/errors.ts';
import { Membership, MembershipConfigError, parseHeartbeat, type MembershipOptions, type NodeHeartbeat } from '../../supervision/membership.ts';
import { ownerOfSymbol, symbolsOf } from '../../supervision/shard-split.ts';
import { DOLPHIN_NODES } from '../../supervision/singleton-names.ts';

const HEARTBEAT_MS = 15;
const DEAD_AFTER_MS = 60;
const SLACK_MS = 250;


function nodes(cluster: EmbeddedCluster, ids: string[], extra: Partial<MembershipOptions> = {}): Membership[] {
  return ids.map((id) => new Membership(cluster.connect(id), { nodeId: id, heartbeatMs: HEARTBEAT_MS, deadAfterMs: DEAD_AFTER_MS, host: `host-${id}`, ...extra }));
}

const stopAll = (ms: Membership[]) => Promise.all(ms.map((m) => m.stop()));

test.serial('liveNodes lists every started node, sorted by id', async (t) => {
  const cluster = new EmbeddedCluster();
  const ms = nodes(cluster, ['c', 'a', 'b']);
  try {
    await Promise.all(ms.map((m) => m.start()));
    t.deepEqual(await ms[0].liveNodes(), ['a', 'b', 'c']);
  } finally {
    await stopAll(ms);
  }
});

test.serial('the heartbeat is {"node", "ts", "host", "instance"} JSON, renewed every heartbeatMs', async (t) => {
  const cluster = new EmbeddedCluster();
  const [m] = nodes(cluster, ['n1']);
  const reader = cluster.connect('reader').map(DOLPHIN_NODES);
  try {
    await m.start();
    const first = (await reader.get('n1'))!;
    t.regex(first, /^\{"node": "n1", "ts": \d+, "host": "host-n1", "instance": "[0-9a-f]{16}"\}$/);
    const ts0 = parseHeartbeat('n1', first).ts;
    const deadline = performance.now() + 1_500;
    let ts = ts0;
    while (ts === ts0 && performance.now() < deadline) {
      await sleep(HEARTBEAT_MS);
      ts = parseHeartbeat('n1', (await reader.get('n1'))!).ts;
    }
    t.true(ts > ts0);
  } finally {
    await m.stop();
  }
});

test('a heartbeat older than deadAfterMs is dead; one exactly deadAfterMs old is live', async (t) => {
  const cluster = new EmbeddedCluster();
  const now = 1_000_000;
  const store = cluster.connect('n1');
  const m = new Membership(store, { nodeId: 'n1', heartbeatMs: 10, deadAfterMs: 100, clock: () => now });
  const hb = (node: string, ts: number) => JSON.stringify({ node, ts, host: 'h', instance: 'x' });
  await store.map(DOLPHIN_NODES).put('fresh', hb('fresh', now));
  await store.map(DOLPHIN_NODES).put('edge', hb('edge', now - 100));
  await store.map(DOLPHIN_NODES).put('old', hb('old', now - 101));
  t.deepEqual(await m.liveNodes(), ['edge', 'fresh']);
});

test.serial("a killed node drops out of the others' view within deadAfterMs plus a heartbeat (plus slack)", async (t) => {
  const cluster = new EmbeddedCluster();
  const ms = nodes(cluster, ['a', 'b', 'c']);
  try {
    await Promise.all(ms.map((m) => m.start()));
    await until('a full view', () => ms[0].view().length === 3);
    cluster.kill('c');
    const took = await until('c gone from a and b', () => ms.slice(0, 2).every((m) => !m.view().includes('c')));
    t.log(`dead node dropped after ${took.toFixed(1)} ms (deadAfterMs ${DEAD_AFTER_MS}, heartbeatMs ${HEARTBEAT_MS})`);
    t.true(took <= DEAD_AFTER_MS + HEARTBEAT_MS + SLACK_MS, `took ${took.toFixed(1)} ms`);
  } finally {
    await stopAll(ms);
  }
});

test.serial("a joining node appears in the others' view through onChange", async (t) => {
  const cluster = new EmbeddedCluster();
  const seen: Array<readonly string[]> = [];
  // a long deadAfterMs: a stalled loop must not make b flicker out of a's view here
  const [a] = nodes(cluster, ['a'], { deadAfterMs: 1_000, onChange: (ids) => seen.push(ids) });
  const [b] = nodes(cluster, ['b'], { deadAfterMs: 1_000 });
  try {
    await a.start();
    await b.start();
    await until('a sees b', () => a.view().includes('b'));
    t.deepEqual(seen, [['a'], ['a', 'b']]);
  } finally {
    await stopAll([a, b]);
  }
});

test.serial("stop removes the node's entry", async (t) => {
  const cluster = new EmbeddedCluster();
  const [a, b] = nodes(cluster, ['a', 'b']);
  try {
    await a.start();
    await b.start();
    await b.stop();
    t.deepEqual(await a.liveNodes(), ['a']);
    t.is(await cluster.connect('reader').map(DOLPHIN_NODES).get('b'), null);
  } finally {
    await stopAll([a, b]);
  }
});

test.serial('a malformed heartbeat is skipped and the others are still listed', async (t) => {
  const cluster = new EmbeddedCluster();
  const [a] = nodes(cluster, ['a']);
  try {
    const raw = cluster.connect('writer').map(DOLPHIN_NODES);
    await raw.put('junk', 'not json');
    await raw.put('liar', JSON.stringify({ node: 'someone-else', ts: Date.now(), host: 'h' }));
    await a.start();
    t.deepEqual(await a.liveNodes(), ['a']);
  } finally {
    await a.stop();
  }
});

test.serial('two processes using one node id both report the conflict', async (t) => {
  const cluster = new EmbeddedCluster();
  const conflicts: Array<{ by: string; other: NodeHeartbeat }> = [];
  const twins = ['x-1', 'x-2'].map(
    (client) =>
      new Membership(cluster.connect(client), {
        nodeId: 'x',
        heartbeatMs: HEARTBEAT_MS,
        deadAfterMs: DEAD_AFTER_MS,
        onConflict: (other) => conflicts.push({ by: client, other }),
      }),
  );
  try {
    await Promise.all(twins.map((m) => m.start()));
    await until('both twins reporting', () => new Set(conflicts.map((c) => c.by)).size === 2);
    const [one, two] = twins;
    t.true(conflicts.every((c) => c.other.instance === (c.by === 'x-1' ? two : one).instance));
  } finally {
    await stopAll(twins);
  }
});

test.serial('a node restarted under its id is not reported as a conflict', async (t) => {
  const cluster = new EmbeddedCluster();
  const conflicts: NodeHeartbeat[] = [];
  const [first] = nodes(cluster, ['n1']);
  await first.start();
  cluster.kill('n1'); // dies without removing its entry
  const [second] = nodes(cluster, ['n1'], { onConflict: (o) => conflicts.push(o) });
  try {
    await second.start();
    await sleep(HEARTBEAT_MS * 4);
    t.deepEqual(conflicts, []);
  } finally {
    await second.stop();
  }
});

test.serial("after a node dies the survivors' views agree and split every symbol among themselves", async (t) => {
  const cluster = new EmbeddedCluster();
  const ids = ['n1', 'n2', 'n3'];
  const ms = nodes(cluster, ids);
  const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT', 'ADAUSDT', 'DOGEUSDT', 'AVAXUSDT', 'LINKUSDT', 'DOTUSDT'];
  try {
    await Promise.all(ms.map((m) => m.start()));
    await until('full views', () => ms.every((m) => m.view().length === 3));
    cluster.kill('n2');
    const survivors = [ms[0], ms[2]];
    await until('survivors agree on n1, n3', () => survivors.every((m) => m.view().join() === 'n1,n3'));
    const owned = survivors.flatMap((m) => symbolsOf(m.nodeId, m.view(), symbols));
    t.deepEqual([...owned].sort(), [...symbols].sort());
    t.true(symbols.every((s) => ownerOfSymbol(s, survivors[0].view()) !== 'n2'));
  } finally {
    await stopAll(ms);
  }
});

test('liveNodes rejects with StoreUnavailableError while the store is unreachable', async (t) => {
  const cluster = new EmbeddedCluster();
  const [m] = nodes(cluster, ['n1']);
  cluster.setReachable(false);
  await t.throwsAsync(m.liveNodes(), { instanceOf: StoreUnavailableError });
});

test('deadAfterMs not above heartbeatMs is refused', (t) => {
  const store = new EmbeddedCluster().connect('n1');
  t.throws(() => new Membership(store, { nodeId: 'n1', heartbeatMs: 50, deadAfterMs: 50 }), { instanceOf: MembershipConfigError });
});
