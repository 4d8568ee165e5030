// diamond-hunter: ShockFlip events annotated (events_annotated.csv), snap rate by rel_vol bucket
// (diamond_candidates.csv), the rel_vol percentiles, and the physics check with seeded bootstrap
// intervals (bootstrap_snap_ci.json) — the blueprint's Step 1.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonText } from './csv.ts';
import { bootstrapJson, candidatesCsv, candidateTable, physicsCheck, type CandidateTable, type PhysicsCheck } from './diamond.ts';
import { dataSpan } from './divergence-map.ts';
import { eventsCsv, type EventRow } from './events.ts';
import type { ShockflipParams } from './params.ts';
import { runShockflipStudy, type ShockflipStudy } from './study.ts';
import type { TradeColumns } from './trade-columns.ts';

export interface DiamondHunterOptions {
  trades: TradeColumns;
  params: ShockflipParams;
  outDir: string;
  source?: string;
  study?: ShockflipStudy;
}

export interface DiamondHunterResult {
  events: EventRow[];
  candidates: CandidateTable;
  physics: PhysicsCheck;
  bootstrap: Record<string, unknown>;
  summary: Record<string, unknown>;
  files: string[];
}

export async function runDiamondHunter(o: DiamondHunterOptions): Promise<DiamondHunterResult> {
  const s = o.study ?? runShockflipStudy(o.trades, o.params, o.source);
  const sf = o.params.shock_flip;
  const events = s.study.events;
  const candidates = candidateTable(events, sf.physics_check, sf.diamond_filter);
  const physics = physicsCheck(events, sf.physics_check, sf.diamond_filter);
  const bootstrap = bootstrapJson(physics, sf.physics_check, candidates.percentiles);
  const longs = events.filter((e) => e.side === 'long').length;
  const summary = {
    source: o.source ?? 'trades',
    ...dataSpan(o.trades, s.bars),
    signals: s.signals.length,
    events: events.length,
    long_events: longs,
    short_events: events.length - longs,
    dropped_no_horizon: s.study.droppedHorizon,
    dropped_no_atr: s.study.droppedAtr,
    baseline_snap_rate: candidates.baselineSnapRate,
    rel_vol_percentiles: candidates.percentiles,
    diamond_threshold: physics.threshold,
    threshold_source: physics.thresholdSource,
    diamond_filter_enabled: sf.diamond_filter.enabled,
    verdict: physics.verdict,
    reasons: physics.reasons,
  };
  await mkdir(o.outDir, { recursive: true });
  const files: [string, string][] = [
    ['events_annotated.csv', eventsCsv(events)],
    ['diamond_candidates.csv', candidatesCsv(candidates.rows)],
    ['bootstrap_snap_ci.json', jsonText(bootstrap)],
    ['diamond_hunter_summary.json', jsonText(summary)],
  ];
  for (const [name, text] of files) await writeFile(join(o.outDir, name), text);
  return { events, candidates, physics, bootstrap, summary, files: files.map(([f]) => join(o.outDir, f)) };
}
