// The ShockFlip detector (docs/shockflip.md §Detector): a flow shock — aggressive flow far outside its
// recent range, persistent over a few bars — while price sits at the opposite extreme of its Donchian
// channel. Buyers hammering a market that is at its low is the "spring"; the expected resolution is a
// flip of price toward the flow. Decided at the close of the signal bar from bars ≤ it only.
import type { BarFeatures } from './features.ts';
import type { DetectorParams } from './params.ts';

export interface Signal {
  /** bar index of the signal bar; entry at its close */
  bar: number;
  /** +1 long (buy-flow shock at the channel low), −1 short (sell-flow shock at the channel high) */
  side: 1 | -1;
}

/** Whether bar i passes every detector condition, ignoring the cooldown; 0 when not, else the side. */
export function shockAt(f: BarFeatures, i: number, p: DetectorParams): 0 | 1 | -1 {
  const z = f.flowZ[i];
  // NaN fails every comparison below, so warm-up bars never fire
  if (!(Math.abs(z) >= p.jump_band) || !(Math.abs(z) >= p.z_band)) return 0;
  const s: 1 | -1 = z > 0 ? 1 : -1;
  if (i < p.persistence_bars - 1) return 0;
  let strong = 0;
  for (let j = i - p.persistence_bars + 1; j <= i; j++) {
    const zj = f.flowZ[j];
    if (zj * s >= p.z_band) strong++;
  }
  if (strong / p.persistence_bars < p.persistence_ratio) return 0;
  if (p.require_extreme) {
    const loc = f.donchianLoc[i];
    if (s > 0 ? !(loc <= p.extreme_frac) : !(loc >= 1 - p.extreme_frac)) return 0;
  }
  return s;
}

/**
 * Signals in bar order. After a signal at bar i, no signal before bar i + cooldown_bars + 1: one
 * shock episode is one event, not one per bar of its persistence.
 */
export function detectShockFlips(f: BarFeatures, p: DetectorParams): Signal[] {
  const out: Signal[] = [];
  let last = -Infinity;
  for (let i = 0; i < f.length; i++) {
    if (i - last <= p.cooldown_bars) continue;
    const s = shockAt(f, i, p);
    if (s !== 0) {
      out.push({ bar: i, side: s });
      last = i;
    }
  }
  return out;
}
