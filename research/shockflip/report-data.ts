// The data behind the research report's charts, computed from bars and events (pure; the chart specs
// in report-charts.ts only lay it out). Each function is one of the blueprint's plots.
import { kaplanMeier, type SurvivalStep } from './stats-km.ts';
import { bucketCuts, bucketOf } from './stats-quantile.ts';
import type { ZombieOptions } from './zombie-options.ts';
import { rulesFor, runTrade, type PriceBars, type SimRules, type SimTrade, type TradeEvent } from './zombie-sim.ts';

export interface PathPoint {
  example: string;
  /** bars from the signal bar (0 = entry at its close) */
  bar: number;
  /** 'close' for the price path; 'entry', 'TP', 'SL', 'snap' for the levels; 'exit' for the exit */
  series: string;
  price: number;
}

/**
 * Up to `count` diamond events spread evenly over the sample (first, last and between: no cherry
 * picking), each as its close path from `pre` bars before to `post` bars after the signal, with the
 * entry, take-profit, stop and snap (0.5 ATR) levels and the exit of the trade under `rules`.
 */
export function diamondExamples(bars: PriceBars, events: readonly TradeEvent[], o: ZombieOptions, rules: SimRules, count: number, pre: number, post: number): PathPoint[] {
  const diamonds = events.map((e, i) => ({ e, i })).filter(({ e }) => e.rel_vol >= o.relVolThreshold && e.atr > 0 && e.barIndex + 1 < bars.close.length);
  const picks = evenlySpaced(diamonds.length, count).map((k) => diamonds[k]);
  const out: PathPoint[] = [];
  for (const { e, i } of picks) {
    const t = runTrade(bars, e, i, true, o, rulesFor(o, rules, true));
    const label = `${new Date(e.ts).toISOString().slice(0, 16).replace('T', ' ')} ${e.side === 1 ? 'long' : 'short'} rel_vol ${e.rel_vol.toFixed(1)}`;
    const from = Math.max(0, e.barIndex - pre);
    const to = Math.min(bars.close.length - 1, e.barIndex + post);
    for (let b = from; b <= to; b++) out.push({ example: label, bar: b - e.barIndex, series: 'close', price: bars.close[b] });
    const risk = e.side === 1 ? o.long : o.short;
    const levels: [string, number][] = [
      ['entry', t.entryPrice],
      ['TP', t.entryPrice + e.side * risk.tpMult * e.atr],
      ['SL', t.entryPrice - e.side * risk.slMult * e.atr],
      ['snap', t.entryPrice + e.side * o.zombie.mfeAtr * e.atr],
    ];
    for (const [series, price] of levels) {
      out.push({ example: label, bar: from - e.barIndex, series, price }, { example: label, bar: to - e.barIndex, series, price });
    }
    if (t.exitBar <= to) out.push({ example: label, bar: t.exitBar - e.barIndex, series: 'exit', price: t.exitPrice });
  }
  return out;
}

/** `count` indices spread evenly over 0 … n−1, first and last included. */
export function evenlySpaced(n: number, count: number): number[] {
  if (n === 0 || count <= 0) return [];
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  if (count === 1) return [0];
  return Array.from({ length: count }, (_, k) => Math.round((k * (n - 1)) / (count - 1)));
}

export interface CumulativePoint {
  bucket: string;
  /** days since the first bar */
  day: number;
  /** Σ net returns of the bucket's trades up to and including this one */
  cumulative: number;
}

/**
 * Every event traded on its own with `rules` as each rule's applyTo allows (no cooldown: each
 * bucket's curve is that bucket's edge, not a portfolio), grouped by rel_vol quantile bucket, cumulated in time order.
 */
export function cumulativeByBucket(bars: PriceBars, events: readonly TradeEvent[], o: ZombieOptions, rules: SimRules, buckets: number): { points: CumulativePoint[]; trades: SimTrade[] } {
  const usable = events.map((e, i) => ({ e, i })).filter(({ e }) => e.atr > 0 && e.barIndex + 1 < bars.close.length);
  if (usable.length === 0) return { points: [], trades: [] };
  const cuts = bucketCuts(usable.map(({ e }) => e.rel_vol), buckets);
  const name = (b: number): string => {
    const lo = b === 0 ? '−∞' : cuts[b - 1].toFixed(2);
    const hi = b === cuts.length ? '∞' : cuts[b].toFixed(2);
    return `Q${String(b + 1).padStart(2, '0')} (${lo}, ${hi}]`;
  };
  const t0 = bars.ts[0];
  const trades = usable.map(({ e, i }) => {
    const diamond = e.rel_vol >= o.relVolThreshold;
    return runTrade(bars, e, i, diamond, o, rulesFor(o, rules, diamond));
  });
  const sums = new Map<string, number>();
  const points: CumulativePoint[] = [];
  const order = trades.map((t, k) => k).sort((a, b) => trades[a].entryTs - trades[b].entryTs || a - b);
  for (const k of order) {
    const b = bucketOf(usable[k].e.rel_vol, cuts);
    if (b < 0) continue;
    const label = name(b);
    const c = (sums.get(label) ?? 0) + trades[k].netReturn;
    sums.set(label, c);
    points.push({ bucket: label, day: (trades[k].entryTs - t0) / 86_400_000, cumulative: c });
  }
  return { points, trades };
}

export interface SurvivalCurve {
  group: string;
  n: number;
  steps: SurvivalStep[];
}

/**
 * Kaplan–Meier curve of "not yet snapped": the event is the first bar k ≥ 1 whose favourable
 * excursion from the entry close reaches `atrMult`·ATR; an event is censored at `horizon` bars or
 * where the data ends. One curve for diamond events, one for the others.
 */
export function mfeSurvival(bars: PriceBars, events: readonly TradeEvent[], relVolThreshold: number, atrMult: number, horizon: number): SurvivalCurve[] {
  const groups: Record<string, { time: number; event: boolean }[]> = { diamond: [], other: [] };
  const n = bars.close.length;
  for (const e of events) {
    if (!(e.atr > 0)) continue;
    const entry = bars.close[e.barIndex];
    const level = atrMult * e.atr;
    const last = Math.min(n - 1, e.barIndex + horizon);
    let time = last - e.barIndex;
    let hit = false;
    for (let i = e.barIndex + 1; i <= last; i++) {
      const fav = e.side === 1 ? bars.high[i] - entry : entry - bars.low[i];
      if (fav >= level) { time = i - e.barIndex; hit = true; break; }
    }
    groups[e.rel_vol >= relVolThreshold ? 'diamond' : 'other'].push({ time, event: hit });
  }
  return Object.entries(groups).filter(([, obs]) => obs.length > 0).map(([group, obs]) => ({ group, n: obs.length, steps: kaplanMeier(obs) }));
}
