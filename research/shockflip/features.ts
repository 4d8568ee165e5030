// Per-bar ShockFlip features (definitions: docs/shockflip.md §Features). Every value at bar i uses
// bars ≤ i only; baselines (flow z-score, relative volume) use bars < i so a shock does not dampen
// its own score. Warm-up values are NaN and the detector never fires on a NaN.
import type { FeatureWindows } from './params.ts';
import type { ResearchBars } from './research-bars.ts';
import { pastMean, pastMeanStd, pastRankAt, pastZAt, trailingMax, trailingMin, trailingSum } from './rolling.ts';

export interface BarFeatures {
  readonly length: number;
  /** I = (Q⁺ − Q⁻)/(Q⁺ + Q⁻ + ϵ) */
  readonly imbalance: Float64Array;
  /** (x_i − mean(x over the previous z_window bars)) / their std; x = imbalance (or delta, by config) */
  readonly flowZ: Float64Array;
  /** volume_i / mean(volume over the previous rel_vol_window bars) */
  readonly relVol: Float64Array;
  /** true range: max(H − L, |H − C₋₁|, |L − C₋₁|) */
  readonly trueRange: Float64Array;
  /** mean true range over the last atr_window bars (bar i included) */
  readonly atr: Float64Array;
  /** (C − Donchian low)/(Donchian high − Donchian low), channel over the last donchian_window bars */
  readonly donchianLoc: Float64Array;
  /** Σ notional / Σ volume over the last vwap_window bars */
  readonly vwapRoll: Float64Array;
  /** (C − vwapRoll)/ATR */
  readonly vwapDist: Float64Array;
  /** (buy VWAP − sell VWAP)/their mean over the last spread_window bars: the aggressor spread */
  readonly spread: Float64Array;
  /** Σ q² / (Σ q)² over the bar's trades (Herfindahl of trade sizes): 1/n … 1 */
  readonly tradeConcentration: Float64Array;
  /** flowZ_i − flowZ_{i−lag} */
  readonly zVelocity: Float64Array;
  /** signed price–flow divergence; > 0: flow buys while price falls (see docs) */
  readonly divScore: Float64Array;
}

export function computeFeatures(b: ResearchBars, w: FeatureWindows): BarFeatures {
  const n = b.length;
  const imbalance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bv = b.buyVolume[i], sv = b.sellVolume[i];
    imbalance[i] = (bv - sv) / (bv + sv + w.imbalance_eps);
  }

  // 'imbalance' (the blueprint's) is bounded in [−1, 1]; 'delta' = Q⁺ − Q⁻ in base units is not,
  // which matters in thin markets where most bars' imbalance is ±1 (docs/shockflip-real-data.md)
  let flow = imbalance;
  if (w.source === 'delta') {
    flow = new Float64Array(n);
    for (let i = 0; i < n; i++) flow[i] = b.buyVolume[i] - b.sellVolume[i];
  }
  const mean = new Float64Array(n), std = new Float64Array(n);
  pastMeanStd(flow, w.z_window, mean, std);
  const flowZ = new Float64Array(n);
  // a flat baseline (std 0: e.g. hours of one-sided or empty bars) has no z-score
  for (let i = 0; i < n; i++) flowZ[i] = std[i] > 0 ? (flow[i] - mean[i]) / std[i] : NaN;

  const avgVol = pastMean(b.volume, w.rel_vol_window);
  const relVol = new Float64Array(n);
  for (let i = 0; i < n; i++) relVol[i] = avgVol[i] > 0 ? b.volume[i] / avgVol[i] : NaN;

  const trueRange = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = b.high[i], l = b.low[i];
    if (i === 0) {
      trueRange[i] = h - l;
      continue;
    }
    const pc = b.close[i - 1];
    trueRange[i] = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
  }
  // bar 0's true range lacks a previous close: the first full ATR window starts at bar 1
  const trSum = trailingSum(trueRange, w.atr_window, w.atr_window);
  const atr = new Float64Array(n);
  for (let i = 0; i < n; i++) atr[i] = trSum[i] / w.atr_window;

  const dHi = trailingMax(b.high, w.donchian_window), dLo = trailingMin(b.low, w.donchian_window);
  const donchianLoc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const range = dHi[i] - dLo[i];
    donchianLoc[i] = range > 0 ? (b.close[i] - dLo[i]) / range : NaN;
  }

  const nSum = trailingSum(b.notional, w.vwap_window), vSum = trailingSum(b.volume, w.vwap_window);
  const vwapRoll = new Float64Array(n), vwapDist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    vwapRoll[i] = vSum[i] > 0 ? nSum[i] / vSum[i] : NaN;
    vwapDist[i] = atr[i] > 0 ? (b.close[i] - vwapRoll[i]) / atr[i] : NaN;
  }

  const bn = trailingSum(b.buyNotional, w.spread_window), bq = trailingSum(b.buyVolume, w.spread_window);
  const sn = trailingSum(b.sellNotional, w.spread_window), sq = trailingSum(b.sellVolume, w.spread_window);
  const spread = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(bq[i] > 0 && sq[i] > 0)) {
      spread[i] = NaN;
      continue;
    }
    const buyVwap = bn[i] / bq[i], sellVwap = sn[i] / sq[i];
    spread[i] = (buyVwap - sellVwap) / ((buyVwap + sellVwap) / 2);
  }

  const tradeConcentration = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = b.volume[i];
    tradeConcentration[i] = v > 0 ? b.sumSqAmount[i] / (v * v) : NaN;
  }

  const zVelocity = new Float64Array(n);
  for (let i = 0; i < n; i++) zVelocity[i] = i >= w.z_velocity_lag ? flowZ[i] - flowZ[i - w.z_velocity_lag] : NaN;

  const divScore = divergenceScore(b.close, flowZ, atr, w.div_window);

  return { length: n, imbalance, flowZ, relVol, trueRange, atr, donchianLoc, vwapRoll, vwapDist, spread, tradeConcentration, zVelocity, divScore };
}

/**
 * div_score at bar i over the last k bars: flow f = Σ flowZ(i−k+1 … i)/√k (a z-like sum), price
 * p = (C_i − C_{i−k})/(ATR_i·√k). Divergent when they disagree in sign: score = sign(f)·√(|f|·|p|)
 * (the geometric mean, so both the flow push and the opposite price move must be large); 0 when they
 * agree or either is 0; NaN in warm-up.
 */
export function divergenceScore(close: Float64Array, flowZ: Float64Array, atr: Float64Array, k: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  const rk = Math.sqrt(k);
  for (let i = 0; i < n; i++) {
    if (i < k) {
      out[i] = NaN;
      continue;
    }
    let s = 0;
    for (let j = i - k + 1; j <= i; j++) s += flowZ[j];
    const f = s / rk;
    const p = (close[i] - close[i - k]) / (atr[i] * rk);
    if (f !== f || p !== p || !(atr[i] > 0)) out[i] = NaN;
    else if (f * p < 0) out[i] = Math.sign(f) * Math.sqrt(Math.abs(f) * Math.abs(p));
    else out[i] = 0;
  }
  return out;
}

/** ATR at bar i as a percentile rank among the previous `window` bars' ATRs (event feature). */
export function atrPctileAt(f: BarFeatures, i: number, window: number): number {
  return pastRankAt(f.atr, i, window);
}

/** The spread's z-score against the previous `window` bars (event feature for the meta-model). */
export function spreadZAt(f: BarFeatures, i: number, window: number): number {
  return pastZAt(f.spread, i, window);
}
