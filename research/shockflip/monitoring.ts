// The blueprint's monitoring for a live ShockFlip strategy, on the bars the live pipeline has seen:
// - weekly drift: rel_vol's 90th percentile over the last week's events against the configured
//   diamond threshold; more than rel_vol_drift_max apart → re-estimate it;
// - monthly physics audit: the divergence heatmap of the last month; a readable cell (N ≥ the
//   heatmap's minimum) whose reversion probability is below reversion_floor → suspend retraining;
// - realtime: signals so far against the expected rate; below trades_alarm_fraction of it → alarm.
// Each check runs the research code itself (studyFromBars, scanDivergences, buildHeatmap) on the
// retained bars, so what live monitoring says is what a research rerun would say.
import { buildHeatmap } from './heatmap.ts';
import { scanDivergences } from './divergence.ts';
import type { ShockflipParams } from './params.ts';
import { percentile } from './quantile.ts';
import type { ResearchBars } from './research-bars.ts';
import { studyFromBars } from './study.ts';

const DAY_MS = 86_400_000;

export interface MonitorSettings {
  rel_vol_drift_max: number;
  reversion_floor: number;
  trades_alarm_fraction: number;
  /** signals per 30 days the research run expects */
  expected_signals_per_month: number;
  /** how often each check runs, in bar time */
  drift_every_ms: number;
  audit_every_ms: number;
}

export interface DriftCheck {
  at: number;
  events: number;
  relVolP90: number;
  reference: number;
  drift: number;
  reestimate: boolean;
}

export interface AuditCheck {
  at: number;
  episodes: number;
  weakCells: Array<{ cell: string; n: number; pReversion: number }>;
  suspendRetraining: boolean;
}

export interface RateCheck {
  at: number;
  signals: number;
  expected: number;
  alarm: boolean;
}

/** rel_vol's 90th percentile over the bars' ShockFlip events, against the configured threshold. */
export function relVolDrift(bars: ResearchBars, p: ShockflipParams, s: MonitorSettings): DriftCheck {
  const events = studyFromBars(bars, p).study.events;
  const p90 = percentile(Float64Array.from(events.map((e) => e.rel_vol)), 90);
  const reference = p.shock_flip.diamond_filter.rel_vol_threshold;
  const drift = Math.abs(p90 - reference) / reference;
  return { at: bars.start[bars.length - 1], events: events.length, relVolP90: p90, reference, drift, reestimate: Number.isFinite(drift) && drift > s.rel_vol_drift_max };
}

/** The divergence heatmap of the bars; readable cells below the reversion floor. */
export function physicsAudit(bars: ResearchBars, p: ShockflipParams, s: MonitorSettings): AuditCheck {
  const { features } = studyFromBars(bars, p);
  const dm = p.shock_flip.divergence_map;
  const scan = scanDivergences(bars, features, dm);
  const weakCells = buildHeatmap(scan.events, dm)
    .filter((c) => c.meets_min_n && c.p_reversion < s.reversion_floor)
    .map((c) => ({ cell: `${c.int_bin}/${c.dur_bin}`, n: c.total, pReversion: c.p_reversion }));
  return { at: bars.start[bars.length - 1], episodes: scan.events.length, weakCells, suspendRetraining: weakCells.length > 0 };
}

/** Signals seen over `elapsedMs` against the expected monthly rate (no alarm before a full day). */
export function signalRate(signals: number, elapsedMs: number, at: number, s: MonitorSettings): RateCheck {
  const expected = (s.expected_signals_per_month * elapsedMs) / (30 * DAY_MS);
  return { at, signals, expected, alarm: elapsedMs >= DAY_MS && signals < s.trades_alarm_fraction * expected };
}
