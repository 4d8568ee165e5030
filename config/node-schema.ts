// config/node.yaml: how the node runs (mode, actors' cadences, supervision, store, HTTP, chaos).
// Engine parameters stay in champion.yaml; this file only points at an engine config.
import { z } from 'zod';
import { ConfigError, issuesFromZod, type Locate } from './config-error.ts';
import { readYamlFile } from './yaml-file.ts';

const positive = z.number().positive();
const ms = z.number().int().nonnegative();

export const nodeConfigSchema = z
  .object({
    engine_config: z.string().nullable().default(null).describe('engine YAML; null = config/champion.yaml'),
    mode: z.enum(['day-file', 'streaming']).default('streaming'),
    hibernate_path: z.enum(['empty-day', 'engine']).default('empty-day'),
    posture_source: z.enum(['schedule', 'survival']).default('schedule'),
    forewarner_gate: z.boolean().default(false),
    checkpoints_kept: z.number().int().min(1).default(3),
    capital: positive.default(25_000),
    feed: z
      .object({
        batch_rows: z.number().int().min(1).default(240),
        speed: z.number().nonnegative().default(0),
        bar_ms: positive.default(5_000),
        ask_timeout_ms: ms.min(1).default(30_000),
        max_retries_per_date: z.number().int().min(1).default(1_000),
        forewarner_daily: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    actors: z
      .object({
        ob_cycle_ms: ms.min(1).default(500),
        ob_symbols: z.array(z.string().min(1)).default(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT']),
        ob_source: z.enum(['synthetic', 'recorded', 'ccxt']).default('synthetic').describe('ccxt: the paper command supplies the exchange source'),
        ob_recording: z.string().nullable().default(null),
        ob_seed: z.number().int().default(11),
        ob_stale_after_ms: ms.min(1).default(5_000),
        watchdog_cycle_ms: ms.min(1).default(60_000),
        acb_lock_timeout_ms: ms.default(5_000),
      })
      .strict()
      .prefault({}),
    supervision: z
      .object({
        max_restarts: z.number().int().min(0).default(5),
        period_ms: ms.min(1).default(60_000),
        backoff_initial_ms: ms.default(50),
        backoff_factor: z.number().min(1).default(2),
        backoff_max_ms: ms.default(5_000),
      })
      .strict()
      .prefault({}),
    store: z
      .object({
        kind: z.enum(['embedded', 'hazelcast']).default('embedded'),
        persist_path: z.string().nullable().default(null).describe('embedded only'),
        // validated by store/hazelcast-config.ts when kind is hazelcast (config/ imports nothing)
        hazelcast: z.record(z.string(), z.unknown()).default({}),
        connect_timeout_ms: ms.default(30_000).describe('hazelcast: how long start-up waits for the cluster'),
      })
      .strict()
      .prefault({}),
    cluster: z
      .object({
        enabled: z.boolean().default(false).describe('several nodes on one store: singletons elected, OB symbols split (docs/cluster.md)'),
        node_id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/).default('node-1'),
        retry_ms: ms.min(1).default(1_000),
        lease_loss_ms: ms.min(2).default(3_000),
        heartbeat_ms: ms.min(1).default(1_000),
        dead_after_ms: ms.min(2).default(5_000),
      })
      .strict()
      .refine((c) => c.lease_loss_ms > c.retry_ms, { message: 'lease_loss_ms must exceed retry_ms', path: ['lease_loss_ms'] })
      .refine((c) => c.dead_after_ms > c.heartbeat_ms, { message: 'dead_after_ms must exceed heartbeat_ms', path: ['dead_after_ms'] })
      .prefault({}),
    forewarner: z
      .object({
        threads: z.number().int().min(0).default(2),
      })
      .strict()
      .prefault({}),
    http: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).nullable().default(8787),
      })
      .strict()
      .prefault({}),
    chaos: z
      .object({
        rate: z.number().min(0).max(1).default(0),
        interval_ms: ms.min(1).default(50),
        seed: z.number().int().default(1),
        mode: z.enum(['kill', 'throw', 'delay', 'mixed', 'any']).default('mixed'),
        delay_max_ms: ms.min(1).default(20),
        pick: z.enum(['random', 'round-robin']).default('random'),
        actors: z.array(z.string()).default(['features', 'acb', 'ob', 'watchdog', 'forewarner', 'dolphin']),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type NodeConfig = z.output<typeof nodeConfigSchema>;

export function parseNodeConfig(data: unknown, source: string, locate?: Locate): NodeConfig {
  const r = nodeConfigSchema.safeParse(data ?? {});
  if (!r.success) throw new ConfigError(source, issuesFromZod(r.error, data, locate));
  return r.data;
}

export function loadNodeConfig(path: string): NodeConfig {
  const file = readYamlFile(path);
  return parseNodeConfig(file.data, file.source, file.locate);
}
