// config/paper.yaml: the node's keys (config/node.yaml) plus `paper:` — where live market data comes
// from (a ccxt exchange), which assets make the bars and the signal, and how often to poll.
import { z } from 'zod';
import { ConfigError, issuesFromZod, type Locate } from './config-error.ts';
import { nodeConfigSchema } from './node-schema.ts';
import { readYamlFile } from './yaml-file.ts';

const ms = z.number().int().positive();

export const paperSectionSchema = z
  .object({
    exchange: z
      .object({
        id: z.string().default('binanceusdm'),
        // tests point every REST URL at a loopback fake; null = the exchange itself
        api_origin: z.string().url().nullable().default(null),
        rate_limit: z.boolean().default(true),
        timeout_ms: ms.default(10_000),
      })
      .strict()
      .prefault({}),
    /** DVOL through ccxt's deribit (same api_origin when one is set) */
    deribit: z.boolean().default(true),
    /** Fear & Greed: a JSON file or URL in alternative.me's format; null = none (fng reads NaN) */
    fear_greed: z.string().nullable().default(null),
    assets: z.array(z.string().regex(/^[A-Z0-9]+$/)).min(2).default(['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT', 'DOGEUSDT', 'ADAUSDT', 'AVAXUSDT']),
    bar_ms: ms.default(5_000),
    /** how often the trades are polled (each poll: one REST call per asset) */
    poll_ms: ms.default(2_000),
    /** a bar closes this long after its end, so trades still in flight are not late */
    grace_ms: z.number().int().nonnegative().default(2_000),
    /** NG3-lite windows (bars); vel_div = v(first) − v(last) */
    windows: z.array(z.number().int().min(3)).min(2).default([50, 150, 300, 750]),
    /** the ACB's w750 threshold for the beta switch (§10.3); null: no threshold, BETA_LOW */
    w750_threshold: z.number().nullable().default(null),
    /** new factor data rewrites the boost this often (§16.1) */
    factors_every_ms: ms.default(3_600_000),
    /** before the first bar, wait up to this long (ms, wall clock) for the OB stream's first fresh books, so the watchdog's first reading is not a cold start */
    ob_warmup_ms: z.number().int().nonnegative().default(15_000),
    /** ShockFlip's live pipeline and monitoring (docs/shockflip.md) on one of the assets' trades */
    shockflip: z
      .object({
        enabled: z.boolean().default(false),
        symbol: z.string().default('BTCUSDT'),
        config: z.string().default('config/strategies_shockflip_only.yaml'),
      })
      .strict()
      .prefault({}),
    /** the Volume Shock trader (docs/volume-shock.md) as an actor of the node, on paper */
    volume_shock: z
      .object({
        enabled: z.boolean().default(false),
        // deribit: live option chains through ccxt (same api_origin); sim: the seeded simulator's flows replayed one update per cycle
        source: z.enum(['deribit', 'sim']).default('deribit'),
        config: z.string().nullable().default(null).describe('null = config/volume-shock.yaml'),
        cycle_ms: ms.nullable().default(null).describe('null = the config\'s deribit.poll_seconds'),
        seed: z.number().int().default(1),
      })
      .strict()
      .prefault({}),
    /** stop after this long (ms of the node's clock); null = until SIGINT/SIGTERM */
    duration_ms: ms.nullable().default(null),
  })
  .strict()
  .refine((p) => p.windows.every((w, i) => i === 0 || w > p.windows[i - 1]), { message: 'windows must increase', path: ['windows'] })
  .refine((p) => !p.shockflip.enabled || p.assets.includes(p.shockflip.symbol), { message: 'shockflip.symbol must be one of paper.assets (its trades are polled with theirs)', path: ['shockflip', 'symbol'] });

export const paperConfigSchema = nodeConfigSchema.extend({ paper: paperSectionSchema.prefault({}) });

export type PaperConfig = z.output<typeof paperConfigSchema>;

export function parsePaperConfig(data: unknown, source: string, locate?: Locate): PaperConfig {
  const r = paperConfigSchema.safeParse(data ?? {});
  if (!r.success) throw new ConfigError(source, issuesFromZod(r.error, data, locate));
  return r.data;
}

export function loadPaperConfig(path: string): PaperConfig {
  const file = readYamlFile(path);
  return parsePaperConfig(file.data, file.source, file.locate);
}
