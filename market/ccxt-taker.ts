// The ACB's `taker` factor (bible §10.2): taker buy volume / taker sell volume over a rolling window
// of recent BTC trades. A ratio, not a share: 1.0 is balanced, and the bearish thresholds 0.80
// ("selling") and 0.90 ("mild") mean sellers took 25 % and 11 % more than buyers. A share
// buy/(buy+sell) would sit near 0.5 and be under both thresholds every day. It is Binance's own
// `buySellRatio` (futures/data/takerlongshortRatio), computed here from the trades themselves.
import type { CcxtTrade } from './ccxt-trades.ts';

export interface TakerRatio {
  /** buyVolume / sellVolume; NaN when the window holds no sell volume (or no trades) */
  ratio: number;
  buyVolume: number;
  sellVolume: number;
  trades: number;
  /** the window: trades with fromMs < ts <= toMs */
  fromMs: number;
  toMs: number;
}

export const DEFAULT_TAKER_WINDOW_MS = 300_000;

/** Keeps the trades of the last `windowMs` and reports their taker buy/sell volume ratio. */
export class TakerWindow {
  private trades: CcxtTrade[] = [];

  constructor(readonly windowMs: number = DEFAULT_TAKER_WINDOW_MS) {
    if (!(windowMs > 0 && Number.isFinite(windowMs))) throw new RangeError(`taker window must be a finite number of ms > 0, got ${windowMs}`);
  }

  /** Adds trades (already deduplicated by the trades source); any order. */
  add(trades: readonly CcxtTrade[]): void {
    for (const t of trades) this.trades.push(t);
  }

  /** The ratio over (nowMs − windowMs, nowMs]; trades that fell out of the window are forgotten. */
  ratio(nowMs: number): TakerRatio {
    const fromMs = nowMs - this.windowMs;
    this.trades = this.trades.filter((t) => t.ts > fromMs);
    return takerRatio(this.trades, fromMs, nowMs);
  }
}

/** Taker buy volume / taker sell volume of the trades with fromMs < ts <= toMs (amounts in base units). */
export function takerRatio(trades: readonly CcxtTrade[], fromMs: number, toMs: number): TakerRatio {
  let buyVolume = 0;
  let sellVolume = 0;
  let n = 0;
  for (const t of trades) {
    if (t.ts <= fromMs || t.ts > toMs) continue;
    n++;
    if (t.side === 'buy') buyVolume += t.amount;
    else sellVolume += t.amount;
  }
  return { ratio: sellVolume > 0 ? buyVolume / sellVolume : NaN, buyVolume, sellVolume, trades: n, fromMs, toMs };
}
