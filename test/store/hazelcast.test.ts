// The Hazelcast adapter with the real hazelcast-client:
// - the port's contract suite against a member when HZ_MEMBERS=host:port is set (two clients of one
//   cluster; the harness cannot kill a member or cut the network from here, so those two contract cases
//   report that and pass); without HZ_MEMBERS every case is registered as skipped, with the reason;
// - with no member at all, against a loopback server that drops every connection: the client starts
//   at once, reports itself disconnected, and every call fails fast with StoreUnavailableError.
import { createServer, type AddressInfo, type Server } from 'node:net';
import test from 'ava';
import { pino } from 'pino';
import { StoreClosedError, StoreUnavailableError } from '../../store/errors.ts';
import { resolveHazelcastConfig } from '../../store/hazelcast-config.ts';
import { connectHazelcastStore, type HazelcastStore } from '../../store/hazelcast.ts';
import { storeContract, type ContractConnect } from './contract.ts';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const CONNECT_TIMEOUT_MS = 30_000;

async function connectedStore(): Promise<HazelcastStore> {
  const cfg = resolveHazelcastConfig(undefined, process.env);
  const store = await connectHazelcastStore(cfg, { logger });
  if (!(await store.whenConnected(CONNECT_TIMEOUT_MS))) {
    await store.close();
    throw new Error(`no Hazelcast member of cluster ${cfg.cluster_name} reachable at ${cfg.members.join(',')} within ${CONNECT_TIMEOUT_MS} ms`);
  }
  return store;
}

const connect: ContractConnect | null =
  (process.env.HZ_MEMBERS ?? '').trim() === ''
    ? null
    : async () => {
        const stores = [await connectedStore(), await connectedStore()];
        return {
          stores,
          teardown: async () => {
            for (const s of stores) await s.close();
          },
        };
      };

storeContract('hazelcast', connect, 'set HZ_MEMBERS=host:port to run against a Hazelcast member');

// ---- no member: a loopback "cluster" that accepts and drops every connection ----

async function droppingServer(): Promise<{ address: string; close: () => Promise<void> }> {
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function unreachableStore(address: string): Promise<HazelcastStore> {
  const cfg = resolveHazelcastConfig({ connection_timeout_ms: 500, reconnect: { initial_backoff_ms: 50, max_backoff_ms: 200 } }, { HZ_MEMBERS: address });
  return connectHazelcastStore(cfg, { logger });
}

test.serial('no member: the client starts at once and health says disconnected with 0 nodes', async (t) => {
  const server = await droppingServer();
  const store = await unreachableStore(server.address);
  try {
    t.like(store.health(), { connected: false, nodes: 0 });
    t.false(await store.whenConnected(300));
  } finally {
    await store.close();
    await server.close();
  }
});

test.serial('no member: every kind of call fails fast with StoreUnavailableError instead of waiting', async (t) => {
  // a hang would be the bug: far below ava's timeout and the client's reconnect loop, which never ends
  t.timeout(15_000, 'a call waited for the cluster instead of failing fast');
  const server = await droppingServer();
  const store = await unreachableStore(server.address);
  try {
    await t.throwsAsync(store.map('DOLPHIN_FEATURES').get('acb_boost'), { instanceOf: StoreUnavailableError, message: /ClientOfflineError/ });
    await t.throwsAsync(store.map('DOLPHIN_FEATURES').put('acb_boost', '{"boost": 1.0, "beta": 0.5}'), { instanceOf: StoreUnavailableError });
    await t.throwsAsync(store.map('DOLPHIN_FEATURES').addEntryListener(() => {}, 'acb_boost'), { instanceOf: StoreUnavailableError });
    await t.throwsAsync(store.atomicRef('DOLPHIN_SAFETY').get(), { instanceOf: StoreUnavailableError });
    await t.throwsAsync(store.lock('DOLPHIN_ACB_WRITER').tryLock(), { instanceOf: StoreUnavailableError });
    await t.throwsAsync(store.lock('DOLPHIN_ACB_WRITER').lock(), { instanceOf: StoreUnavailableError });
  } finally {
    await store.close();
    await server.close();
  }
});

test.serial('no member: after close every call is StoreClosedError and close is idempotent', async (t) => {
  const server = await droppingServer();
  const store = await unreachableStore(server.address);
  await store.close();
  await t.notThrowsAsync(store.close());
  await t.throwsAsync(store.map('DOLPHIN_FEATURES').get('acb_boost'), { instanceOf: StoreClosedError });
  await t.throwsAsync(store.lock('DOLPHIN_ACB_WRITER').tryLock(), { instanceOf: StoreClosedError });
  t.like(store.health(), { connected: false, nodes: 0 });
  await server.close();
});

test.serial('no member: the near-cached shard maps fail fast too', async (t) => {
  t.timeout(15_000, 'a near-cached map call waited for the cluster');
  const server = await droppingServer();
  const store = await unreachableStore(server.address);
  try {
    await t.throwsAsync(store.map('DOLPHIN_FEATURES_SHARD_07').get('vel_div_BTCUSDT'), { instanceOf: StoreUnavailableError });
  } finally {
    await store.close();
    await server.close();
  }
});
