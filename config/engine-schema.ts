// Schema of the engine parameters (bible §18) and the loader of partial YAML configs over the champion.
// config/ imports no project folder, so the defaults are champion.yaml itself, not engine/config.ts;
// test/config checks that the two agree.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError, issuesFromZod, type Locate } from './config-error.ts';
import { readYamlFile } from './yaml-file.ts';

export const CHAMPION_YAML_PATH = fileURLToPath(new URL('./champion.yaml', import.meta.url));

// Number builders. z.number() already refuses NaN and ±Infinity.
const num = () => z.number();
const positive = () => z.number().gt(0, 'must be > 0');
const nonNegative = () => z.number().gte(0, 'must be >= 0');
const rate = () => z.number().gte(0, 'must be in [0, 1]').lte(1, 'must be in [0, 1]');
const fraction = () => z.number().gt(0, 'must be in (0, 1]').lte(1, 'must be in (0, 1]');
const intAtLeast = (min: number) => z.number().int().gte(min, `must be >= ${min}`);

type Ctx<T> = z.core.$RefinementCtx<T>;

function finitePair(s: object, a: string, b: string): [number, number] | undefined {
  const x = (s as Record<string, unknown>)[a];
  const y = (s as Record<string, unknown>)[b];
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) ? [x, y] : undefined;
}

/**
 * Requires s[low] < s[high] (or <=), reported on the higher key. Skipped when either is not a finite
 * number: the field's own schema reports that, and a comparison would only add noise.
 */
function ordered<T extends object>(ctx: Ctx<T>, s: T, low: keyof T & string, high: keyof T & string, strict = false): void {
  const pair = finitePair(s, low, high);
  if (pair === undefined || (strict ? pair[0] < pair[1] : pair[0] <= pair[1])) return;
  ctx.addIssue({ code: 'custom', path: [high], message: `must be ${strict ? '>' : '>='} ${low} (${pair[0]})` });
}

/** The same order, reported on the lower key: for pairs where the lower one is the one usually edited. */
function atMost<T extends object>(ctx: Ctx<T>, s: T, key: keyof T & string, ceiling: keyof T & string, strict = false): void {
  const pair = finitePair(s, key, ceiling);
  if (pair === undefined || (strict ? pair[0] < pair[1] : pair[0] <= pair[1])) return;
  ctx.addIssue({ code: 'custom', path: [key], message: `must be ${strict ? '<' : '<='} ${ceiling} (${pair[1]})` });
}

const signalSchema = z
  .strictObject({
    vel_div_threshold: z.number().lt(0, 'must be < 0'),
    vel_div_extreme: z.number().lt(0, 'must be < 0'),
    long_threshold: positive(),
    long_extreme: positive(),
  })
  .superRefine((s, ctx) => {
    atMost(ctx, s, 'vel_div_extreme', 'vel_div_threshold', true);
    ordered(ctx, s, 'long_threshold', 'long_extreme', true);
  });

const dcSchema = z.strictObject({
  use_direction_confirm: z.boolean(),
  dc_lookback_bars: intAtLeast(1),
  dc_min_magnitude_bps: nonNegative(),
  dc_skip_contradicts: z.boolean(),
  dc_leverage_boost: positive(),
});

const irpSchema = z.strictObject({
  use_asset_selection: z.boolean(),
  irp_window: intAtLeast(2), // at least one return
  min_irp_alignment: rate(),
  filter_max_noise: nonNegative(),
  filter_max_latency: intAtLeast(0),
  filter_min_alignment: rate(),
  ob_min_depth_quality: nonNegative(),
  fallback_asset: z.string().regex(/^\S+$/, 'must be a non-empty symbol without spaces'),
});

const sizingSchema = z
  .strictObject({
    min_leverage: positive(),
    max_leverage: positive(),
    abs_max_leverage: positive(),
    stalker_max_leverage: positive(),
    leverage_convexity: positive(),
    fraction: fraction(),
    min_fraction: fraction(),
    use_alpha_layers: z.boolean(),
  })
  .superRefine((s, ctx) => {
    atMost(ctx, s, 'min_leverage', 'max_leverage');
    atMost(ctx, s, 'max_leverage', 'abs_max_leverage');
    atMost(ctx, s, 'stalker_max_leverage', 'abs_max_leverage');
    atMost(ctx, s, 'min_fraction', 'fraction');
  });

const exitsSchema = z
  .strictObject({
    fixed_tp_pct: positive(),
    stop_pct: positive(), // a short can lose more than 100%, so no upper bound
    max_hold_bars: intAtLeast(1),
    slip_stop_loss: rate(),
    slip_default: rate(),
    subday_exit_boost_from: positive(),
    subday_exit_boost_below: positive(),
  })
  .superRefine((s, ctx) => atMost(ctx, s, 'subday_exit_boost_below', 'subday_exit_boost_from'));

const feesSchema = z
  .strictObject({
    maker_fee: rate(),
    taker_fee: rate(),
    sp_maker_entry_rate: rate(),
    sp_maker_exit_rate: rate(),
    sp_refund_pct: rate(),
    ob_edge_bps: nonNegative(),
    ob_confirm_rate: rate(),
    ob_edge_min_depth_quality: nonNegative(),
  })
  .superRefine((s, ctx) => atMost(ctx, s, 'maker_fee', 'taker_fee'));

