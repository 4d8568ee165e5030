// Trade simulation over bars: one position at a time, entry at the signal bar's close, side-aware
// ATR take-profit and stop-loss detected by first touch on the bars' high/low, the stop winning when
// both are touched in one bar (the bar's path inside is unknown; assuming the worse is the honest
// choice), plus the two trade-management rules under test: the bar-10 zombie exit and the partial
// take at 0.5 ATR. Pure: bars and events in, trades out.
import type { TradeUniverse, ZombieOptions } from './zombie-options.ts';

export interface PriceBars {
  /** epoch ms of each bar (the same convention as the events' timestamps) */
  ts: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
}

export interface TradeEvent {
  /** the signal bar: entry at its close */
  barIndex: number;
  ts: number;
  side: 1 | -1;
  rel_vol: number;
  /** ATR at entry, price units */
  atr: number;
}

export type ExitReason = 'tp' | 'sl' | 'breakeven_stop' | 'zombie' | 'max_hold' | 'end';

export interface SimTrade {
  /** index into the events given */
  event: number;
  side: 1 | -1;
  diamond: boolean;
  entryBar: number;
  entryTs: number;
  entryPrice: number;
  atr: number;
  exitBar: number;
  exitTs: number;
  /** the position-weighted average exit price (partial and final fills) */
  exitPrice: number;
  exitReason: ExitReason;
  barsHeld: number;
  /** the partial fill, when one happened */
  partial: { bar: number; price: number; fraction: number } | null;
  /** side·(exit − entry)/entry, position-weighted over the fills */
  grossReturn: number;
  /** grossReturn minus costs on both sides */
  netReturn: number;
  /** side·(exit − entry)/ATR, position-weighted: the trade in ATRs */
  returnAtr: number;
  /** max favourable excursion while held, in ATRs */
  mfeAtr: number;
}

export type SkipReason = 'not_diamond' | 'in_position' | 'cooldown' | 'bad_atr' | 'no_bars_after';

export interface SimResult {
  trades: SimTrade[];
  skipped: Record<SkipReason, number>;
}

/** Which exit rules a run applies (the baseline applies neither). */
export interface SimRules {
  zombie: boolean;
  partial: boolean;
}

function applies(to: TradeUniverse, diamond: boolean): boolean {
  return to === 'all' || diamond;
}

/** The rules that manage one trade: a run's rules, limited by each rule's applyTo. */
export function rulesFor(o: ZombieOptions, rules: SimRules, diamond: boolean): SimRules {
  return { zombie: rules.zombie && applies(o.zombie.applyTo, diamond), partial: rules.partial && applies(o.partialTake.applyTo, diamond) };
}

/** Events sorted by bar (then input order), so the simulation walks forward in time. */
function chronological(events: readonly TradeEvent[]): number[] {
  return events.map((_, i) => i).sort((a, b) => events[a].barIndex - events[b].barIndex || a - b);
}

export function simulate(bars: PriceBars, events: readonly TradeEvent[], o: ZombieOptions, rules: SimRules): SimResult {
  const n = bars.close.length;
  const skipped: Record<SkipReason, number> = { not_diamond: 0, in_position: 0, cooldown: 0, bad_atr: 0, no_bars_after: 0 };
  const trades: SimTrade[] = [];
  let lastExit = -Infinity;
  for (const k of chronological(events)) {
    const e = events[k];
    const diamond = e.rel_vol >= o.relVolThreshold;
    if (o.universe === 'diamond' && !diamond) { skipped.not_diamond++; continue; }
    // one position at a time; a new entry waits cooldownBars after the last exit bar
    if (e.barIndex < lastExit) { skipped.in_position++; continue; }
    if (e.barIndex < lastExit + o.cooldownBars) { skipped.cooldown++; continue; }
    if (!(e.atr > 0) || !Number.isFinite(e.atr)) { skipped.bad_atr++; continue; }
    if (e.barIndex + 1 >= n) { skipped.no_bars_after++; continue; }
    const t = runTrade(bars, e, k, diamond, o, rulesFor(o, rules, diamond));
    trades.push(t);
    lastExit = t.exitBar;
  }
  return { trades, skipped };
}

interface Fill {
  price: number;
  fraction: number;
}

