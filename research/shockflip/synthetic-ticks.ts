// A seeded tick generator with aggressor side that plants known ShockFlip events, so the pipeline can
// be checked against a known answer: the detector should find the planted events, and the event
// study should recover the planted snap rates (diamond and ordinary) within their bootstrap intervals.
//
// Background: Poisson trade counts per bar, exponential sizes, buyer/seller aggressor 50/50, a
// random-walk price. A planted long event (shorts mirror it), signal bar s:
//   s−pre−shock+1 … s−shock   price drifts down (pre_drift_sigmas per bar) on mild selling: the
//                             channel low is made
//   s−shock+1 … s             aggressive buying (shock_buy_share of trades), price still sagging
//                             (the divergence); bar s carries rel_vol × the usual volume
//   s+1 … s+H                 snap (with the planted probability): price jumps snap_sigmas up over
//                             two bars; else the price is held at or below the entry close for H bars,
//                             so MFE = 0 and the event cannot snap.
// Diamond events get a rel_vol far above 7.7379, ordinary ones stay below it.
import { Prng } from '../../market/prng.ts';
import { TradeColumnsBuilder, type TradeColumns } from './trade-columns.ts';

export interface SyntheticTickOptions {
  seed: number;
  /** first bar's start, epoch ms */
  startMs: number;
  bars: number;
  barMs: number;
  /** mean trades per bar (Poisson) */
  tradesPerBar: number;
  /** mean trade size (exponential), base units */
  meanSize: number;
  price0: number;
  /** price σ per bar, relative (log) */
  barSigma: number;
  /** bars between planted events: uniform in [plantEvery·0.75, plantEvery·1.25] */
  plantEvery: number;
  /** no event before this bar (the 240-bar z-score and 120-bar channel need history) */
  warmupBars: number;
  diamondShare: number;
  snapProbDiamond: number;
  snapProbOther: number;
  diamondRelVol: readonly [number, number];
  otherRelVol: readonly [number, number];
  shockBars: number;
  shockBuyShare: number;
  preDriftBars: number;
  preDriftSigmas: number;
  /** sellers' extra share during a long event's pre-drift (buyers' for a short): the flow flips at the shock */
  preDriftFlow: number;
  snapSigmas: number;
  /** the event study's snap horizon: no-snap events are held for this many bars */
  snapHorizonBars: number;
}

/** 60 days from 2024-01-01 UTC (January in-sample, February holdout), ~2.2 M trades. */
export const DEFAULT_SYNTHETIC: Omit<SyntheticTickOptions, 'seed'> = {
  startMs: Date.UTC(2024, 0, 1),
  bars: 60 * 1440,
  barMs: 60_000,
  tradesPerBar: 25,
  meanSize: 1,
  price0: 100,
  barSigma: 0.001,
  plantEvery: 480,
  warmupBars: 400,
  diamondShare: 0.35,
  snapProbDiamond: 0.9,
  snapProbOther: 0.55,
  diamondRelVol: [11, 20],
  otherRelVol: [1.5, 4],
  shockBars: 2,
  shockBuyShare: 0.97,
  preDriftBars: 10,
  preDriftSigmas: 2,
  preDriftFlow: 0.15,
  snapSigmas: 6,
  snapHorizonBars: 6,
};

export interface PlantedEvent {
  /** signal bar index (0 = the first bar) */
  bar: number;
  /** the signal bar's end: the entry_ts the event study should report */
  entryTs: number;
  side: 1 | -1;
  diamond: boolean;
  snap: boolean;
  relVol: number;
}

export interface SyntheticTicks {
  trades: TradeColumns;
  planted: PlantedEvent[];
}

interface BarPlan {
  /** trade-count multiplier */
  volMult: number;
  /** probability a trade is buyer-initiated */
  buyShare: number;
  /** drift over the bar, in bar σ */
  drift: number;
  /** +1: price may not exceed `cap`; −1: may not go below; 0: free */
  capSide: number;
  cap: number;
  /** the signal bar whose close is the cap (resolved when that bar is generated) */
  capFrom: number;
}

