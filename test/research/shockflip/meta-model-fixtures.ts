// Planted data for the meta-model tests: a win probability that rises with rel_vol, plus noise.
import type { MetaSample } from '../../../research/shockflip/meta-model.ts';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const FEATURES = ['rel_vol', 'noise'];

/**
 * `perMonth` events a month for `months` months from 2024-01. rel_vol uniform on [7, 17]; the trade
 * wins +2 with probability 0.15 + 0.7·(rel_vol − 7)/10, else loses −1; `noise` is unrelated. Trades
 * last one hour.
 */
export function plantedSamples(months = 6, perMonth = 150, seed = 1): MetaSample[] {
  const rnd = lcg(seed);
  const out: MetaSample[] = [];
  for (let m = 0; m < months; m++) {
    for (let i = 0; i < perMonth; i++) {
      const ts = Date.UTC(2024, m, 1) + Math.floor((i / perMonth) * 27 * 86_400_000);
      const relVol = 7 + 10 * rnd();
      const noise = rnd();
      const win = rnd() < 0.15 + (0.7 * (relVol - 7)) / 10;
      out.push({ ts, labelEnd: ts + 3_600_000, x: [relVol, noise], pnl: win ? 0.02 : -0.01 });
    }
  }
  return out;
}

export const PASSED = { step1: { passed: true }, step2: { passed: true }, step3: { passed: true } };
