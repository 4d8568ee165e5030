// HazelcastConfig (ours, validated) → hazelcast-client 5.6's ClientConfig.
// - Fail fast while disconnected: asyncStart (creating the client never waits for the cluster) and
//   reconnect mode ASYNC (while reconnecting, every call rejects at once with ClientOfflineError instead
//   of waiting), plus a bounded invocation timeout for the retries of calls in flight.
// - The ten feature shards get §15.3's near cache (store/names.ts holds the values).
// - The health tracker's listeners go into the config so the first CONNECTED event is not missed.
import {
  EvictionPolicy,
  ReconnectMode,
  type ClientConfig,
  type ILogger,
  type InitialMembershipListener,
  type LifecycleState,
  type NearCacheConfig,
} from 'hazelcast-client';
import type { HazelcastConfig } from './hazelcast-config.ts';
import { nearCacheConfig, type ShardNearCache } from './names.ts';

/** §15.3's settings in the client's own types (its EvictionPolicy enum). */
function toNearCacheConfig(nc: ShardNearCache): NearCacheConfig {
  return {
    invalidateOnChange: nc.invalidateOnChange,
    timeToLiveSeconds: nc.timeToLiveSeconds,
    maxIdleSeconds: nc.maxIdleSeconds,
    evictionPolicy: EvictionPolicy[nc.evictionPolicy],
    evictionMaxSize: nc.evictionMaxSize,
  };
}

/** `DOLPHIN_FEATURES_SHARD_00..09` → §15.3's near cache, as the client config wants it. */
export function shardNearCaches(): Record<string, NearCacheConfig> {
  const out: Record<string, NearCacheConfig> = {};
  for (const [name, nc] of Object.entries(nearCacheConfig())) out[name] = toNearCacheConfig(nc);
  return out;
}

export interface ClientConfigHooks {
  onLifecycle: (state: LifecycleState) => void;
  onMembership: () => void;
  logger: ILogger;
}

export function buildClientConfig(cfg: HazelcastConfig, hooks: ClientConfigHooks): ClientConfig {
  const r = cfg.reconnect;
  // init: the first member list (it arrives just after CONNECTED); memberAdded/Removed: later changes
  const membership: InitialMembershipListener = { init: hooks.onMembership, memberAdded: hooks.onMembership, memberRemoved: hooks.onMembership };
  return {
    clusterName: cfg.cluster_name,
    ...(cfg.client_name === null ? {} : { instanceName: cfg.client_name }),
    network: {
      clusterMembers: [...cfg.members],
      connectionTimeout: cfg.connection_timeout_ms,
    },
    connectionStrategy: {
      asyncStart: true,
      reconnectMode: ReconnectMode.ASYNC,
      connectionRetry: {
        initialBackoffMillis: r.initial_backoff_ms,
        maxBackoffMillis: r.max_backoff_ms,
        multiplier: r.multiplier,
        jitter: r.jitter,
        // -1 is the client's "forever"
        clusterConnectTimeoutMillis: r.cluster_connect_timeout_ms ?? -1,
      },
    },
    nearCaches: shardNearCaches(),
    lifecycleListeners: [hooks.onLifecycle],
    membershipListeners: [membership],
    customLogger: hooks.logger,
    properties: {
      'hazelcast.client.invocation.timeout.millis': cfg.invocation_timeout_ms,
      'hazelcast.client.heartbeat.interval': cfg.heartbeat_interval_ms,
      'hazelcast.client.heartbeat.timeout': cfg.heartbeat_timeout_ms,
    },
  };
}
