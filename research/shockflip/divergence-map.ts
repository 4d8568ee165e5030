// divergence-map: every divergence episode with its outcome (events_FULL.csv) and the intensity ×
// duration heatmap of outcomes (heatmap_report.csv; divergence_heatmap.csv is the same table under
// the name the blueprint's SOP uses).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonText } from './csv.ts';
import { scanDivergences, type DivergenceEvent } from './divergence.ts';
import { buildHeatmap, divergenceEventsCsv, heatmapCsv, type HeatmapCell } from './heatmap.ts';
import type { ShockflipParams } from './params.ts';
import type { ResearchBars } from './research-bars.ts';
import { runShockflipStudy, type ShockflipStudy } from './study.ts';
import type { TradeColumns } from './trade-columns.ts';

export interface DivergenceMapOptions {
  trades: TradeColumns;
  params: ShockflipParams;
  outDir: string;
  /** what the trades are, for the summary (file names, "synthetic seed 7") */
  source?: string;
  /** a study already run on the same trades and params (the CLI shares it between commands) */
  study?: ShockflipStudy;
}

export interface DivergenceMapResult {
  events: DivergenceEvent[];
  heatmap: HeatmapCell[];
  summary: Record<string, unknown>;
  files: string[];
}

export async function runDivergenceMap(o: DivergenceMapOptions): Promise<DivergenceMapResult> {
  const s = o.study ?? runShockflipStudy(o.trades, o.params, o.source);
  const dm = o.params.shock_flip.divergence_map;
  const scan = scanDivergences(s.bars, s.features, dm);
  const heatmap = buildHeatmap(scan.events, dm);
  const count = (k: DivergenceEvent['outcome']): number => scan.events.filter((e) => e.outcome === k).length;
  const n = scan.events.length;
  const summary = {
    source: o.source ?? 'trades',
    ...dataSpan(o.trades, s.bars),
    divergence_events: n,
    p_reversion: n > 0 ? count('reversion') / n : null,
    p_breakout: n > 0 ? count('breakout') / n : null,
    p_churn: n > 0 ? count('churn') / n : null,
    cells_meeting_min_n: heatmap.filter((c) => c.meets_min_n).length,
    min_events_per_cell: dm.min_events_per_cell,
    dropped_no_horizon: scan.droppedHorizon,
    dropped_no_atr: scan.droppedAtr,
    params: dm,
  };
  await mkdir(o.outDir, { recursive: true });
  const files: [string, string][] = [
    ['events_FULL.csv', divergenceEventsCsv(scan.events, s.bars.start, s.bars.barMs)],
    ['heatmap_report.csv', heatmapCsv(heatmap)],
    ['divergence_heatmap.csv', heatmapCsv(heatmap)],
    ['divergence_map_summary.json', jsonText(summary)],
  ];
  for (const [name, text] of files) await writeFile(join(o.outDir, name), text);
  return { events: scan.events, heatmap, summary, files: files.map(([f]) => join(o.outDir, f)) };
}

/** Trades, bars and the time span, for summaries. */
export function dataSpan(t: TradeColumns, b: ResearchBars): Record<string, unknown> {
  const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
  let empty = 0;
  for (let i = 0; i < b.length; i++) if (b.trades[i] === 0) empty++;
  return {
    trades: t.length,
    first_trade: iso(t.length > 0 ? t.ts[0] : NaN),
    last_trade: iso(t.length > 0 ? t.ts[t.length - 1] : NaN),
    bars: b.length,
    bar_ms: b.barMs,
    empty_bars: empty,
  };
}
