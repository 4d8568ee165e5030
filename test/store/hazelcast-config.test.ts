// The Hazelcast connection config: defaults, environment overrides, errors naming the field, and the
// hazelcast-client ClientConfig it becomes (near caches of §15.3, fail-fast connection strategy).
import test from 'ava';
import { EvictionPolicy, ReconnectMode, type InitialMembershipListener } from 'hazelcast-client';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { buildClientConfig, shardNearCaches } from '../../store/hazelcast-client-config.ts';
import { HazelcastConfigError, hazelcastConfigSchema, resolveHazelcastConfig, type HazelcastConfig } from '../../store/hazelcast-config.ts';
import { pinoHazelcastLogger } from '../../store/hazelcast-logger.ts';
import { pino } from 'pino';

const noEnv = {};

const DEFAULTS: HazelcastConfig = {
  cluster_name: 'dolphin',
  members: ['localhost:5701'],
  client_name: null,
  connection_timeout_ms: 5_000,
  invocation_timeout_ms: 10_000,
  heartbeat_interval_ms: 5_000,
  heartbeat_timeout_ms: 15_000,
  reconnect: { initial_backoff_ms: 500, max_backoff_ms: 5_000, multiplier: 2, jitter: 0.2, cluster_connect_timeout_ms: null },
};

function configError(input: unknown, env: NodeJS.ProcessEnv = noEnv): HazelcastConfigError {
  try {
    resolveHazelcastConfig(input, env);
  } catch (e) {
    if (e instanceof HazelcastConfigError) return e;
    throw e;
  }
  throw new Error('expected a HazelcastConfigError');
}

// ---- resolution ----

test('no config and no environment gives the bible\'s cluster (dolphin at localhost:5701) and our timeouts', (t) => {
  t.deepEqual(resolveHazelcastConfig(undefined, noEnv), DEFAULTS);
});

test('HZ_MEMBERS (comma-separated, spaces and a trailing comma tolerated) replaces the configured members', (t) => {
  const cfg = resolveHazelcastConfig({ members: ['file-host:5701'] }, { HZ_MEMBERS: ' hz1:5701, 10.0.0.2:5702 ,[::1]:5703,' });
  t.deepEqual(cfg.members, ['hz1:5701', '10.0.0.2:5702', '[::1]:5703']);
});

test('HZ_CLUSTER_NAME replaces the configured cluster name', (t) => {
  t.is(resolveHazelcastConfig({ cluster_name: 'from-file' }, { HZ_CLUSTER_NAME: 'dolphin-test' }).cluster_name, 'dolphin-test');
});

test('blank environment variables are no override', (t) => {
  const cfg = resolveHazelcastConfig({ cluster_name: 'from-file', members: ['a:1'] }, { HZ_CLUSTER_NAME: ' ', HZ_MEMBERS: '' });
  t.is(cfg.cluster_name, 'from-file');
  t.deepEqual(cfg.members, ['a:1']);
});

test('file values override the defaults and nested reconnect keys keep their other defaults', (t) => {
  const cfg = resolveHazelcastConfig({ invocation_timeout_ms: 3_000, reconnect: { max_backoff_ms: 20_000 } }, noEnv);
  t.is(cfg.invocation_timeout_ms, 3_000);
  t.deepEqual(cfg.reconnect, { ...DEFAULTS.reconnect, max_backoff_ms: 20_000 });
});

// ---- errors name the field ----

test('a member without a port in HZ_MEMBERS is an error naming the list index and the variable', (t) => {
  const e = configError(undefined, { HZ_MEMBERS: 'hz1:5701,hz2' });
  t.deepEqual(e.issues, [{ path: 'members.1', env: 'HZ_MEMBERS', message: 'expected host:port, got "hz2"' }]);
  t.is(e.message, 'store.hazelcast.members.1 (from HZ_MEMBERS): expected host:port, got "hz2"');
});

test('HZ_MEMBERS with only commas is an error naming the variable (no member left)', (t) => {
  const e = configError(undefined, { HZ_MEMBERS: ' , ,' });
  t.is(e.issues[0]?.path, 'members');
  t.is(e.issues[0]?.env, 'HZ_MEMBERS');
});

test('a port out of range is an error naming the field', (t) => {
  const e = configError({ members: ['localhost:70000'] });
  t.is(e.message, 'store.hazelcast.members.0: port must be 1…65535, got "localhost:70000"');
});

test('a non-integer or non-positive timeout is an error naming the field and the value', (t) => {
  const e = configError({ connection_timeout_ms: -5, invocation_timeout_ms: 1.5 });
  t.deepEqual(e.issues.map((i) => i.path).sort(), ['connection_timeout_ms', 'invocation_timeout_ms']);
  t.regex(e.message, /store\.hazelcast\.connection_timeout_ms: .*got -5/);
  t.regex(e.message, /store\.hazelcast\.invocation_timeout_ms: .*got 1\.5/);
});

test('an unknown key (a typo) is an error naming it', (t) => {
  const e = configError({ cluster: 'dolphin' });
  t.deepEqual(e.issues, [{ path: 'cluster', message: 'unknown key' }]);
});

