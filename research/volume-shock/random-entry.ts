// The seed's "p-value vs random" (_test_strategy_significance_vs_random), made precise: a Monte
// Carlo randomisation test against a random-entry baseline. Each draw replaces every real trade by
// one entered at a uniformly random observation, in a random direction, with the same stop, target
// and max hold, exited by the same rules on the same price path. The statistic is the mean points per
// trade; p = (1 + draws whose mean >= the strategy's) / (draws + 1). Seeded: same inputs, same p.
import { Prng } from '../../market/prng.ts';
import { exitReason, legPoints } from './exit-rule.ts';
import { mean, sd } from './stats.ts';
import type { Direction, UnderlyingTick } from './types.ts';

export interface TradeShape {
  points: number;
  stopDistance: number;
  targetDistance: number;
  maxHoldMinutes: number;
}

export interface RandomEntryOptions {
  permutations: number;
  seed: number;
  /** round-trip cost in points at the reference price */
  costPoints: number;
  referencePrice: number;
  /** exit-before-close buffer (ms) when sessions close; null otherwise */
  closeBufferMs: number | null;
  /** random entries only at or after this time (the strategy could not trade before its baseline) */
  from: number;
}

export interface RandomEntryResult {
  observedMean: number;
  baselineMean: number;
  baselineSd: number;
  pValue: number;
  /** Cohen's d: (strategy mean − baseline mean) / pooled sd of trade points */
  effectSize: number;
  permutations: number;
  /** observations a random entry could use */
  eligibleEntries: number;
}

export function randomEntryTest(trades: readonly TradeShape[], ticks: readonly UnderlyingTick[], o: RandomEntryOptions): RandomEntryResult {
  const observed = trades.map((t) => t.points);
  const observedMean = mean(observed);
  const eligible: number[] = [];
  for (let k = 0; k + 1 < ticks.length; k++) {
    const t = ticks[k];
    if (t.time < o.from) continue;
    if (o.closeBufferMs !== null && t.sessionEnd !== undefined && t.time >= t.sessionEnd - o.closeBufferMs) continue;
    eligible.push(k);
  }
  if (trades.length === 0 || eligible.length === 0) {
    return { observedMean, baselineMean: NaN, baselineSd: NaN, pValue: NaN, effectSize: NaN, permutations: 0, eligibleEntries: eligible.length };
  }
  const rng = new Prng(o.seed);
  let atLeast = 0;
  // running sums over every random trade, for the baseline's mean and sd without keeping them all
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let b = 0; b < o.permutations; b++) {
    let drawSum = 0;
    for (const t of trades) {
      const k = eligible[rng.int(eligible.length)];
      const dir: Direction = rng.next() < 0.5 ? 1 : -1;
      const pts = walk(ticks, k, dir, t, o);
      drawSum += pts;
      n += 1;
      sum += pts;
      sumSq += pts * pts;
    }
    if (drawSum / trades.length >= observedMean) atLeast += 1;
  }
  const baselineMean = sum / n;
  const baselineSd = Math.sqrt(Math.max(0, (sumSq - n * baselineMean ** 2) / (n - 1)));
  const s1 = trades.length > 1 ? sd(observed) : 0;
  const pooled = Math.sqrt(((trades.length - 1) * s1 ** 2 + (n - 1) * baselineSd ** 2) / (trades.length + n - 2));
  return {
    observedMean,
    baselineMean,
    baselineSd,
    pValue: (1 + atLeast) / (o.permutations + 1),
    effectSize: pooled > 0 ? (observedMean - baselineMean) / pooled : NaN,
    permutations: o.permutations,
    eligibleEntries: eligible.length,
  };
}

function walk(ticks: readonly UnderlyingTick[], k: number, direction: Direction, t: TradeShape, o: RandomEntryOptions): number {
  const entry = ticks[k];
  const leg = { direction, entryTime: entry.time, entryPrice: entry.price, stopDistance: t.stopDistance, targetDistance: t.targetDistance, maxHoldMinutes: t.maxHoldMinutes };
  const cost = (o.costPoints * entry.price) / o.referencePrice;
  for (let m = k + 1; m < ticks.length; m++) {
    if (exitReason(leg, ticks[m], o.closeBufferMs) !== null) return legPoints(direction, entry.price, ticks[m].price, cost);
  }
  return legPoints(direction, entry.price, ticks[ticks.length - 1].price, cost);
}
