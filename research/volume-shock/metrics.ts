// Trade-level metrics of the evidence package: per flow type, latency buckets, daily returns and
// drawdown, and the seed's hedging-flow validation (direction, timing, magnitude of the observed hedge).
import type { HedgeObservation } from './observation.ts';
import type { ClosedTrade } from './paper-book.ts';
import type { FlowType } from './params.ts';
import { mean } from './stats.ts';

export interface FlowTypePerformance {
  win_rate: number | null;
  avg_win_points: number | null;
  avg_loss_points: number | null;
  avg_points: number | null;
  avg_hold_time: number | null;
  sample_size: number;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function flowTypePerformance(trades: readonly ClosedTrade[], type?: FlowType): FlowTypePerformance {
  const ts = type === undefined ? trades : trades.filter((t) => t.flowType === type);
  const wins = ts.filter((t) => t.win);
  const losses = ts.filter((t) => !t.win);
  return {
    win_rate: ts.length > 0 ? wins.length / ts.length : null,
    avg_win_points: orNull(mean(wins.map((t) => t.points))),
    avg_loss_points: orNull(mean(losses.map((t) => t.points))),
    avg_points: orNull(mean(ts.map((t) => t.points))),
    avg_hold_time: orNull(mean(ts.map((t) => t.holdMinutes))),
    sample_size: ts.length,
  };
}

export interface LatencyBucket {
  success_rate: number;
  sample_size: number;
  avg_latency: number;
}

/** The seed's buckets on entry − shock onset (minutes): < 2, [2, 5), >= 5; empty buckets are left out, as in the seed. */
export function latencyBuckets(trades: readonly ClosedTrade[]): Record<string, LatencyBucket> {
  const buckets: [string, (m: number) => boolean][] = [
    ['sub_2_minutes', (m) => m < 2],
    ['2_to_5_minutes', (m) => m >= 2 && m < 5],
    ['over_5_minutes', (m) => m >= 5],
  ];
  const out: Record<string, LatencyBucket> = {};
  for (const [name, inBucket] of buckets) {
    const ts = trades.filter((t) => inBucket(t.latencyMinutes));
    if (ts.length === 0) continue;
    out[name] = { success_rate: ts.filter((t) => t.win).length / ts.length, sample_size: ts.length, avg_latency: mean(ts.map((t) => t.latencyMinutes)) };
  }
  return out;
}

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

/**
 * Daily returns over `days`: the PnL of trades exiting that day / equity at the day's start. Days
 * without a trade count as 0, so quiet days lower the Sharpe instead of vanishing from it.
 */
export function dailyReturns(trades: readonly ClosedTrade[], days: readonly string[], initial: number): number[] {
  const pnl = new Map<string, number>();
  for (const t of trades) pnl.set(t.exitDay, (pnl.get(t.exitDay) ?? 0) + t.pnl);
  let equity = initial;
  return days.map((d) => {
    const p = pnl.get(d) ?? 0;
    const r = equity > 0 ? p / equity : 0;
    equity += p;
    return r;
  });
}

export interface HedgingValidation {
  overall_direction_accuracy: number | null;
  average_timing_error: number | null;
  average_magnitude_error: number | null;
  sample_size: number;
  observed_with: 'flow' | 'price' | 'none';
}

/** The seed's HedgingFlowValidator over every observed event (traded or not). */
export function hedgingValidation(obs: readonly HedgeObservation[]): HedgingValidation {
  const direction = obs.map((o) => (o.observedDirection === Math.sign(o.predictedQuantity) ? 1 : 0));
  const timing = obs.filter((o) => o.responseMinutes !== null).map((o) => Math.abs(o.predictedTimingMinutes - o.responseMinutes!));
  const magnitude = obs
    .filter((o) => o.observedFlow !== null)
    .map((o) => Math.abs(Math.abs(o.predictedQuantity) - Math.abs(o.observedFlow!)) / Math.max(Math.abs(o.predictedQuantity), 1));
  return {
    overall_direction_accuracy: orNull(mean(direction)),
    average_timing_error: orNull(mean(timing)),
    average_magnitude_error: orNull(mean(magnitude)),
    sample_size: obs.length,
    observed_with: obs.length === 0 ? 'none' : obs.some((o) => o.kind === 'flow') ? 'flow' : 'price',
  };
}
