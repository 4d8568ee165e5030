// The event study: each ShockFlip signal becomes an events_annotated.csv row — its features at the
// signal bar (known at entry) and its outcome (what the next bars did). Outcomes are the only values
// that read bars after the signal, and they are never used to decide anything at entry.
import type { EventRow } from './events.ts';
import { atrPctileAt, spreadZAt, type BarFeatures } from './features.ts';
import type { Signal } from './detector.ts';
import type { EventStudyParams } from './params.ts';
import type { ResearchBars } from './research-bars.ts';

export interface EventStudyOptions extends EventStudyParams {
  /** window for atr_pctile (features.atr_pctile_window) */
  atr_pctile_window: number;
  /** window for spread_z (detector.z_window) */
  spread_z_window: number;
}

export interface EventStudyResult {
  events: EventRow[];
  /** the signal bar of each event (same order), for callers that walk the bars after it */
  bars: number[];
  /** signals without the full outcome horizon (data ends within mfe_long_horizon_bars bars) */
  droppedHorizon: number;
  /** signals whose ATR is not positive (outcomes in ATRs are undefined) */
  droppedAtr: number;
}

/**
 * Max favourable excursion over bars i+1 … i+h from the close of bar i, in price units, ≥ 0:
 * long: max high − entry; short: entry − min low.
 */
export function mfe(b: ResearchBars, i: number, side: 1 | -1, h: number): number {
  const entry = b.close[i];
  let best = 0;
  for (let j = i + 1; j <= i + h; j++) {
    const x = side > 0 ? b.high[j] - entry : entry - b.low[j];
    if (x > best) best = x;
  }
  return best;
}

export function buildEvents(b: ResearchBars, f: BarFeatures, signals: readonly Signal[], p: EventStudyOptions): EventStudyResult {
  const events: EventRow[] = [];
  const bars: number[] = [];
  let droppedHorizon = 0, droppedAtr = 0;
  const horizon = Math.max(p.snap_horizon_bars, p.mfe_long_horizon_bars);
  for (const s of signals) {
    const i = s.bar;
    if (i + horizon >= b.length) {
      droppedHorizon++;
      continue;
    }
    const atr = f.atr[i];
    if (!(atr > 0)) {
      droppedAtr++;
      continue;
    }
    const mfe6 = mfe(b, i, s.side, p.snap_horizon_bars) / atr;
    const mfe10 = mfe(b, i, s.side, p.mfe_long_horizon_bars) / atr;
    events.push({
      entry_ts: b.start[i] + b.barMs,
      side: s.side > 0 ? 'long' : 'short',
      rel_vol: f.relVol[i],
      flow_z: f.flowZ[i],
      div_score: f.divScore[i],
      z_velocity: f.zVelocity[i],
      atr,
      did_snap: mfe6 >= p.did_snap_atr_mult ? 1 : 0,
      mfe6_atr: mfe6,
      mfe10_atr: mfe10,
      entry_close: b.close[i],
      donchian_loc: f.donchianLoc[i],
      vwap_dist: f.vwapDist[i],
      spread: f.spread[i],
      trade_concentration: f.tradeConcentration[i],
      atr_pctile: atrPctileAt(f, i, p.atr_pctile_window),
      spread_z: spreadZAt(f, i, p.spread_z_window),
    });
    bars.push(i);
  }
  return { events, bars, droppedHorizon, droppedAtr };
}
