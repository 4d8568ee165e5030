// The divergence heatmap: divergence episodes bucketed by intensity × duration, with the share of
// each outcome and the mean size of the reversion and breakout moves (the blueprint's
// heatmap_report.csv). Cells with fewer than min_events_per_cell episodes are kept but flagged.
import { csvText, type Cell } from './csv.ts';
import { durationLabels, type DivergenceEvent } from './divergence.ts';
import type { DivergenceMapParams } from './params.ts';

export interface HeatmapCell {
  int_bin: string;
  dur_bin: string;
  total: number;
  p_reversion: number;
  p_breakout: number;
  p_churn: number;
  /** mean favAtr over the cell's reversions (NaN when none) */
  avg_mag_reversion: number;
  /** mean advAtr over the cell's breakouts */
  avg_mag_breakout: number;
  /** total ≥ min_events_per_cell */
  meets_min_n: boolean;
}

export const HEATMAP_COLUMNS = [
  'int_bin', 'dur_bin', 'total', 'p_reversion', 'p_breakout', 'p_churn', 'avg_mag_reversion', 'avg_mag_breakout', 'meets_min_n',
] as const satisfies readonly (keyof HeatmapCell)[];

/** Every intensity × duration cell in label order, empty ones included (total 0, shares NaN). */
export function buildHeatmap(events: readonly DivergenceEvent[], p: DivergenceMapParams): HeatmapCell[] {
  const out: HeatmapCell[] = [];
  for (const ib of p.intensity_labels) {
    for (const db of durationLabels(p.duration_edges)) {
      const cell = events.filter((e) => e.intBin === ib && e.durBin === db);
      const rev = cell.filter((e) => e.outcome === 'reversion');
      const brk = cell.filter((e) => e.outcome === 'breakout');
      const n = cell.length;
      out.push({
        int_bin: ib,
        dur_bin: db,
        total: n,
        p_reversion: n > 0 ? rev.length / n : NaN,
        p_breakout: n > 0 ? brk.length / n : NaN,
        p_churn: n > 0 ? (n - rev.length - brk.length) / n : NaN,
        avg_mag_reversion: mean(rev.map((e) => e.favAtr)),
        avg_mag_breakout: mean(brk.map((e) => e.advAtr)),
        meets_min_n: n >= p.min_events_per_cell,
      });
    }
  }
  return out;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
}

export function heatmapCsv(cells: readonly HeatmapCell[]): string {
  return csvText(HEATMAP_COLUMNS, cells.map((c) => HEATMAP_COLUMNS.map((k) => c[k] as Cell)));
}

export const DIVERGENCE_EVENT_COLUMNS = [
  'start_ts', 'end_ts', 'confirm_ts', 'direction', 'intensity', 'int_bin', 'duration', 'dur_bin', 'outcome',
  'bars_to_outcome', 'fav_atr', 'adv_atr', 'ref_close', 'atr',
] as const;

/**
 * events_FULL.csv: one row per episode. Times are ISO UTC: start_ts = first divergent bar's start,
 * end_ts = last divergent bar's end, confirm_ts = confirmation bar's end (the outcome's reference).
 */
export function divergenceEventsCsv(events: readonly DivergenceEvent[], barStart: Float64Array, barMs: number): string {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return csvText(
    DIVERGENCE_EVENT_COLUMNS,
    events.map((e) => [
      iso(barStart[e.startBar]), iso(barStart[e.lastBar] + barMs), iso(barStart[e.confirmBar] + barMs),
      e.direction > 0 ? 'long' : 'short', e.intensity, e.intBin, e.duration, e.durBin, e.outcome,
      e.barsToOutcome, e.favAtr, e.advAtr, e.refClose, e.atr,
    ]),
  );
}
