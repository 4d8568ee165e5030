// Divergence episodes and how they resolve (docs/shockflip.md §Divergence map). An episode is a run
// of bars whose |div_score| ≥ div_threshold with one sign. It is known to be over at the close of
// the first bar that leaves the run (the confirmation bar); its outcome is read from the bars after
// that, so nothing in the classification's reference point depends on bars after it.
import type { BarFeatures } from './features.ts';
import type { DivergenceMapParams } from './params.ts';
import type { ResearchBars } from './research-bars.ts';

export type DivergenceOutcome = 'reversion' | 'breakout' | 'churn';

export interface DivergenceEvent {
  /** first divergent bar */
  startBar: number;
  /** last divergent bar */
  lastBar: number;
  /** confirmation bar (lastBar + 1): the episode is known to be over at its close */
  confirmBar: number;
  /** +1: flow buys while price fell (reversion = up); −1 the mirror */
  direction: 1 | -1;
  /** peak |div_score| over the episode */
  intensity: number;
  /** divergent bars after the first (0 = a one-bar divergence) */
  duration: number;
  intBin: string;
  durBin: string;
  outcome: DivergenceOutcome;
  /** bars after the confirmation bar until the first touch (NaN for churn) */
  barsToOutcome: number;
  /** max move toward the flow over the horizon, in ATRs at confirmation (≥ 0) */
  favAtr: number;
  /** max move against the flow over the horizon, in ATRs (≥ 0) */
  advAtr: number;
  refClose: number;
  atr: number;
}

/** Labels for duration bins from their edges: [2, 4, 8] → 0-1, 2-3, 4-7, 8+. */
export function durationLabels(edges: readonly number[]): string[] {
  const out: string[] = [];
  let lo = 0;
  for (const e of edges) {
    out.push(e - 1 === lo ? String(lo) : `${lo}-${e - 1}`);
    lo = e;
  }
  out.push(`${lo}+`);
  return out;
}

/** Index of the bin x falls in: bin k holds edges[k−1] ≤ x < edges[k]. */
export function binIndex(x: number, edges: readonly number[]): number {
  let k = 0;
  while (k < edges.length && x >= edges[k]) k++;
  return k;
}

export interface DivergenceScan {
  events: DivergenceEvent[];
  /** episodes whose outcome horizon runs past the data */
  droppedHorizon: number;
  /** episodes whose ATR at confirmation is not positive */
  droppedAtr: number;
}

export function scanDivergences(b: ResearchBars, f: BarFeatures, p: DivergenceMapParams): DivergenceScan {
  const events: DivergenceEvent[] = [];
  const durLabels = durationLabels(p.duration_edges);
  let droppedHorizon = 0, droppedAtr = 0;
  let runStart = -1, runSign = 0, peak = 0;
  for (let i = 0; i <= f.length; i++) {
    // past the last bar everything is "not divergent", which closes a run still open at the end
    const d = i < f.length ? f.divScore[i] : NaN;
    const sign = Math.abs(d) >= p.div_threshold ? Math.sign(d) : 0;
    if (runStart >= 0 && sign !== runSign) {
      const last = i - 1;
      const r = resolve(b, f, i, runSign as 1 | -1, p);
      if (r === 'horizon') droppedHorizon++;
      else if (r === 'atr') droppedAtr++;
      else {
        const duration = last - runStart;
        events.push({
          startBar: runStart, lastBar: last, confirmBar: i, direction: runSign as 1 | -1,
          intensity: peak, duration,
          intBin: p.intensity_labels[binIndex(peak, p.intensity_edges)],
          durBin: durLabels[binIndex(duration, p.duration_edges)],
          ...r,
        });
      }
      runStart = -1;
    }
    if (sign !== 0 && runStart < 0) {
      runStart = i;
      runSign = sign;
      peak = 0;
    }
    if (runStart >= 0 && Math.abs(d) > peak) peak = Math.abs(d);
  }
  return { events, droppedHorizon, droppedAtr };
}

type Resolution = Pick<DivergenceEvent, 'outcome' | 'barsToOutcome' | 'favAtr' | 'advAtr' | 'refClose' | 'atr'>;

/**
 * From the close of confirmation bar c, over bars c+1 … c+H: reversion when price first moves
 * outcome_atr_mult·ATR toward the flow, breakout when it first moves that far against it (the
 * divergent price move goes on), churn when neither happens; both in one bar: `p.tie`.
 */
function resolve(b: ResearchBars, f: BarFeatures, c: number, dir: 1 | -1, p: DivergenceMapParams): Resolution | 'horizon' | 'atr' {
  const H = p.outcome_horizon_bars;
  if (c + H >= b.length) return 'horizon';
  const atr = f.atr[c];
  if (!(atr > 0)) return 'atr';
  const ref = b.close[c];
  const band = p.outcome_atr_mult * atr;
  let outcome: DivergenceOutcome = 'churn';
  let barsToOutcome = NaN;
  let fav = 0, adv = 0;
  for (let j = c + 1; j <= c + H; j++) {
    const up = b.high[j] - ref, down = ref - b.low[j];
    const toward = dir > 0 ? up : down, against = dir > 0 ? down : up;
    if (toward > fav) fav = toward;
    if (against > adv) adv = against;
    if (outcome === 'churn' && barsToOutcome !== barsToOutcome) {
      const rev = toward >= band, brk = against >= band;
      if (rev || brk) {
        outcome = rev && brk ? p.tie : rev ? 'reversion' : 'breakout';
        barsToOutcome = j - c;
      }
    }
  }
  return { outcome, barsToOutcome, favAtr: fav / atr, advAtr: adv / atr, refClose: ref, atr };
}
