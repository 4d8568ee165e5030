// Every number of the Volume Shock study (seed 002), shaped exactly like config/volume-shock.yaml so
// the validated config is handed over as it is. research/ may not import config/; test/research
// checks that the schema's output is assignable to this type.

export const FLOW_TYPES = ['INSTITUTIONAL_SWEEP', 'GAMMA_EMERGENCY', 'AMBIGUOUS_SIGNAL'] as const;
export type FlowType = (typeof FLOW_TYPES)[number];

export const SOURCES = ['spx', 'sim', 'deribit'] as const;
export type SourceName = (typeof SOURCES)[number];

export type Range = readonly [number, number];

export interface DetectorParams {
  /** "volume over the last N minutes" (seed: 5); a source profile may override it */
  window_minutes: number;
  /** the 10-day baseline */
  baseline_days: number;
  /** fewer observed days of a strike than this: no baseline, no alert */
  baseline_min_days: number;
  /** the seed's max(normal_volume, 1) */
  baseline_floor: number;
  /** volume_ratio must be > this (seed 4.0) */
  min_ratio: number;
  /** recent volume must be > this many contracts (seed 100) */
  min_contracts: number;
  /** the seed's VOLUME_PRESSURE_THRESHOLD: pressure must be > this */
  pressure_threshold: number;
  /** alerts of one scan are one event per expiry, or one per underlying */
  event_grouping: 'expiry' | 'underlying';
}

export interface ExposureParams {
  /** exposure units are underlying shares at this price: a source's delta is scaled by price / reference */
  reference_price: number;
  /** the customer side assumed for a print whose aggressor side is unknown (SPX end-of-day volume) */
  assume_customer_side: 'buy' | 'sell';
}

export interface ResponseTimeParams {
  emergency_above: number;
  emergency_minutes: number;
  urgent_above: number;
  urgent_minutes: number;
  routine_minutes: number;
}

export interface ClassifierParams {
  sweep_min_strikes: number;
  sweep_max_concentration: number;
  sweep_min_response_minutes: number;
  gamma_min_concentration: number;
  gamma_max_response_minutes: number;
  gamma_min_exposure: number;
}

export interface ConfidenceParams {
  /** confidence at volume_ratio = min_ratio */
  floor: number;
  /** confidence reaches 1 at this volume ratio (log scale in between) */
  full_ratio: number;
}

export interface FlowTypeParams {
  /** expected response time (minutes); max hold = its upper end + exits.max_hold_buffer_minutes */
  response_time_range: Range;
  /** expected hedge move in points at exposure.reference_price */
  magnitude_points: Range;
  /** exposures mapped onto magnitude_points (linear, clamped) */
  magnitude_exposure: Range;
  win_rate_target: number;
  size_multiplier: number;
  /** stop distance as a fraction of the target distance */
  stop_fraction: number;
  /** flow-type position limit: risk of one trade as a fraction of the account */
  max_risk_per_trade: number;
  /** the risk framework's time stop for this flow type */
  max_hold_minutes: number;
}

export interface SizingParams {
  base_contracts: number;
  delta_divisor: number;
  delta_multiplier_cap: number;
  max_contracts: number;
  /** a size below this after the risk caps is no trade */
  min_contracts: number;
}

export interface ExitParams {
  max_hold_buffer_minutes: number;
}

export interface RiskParams {
  account: number;
  max_risk_per_trade: number;
  max_daily_risk: number;
  max_concurrent: number;
  execution_latency_limit_minutes: number;
  exit_before_close_minutes: number;
  min_daily_option_volume: number;
  /** at-the-money implied volatility (fraction) at or above which sizing is reduced ("VIX < 40") */
  high_vol_iv: number;
  high_vol_size_multiplier: number;
}

export interface ValidationParams {
  min_trades: number;
  min_win_rate: number;
  min_sharpe: number;
  max_p_value: number;
  min_r_squared: number;
  max_response_correlation: number;
  differentiation_alpha: number;
  permutations: number;
  seed: number;
  confidence_level: number;
  /** observed response time: minutes until this fraction of the window's signed flow has traded */
  completion_fraction: number;
  /** the seed's SUCCESS CRITERIA, reported beside the verdict */
  success_criteria: {
    min_win_rate: number;
    min_trades: number;
    min_avg_points: number;
    max_drawdown: number;
    max_latency_minutes: number;
    max_p_value: number;
  };
}

export interface SourceProfile {
  window_minutes: number;
  session_minutes: number;
  contract_multiplier: number;
  point_value: number;
  periods_per_year: number;
  cost_points: number;
  /** assumed detection-to-order latency of a backtest, uniform in [lo, hi] minutes (seeded) */
  latency_minutes: Range;
  /** overrides detector.min_contracts when not null */
  min_contracts: number | null;
  /** the session has a close (the exit-before-close rule applies) */
  session_close: boolean;
}

export interface DeribitParams {
  currency: string;
  /** the perpetual traded as the hedge instrument (ccxt symbol) */
  perpetual: string;
  api_origin: string | null;
  timeout_ms: number;
  poll_seconds: number;
  record_minutes: number;
  max_trade_pages: number;
  max_greeks_per_poll: number;
  delta_max_age_seconds: number;
}

export interface SimulatorParams {
  days: number;
  warmup_days: number;
  session_minutes: number;
  start_date: string;
  spot: number;
  minute_vol_points: number;
  strike_step: number;
  strikes_each_side: number;
  expiry_days: number;
  iv: number;
  background_per_minute: number;
  background_width_points: number;
  flows_per_day: number;
  gamma_share: number;
  sweep_share: number;
  gamma_contracts: Range;
  sweep_contracts: Range;
  sweep_strikes: Range;
  sweep_delta: Range;
  ambiguous_contracts: Range;
  hedge_ratio: number;
  impact_points_per_sqrt_unit: number;
  gamma_duration_minutes: Range;
  sweep_duration_minutes: Range;
  response_intercept_minutes: number;
  response_slope_minutes: number;
  response_noise_minutes: number;
  noise_flow_per_minute: number;
  last_flow_minutes_before_close: number;
}

export interface VolumeShockParams {
  detector: DetectorParams;
  exposure: ExposureParams;
  response_time: ResponseTimeParams;
  classifier: ClassifierParams;
  confidence: ConfidenceParams;
  flow_types: Record<FlowType, FlowTypeParams>;
  sizing: SizingParams;
  exits: ExitParams;
  risk: RiskParams;
  validation: ValidationParams;
  study: { seed: number };
  sources: Record<SourceName, SourceProfile>;
  deribit: DeribitParams;
  simulator: SimulatorParams;
}

/** The detector's settings with a source's profile applied (window, min contracts). */
export function detectorFor(p: VolumeShockParams, source: SourceName): DetectorParams {
  const s = p.sources[source];
  return { ...p.detector, window_minutes: s.window_minutes, min_contracts: s.min_contracts ?? p.detector.min_contracts };
}
