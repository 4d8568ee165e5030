// The FeatureStore on a Hazelcast cluster (hazelcast-client 5.6), shared with the Python services: the
// same map names, keys and JSON strings (store/names.ts, store/payloads.ts). Handles are synchronous, as
// the port wants; each call resolves its Hazelcast proxy lazily and the proxies are cached.
//
// Files: hazelcast-config.ts (our config + env overrides), hazelcast-client-config.ts (→ ClientConfig,
// near caches), hazelcast-client.ts (the client calls we make), hazelcast-context.ts (shared per client),
// hazelcast-map.ts / -atomic-ref.ts / -lock.ts (the handles), hazelcast-fences.ts (bigint ↔ Long),
// hazelcast-errors.ts (error translation), hazelcast-health.ts (health()), hazelcast-logger.ts (→ pino).
//
// Known limits (docs/hazelcast.md):
// - connect resolves before the cluster is reached (asyncStart): until the first CONNECTED, calls
//   reject with StoreUnavailableError and health() says disconnected. whenConnected() waits for it.
// - lastHeartbeatMs is the last successful operation or cluster event, but while connected never older
//   than heartbeat timeout + interval: the client's own pings are not visible through its public API,
//   but it drops a connection that stayed silent that long (hazelcast-health.ts).
// - currentFence() and the re-entrancy check read FencedLockProxy's internal ownership state (no public
//   getter in the Node client); hazelcast-client is pinned to ~5.6.0 for that.
// - A lock survives a network cut as long as the member keeps the CP session (its session TTL, a member
//   setting); close() ends the session at once, so the lock goes to the next waiter.
import { Client } from 'hazelcast-client';
import { pino, type Logger } from 'pino';
import { StoreError, StoreKeyError } from './errors.ts';
import { HazelcastAtomicRef } from './hazelcast-atomic-ref.ts';
import { buildClientConfig } from './hazelcast-client-config.ts';
import { wrapHazelcastClient, type HzClient } from './hazelcast-client.ts';
import type { HazelcastConfig } from './hazelcast-config.ts';
import { HzContext } from './hazelcast-context.ts';
import { HealthTracker } from './hazelcast-health.ts';
import { HazelcastLock } from './hazelcast-lock.ts';
import { pinoHazelcastLogger } from './hazelcast-logger.ts';
import { HazelcastMap } from './hazelcast-map.ts';
import type { AtomicRef, EntryEvent, FeatureStore, FencedLock, StoreHealth, StoreMap } from './port.ts';

export interface HazelcastStoreOptions {
  /** the node's logger; the client's own log lines go here too. Default: pino at LOG_LEVEL or info */
  logger?: Logger;
  /** told about every listener that throws or rejects (event null: an event that could not be read) */
  onListenerError?: (error: unknown, event: EntryEvent | null) => void;
}

export class HazelcastStore implements FeatureStore {
  readonly #ctx: HzContext;
  readonly #maps = new Map<string, StoreMap>();
  #closing: Promise<void> | undefined;

  /** Use connectHazelcastStore; this constructor is for a client built elsewhere (or a test fake). */
  constructor(client: HzClient, health: HealthTracker, options: HazelcastStoreOptions = {}) {
    const log = options.logger ?? defaultLogger();
    this.#ctx = new HzContext(client, health, log, options.onListenerError ?? (() => {}));
  }

  /** the client's instance name */
  get clientName(): string {
    return this.#ctx.clientName;
  }

  map(name: string): StoreMap {
    requireName('map name', name);
    let h = this.#maps.get(name);
    if (!h) this.#maps.set(name, (h = new HazelcastMap(this.#ctx, name)));
    return h;
  }

  atomicRef(name: string): AtomicRef {
    requireName('atomic reference name', name);
    return new HazelcastAtomicRef(this.#ctx, name);
  }

  lock(name: string): FencedLock {
    requireName('lock name', name);
    return new HazelcastLock(this.#ctx, name);
  }

  health(): StoreHealth {
    const { health, client } = this.#ctx;
    const connected = !this.#ctx.closed && health.connected;
    // CONNECTED means authenticated with a member, so at least one exists even before the client has
    // received the member list (which comes a moment later): never report connected with 0 nodes,
    // which the watchdog would read as "cluster gone" (§11.2 Cat1)
    return { connected, nodes: connected ? Math.max(1, memberCount(client)) : 0, lastHeartbeatMs: health.heartbeatMs() };
  }

  /** true once the client has reached the cluster; false when timeoutMs passes first or the store is closed */
  async whenConnected(timeoutMs: number): Promise<boolean> {
    return this.#ctx.health.waitConnected(timeoutMs);
  }

  /**
   * Shuts the client down: its CP sessions are closed (so its locks go to their next waiters) and its
   * listeners stop. Idempotent. A failing shutdown is logged, not thrown: the client is unusable either way.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const ctx = this.#ctx;
      ctx.closed = true;
      ctx.health.markClosed();
      ctx.fences.clear();
      try {
        await ctx.client.shutdown();
      } catch (e) {
        ctx.log.warn({ err: e, client: ctx.clientName }, 'hazelcast client shutdown failed');
      }
    })();
    return this.#closing;
  }
}

/**
 * A store on a new hazelcast-client. Resolves at once (asyncStart): the client connects in the
 * background, and calls fail with StoreUnavailableError until it has. Throws StoreError when the client
 * refuses the config.
 */
export async function connectHazelcastStore(cfg: HazelcastConfig, options: HazelcastStoreOptions & { clock?: () => number } = {}): Promise<HazelcastStore> {
  const log = (options.logger ?? defaultLogger()).child({ component: 'hazelcast' });
  const health = new HealthTracker({
    ...(options.clock ? { clock: options.clock } : {}),
    livenessBoundMs: cfg.heartbeat_timeout_ms + cfg.heartbeat_interval_ms,
  });
  const clientConfig = buildClientConfig(cfg, {
    onLifecycle: (state) => {
      health.onLifecycle(state);
      const fields = { state, members: cfg.members, cluster: cfg.cluster_name };
      if (state === 'DISCONNECTED') log.warn(fields, 'hazelcast client lost the cluster');
      else log.info(fields, 'hazelcast client lifecycle');
    },
    onMembership: () => health.onMembership(),
    logger: pinoHazelcastLogger(log),
  });
  let client: Client;
  try {
    client = await Client.newHazelcastClient(clientConfig);
  } catch (e) {
    throw new StoreError(`hazelcast client for cluster ${cfg.cluster_name} at ${cfg.members.join(',')} could not start: ${(e as Error).message}`, { cause: e });
  }
  return new HazelcastStore(wrapHazelcastClient(client), health, { ...options, logger: log });
}

function memberCount(client: HzClient): number {
  try {
    return client.memberCount();
  } catch {
    return 0; // health() must answer even when the client is mid-shutdown
  }
}

function defaultLogger(): Logger {
  return pino({ name: 'dolphin', level: process.env.LOG_LEVEL ?? 'info' });
}

function requireName(what: string, name: string): void {
  if (typeof name !== 'string' || name === '') throw new StoreKeyError(what, String(name), 'must be a non-empty string');
}
