// The order-book provider the engine consults when one is wired in (bible §9). Optional:
// without it the engine runs the legacy Monte-Carlo OB edge. Implementations live outside engine/.

export interface ObSignal {
  imbalanceMa5: number; // 5-snapshot MA of bid/ask size imbalance, [-1, +1]
  persistence: number; // fraction of recent snapshots sustaining the sign
  withdrawalVelocity: number; // rate of depth decay (negative = book thinning)
}

export interface ObMacro {
  cascadeCount: number; // assets in a liquidation cascade
  regimeSignal: -1 | 0 | 1; // -1 calm/trending, 0 neutral, +1 withdrawal stress
}

export interface ObPlacement {
  depthQuality: number; // [0, 2+], > 1 = deep book
  fillProbability: number; // probability of a maker fill at the entry price
}

/** barIdx is the engine's global bar index, so a recorded provider can replay by bar. */
export interface ObProvider {
  signal(asset: string, barIdx: number): ObSignal | null;
  placement(asset: string, barIdx: number): ObPlacement | null;
  macro(barIdx: number): ObMacro;
  /** OB-3: market-wide imbalance multiplier on leverage, within [0.85, 1.20] (§9.4). */
  marketMultiplier(direction: -1 | 1, barIdx: number): number;
}

/** Imbalance seen from the position's side: for a SHORT, sell pressure (negative imbalance) is positive. */
export function effectiveImbalance(ob: ObSignal, direction: -1 | 1): number {
  return direction * ob.imbalanceMa5;
}

/** OB-4: macro withdrawal stress raises the day's ACB beta by up to `maxBoost` (§9.4). */
export function stressAdjustedBeta(beta: number, macro: ObMacro | null, maxBoost: number): number {
  return macro !== null && macro.regimeSignal === 1 ? beta * (1 + maxBoost) : beta;
}