/** One trade from the event's close to its exit. Exported for the hand-worked tests. */
export function runTrade(bars: PriceBars, e: TradeEvent, eventIndex: number, diamond: boolean, o: ZombieOptions, rules: SimRules): SimTrade {
  const side = e.side;
  const entry = bars.close[e.barIndex];
  const atr = e.atr;
  const risk = side === 1 ? o.long : o.short;
  const tp = entry + side * risk.tpMult * atr;
  let stop = entry - side * risk.slMult * atr;
  let stopReason: ExitReason = 'sl';
  const partialLevel = entry + side * o.partialTake.atrMult * atr;
  // "at or beyond the level in the favourable (+) or adverse (−) direction", for either side
  const fav = (price: number, level: number): boolean => side * (price - level) >= 0;
  const adv = (price: number, level: number): boolean => side * (price - level) <= 0;
  const gap = (open: number, level: number): number => (o.gapFill === 'open' ? open : level);

  const fills: Fill[] = [];
  let remaining = 1;
  let partial: SimTrade['partial'] = null;
  let mfe = 0;
  let exitBar = -1;
  let exitReason: ExitReason = 'end';
  const n = bars.close.length;

  const takePartial = (bar: number, price: number): void => {
    const f = o.partialTake.fraction;
    fills.push({ price, fraction: f });
    remaining -= f;
    partial = { bar, price, fraction: f };
  };
  const closeAll = (bar: number, price: number, reason: ExitReason): void => {
    fills.push({ price, fraction: remaining });
    remaining = 0;
    exitBar = bar;
    exitReason = reason;
  };

  for (let i = e.barIndex + 1; i < n; i++) {
    const k = i - e.barIndex;
    const open = bars.open[i];
    const best = side === 1 ? bars.high[i] : bars.low[i]; // the bar's most favourable price
    const worst = side === 1 ? bars.low[i] : bars.high[i]; // and its most adverse
    // 1. The open is the one price known to come first: a gap through a level fills there.
    if (rules.partial && partial === null && fav(open, partialLevel)) takePartial(i, gap(open, partialLevel));
    if (fav(open, tp)) { closeAll(i, gap(open, tp), 'tp'); break; }
    if (adv(open, stop)) { closeAll(i, gap(open, stop), stopReason); break; }
    // 2. Inside the bar the order is unknown: the stop wins every tie, the partial take included.
    if (adv(worst, stop)) { closeAll(i, stop, stopReason); break; }
    if (rules.partial && partial === null && fav(best, partialLevel)) takePartial(i, partialLevel);
    if (fav(best, tp)) { closeAll(i, tp, 'tp'); break; }
    mfe = Math.max(mfe, side * (best - entry));
    // 3. Rules checked at the bar's close.
    if (rules.zombie && k === o.zombie.bar && mfe < o.zombie.mfeAtr * atr) {
      if (o.zombie.mode === 'exit') { closeAll(i, bars.close[i], 'zombie'); break; }
      const be = entry - side * o.zombie.breakevenOffsetAtr * atr;
      // only ever tighten: a large offset must not widen the original stop
      if (side * (be - stop) > 0) { stop = be; stopReason = 'breakeven_stop'; }
    }
    if (o.maxHoldBars !== null && k >= o.maxHoldBars) { closeAll(i, bars.close[i], 'max_hold'); break; }
  }
  if (exitBar < 0) closeAll(n - 1, bars.close[n - 1], 'end');
  const mfeHeld = maxFavourable(bars, e.barIndex + 1, exitBar, side, entry, exitReason);

  let exitPrice = 0;
  let gross = 0;
  for (const f of fills) {
    exitPrice += f.fraction * f.price;
    gross += f.fraction * side * (f.price - entry);
  }
  const cost = (2 * o.costBpsPerSide) / 10_000;
  return {
    event: eventIndex,
    side,
    diamond,
    entryBar: e.barIndex,
    entryTs: e.ts,
    entryPrice: entry,
    atr,
    exitBar,
    exitTs: bars.ts[exitBar],
    exitPrice,
    exitReason,
    barsHeld: exitBar - e.barIndex,
    partial,
    grossReturn: gross / entry,
    netReturn: gross / entry - cost,
    returnAtr: gross / atr,
    mfeAtr: mfeHeld / atr,
  };
}

/**
 * Max favourable excursion over bars [from, to]. On a stop-out bar the favourable extreme is not
 * counted: the stop is assumed to have come first, as in the simulation.
 */
function maxFavourable(bars: PriceBars, from: number, to: number, side: 1 | -1, entry: number, reason: ExitReason): number {
  let m = 0;
  for (let i = from; i <= to; i++) {
    if (i === to && (reason === 'sl' || reason === 'breakeven_stop')) break;
    const hi = side === 1 ? bars.high[i] : bars.low[i];
    m = Math.max(m, side * (hi - entry));
  }
  return m;
}