const acbSchema = z
  .strictObject({
    use_acb: z.boolean(),
    beta_high: nonNegative(),
    beta_low: nonNegative(),
    w750_threshold_pct: z.number().gte(0, 'must be in [0, 100]').lte(100, 'must be in [0, 100]'),
    funding_very_bearish: num(),
    funding_mild_bearish: num(),
    dvol_extreme: nonNegative(),
    dvol_elevated: nonNegative(),
    fng_extreme_fear: z.number().gte(0, 'must be in [0, 100]').lte(100, 'must be in [0, 100]'),
    fng_fear: z.number().gte(0, 'must be in [0, 100]').lte(100, 'must be in [0, 100]'),
    taker_selling: positive(),
    taker_mild_selling: positive(),
    ob_stress_beta_boost: rate(),
  })
  .superRefine((s, ctx) => {
    atMost(ctx, s, 'beta_low', 'beta_high');
    atMost(ctx, s, 'funding_very_bearish', 'funding_mild_bearish');
    ordered(ctx, s, 'dvol_elevated', 'dvol_extreme');
    atMost(ctx, s, 'fng_extreme_fear', 'fng_fear');
    atMost(ctx, s, 'taker_selling', 'taker_mild_selling');
  });

const forewarnerSchema = z
  .strictObject({
    red_catastrophic_probability: rate(),
    red_envelope_score: num(),
    orange_catastrophic_probability: rate(),
    orange_envelope_score: num(),
    orange_scale: fraction(),
  })
  .superRefine((s, ctx) => {
    atMost(ctx, s, 'orange_catastrophic_probability', 'red_catastrophic_probability');
    ordered(ctx, s, 'red_envelope_score', 'orange_envelope_score');
  });

const barLoopSchema = z
  .strictObject({
    lookback: intAtLeast(0),
    min_day_row: intAtLeast(0),
    vel_div_history_cap: intAtLeast(1),
    price_history_cap: intAtLeast(1),
    price_history_keep: intAtLeast(1),
  })
  .superRefine((s, ctx) => atMost(ctx, s, 'price_history_keep', 'price_history_cap'));

export const engineConfigSchema = z
  .strictObject({
    direction: z.literal([-1, 1]),
    seed: z
      .number()
      .int()
      .gte(0, 'must be in [0, 2^32)')
      .lt(2 ** 32, 'must be in [0, 2^32)'),
    signal: signalSchema,
    dc: dcSchema,
    irp: irpSchema,
    sizing: sizingSchema,
    exits: exitsSchema,
    fees: feesSchema,
    acb: acbSchema,
    forewarner: forewarnerSchema,
    bar_loop: barLoopSchema,
  })
  .superRefine((c, ctx) => {
    // A trim below the IRP window would leave every asset unrankable right after it.
    const window = c.irp?.irp_window;
    const keep = c.bar_loop?.price_history_keep;
    if (Number.isInteger(window) && Number.isInteger(keep) && keep < window) {
      ctx.addIssue({
        code: 'custom',
        path: ['bar_loop', 'price_history_keep'],
        message: `must be >= irp.irp_window (${window})`,
      });
    }
  });

/** The validated engine parameters; structurally an EngineConfig of engine/config.ts (checked in test/config). */
export type EngineConfigValues = z.output<typeof engineConfigSchema>;

let champion: EngineConfigValues | undefined;

/** The champion parameters, read from champion.yaml once; each call returns a fresh copy. */
export function championConfig(): EngineConfigValues {
  if (champion === undefined) {
    // The shipped file must be complete on its own: validated without any merge.
    const file = readYamlFile(CHAMPION_YAML_PATH);
    champion = validate(file.data, file.source, file.locate);
  }
  return structuredClone(champion);
}

/** Validates a (possibly partial) config object merged over the champion values. */
export function parseEngineConfig(obj: unknown, sourceName: string): EngineConfigValues {
  return validate(mergeOverChampion(obj, sourceName), sourceName);
}

/** Reads a (possibly partial) YAML config, merges it over the champion values and validates it. */
export function loadEngineConfig(path: string): EngineConfigValues {
  const file = readYamlFile(path);
  return validate(mergeOverChampion(file.data, file.source), file.source, file.locate);
}

function mergeOverChampion(obj: unknown, source: string): unknown {
  if (obj === null || obj === undefined) return championConfig(); // an empty file means "champion"
  if (!isPlainObject(obj)) {
    throw new ConfigError(source, [{ path: '', message: 'the top level must be a mapping of keys' }]);
  }
  return deepMerge(championConfig(), obj);
}

function validate(data: unknown, source: string, locate?: Locate): EngineConfigValues {
  const result = engineConfigSchema.safeParse(data);
  if (!result.success) throw new ConfigError(source, issuesFromZod(result.error, data, locate));
  return result.data;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; anything else in the override replaces the base (the schema then judges it). */
function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged = new Map<string, unknown>(Object.entries(base));
  for (const [key, value] of Object.entries(override)) {
    const prior = merged.get(key);
    merged.set(key, isPlainObject(prior) && isPlainObject(value) ? deepMerge(prior, value) : value);
  }
  // fromEntries defines own properties, so a "__proto__" key stays data and is refused as unknown
  return Object.fromEntries(merged);
}
