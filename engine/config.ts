// Engine parameters. Names are the bible's (§18) so a reader can trace each one to the spec.
// The champion values below are the defaults; config/champion.yaml carries the same values.

export interface SignalParams {
  vel_div_threshold: number; // SHORT gate (§4.1)
  vel_div_extreme: number;
  long_threshold: number; // LONG gate (GREEN, not champion)
  long_extreme: number;
}

export interface DcParams {
  use_direction_confirm: boolean;
  dc_lookback_bars: number;
  dc_min_magnitude_bps: number;
  dc_skip_contradicts: boolean;
  dc_leverage_boost: number; // applied on CONFIRM only
}

export interface IrpParams {
  use_asset_selection: boolean;
  irp_window: number; // prices per asset fed to the kernel
  min_irp_alignment: number; // wrapper alignment gate (§5.5)
  filter_max_noise: number; // kernel filter gates (§5.4)
  filter_max_latency: number;
  filter_min_alignment: number;
  ob_min_depth_quality: number; // OB depth gate (§5.5)
  fallback_asset: string; // used only when IRP is off
}

export interface SizingParams {
  min_leverage: number;
  max_leverage: number;
  abs_max_leverage: number;
  stalker_max_leverage: number;
  leverage_convexity: number;
  fraction: number;
  min_fraction: number;
  use_alpha_layers: boolean; // bucket boost, streak and trend multipliers (§6.4)
}

export interface ExitParams {
  fixed_tp_pct: number;
  stop_pct: number;
  max_hold_bars: number;
  slip_stop_loss: number;
  slip_default: number;
  subday_exit_boost_from: number; // §7.3: old boost >= this ...
  subday_exit_boost_below: number; // ... and new boost < this => force exit
}

export interface FeeParams {
  maker_fee: number;
  taker_fee: number;
  sp_maker_entry_rate: number;
  sp_maker_exit_rate: number;
  sp_refund_pct: number; // +2 bps per maker fill
  ob_edge_bps: number;
  ob_confirm_rate: number;
  ob_edge_min_depth_quality: number; // real-provider OB edge needs depth_quality above this
}

export interface AcbParams {
  use_acb: boolean;
  beta_high: number;
  beta_low: number;
  w750_threshold_pct: number;
  funding_very_bearish: number;
  funding_mild_bearish: number;
  dvol_extreme: number;
  dvol_elevated: number;
  fng_extreme_fear: number;
  fng_fear: number;
  taker_selling: number;
  taker_mild_selling: number;
  ob_stress_beta_boost: number; // OB-4: macro withdrawal stress raises beta by at most this fraction
}

export interface ForewarnerParams {
  red_catastrophic_probability: number;
  red_envelope_score: number;
  orange_catastrophic_probability: number;
  orange_envelope_score: number;
  orange_scale: number;
}

export interface BarLoopParams {
  lookback: number; // warm-up bars, once per run
  min_day_row: number; // fallback volume gate: row index within the day (bid >= 100)
  vel_div_history_cap: number;
  price_history_cap: number;
  price_history_keep: number;
}

export interface EngineConfig {
  direction: -1 | 1;
  seed: number;
  signal: SignalParams;
  dc: DcParams;
  irp: IrpParams;
  sizing: SizingParams;
  exits: ExitParams;
  fees: FeeParams;
  acb: AcbParams;
  forewarner: ForewarnerParams;
  bar_loop: BarLoopParams;
}

export const CHAMPION: EngineConfig = {
  direction: -1,
  seed: 42,
  signal: { vel_div_threshold: -0.02, vel_div_extreme: -0.05, long_threshold: 0.01, long_extreme: 0.04 },
  dc: {
    use_direction_confirm: true,
    dc_lookback_bars: 7,
    dc_min_magnitude_bps: 0.75,
    dc_skip_contradicts: true,
    dc_leverage_boost: 1.0,
  },
  irp: {
    use_asset_selection: true,
    irp_window: 50,
    min_irp_alignment: 0.45,
    filter_max_noise: 500,
    filter_max_latency: 20,
    filter_min_alignment: 0.2,
    ob_min_depth_quality: 0.2,
    fallback_asset: 'BTCUSDT',
  },
  sizing: {
    min_leverage: 0.5,
    max_leverage: 5.0,
    abs_max_leverage: 6.0,
    stalker_max_leverage: 2.0,
    leverage_convexity: 3.0,
    fraction: 0.2,
    min_fraction: 0.02,
    use_alpha_layers: true,
  },
  exits: {
    fixed_tp_pct: 0.0095,
    stop_pct: 1.0,
    max_hold_bars: 120,
    slip_stop_loss: 0.0005,
    slip_default: 0.0002,
    subday_exit_boost_from: 1.25,
    subday_exit_boost_below: 1.1,
  },
  fees: {
    maker_fee: 0.0002,
    taker_fee: 0.0005,
    sp_maker_entry_rate: 0.62,
    sp_maker_exit_rate: 0.5,
    sp_refund_pct: 0.0002,
    ob_edge_bps: 5.0,
    ob_confirm_rate: 0.4,
    ob_edge_min_depth_quality: 0.5,
  },
  acb: {
    use_acb: true,
    beta_high: 0.8,
    beta_low: 0.2,
    w750_threshold_pct: 60,
    funding_very_bearish: -0.0001,
    funding_mild_bearish: 0.0,
    dvol_extreme: 80,
    dvol_elevated: 55,
    fng_extreme_fear: 25,
    fng_fear: 40,
    taker_selling: 0.8,
    taker_mild_selling: 0.9,
    ob_stress_beta_boost: 0.25,
  },
  forewarner: {
    red_catastrophic_probability: 0.25,
    red_envelope_score: -1.0,
    orange_catastrophic_probability: 0.1,
    orange_envelope_score: 0.0,
    orange_scale: 0.5,
  },
  bar_loop: {
    lookback: 100,
    min_day_row: 100,
    vel_div_history_cap: 200,
    price_history_cap: 500,
    price_history_keep: 200,
  },
};
