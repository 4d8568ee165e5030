// The numbers the ShockFlip research code needs, as plain types. research/ may not import config/,
// so these mirror the sections of config/strategies_shockflip_only.yaml (validated by
// config/shockflip-schema.ts; the CLI passes the parsed sections in, and the compiler checks the two
// shapes agree there). No defaults live in code: every number comes from the YAML.

export interface BarParams {
  bar_ms: number;
  imbalance_eps: number;
}

export interface DetectorParams {
  source: 'imbalance' | 'delta';
  z_window: number;
  z_band: number;
  jump_band: number;
  persistence_bars: number;
  persistence_ratio: number;
  donchian_window: number;
  require_extreme: boolean;
  extreme_frac: number;
  cooldown_bars: number;
}

export interface FeatureParams {
  z_velocity_lag: number;
  div_window: number;
  vwap_window: number;
  spread_window: number;
  atr_pctile_window: number;
}

export interface DivergenceMapParams {
  div_threshold: number;
  intensity_edges: readonly number[];
  intensity_labels: readonly string[];
  duration_edges: readonly number[];
  outcome_horizon_bars: number;
  outcome_atr_mult: number;
  tie: 'breakout' | 'reversion' | 'churn';
  min_events_per_cell: number;
}

export interface DiamondFilterParams {
  enabled: boolean;
  rel_vol_threshold: number;
  rel_vol_window: number;
  min_events_per_bucket: number;
  threshold_source: 'config' | 'in_sample_p90';
}

export interface PhysicsCheckParams {
  target_snap_rate: number;
  pass_rule: 'point' | 'ci_upper' | 'ci_lower';
  rel_vol_buckets: number;
  rel_vol_percentiles: readonly number[];
  bootstrap_resamples: number;
  bootstrap_seed: number;
  ci_level: number;
  holdout_months: number;
}

export interface EventStudyParams {
  did_snap_atr_mult: number;
  snap_horizon_bars: number;
  mfe_long_horizon_bars: number;
}

/** What the feature and event code reads; `atr_window` is the risk section's. */
export interface ShockflipParams {
  shock_flip: {
    bars: BarParams;
    detector: DetectorParams;
    features: FeatureParams;
    divergence_map: DivergenceMapParams;
    diamond_filter: DiamondFilterParams;
    physics_check: PhysicsCheckParams;
  };
  risk: { atr_window: number };
  event_study: EventStudyParams;
}

/** The windows the per-bar features use, gathered from the config sections. */
export interface FeatureWindows {
  /** the series the flow z-score is taken of */
  source: 'imbalance' | 'delta';
  imbalance_eps: number;
  z_window: number;
  rel_vol_window: number;
  atr_window: number;
  donchian_window: number;
  z_velocity_lag: number;
  div_window: number;
  vwap_window: number;
  spread_window: number;
}

export function featureWindows(p: ShockflipParams): FeatureWindows {
  const sf = p.shock_flip;
  return {
    source: sf.detector.source,
    imbalance_eps: sf.bars.imbalance_eps,
    z_window: sf.detector.z_window,
    rel_vol_window: sf.diamond_filter.rel_vol_window,
    atr_window: p.risk.atr_window,
    donchian_window: sf.detector.donchian_window,
    z_velocity_lag: sf.features.z_velocity_lag,
    div_window: sf.features.div_window,
    vwap_window: sf.features.vwap_window,
    spread_window: sf.features.spread_window,
  };
}
