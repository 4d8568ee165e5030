// Trades as columns (typed arrays) rather than one object per trade: research reads millions of
// trades, and the bar kernel needs to stream over plain number arrays to build bars at ≥ 5 M trades/s.
// Every reader (files, ccxt dicts, Binance messages, the synthetic generator) ends here.
import type { Trade } from '../../market/trade.ts';

export interface TradeColumns {
  readonly length: number;
  /** epoch ms, non-decreasing once `sortByTime` has run */
  readonly ts: Float64Array;
  readonly price: Float64Array;
  /** base units */
  readonly amount: Float64Array;
  /** aggressor: +1 buyer-initiated (Q⁺), −1 seller-initiated (Q⁻) */
  readonly side: Int8Array;
}

/** A growable column set. Values are checked by the readers (which know file and row), not here. */
export class TradeColumnsBuilder {
  private ts: Float64Array;
  private price: Float64Array;
  private amount: Float64Array;
  private side: Int8Array;
  private n = 0;

  constructor(capacity = 1024) {
    const c = Math.max(16, capacity);
    this.ts = new Float64Array(c);
    this.price = new Float64Array(c);
    this.amount = new Float64Array(c);
    this.side = new Int8Array(c);
  }

  get length(): number {
    return this.n;
  }

  push(ts: number, price: number, amount: number, side: 1 | -1): void {
    if (this.n === this.ts.length) this.grow();
    const i = this.n++;
    this.ts[i] = ts;
    this.price[i] = price;
    this.amount[i] = amount;
    this.side[i] = side;
  }

  pushTrade(t: Trade): void {
    this.push(t.ts, t.price, t.amount, t.side === 'buy' ? 1 : -1);
  }

  /** The columns (trimmed views; the builder must not be used afterwards). */
  finish(): TradeColumns {
    const n = this.n;
    return { length: n, ts: this.ts.subarray(0, n), price: this.price.subarray(0, n), amount: this.amount.subarray(0, n), side: this.side.subarray(0, n) };
  }

  private grow(): void {
    const c = this.ts.length * 2;
    const ts = new Float64Array(c), price = new Float64Array(c), amount = new Float64Array(c), side = new Int8Array(c);
    ts.set(this.ts);
    price.set(this.price);
    amount.set(this.amount);
    side.set(this.side);
    this.ts = ts;
    this.price = price;
    this.amount = amount;
    this.side = side;
  }
}

export function columnsFromTrades(trades: Iterable<Trade>): TradeColumns {
  const b = new TradeColumnsBuilder(Array.isArray(trades) ? trades.length : 1024);
  for (const t of trades) b.pushTrade(t);
  return b.finish();
}

/** Trade objects again (for the existing BarBuilder and for tests). */
export function tradesFromColumns(c: TradeColumns): Trade[] {
  const out: Trade[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = { ts: c.ts[i], price: c.price[i], amount: c.amount[i], side: c.side[i] > 0 ? 'buy' : 'sell' };
  return out;
}

/** Concatenates column sets in order. */
export function concatColumns(parts: readonly TradeColumns[]): TradeColumns {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const ts = new Float64Array(n), price = new Float64Array(n), amount = new Float64Array(n), side = new Int8Array(n);
  let o = 0;
  for (const p of parts) {
    ts.set(p.ts, o);
    price.set(p.price, o);
    amount.set(p.amount, o);
    side.set(p.side, o);
    o += p.length;
  }
  return { length: n, ts, price, amount, side };
}

/** How many trades are earlier than the one before them (0 for a time-ordered file). */
export function countOutOfOrder(c: TradeColumns): number {
  let k = 0;
  for (let i = 1; i < c.length; i++) if (c.ts[i] < c.ts[i - 1]) k++;
  return k;
}

/**
 * The trades in time order; trades with equal ts keep their order (a stable sort: the exchange's
 * sequence within a millisecond decides open and close). Returns the input when already ordered.
 */
export function sortByTime(c: TradeColumns): TradeColumns {
  if (countOutOfOrder(c) === 0) return c;
  const idx = new Uint32Array(c.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const order = Array.from(idx).sort((a, b) => c.ts[a] - c.ts[b] || a - b);
  const ts = new Float64Array(c.length), price = new Float64Array(c.length), amount = new Float64Array(c.length), side = new Int8Array(c.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    ts[k] = c.ts[i];
    price[k] = c.price[i];
    amount[k] = c.amount[i];
    side[k] = c.side[i];
  }
  return { length: c.length, ts, price, amount, side };
}
