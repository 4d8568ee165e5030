// The seed's VolumeShockPerformanceValidator.generate_statistical_evidence_package, with its verdict:
//   VALIDATED          win rate >= 0.80, Sharpe >= 2.5, p < 0.01, >= 50 trades, delta-flow R² > 0.70
//   INSUFFICIENT_DATA  otherwise, with fewer than 50 trades
//   REJECTED           otherwise
// JSON has no NaN: a metric that cannot be computed is null.
import { flowTypePerformance, dailyReturns, hedgingValidation, latencyBuckets, quantile, type FlowTypePerformance } from './metrics.ts';
import type { SourceName, ValidationParams, VolumeShockParams } from './params.ts';
import { randomEntryTest } from './random-entry.ts';
import { maxDrawdown, mean, oneSidedPower, pearson, sharpe, twoProportionZ, welchT, wilsonInterval } from './stats.ts';
import type { StudyResult } from './study.ts';

export type Validity = 'VALIDATED' | 'REJECTED' | 'INSUFFICIENT_DATA';

export interface VerdictInputs {
  winRate: number;
  sharpe: number;
  pValue: number;
  trades: number;
  rSquared: number;
}

/** The seed's rule, a failed comparison with NaN counting as not met. */
export function verdict(v: VerdictInputs, p: ValidationParams): Validity {
  const ok = v.winRate >= p.min_win_rate && v.sharpe >= p.min_sharpe && v.pValue < p.max_p_value && v.trades >= p.min_trades && v.rSquared > p.min_r_squared;
  if (ok) return 'VALIDATED';
  return v.trades < p.min_trades ? 'INSUFFICIENT_DATA' : 'REJECTED';
}

const n = (x: number): number | null => (Number.isFinite(x) ? x : null);

export interface EvidenceMeta {
  granularity: 'minute' | 'daily';
  /** what this data can and cannot show, in words, copied into the package */
  notes: string[];
  inputs: Record<string, unknown>;
}

export interface EvidencePackage {
  experimental_validity: Validity;
  source: SourceName;
  granularity: 'minute' | 'daily';
  notes: string[];
  hypothesis_validation: {
    primary_hypothesis_supported: boolean;
    delta_flow_correlation: { correlation_coefficient: number | null; r: number | null; significance: number | null; sample_size: number; observed_with: string; hypothesis_supported: boolean };
    response_time_correlation: { correlation_coefficient: number | null; significance: number | null; sample_size: number; hypothesis_supported: boolean };
    flow_type_differentiation: {
      institutional_win_rate: number | null;
      gamma_emergency_win_rate: number | null;
      z_statistic: number | null;
      p_value: number | null;
      differentiation_significant: boolean;
      response_time_welch_t: number | null;
      response_time_p_value: number | null;
    };
  };
  performance_metrics: {
    overall_win_rate: number | null;
    win_rate_confidence_interval: [number | null, number | null];
    institutional_sweep_performance: FlowTypePerformance;
    gamma_emergency_performance: FlowTypePerformance;
    ambiguous_signal_performance: FlowTypePerformance;
    sharpe_ratio: number;
    maximum_drawdown: number;
    average_hold_time_minutes: number | null;
    average_points_per_trade: number | null;
    total_pnl: number;
    final_equity: number;
    execution_latency_stats: {
      buckets: ReturnType<typeof latencyBuckets>;
      mean_minutes: number | null;
      median_minutes: number | null;
      p95_minutes: number | null;
      max_minutes: number | null;
      mean_execution_latency_minutes: number | null;
    };
  };
  statistical_measures: {
    confidence_interval: number;
    p_value: number | null;
    test: string;
    permutations: number;
    observed_mean_points: number | null;
    baseline_mean_points: number | null;
    effect_size: number | null;
    sample_size: number;
    statistical_power: number | null;
  };
  hedging_flow_validation: ReturnType<typeof hedgingValidation>;
  detections: {
    events: number;
    by_flow_type: Record<string, number>;
    refused_trades: Record<string, number>;
    skipped_strikes: Record<string, number>;
  };
  success_criteria: Record<string, boolean>;
  inputs: Record<string, unknown>;
  validation_timestamp: string | null;
}

