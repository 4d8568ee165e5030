// config/strategies_shockflip_only.yaml: the ShockFlip research config. Every key is required and no
// key has a default here, so the YAML file is the one place each number lives; an unknown key is an
// error (strict objects), and every error names the file, the dotted key and its line.
import { z } from 'zod';
import { ConfigError, issuesFromZod, type Locate } from './config-error.ts';
import { parseYaml, readYamlFile } from './yaml-file.ts';

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const posNum = z.number().positive();
const prob = z.number().gt(0).lt(1);
const increasing = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || x > xs[i - 1]);

export const barsSchema = z
  .object({
    bar_ms: posInt,
    imbalance_eps: posNum,
  })
  .strict();

export const detectorSchema = z
  .object({
    source: z.enum(['imbalance', 'delta']),
    z_window: z.number().int().min(2),
    z_band: posNum,
    jump_band: posNum,
    persistence_bars: posInt,
    persistence_ratio: z.number().gt(0).max(1),
    donchian_window: z.number().int().min(2),
    require_extreme: z.boolean(),
    extreme_frac: z.number().min(0).lt(0.5),
    cooldown_bars: nonNegInt,
  })
  .strict();

export const featuresSchema = z
  .object({
    z_velocity_lag: posInt,
    div_window: posInt,
    vwap_window: posInt,
    spread_window: posInt,
    atr_pctile_window: posInt,
  })
  .strict();

export const divergenceMapSchema = z
  .object({
    div_threshold: posNum,
    intensity_edges: z.array(posNum).min(1).refine(increasing, 'must increase'),
    intensity_labels: z.array(z.string().regex(/^[A-Za-z0-9_+-]+$/, 'must be a plain word')).min(2),
    duration_edges: z.array(posInt).min(1).refine(increasing, 'must increase'),
    outcome_horizon_bars: posInt,
    outcome_atr_mult: posNum,
    tie: z.enum(['breakout', 'reversion', 'churn']),
    min_events_per_cell: posInt,
  })
  .strict()
  .refine((d) => d.intensity_labels.length === d.intensity_edges.length + 1, {
    message: 'needs one label more than intensity_edges',
    path: ['intensity_labels'],
  })
  .refine((d) => d.intensity_edges[0] >= d.div_threshold, {
    message: 'the first edge must be ≥ div_threshold (no divergent bar is weaker than the threshold)',
    path: ['intensity_edges'],
  });

export const diamondFilterSchema = z
  .object({
    enabled: z.boolean(),
    rel_vol_threshold: posNum,
    rel_vol_window: posInt,
    min_events_per_bucket: posInt,
    threshold_source: z.enum(['config', 'in_sample_p90']),
  })
  .strict();

export const physicsCheckSchema = z
  .object({
    target_snap_rate: prob,
    pass_rule: z.enum(['point', 'ci_upper', 'ci_lower']),
    rel_vol_buckets: z.number().int().min(2),
    rel_vol_percentiles: z.array(z.number().gt(0).lt(100)).min(1).refine(increasing, 'must increase'),
    bootstrap_resamples: posInt,
    bootstrap_seed: z.number().int().nonnegative().max(0xffffffff),
    ci_level: prob,
    holdout_months: nonNegInt,
  })
  .strict();

export const shockFlipSchema = z
  .object({
    bars: barsSchema,
    detector: detectorSchema,
    features: featuresSchema,
    divergence_map: divergenceMapSchema,
    diamond_filter: diamondFilterSchema,
    physics_check: physicsCheckSchema,
  })
  .strict()
  .refine((s) => s.detector.jump_band >= s.detector.z_band, {
    message: 'jump_band must be ≥ z_band (the signal bar is itself a band bar)',
    path: ['detector', 'jump_band'],
  });

const sideRisk = z.object({ tp_mult: posNum, sl_mult: posNum }).strict();

export const riskSchema = z
  .object({
    atr_window: posInt,
    cooldown_bars: nonNegInt,
    long: sideRisk,
    short: sideRisk,
  })
  .strict();

export const eventStudySchema = z
  .object({
    did_snap_atr_mult: posNum,
    snap_horizon_bars: posInt,
    mfe_long_horizon_bars: posInt,
  })
  .strict();

// Sections for the later steps (zombie exit, selection, meta-model, monitoring).
export const zombieSchema = z
  .object({
    exit_bar: posInt,
    mfe_atr_mult: posNum,
    exit_mode: z.enum(['breakeven', 'exit']),
    partial_take_atr: posNum,
    partial_take_fraction: z.number().min(0).max(1),
    min_pf_improvement: z.number(),
    min_trades_per_month: nonNegInt,
  })
  .strict();

export const selectionSchema = z
  .object({
    fdr_q: prob,
    min_oos_months: posInt,
    buckets: z.number().int().min(2),
    features: z.array(z.string()).min(1),
  })
  .strict();

export const metaModelSchema = z
  .object({
    features: z.array(z.string()).min(1),
    train_months: posInt,
    test_months: posInt,
    n_trees: posInt,
    max_depth: posInt,
    learning_rate: posNum,
    min_samples_leaf: posInt,
    seed: nonNegInt,
  })
  .strict();

export const monitoringSchema = z
  .object({
    parity_max_abs_pnl_diff: z.number().nonnegative(),
    rel_vol_drift_max: posNum,
    reversion_floor: prob,
    audit_months: posInt,
    trades_alarm_fraction: prob,
    expected_signals_per_month: z.number().nonnegative(),
    drift_check_days: posNum,
    audit_days: posNum,
  })
  .strict();

export const shockflipConfigSchema = z
  .object({
    shock_flip: shockFlipSchema,
    risk: riskSchema,
    event_study: eventStudySchema,
    zombie: zombieSchema,
    selection: selectionSchema,
    meta_model: metaModelSchema,
    monitoring: monitoringSchema,
  })
  .strict()
  .refine((c) => c.event_study.mfe_long_horizon_bars >= c.event_study.snap_horizon_bars, {
    message: 'must be ≥ event_study.snap_horizon_bars',
    path: ['event_study', 'mfe_long_horizon_bars'],
  });

export type ShockflipConfig = z.output<typeof shockflipConfigSchema>;

export function parseShockflipConfig(data: unknown, source: string, locate?: Locate): ShockflipConfig {
  const r = shockflipConfigSchema.safeParse(data ?? {});
  if (!r.success) throw new ConfigError(source, issuesFromZod(r.error, data, locate));
  return r.data;
}

export function loadShockflipConfig(path: string): ShockflipConfig {
  const file = readYamlFile(path);
  return parseShockflipConfig(file.data, file.source, file.locate);
}

/** For tests: a config from YAML text. */
export function parseShockflipYaml(text: string, source = '<yaml>'): ShockflipConfig {
  const file = parseYaml(text, source);
  return parseShockflipConfig(file.data, file.source, file.locate);
}