export function generateSyntheticTicks(options: Partial<SyntheticTickOptions> & { seed: number }): SyntheticTicks {
  const o: SyntheticTickOptions = { ...DEFAULT_SYNTHETIC, ...options };
  const plan = planEvents(o);
  const rng = new Prng(o.seed, 1);
  const out = new TradeColumnsBuilder(Math.ceil(o.bars * o.tradesPerBar * 1.1));
  const closes = new Float64Array(o.bars);
  let logP = Math.log(o.price0);
  for (let k = 0; k < o.bars; k++) {
    const p = plan.bars.get(k);
    const volMult = p?.volMult ?? 1, buyShare = p?.buyShare ?? 0.5, drift = p?.drift ?? 0;
    const n = Math.max(1, poisson(rng, o.tradesPerBar * volMult));
    const start = o.startMs + k * o.barMs;
    const step = o.barSigma / Math.sqrt(n);
    const cap = p !== undefined && p.capSide !== 0 ? Math.log(closes[p.capFrom]) : NaN;
    for (let j = 0; j < n; j++) {
      logP += step * rng.normal() + (drift * o.barSigma) / n;
      // a held (no-snap) bar: reflect the walk at the entry close so the price never goes past it
      if (p !== undefined && p.capSide > 0 && logP > cap) logP = 2 * cap - logP;
      if (p !== undefined && p.capSide < 0 && logP < cap) logP = 2 * cap - logP;
      const ts = start + Math.floor(((j + rng.next()) * o.barMs) / n);
      const amount = -Math.log(1 - rng.next()) * o.meanSize;
      out.push(ts, Math.exp(logP), amount, rng.next() < buyShare ? 1 : -1);
    }
    closes[k] = Math.exp(logP);
  }
  return { trades: out.finish(), planted: plan.planted };
}

function planEvents(o: SyntheticTickOptions): { bars: Map<number, BarPlan>; planted: PlantedEvent[] } {
  const rng = new Prng(o.seed, 2);
  const bars = new Map<number, BarPlan>();
  const planted: PlantedEvent[] = [];
  const free = (): BarPlan => ({ volMult: 1, buyShare: 0.5, drift: 0, capSide: 0, cap: NaN, capFrom: -1 });
  const at = (k: number): BarPlan => {
    let b = bars.get(k);
    if (b === undefined) bars.set(k, (b = free()));
    return b;
  };
  let s = o.warmupBars + o.preDriftBars + o.shockBars;
  const horizon = Math.max(o.snapHorizonBars, 10);
  while (s + horizon < o.bars) {
    const side: 1 | -1 = rng.next() < 0.5 ? 1 : -1;
    const diamond = rng.next() < o.diamondShare;
    const [lo, hi] = diamond ? o.diamondRelVol : o.otherRelVol;
    const relVol = lo + (hi - lo) * rng.next();
    const snap = rng.next() < (diamond ? o.snapProbDiamond : o.snapProbOther);
    for (let k = s - o.shockBars - o.preDriftBars + 1; k <= s - o.shockBars; k++) {
      const b = at(k);
      b.drift = -side * o.preDriftSigmas;
      b.buyShare = 0.5 - side * o.preDriftFlow;
    }
    for (let k = s - o.shockBars + 1; k <= s; k++) {
      const b = at(k);
      b.buyShare = side > 0 ? o.shockBuyShare : 1 - o.shockBuyShare;
      b.drift = -side * 0.5;
      // the earlier shock bars get a little extra volume so their imbalance is not noise
      b.volMult = k === s ? relVol : 1.5;
    }
    if (snap) {
      for (let k = s + 1; k <= s + 2; k++) at(k).drift = (side * o.snapSigmas) / 2;
    } else {
      for (let k = s + 1; k <= s + o.snapHorizonBars; k++) {
        const b = at(k);
        b.drift = -side * 0.5;
        b.capSide = side;
        b.capFrom = s;
      }
    }
    planted.push({ bar: s, entryTs: o.startMs + (s + 1) * o.barMs, side, diamond, snap, relVol });
    s += Math.round(o.plantEvery * (0.75 + 0.5 * rng.next()));
  }
  return { bars, planted };
}

/** Poisson draw: Knuth's product method for small means, a rounded normal approximation above 60. */
function poisson(rng: Prng, mean: number): number {
  if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  return rng.poisson(mean);
}