export function buildEvidence(r: StudyResult, params: VolumeShockParams, meta: EvidenceMeta): EvidencePackage {
  const v = params.validation;
  const sc = v.success_criteria;
  const profile = params.sources[r.source];
  const trades = r.trades;
  const wins = trades.filter((t) => t.win).length;
  const winRate = trades.length > 0 ? wins / trades.length : NaN;
  const ci = wilsonInterval(wins, trades.length, v.confidence_level);
  const sh = sharpe(dailyReturns(trades, r.days, params.risk.account), profile.periods_per_year);
  const dd = maxDrawdown(params.risk.account, trades.map((t) => t.equityAfter));

  const firstEvent = r.events.length > 0 ? r.events[0].time : Infinity;
  const test = randomEntryTest(trades, r.ticks, {
    permutations: v.permutations,
    seed: v.seed,
    costPoints: profile.cost_points,
    referencePrice: params.exposure.reference_price,
    closeBufferMs: profile.session_close ? params.risk.exit_before_close_minutes * 60_000 : null,
    from: firstEvent,
  });
  const power = oneSidedPower(test.effectSize, trades.length, v.max_p_value);

  const obs = r.observations;
  const deltaCorr = pearson(obs.map((o) => o.predictedQuantity), obs.map((o) => o.observedFlow ?? o.priceChange));
  const timed = obs.filter((o) => o.responseMinutes !== null);
  const timeCorr = pearson(timed.map((o) => Math.abs(o.predictedQuantity)), timed.map((o) => o.responseMinutes!));

  const sweeps = trades.filter((t) => t.flowType === 'INSTITUTIONAL_SWEEP');
  const gammas = trades.filter((t) => t.flowType === 'GAMMA_EMERGENCY');
  const diff = twoProportionZ(sweeps.filter((t) => t.win).length, sweeps.length, gammas.filter((t) => t.win).length, gammas.length);
  const rtDiff = welchT(
    timed.filter((o) => o.flowType === 'INSTITUTIONAL_SWEEP').map((o) => o.responseMinutes!),
    timed.filter((o) => o.flowType === 'GAMMA_EMERGENCY').map((o) => o.responseMinutes!),
  );

  const latencies = trades.map((t) => t.latencyMinutes);
  const avgPoints = mean(trades.map((t) => t.points));
  const validity = verdict({ winRate, sharpe: sh, pValue: test.pValue, trades: trades.length, rSquared: deltaCorr.rSquared }, v);
  const byType: Record<string, number> = {};
  for (const e of r.events) byType[e.flowType] = (byType[e.flowType] ?? 0) + 1;
  const lastTick = r.ticks.length > 0 ? r.ticks[r.ticks.length - 1].time : null;

  return {
    experimental_validity: validity,
    source: r.source,
    granularity: meta.granularity,
    notes: meta.notes,
    hypothesis_validation: {
      primary_hypothesis_supported: winRate >= v.min_win_rate && sh >= v.min_sharpe && test.pValue < v.max_p_value,
      delta_flow_correlation: {
        correlation_coefficient: n(deltaCorr.rSquared),
        r: n(deltaCorr.r),
        significance: n(deltaCorr.pValue),
        sample_size: deltaCorr.n,
        observed_with: hedgingValidation(obs).observed_with,
        hypothesis_supported: deltaCorr.rSquared > v.min_r_squared,
      },
      response_time_correlation: {
        correlation_coefficient: n(timeCorr.r),
        significance: n(timeCorr.pValue),
        sample_size: timeCorr.n,
        hypothesis_supported: timeCorr.r < v.max_response_correlation,
      },
      flow_type_differentiation: {
        institutional_win_rate: flowTypePerformance(trades, 'INSTITUTIONAL_SWEEP').win_rate,
        gamma_emergency_win_rate: flowTypePerformance(trades, 'GAMMA_EMERGENCY').win_rate,
        z_statistic: n(diff.statistic),
        p_value: n(diff.pValue),
        differentiation_significant: diff.pValue < v.differentiation_alpha,
        response_time_welch_t: n(rtDiff.statistic),
        response_time_p_value: n(rtDiff.pValue),
      },
    },
    performance_metrics: {
      overall_win_rate: n(winRate),
      win_rate_confidence_interval: [n(ci[0]), n(ci[1])],
      institutional_sweep_performance: flowTypePerformance(trades, 'INSTITUTIONAL_SWEEP'),
      gamma_emergency_performance: flowTypePerformance(trades, 'GAMMA_EMERGENCY'),
      ambiguous_signal_performance: flowTypePerformance(trades, 'AMBIGUOUS_SIGNAL'),
      sharpe_ratio: sh,
      maximum_drawdown: dd,
      average_hold_time_minutes: n(mean(trades.map((t) => t.holdMinutes))),
      average_points_per_trade: n(avgPoints),
      total_pnl: trades.reduce((s, t) => s + t.pnl, 0),
      final_equity: r.finalEquity,
      execution_latency_stats: {
        buckets: latencyBuckets(trades),
        mean_minutes: n(mean(latencies)),
        median_minutes: n(quantile(latencies, 0.5)),
        p95_minutes: n(quantile(latencies, 0.95)),
        max_minutes: n(latencies.length > 0 ? Math.max(...latencies) : NaN),
        mean_execution_latency_minutes: n(mean(trades.map((t) => t.executionLatencyMinutes))),
      },
    },
    statistical_measures: {
      confidence_interval: v.confidence_level,
      p_value: n(test.pValue),
      test: 'one-sided Monte Carlo randomisation test of mean points per trade against random entries (same stops, targets, max hold; random time and direction)',
      permutations: test.permutations,
      observed_mean_points: n(test.observedMean),
      baseline_mean_points: n(test.baselineMean),
      effect_size: n(test.effectSize),
      sample_size: trades.length,
      statistical_power: n(power),
    },
    hedging_flow_validation: hedgingValidation(obs),
    detections: {
      events: r.events.length,
      by_flow_type: byType,
      refused_trades: { ...r.refusals },
      skipped_strikes: { ...r.skips },
    },
    success_criteria: {
      win_rate: winRate >= sc.min_win_rate,
      trades: trades.length >= sc.min_trades,
      average_points: avgPoints >= sc.min_avg_points,
      max_drawdown: dd <= sc.max_drawdown,
      mean_latency: mean(latencies) < sc.max_latency_minutes,
      p_value: test.pValue < sc.max_p_value,
    },
    inputs: meta.inputs,
    validation_timestamp: lastTick === null ? null : new Date(lastTick).toISOString(),
  };
}
