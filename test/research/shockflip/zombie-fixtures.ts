// Hand-written bars for the zombie tests: one [open, high, low, close] per bar, one minute apart.
import type { PriceBars, TradeEvent } from '../../../research/shockflip/zombie-sim.ts';

export const T0 = Date.UTC(2024, 0, 1);
export const MINUTE = 60_000;

export function barsOf(rows: readonly (readonly [number, number, number, number])[], start = T0, step = MINUTE): PriceBars {
  return {
    ts: rows.map((_, i) => start + i * step),
    open: rows.map((r) => r[0]),
    high: rows.map((r) => r[1]),
    low: rows.map((r) => r[2]),
    close: rows.map((r) => r[3]),
  };
}

/** A flat bar at price p (open = high = low = close). */
export function flat(p: number): [number, number, number, number] {
  return [p, p, p, p];
}

export function ev(barIndex: number, side: 1 | -1, over: Partial<TradeEvent> = {}): TradeEvent {
  return { barIndex, ts: T0 + barIndex * MINUTE, side, rel_vol: 10, atr: 1, ...over };
}
