// Trades → bars → features → ShockFlip signals → annotated events: the shared front half of both
// research commands (and what the trade-management and statistics steps build on).
import { detectShockFlips, type Signal } from './detector.ts';
import { buildEvents, type EventStudyResult } from './event-study.ts';
import { computeFeatures, type BarFeatures } from './features.ts';
import { featureWindows, type ShockflipParams } from './params.ts';
import { buildResearchBars, type ResearchBars } from './research-bars.ts';
import type { TradeColumns } from './trade-columns.ts';

export interface ShockflipStudy {
  bars: ResearchBars;
  features: BarFeatures;
  signals: Signal[];
  study: EventStudyResult;
}

/** Trades must be in time order (loadTrades and the synthetic generator give them so). */
export function runShockflipStudy(trades: TradeColumns, p: ShockflipParams, source = 'trades'): ShockflipStudy {
  const bars = buildResearchBars(trades, { barMs: p.shock_flip.bars.bar_ms, source });
  return studyFromBars(bars, p);
}

export function studyFromBars(bars: ResearchBars, p: ShockflipParams): ShockflipStudy {
  const features = computeFeatures(bars, featureWindows(p));
  const signals = detectShockFlips(features, p.shock_flip.detector);
  const study = buildEvents(bars, features, signals, {
    ...p.event_study,
    atr_pctile_window: p.shock_flip.features.atr_pctile_window,
    spread_z_window: p.shock_flip.detector.z_window,
  });
  return { bars, features, signals, study };
}
