// Schema of config/volume-shock.yaml (the Volume Shock study, seed 002) and its loader: a --config
// file is merged over the shipped file, key by key (lists replace), and the result is validated
// strictly, so a typo is an unknown-key error naming its line. config/ imports no project folder:
// research/volume-shock/params.ts declares the same shape and test/research checks they agree.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError, issuesFromZod, type Locate } from './config-error.ts';
import { readYamlFile } from './yaml-file.ts';

export const VOLUME_SHOCK_YAML_PATH = fileURLToPath(new URL('./volume-shock.yaml', import.meta.url));

const positive = () => z.number().gt(0, 'must be > 0');
const nonNegative = () => z.number().gte(0, 'must be >= 0');
const fraction = () => z.number().gt(0, 'must be in (0, 1]').lte(1, 'must be in (0, 1]');
const rate = () => z.number().gte(0, 'must be in [0, 1]').lte(1, 'must be in [0, 1]');
const count = (min = 1) => z.number().int().gte(min, `must be >= ${min}`);
/** [lo, hi] with lo <= hi */
const range = (item: () => z.ZodNumber = nonNegative) =>
  z.tuple([item(), item()]).refine(([lo, hi]) => lo <= hi, { message: 'must be [low, high] with low <= high' });

const detector = z
  .object({
    window_minutes: positive(),
    baseline_days: count(),
    baseline_min_days: count(),
    baseline_floor: positive(),
    min_ratio: positive(),
    min_contracts: nonNegative(),
    pressure_threshold: nonNegative(),
    event_grouping: z.enum(['expiry', 'underlying']),
  })
  .strict()
  .refine((d) => d.baseline_min_days <= d.baseline_days, { message: 'must be <= baseline_days', path: ['baseline_min_days'] });

const flowType = z
  .object({
    response_time_range: range(),
    magnitude_points: range(),
    magnitude_exposure: range(),
    win_rate_target: rate(),
    size_multiplier: nonNegative(),
    stop_fraction: positive(),
    max_risk_per_trade: fraction(),
    max_hold_minutes: positive(),
  })
  .strict();

const source = z
  .object({
    window_minutes: positive(),
    session_minutes: positive(),
    contract_multiplier: positive(),
    point_value: positive(),
    periods_per_year: positive(),
    cost_points: nonNegative(),
    latency_minutes: range(),
    min_contracts: nonNegative().nullable(),
    session_close: z.boolean(),
  })
  .strict();