test('max_backoff below initial_backoff is an error naming reconnect.max_backoff_ms', (t) => {
  const e = configError({ reconnect: { initial_backoff_ms: 2_000, max_backoff_ms: 1_000 } });
  t.is(e.message, 'store.hazelcast.reconnect.max_backoff_ms: must be ≥ initial_backoff_ms (2000), got 1000');
});

test('a heartbeat timeout not above the heartbeat interval is an error naming heartbeat_timeout_ms', (t) => {
  const e = configError({ heartbeat_interval_ms: 5_000, heartbeat_timeout_ms: 5_000 });
  t.is(e.issues[0]?.path, 'heartbeat_timeout_ms');
});

test('a config that is not an object is an error naming the section', (t) => {
  t.is(configError(['localhost:5701']).message, 'store.hazelcast: expected an object, got ["localhost:5701"]');
});

test('the schema embeds in a node config as store: {kind: hazelcast, hazelcast: {...}} (the proposed YAML parses)', (t) => {
  const storeSchema = z.object({ kind: z.literal('hazelcast'), hazelcast: hazelcastConfigSchema.prefault({}) }).strict();
  const yaml = `
store:
  kind: hazelcast
  hazelcast:
    cluster_name: dolphin
    members: [localhost:5701]
    connection_timeout_ms: 5000
    invocation_timeout_ms: 10000
    reconnect:
      initial_backoff_ms: 500
      max_backoff_ms: 5000
`;
  const parsed = z.object({ store: storeSchema }).parse(parseYaml(yaml));
  t.deepEqual(parsed.store.hazelcast, DEFAULTS);
});

// ---- → hazelcast-client ClientConfig ----

const hooks = { onLifecycle: () => {}, onMembership: () => {}, logger: pinoHazelcastLogger(pino({ level: 'silent' })) };

test('§15.3: the ten feature shards, and only they, get the near cache: TTL 300 s, max idle 60 s, LRU, 5000 entries, invalidate on change', (t) => {
  const expected = { invalidateOnChange: true, timeToLiveSeconds: 300, maxIdleSeconds: 60, evictionPolicy: EvictionPolicy.LRU, evictionMaxSize: 5000 };
  const names = ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09'].map((n) => `DOLPHIN_FEATURES_SHARD_${n}`);
  t.deepEqual(shardNearCaches(), Object.fromEntries(names.map((n) => [n, expected])));
  t.deepEqual(buildClientConfig(DEFAULTS, hooks).nearCaches, shardNearCaches());
});

test('the client config fails fast while disconnected: async start, ASYNC reconnect, bounded invocation timeout', (t) => {
  const c = buildClientConfig(DEFAULTS, hooks);
  t.is(c.connectionStrategy?.asyncStart, true);
  t.is(c.connectionStrategy?.reconnectMode, ReconnectMode.ASYNC);
  t.is(c.properties?.['hazelcast.client.invocation.timeout.millis'], 10_000);
});

test('the client config carries cluster, members, timeouts and backoff from our config (null connect timeout = -1, forever)', (t) => {
  const cfg = resolveHazelcastConfig({ client_name: 'dolphin-node-1', reconnect: { jitter: 0 } }, { HZ_MEMBERS: 'a:5701,b:5702', HZ_CLUSTER_NAME: 'c1' });
  const c = buildClientConfig(cfg, hooks);
  t.like(c, {
    clusterName: 'c1',
    instanceName: 'dolphin-node-1',
    network: { clusterMembers: ['a:5701', 'b:5702'], connectionTimeout: 5_000 },
    properties: { 'hazelcast.client.heartbeat.interval': 5_000, 'hazelcast.client.heartbeat.timeout': 15_000 },
  });
  t.deepEqual(c.connectionStrategy?.connectionRetry, {
    initialBackoffMillis: 500,
    maxBackoffMillis: 5_000,
    multiplier: 2,
    jitter: 0,
    clusterConnectTimeoutMillis: -1,
  });
});

test('the client config wires the health listeners: lifecycle states, the initial member list and membership changes reach the hooks', (t) => {
  const seen: string[] = [];
  const c = buildClientConfig(DEFAULTS, { ...hooks, onLifecycle: (s) => seen.push(s), onMembership: () => seen.push('member') });
  for (const l of c.lifecycleListeners ?? []) l('CONNECTED' as never);
  for (const m of c.membershipListeners ?? []) {
    (m as InitialMembershipListener).init({} as never);
    m.memberAdded?.({} as never);
    m.memberRemoved?.({} as never);
  }
  t.deepEqual(seen, ['CONNECTED', 'member', 'member', 'member']);
});

test('the client\'s log lines go to pino with the client\'s object name, errors as err', (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) };
  const logger = pinoHazelcastLogger(pino({ level: 'trace' }, sink));
  logger.warn('ConnectionManager', 'Could not connect', new Error('ECONNREFUSED'));
  logger.info('HazelcastClient', 'Client started');
  t.like(lines[0], { level: 40, hz: 'ConnectionManager', msg: 'Could not connect', err: { message: 'ECONNREFUSED' } });
  t.like(lines[1], { level: 30, hz: 'HazelcastClient', msg: 'Client started' });
});
