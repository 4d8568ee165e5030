// Time bars from aggressor-tagged trades: OHLC, volume split into buyer-initiated Q⁺ and
// seller-initiated Q⁻ (the ShockFlip flow imbalance), trade counts, notional and VWAP. Any bar size:
// 5 s for the node, 1 min for research. Pure and deterministic: the builder never reads a clock;
// time moves only with the trades it is given and the `nowMs` its caller passes to `flush`.
import { TradeDataError, type Trade } from './trade.ts';

export interface Bar {
  /** epoch ms, a multiple of the bar size (UTC-aligned: 5 s bars start at :00, :05, …) */
  readonly start: number;
  /** start + bar size; the bar holds trades with start <= ts < end */
  readonly end: number;
  /** price of the earliest trade by ts (the first to arrive among equal ts) */
  readonly open: number;
  readonly high: number;
  readonly low: number;
  /** price of the latest trade by ts (the last to arrive among equal ts) */
  readonly close: number;
  /** base units; always exactly buyVolume + sellVolume */
  readonly volume: number;
  /** Q⁺: base units bought by aggressive buyers */
  readonly buyVolume: number;
  /** Q⁻: base units sold by aggressive sellers */
  readonly sellVolume: number;
  readonly trades: number;
  readonly buyTrades: number;
  readonly sellTrades: number;
  /** Σ price · amount, quote currency */
  readonly notional: number;
  /** notional / volume; an empty (filled) bar has its close here */
  readonly vwap: number;
}

/**
 * - `fill`: an interval without trades becomes a bar with open = high = low = close = the previous
 *   close, zero volume, zero trades: the bars form a regular time grid, so a window of N bars is
 *   always N · barMs long (rolling z-scores and relative volume stay time-based). Nothing is filled
 *   before the first trade (there is no price yet).
 * - `skip`: such intervals produce no bar; consumers see the gap in `start`.
 */
export type EmptyBarPolicy = 'fill' | 'skip';

export interface BarBuilderOptions {
  /** bar size in ms, a positive integer (5000 for the node, 60000 for research) */
  barMs: number;
  /** default 'fill' */
  emptyBars?: EmptyBarPolicy;
  /** told of every late trade (also counted in `stats`) */
  onLate?: (trade: Trade, acceptFromMs: number) => void;
  /**
   * Upper bound on empty bars filled in one step (default 1 000 000): a clock or a trade far in the
   * future would otherwise allocate without limit. Exceeding it is a BarBuilderError.
   */
  maxFillBars?: number;
}

export interface BarBuilderStats {
  /** trades accepted into a bar */
  trades: number;
  /** trades dropped because their bar was already closed (or older than the open bar) */
  late: number;
  lateVolume: number;
  /** bars emitted, filled ones included */
  bars: number;
  /** of which filled (no trades) */
  emptyBars: number;
}

export class BarBuilderError extends Error {
  override readonly name = 'BarBuilderError';
}

interface OpenBar {
  start: number;
  open: number;
  openTs: number;
  high: number;
  low: number;
  close: number;
  closeTs: number;
  buyVolume: number;
  sellVolume: number;
  buyTrades: number;
  sellTrades: number;
  notional: number;
}

export class BarBuilder {
  readonly barMs: number;
  readonly emptyBars: EmptyBarPolicy;
  private readonly onLate: ((trade: Trade, acceptFromMs: number) => void) | undefined;
  private readonly maxFillBars: number;
  private cur: OpenBar | null = null;
  /** every interval ending at or before this is closed: emitted, filled or skipped */
  private frontier = -Infinity;
  private lastClose: number | null = null;
  private readonly counts: BarBuilderStats = { trades: 0, late: 0, lateVolume: 0, bars: 0, emptyBars: 0 };

  constructor(options: BarBuilderOptions) {
    const { barMs, emptyBars = 'fill', maxFillBars = 1_000_000 } = options;
    if (!Number.isSafeInteger(barMs) || barMs <= 0) throw new BarBuilderError(`barMs must be a positive integer, got ${barMs}`);
    if (emptyBars !== 'fill' && emptyBars !== 'skip') throw new BarBuilderError(`emptyBars must be 'fill' or 'skip', got ${String(emptyBars)}`);
    if (!Number.isSafeInteger(maxFillBars) || maxFillBars < 0) throw new BarBuilderError(`maxFillBars must be an integer >= 0, got ${maxFillBars}`);
    this.barMs = barMs;
    this.emptyBars = emptyBars;
    this.onLate = options.onLate;
    this.maxFillBars = maxFillBars;
  }

  get stats(): Readonly<BarBuilderStats> {
    return { ...this.counts };
  }

  /** Trades from this time on are accepted; older ones are late. */
  acceptsFrom(): number {
    return this.cur !== null ? this.cur.start : this.frontier;
  }

  /**
   * Adds one trade; returns the bars it closed (a trade at or past the open bar's end closes it, and
   * in 'fill' mode also emits the empty bars between). A trade older than the open bar, or in an
   * interval already closed, is late: counted, passed to `onLate`, and not added.
   */
  push(trade: Trade): Bar[] {
    checkTrade(trade);
    const from = this.acceptsFrom();
    if (trade.ts < from) {
      this.counts.late++;
      this.counts.lateVolume += trade.amount;
      this.onLate?.(trade, from);
      return [];
    }
    const start = trade.ts - mod(trade.ts, this.barMs);
    const out: Bar[] = [];
    if (this.cur !== null && start > this.cur.start) this.closeOpen(out);
    if (this.cur === null) {
      this.fillTo(start, out);
      this.cur = newBar(start, trade);
    }
    addTrade(this.cur, trade);
    this.counts.trades++;
    return out;
  }