export const volumeShockSchema = z
  .object({
    detector,
    exposure: z.object({ reference_price: positive(), assume_customer_side: z.enum(['buy', 'sell']) }).strict(),
    response_time: z
      .object({
        emergency_above: nonNegative(),
        emergency_minutes: positive(),
        urgent_above: nonNegative(),
        urgent_minutes: positive(),
        routine_minutes: positive(),
      })
      .strict()
      .refine((r) => r.urgent_above <= r.emergency_above, { message: 'must be <= emergency_above', path: ['urgent_above'] }),
    classifier: z
      .object({
        sweep_min_strikes: count(),
        sweep_max_concentration: fraction(),
        sweep_min_response_minutes: nonNegative(),
        gamma_min_concentration: rate(),
        gamma_max_response_minutes: positive(),
        gamma_min_exposure: nonNegative(),
      })
      .strict(),
    confidence: z
      .object({ floor: rate(), full_ratio: positive() })
      .strict(),
    flow_types: z.object({ INSTITUTIONAL_SWEEP: flowType, GAMMA_EMERGENCY: flowType, AMBIGUOUS_SIGNAL: flowType }).strict(),
    sizing: z
      .object({
        base_contracts: positive(),
        delta_divisor: positive(),
        delta_multiplier_cap: positive(),
        max_contracts: positive(),
        min_contracts: nonNegative(),
      })
      .strict(),
    exits: z.object({ max_hold_buffer_minutes: nonNegative() }).strict(),
    risk: z
      .object({
        account: positive(),
        max_risk_per_trade: fraction(),
        max_daily_risk: fraction(),
        max_concurrent: count(),
        execution_latency_limit_minutes: positive(),
        exit_before_close_minutes: nonNegative(),
        min_daily_option_volume: nonNegative(),
        high_vol_iv: positive(),
        high_vol_size_multiplier: rate(),
      })
      .strict(),
    validation: z
      .object({
        min_trades: count(),
        min_win_rate: rate(),
        min_sharpe: z.number(),
        max_p_value: fraction(),
        min_r_squared: rate(),
        max_response_correlation: z.number().gte(-1).lte(1),
        differentiation_alpha: fraction(),
        permutations: count(10),
        seed: z.number().int().nonnegative(),
        confidence_level: z.number().gt(0).lt(1),
        completion_fraction: fraction(),
        success_criteria: z
          .object({
            min_win_rate: rate(),
            min_trades: count(),
            min_avg_points: z.number(),
            max_drawdown: rate(),
            max_latency_minutes: positive(),
            max_p_value: fraction(),
          })
          .strict(),
      })
      .strict(),
    study: z.object({ seed: z.number().int().nonnegative() }).strict(),
    sources: z.object({ spx: source, sim: source, deribit: source }).strict(),
    deribit: z
      .object({
        currency: z.string().regex(/^[A-Z]+$/),
        perpetual: z.string().min(1),
        api_origin: z.string().url().nullable(),
        timeout_ms: count(),
        poll_seconds: positive(),
        record_minutes: positive(),
        max_trade_pages: count(),
        max_greeks_per_poll: count(0),
        delta_max_age_seconds: positive(),
      })
      .strict(),
    simulator: z
      .object({
        days: count(),
        warmup_days: count(0),
        session_minutes: count(60),
        start_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
        spot: positive(),
        minute_vol_points: nonNegative(),
        strike_step: positive(),
        strikes_each_side: count(),
        expiry_days: positive(),
        iv: positive(),
        background_per_minute: nonNegative(),
        background_width_points: positive(),
        flows_per_day: nonNegative(),
        gamma_share: rate(),
        sweep_share: rate(),
        gamma_contracts: range(),
        sweep_contracts: range(),
        sweep_strikes: range(() => count()),
        sweep_delta: range(rate),
        ambiguous_contracts: range(),
        hedge_ratio: nonNegative(),
        impact_points_per_sqrt_unit: nonNegative(),
        gamma_duration_minutes: range(positive),
        sweep_duration_minutes: range(positive),
        response_intercept_minutes: z.number(),
        response_slope_minutes: z.number(),
        response_noise_minutes: nonNegative(),
        noise_flow_per_minute: nonNegative(),
        last_flow_minutes_before_close: nonNegative(),
      })
      .strict()
      .refine((s) => s.gamma_share + s.sweep_share <= 1, { message: 'gamma_share + sweep_share must be <= 1', path: ['sweep_share'] }),
  })
  .strict();

export type VolumeShockConfig = z.output<typeof volumeShockSchema>;

export function parseVolumeShockConfig(data: unknown, source: string, locate?: Locate): VolumeShockConfig {
  const r = volumeShockSchema.safeParse(data ?? {});
  if (!r.success) throw new ConfigError(source, issuesFromZod(r.error, data, locate));
  return r.data;
}

/** The shipped config, with `path` (when given) merged over it. Errors name the file and line of the key. */
export function loadVolumeShockConfig(path?: string): VolumeShockConfig {
  const base = readYamlFile(VOLUME_SHOCK_YAML_PATH);
  if (path === undefined) return parseVolumeShockConfig(base.data, base.source, base.locate);
  const over = readYamlFile(path);
  if (over.data !== null && over.data !== undefined && !isPlainObject(over.data)) {
    throw new ConfigError(over.source, [{ path: '', message: 'must be a mapping of keys' }]);
  }
  // issues are located in the override file when the key is there, else in the shipped file
  const locate: Locate = (p) => over.locate(p) ?? base.locate(p);
  return parseVolumeShockConfig(mergeOver(base.data, over.data ?? {}), over.source, locate);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keys of `over` replace those of `base`; mappings merge recursively, lists and scalars replace. */
export function mergeOver(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = Object.hasOwn(base, k) ? mergeOver(base[k], v) : v;
  return out;
}
