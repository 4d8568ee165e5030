// Options of the trade simulation (Step 2, the blueprint's "Zombie filter"). Every number the
// simulation uses is here, with the blueprint's value as the default; the YAML keys that feed them
// are listed in docs/shockflip-trading.md.

export interface SideRisk {
  /** take-profit distance from entry, in ATRs at entry */
  tpMult: number;
  /** stop-loss distance from entry, in ATRs at entry */
  slMult: number;
}

export type TradeUniverse = 'diamond' | 'all';

export interface ZombieRule {
  /** the bar (counted from the entry bar = 0) at whose close the rule is checked */
  bar: number;
  /** the favourable excursion (ATRs) that must have been reached by then for the trade to live */
  mfeAtr: number;
  /** 'exit': close the trade at that bar's close; 'breakeven': move the stop to entry (± offset) */
  mode: 'exit' | 'breakeven';
  /** breakeven mode: stop at entry − side·offset·ATR (a "small loss" allowance); 0 = exact BE */
  breakevenOffsetAtr: number;
  /** which trades the rule manages (the blueprint: the diamond subset) */
  applyTo: TradeUniverse;
}

export interface PartialTake {
  /** favourable distance (ATRs) at which `fraction` of the position is closed */
  atrMult: number;
  /** share of the position closed there, (0, 1) */
  fraction: number;
  applyTo: TradeUniverse;
}

export interface ZombieOptions {
  cooldownBars: number;
  long: SideRisk;
  short: SideRisk;
  /** an event is a diamond when rel_vol ≥ this (shock_flip.diamond_filter.rel_vol_threshold) */
  relVolThreshold: number;
  /** which events are traded: the blueprint enters on diamonds only, others are record-only */
  universe: TradeUniverse;
  zombie: ZombieRule;
  partialTake: PartialTake;
  /** close a trade at the close of this many bars after entry; null = hold until TP/SL or data end */
  maxHoldBars: number | null;
  /** cost per side (fee + slippage), basis points of notional */
  costBpsPerSide: number;
  /**
   * A bar that opens beyond a level fills at the open ('open': what a resting order would get) or
   * at the level itself ('level': the optimistic textbook fill).
   */
  gapFill: 'open' | 'level';
  /** the Step-2 criterion */
  verdict: {
    /** PF(variant) − PF(baseline) must be at least this */
    minPfImprovement: number;
    minTradesPerMonth: number;
    /** the variant judged: the zombie rule alone, or with the partial take too */
    variant: 'zombie' | 'zombie_partial';
  };
}

export const DEFAULT_ZOMBIE_OPTIONS: ZombieOptions = {
  cooldownBars: 10,
  long: { tpMult: 27.5, slMult: 9.0 },
  short: { tpMult: 15.0, slMult: 6.5 },
  relVolThreshold: 7.7379,
  universe: 'diamond',
  zombie: { bar: 10, mfeAtr: 0.5, mode: 'breakeven', breakevenOffsetAtr: 0, applyTo: 'diamond' },
  partialTake: { atrMult: 0.5, fraction: 0.5, applyTo: 'diamond' },
  maxHoldBars: null,
  costBpsPerSide: 0,
  gapFill: 'open',
  verdict: { minPfImprovement: 0.15, minTradesPerMonth: 20, variant: 'zombie' },
};

export type ZombieOptionsInput = Partial<Omit<ZombieOptions, 'long' | 'short' | 'zombie' | 'partialTake' | 'verdict'>> & {
  long?: Partial<SideRisk>;
  short?: Partial<SideRisk>;
  zombie?: Partial<ZombieRule>;
  partialTake?: Partial<PartialTake>;
  verdict?: Partial<ZombieOptions['verdict']>;
};

/** A bad option value (the config schema should have caught it; this guards direct callers). */
export class ShockflipOptionError extends Error {
  override readonly name = 'ShockflipOptionError';
}

function need(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new ShockflipOptionError(`${what}, got ${JSON.stringify(value)}`);
}

/** Defaults filled in and every value checked. */
export function zombieOptions(input: ZombieOptionsInput = {}): ZombieOptions {
  const d = DEFAULT_ZOMBIE_OPTIONS;
  const o: ZombieOptions = {
    ...d,
    ...input,
    long: { ...d.long, ...input.long },
    short: { ...d.short, ...input.short },
    zombie: { ...d.zombie, ...input.zombie },
    partialTake: { ...d.partialTake, ...input.partialTake },
    verdict: { ...d.verdict, ...input.verdict },
  };
  const posInt = (x: number): boolean => Number.isInteger(x) && x >= 1;
  need(Number.isInteger(o.cooldownBars) && o.cooldownBars >= 0, 'cooldownBars must be an integer ≥ 0', o.cooldownBars);
  for (const side of ['long', 'short'] as const) {
    need(o[side].tpMult > 0, `${side}.tpMult must be > 0`, o[side].tpMult);
    need(o[side].slMult > 0, `${side}.slMult must be > 0`, o[side].slMult);
  }
  need(Number.isFinite(o.relVolThreshold), 'relVolThreshold must be a finite number', o.relVolThreshold);
  need(posInt(o.zombie.bar), 'zombie.bar must be an integer ≥ 1', o.zombie.bar);
  need(o.zombie.mfeAtr >= 0, 'zombie.mfeAtr must be ≥ 0', o.zombie.mfeAtr);
  need(o.zombie.breakevenOffsetAtr >= 0, 'zombie.breakevenOffsetAtr must be ≥ 0', o.zombie.breakevenOffsetAtr);
  need(o.partialTake.atrMult > 0, 'partialTake.atrMult must be > 0', o.partialTake.atrMult);
  need(o.partialTake.atrMult < Math.min(o.long.tpMult, o.short.tpMult), 'partialTake.atrMult must be below both take-profit multiples', o.partialTake.atrMult);
  need(o.partialTake.fraction > 0 && o.partialTake.fraction < 1, 'partialTake.fraction must be in (0, 1)', o.partialTake.fraction);
  need(o.maxHoldBars === null || posInt(o.maxHoldBars), 'maxHoldBars must be null or an integer ≥ 1', o.maxHoldBars);
  need(o.costBpsPerSide >= 0, 'costBpsPerSide must be ≥ 0', o.costBpsPerSide);
  need(o.verdict.minTradesPerMonth >= 0, 'verdict.minTradesPerMonth must be ≥ 0', o.verdict.minTradesPerMonth);
  need(Number.isFinite(o.verdict.minPfImprovement), 'verdict.minPfImprovement must be finite', o.verdict.minPfImprovement);
  return o;
}