  /** push for each trade in order; the bars closed, in order */
  pushAll(trades: Iterable<Trade>): Bar[] {
    const out: Bar[] = [];
    for (const t of trades) for (const b of this.push(t)) out.push(b);
    return out;
  }

  /**
   * The caller's clock says `nowMs`: every interval ending at or before it is over. Closes the open
   * bar if its end <= nowMs and, in 'fill' mode, emits the empty bars up to the interval holding
   * nowMs. Trades older than that interval become late. For a live feed pass now minus the feed's
   * delivery latency, or trades still in flight will be dropped as late.
   */
  flush(nowMs: number): Bar[] {
    if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) throw new BarBuilderError(`flush: nowMs must be a finite number, got ${nowMs}`);
    const out: Bar[] = [];
    if (this.cur !== null && nowMs >= this.cur.start + this.barMs) this.closeOpen(out);
    if (this.cur === null) {
      const aligned = nowMs - mod(nowMs, this.barMs);
      this.fillTo(aligned, out);
      if (aligned > this.frontier) this.frontier = aligned;
    }
    return out;
  }

  /** A copy of the bar still open (its interval not over), or null. */
  current(): Bar | null {
    return this.cur === null ? null : toBar(this.cur, this.barMs);
  }

  private closeOpen(out: Bar[]): void {
    const cur = this.cur!;
    out.push(toBar(cur, this.barMs));
    this.counts.bars++;
    this.lastClose = cur.close;
    this.frontier = cur.start + this.barMs;
    this.cur = null;
  }

  /** In 'fill' mode, empty bars from the frontier up to (not including) `until`. */
  private fillTo(until: number, out: Bar[]): void {
    if (this.emptyBars !== 'fill' || this.lastClose === null || until <= this.frontier) return;
    const n = (until - this.frontier) / this.barMs;
    if (n > this.maxFillBars) {
      throw new BarBuilderError(
        `${n} empty bars of ${this.barMs} ms to fill from ${this.frontier} to ${until}: more than maxFillBars (${this.maxFillBars})`,
      );
    }
    const p = this.lastClose;
    for (let s = this.frontier; s < until; s += this.barMs) {
      out.push({
        start: s, end: s + this.barMs, open: p, high: p, low: p, close: p,
        volume: 0, buyVolume: 0, sellVolume: 0, trades: 0, buyTrades: 0, sellTrades: 0, notional: 0, vwap: p,
      });
      this.counts.bars++;
      this.counts.emptyBars++;
    }
    this.frontier = until;
  }
}

/** Bars of `trades` (in the given order) with a final flush at `endMs` when given. */
export function buildBars(trades: Iterable<Trade>, options: BarBuilderOptions, endMs?: number): { bars: Bar[]; open: Bar | null; stats: BarBuilderStats } {
  const b = new BarBuilder(options);
  const bars = b.pushAll(trades);
  if (endMs !== undefined) for (const bar of b.flush(endMs)) bars.push(bar);
  return { bars, open: b.current(), stats: b.stats };
}

// The builder's own inputs are usually validated already (validateTrade, the adapters); this cheap
// check keeps one NaN from poisoning every later bar.
function checkTrade(t: Trade): void {
  const where = { source: 'BarBuilder.push' };
  if (!Number.isSafeInteger(t.ts) || t.ts < 0) throw new TradeDataError({ ...where, field: 'ts' }, `must be an integer epoch-ms time >= 0, got ${t.ts}`);
  if (!(t.price > 0) || !Number.isFinite(t.price)) throw new TradeDataError({ ...where, field: 'price' }, `must be a finite number > 0, got ${t.price}`);
  if (!(t.amount > 0) || !Number.isFinite(t.amount)) throw new TradeDataError({ ...where, field: 'amount' }, `must be a finite number > 0, got ${t.amount}`);
  if (t.side !== 'buy' && t.side !== 'sell') throw new TradeDataError({ ...where, field: 'side' }, `must be 'buy' or 'sell', got ${String(t.side)}`);
}

function mod(x: number, m: number): number {
  const r = x % m;
  return r < 0 ? r + m : r;
}

function newBar(start: number, t: Trade): OpenBar {
  return {
    start, open: t.price, openTs: t.ts, high: t.price, low: t.price, close: t.price, closeTs: t.ts,
    buyVolume: 0, sellVolume: 0, buyTrades: 0, sellTrades: 0, notional: 0,
  };
}

function addTrade(b: OpenBar, t: Trade): void {
  // open/close follow trade time, not arrival, so a trade delivered out of order within its bar
  // lands where it happened
  if (t.ts < b.openTs) {
    b.open = t.price;
    b.openTs = t.ts;
  }
  if (t.ts >= b.closeTs) {
    b.close = t.price;
    b.closeTs = t.ts;
  }
  if (t.price > b.high) b.high = t.price;
  if (t.price < b.low) b.low = t.price;
  if (t.side === 'buy') {
    b.buyVolume += t.amount;
    b.buyTrades++;
  } else {
    b.sellVolume += t.amount;
    b.sellTrades++;
  }
  b.notional += t.price * t.amount;
}

function toBar(b: OpenBar, barMs: number): Bar {
  const volume = b.buyVolume + b.sellVolume;
  return {
    start: b.start, end: b.start + barMs, open: b.open, high: b.high, low: b.low, close: b.close,
    volume, buyVolume: b.buyVolume, sellVolume: b.sellVolume,
    trades: b.buyTrades + b.sellTrades, buyTrades: b.buyTrades, sellTrades: b.sellTrades,
    notional: b.notional, vwap: b.notional / volume,
  };
}
