// A local L2 book kept in sync with Binance the way Binance says to: buffer the diff-depth events,
// load a REST snapshot, drop the events it already contains, then apply the rest in sequence. A
// missing event is a BookGapError: the book is discarded and needs a new snapshot (resync), because
// a book with a hole in its history is wrong at unknown levels and would feed wrong OB features.
//
// Rules (Binance "How to manage a local order book correctly", 2024):
//   spot  — drop an event with u <= the book's update id; an event with U > id + 1 is a gap;
//           otherwise apply it and set id = u. (So the first applied event has U <= lastUpdateId + 1 <= u.)
//   usdm  — (USDT-M futures) drop an event with u < lastUpdateId; the first applied event must have
//           U <= lastUpdateId <= u; every later event's pu must equal the previous applied event's u.
// Quantities are absolute; 0 removes the level; removing a level the book does not hold is normal.
import { ObDataError, validateSnapshot, type ObLevel, type ObSide, type ObSnapshot } from './ob-snapshot.ts';

export type BinanceMarket = 'spot' | 'usdm';

/** A REST depth snapshot (`/api/v3/depth`, `/fapi/v1/depth`), levels parsed to numbers. */
export interface DepthSnapshot {
  lastUpdateId: number;
  bids: readonly ObLevel[];
  asks: readonly ObLevel[];
}

/** A diff-depth event (`<symbol>@depth`), levels parsed to numbers; size 0 removes the level. */
export interface DepthUpdate {
  /** first update id in the event */
  U: number;
  /** final update id in the event */
  u: number;
  /** USDT-M futures: the final update id of the previous event */
  pu?: number;
  /** event time, epoch ms */
  E: number;
  bids: readonly ObLevel[];
  asks: readonly ObLevel[];
}

/** Where an event came from, for errors: a capture file and its 1-based line. */
export interface BookWhere {
  file?: string;
  line?: number;
}

/** The diff stream skipped events: the book was discarded and needs a new REST snapshot. */
export class BookGapError extends Error {
  override readonly name = 'BookGapError';
  readonly resyncNeeded = true;
  readonly market: BinanceMarket;
  readonly file?: string;
  readonly line?: number;
  /** the update id the book expected the event to cover or follow */
  readonly expected: number;
  /** the event's U (spot, first event) or pu (usdm) that broke the chain */
  readonly got: number;

  constructor(market: BinanceMarket, where: BookWhere, expected: number, got: number, rule: string) {
    const at = where.file !== undefined ? `${where.file}${where.line !== undefined ? ` line ${where.line}` : ''}: ` : where.line !== undefined ? `line ${where.line}: ` : '';
    super(`${at}${market} depth gap (resync needed): ${rule}`);
    this.market = market;
    if (where.file !== undefined) this.file = where.file;
    if (where.line !== undefined) this.line = where.line;
    this.expected = expected;
    this.got = got;
  }
}

/** A snapshot was asked of a book that has none loaded since it started or since its last gap. */
export class BookNotSyncedError extends Error {
  override readonly name = 'BookNotSyncedError';
}

/** What happened to one event handed to `apply`. */
export type ApplyResult = 'applied' | 'stale' | 'buffered';

export interface OrderBookStats {
  applied: number;
  /** events already contained in the book (or duplicates) and ignored */
  stale: number;
  /** events currently buffered waiting for a snapshot */
  buffered: number;
  /** buffered events dropped (oldest first) because the buffer was full */
  bufferDropped: number;
  snapshots: number;
  gaps: number;
}

export interface OrderBookOptions {
  market: BinanceMarket;
  /** events kept while waiting for a snapshot (default 10 000); the oldest go first */
  maxBuffer?: number;
}

/** One side, best first: bids by falling price, asks by rising price. */
class BookSide {
  readonly prices: number[] = [];
  readonly sizes: number[] = [];
  constructor(private readonly desc: boolean) {}

  /** index of price when held; otherwise -(insertion index + 1) */
  private find(price: number): number {
    const p = this.prices;
    let lo = 0;
    let hi = p.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = p[mid];
      if (x === price) return mid;
      if (this.desc ? x > price : x < price) lo = mid + 1;
      else hi = mid;
    }
    return -(lo + 1);
  }

  set(price: number, size: number): void {
    const i = this.find(price);
    if (size === 0) {
      if (i >= 0) {
        this.prices.splice(i, 1);
        this.sizes.splice(i, 1);
      }
    } else if (i >= 0) {
      this.sizes[i] = size;
    } else {
      const at = -i - 1;
      this.prices.splice(at, 0, price);
      this.sizes.splice(at, 0, size);
    }
  }

  clear(): void {
    this.prices.length = 0;
    this.sizes.length = 0;
  }

  top(depth: number): ObLevel[] {
    const n = Math.min(depth, this.prices.length);
    const out: ObLevel[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = [this.prices[i], this.sizes[i]];
    return out;
  }
}

interface Buffered {
  update: DepthUpdate;
  where: BookWhere;
}

export class OrderBook {
  readonly market: BinanceMarket;
  private readonly maxBuffer: number;
  private readonly bids = new BookSide(true);
  private readonly asks = new BookSide(false);
  private buffer: Buffered[] = [];
  private isSynced = false;
  /** spot: the book's update id. usdm: the snapshot's lastUpdateId until the first event applies */
  private id = -1;
  /** usdm: u of the last applied event; null before the first one after a snapshot */
  private prevU: number | null = null;
  private lastEventTime: number | null = null;
  private readonly counts = { applied: 0, stale: 0, bufferDropped: 0, snapshots: 0, gaps: 0 };

  constructor(options: OrderBookOptions) {
    if (options.market !== 'spot' && options.market !== 'usdm') throw new TypeError(`OrderBook: market must be 'spot' or 'usdm', got ${String(options.market)}`);
    this.market = options.market;
    this.maxBuffer = options.maxBuffer ?? 10_000;
    if (!Number.isSafeInteger(this.maxBuffer) || this.maxBuffer < 0) throw new TypeError(`OrderBook: maxBuffer must be an integer >= 0, got ${this.maxBuffer}`);
  }

  /** A snapshot is loaded and no gap has been seen since. */
  get synced(): boolean {
    return this.isSynced;
  }

  /** The update id the book is at (spot: last applied u; usdm: last applied u, or the snapshot's id). */
  get updateId(): number | null {
    if (!this.isSynced) return null;
    return this.market === 'usdm' && this.prevU !== null ? this.prevU : this.id;
  }

  /** Event time (E) of the last applied event; null when none since the snapshot. */
  get eventTime(): number | null {
    return this.lastEventTime;
  }

  get stats(): Readonly<OrderBookStats> {
    return { ...this.counts, buffered: this.buffer.length };
  }

  bestBid(): ObLevel | null {
    return this.bids.prices.length > 0 ? [this.bids.prices[0], this.bids.sizes[0]] : null;
  }

  bestAsk(): ObLevel | null {
    return this.asks.prices.length > 0 ? [this.asks.prices[0], this.asks.sizes[0]] : null;
  }

  /** levels held per side */
  size(): { bids: number; asks: number } {
    return { bids: this.bids.prices.length, asks: this.asks.prices.length };
  }

  /**
   * Sets the book to a REST snapshot, then replays the buffered events under the sequencing rules.
   * Throws BookGapError when the buffer does not join the snapshot (the snapshot is older than the
   * first buffered event: fetch a newer one), leaving the book unsynced. Bad levels: ObDataError.
   */
  loadSnapshot(snapshot: DepthSnapshot, where: BookWhere = {}): void {
    if (!Number.isSafeInteger(snapshot.lastUpdateId) || snapshot.lastUpdateId < 0) {
      throw new ObDataError(where, `lastUpdateId must be an integer >= 0, got ${snapshot.lastUpdateId}`);
    }
    this.bids.clear();
    this.asks.clear();
    for (const [side, levels] of [['bids', snapshot.bids], ['asks', snapshot.asks]] as const) {
      levels.forEach((l, i) => {
        checkLevel(l, side, i, where);
        if (l[1] > 0) this.sideOf(side).set(l[0], l[1]);
      });
    }
    this.id = snapshot.lastUpdateId;
    this.prevU = null;
    this.lastEventTime = null;
    this.isSynced = true;
    this.counts.snapshots++;
    const pending = this.buffer;
    this.buffer = [];
    for (let i = 0; i < pending.length; i++) {
      try {
        this.applySynced(pending[i].update, pending[i].where);
      } catch (e) {
        // events after the gap are kept: they may join the next snapshot
        if (e instanceof BookGapError) this.buffer.push(...pending.slice(i + 1));
        throw e;
      }
    }
  }

  /**
   * One diff event. Before a snapshot (or after a gap) it is buffered. Otherwise it is applied,
   * ignored as stale, or rejected with BookGapError, after which the book is empty and unsynced and
   * buffers again, this event first, until the next `loadSnapshot`.
   */
  apply(update: DepthUpdate, where: BookWhere = {}): ApplyResult {
    checkUpdate(update, this.market, where);
    if (!this.isSynced) {
      this.buffer.push({ update, where });
      if (this.buffer.length > this.maxBuffer) {
        this.buffer.shift();
        this.counts.bufferDropped++;
      }
      return 'buffered';
    }
    return this.applySynced(update, where);
  }

  /**
   * The top `depth` levels per side as a validated ObSnapshot (ob-snapshot.ts): throws ObDataError
   * if the book is crossed or locked, BookNotSyncedError when it is not synced.
   */
  snapshot(symbol: string, ts: number, depth: number, where: BookWhere = {}): ObSnapshot {
    if (!this.isSynced) throw new BookNotSyncedError(`OrderBook ${symbol}: not synced (no snapshot loaded since start or the last gap)`);
    if (!Number.isSafeInteger(depth) || depth < 0) throw new RangeError(`OrderBook ${symbol}: depth must be an integer >= 0, got ${depth}`);
    return validateSnapshot({ symbol, ts, bids: this.bids.top(depth), asks: this.asks.top(depth) }, where);
  }

  private applySynced(ev: DepthUpdate, where: BookWhere): ApplyResult {
    if (this.market === 'spot') {
      if (ev.u <= this.id) return this.stale();
      if (ev.U > this.id + 1) {
        return this.gap(ev, where, this.id + 1, ev.U, `event U=${ev.U} > book update id ${this.id} + 1: events ${this.id + 1}…${ev.U - 1} are missing`);
      }
      this.id = ev.u;
    } else if (this.prevU === null) {
      if (ev.u < this.id) return this.stale();
      if (ev.U > this.id) {
        return this.gap(ev, where, this.id, ev.U, `first event after the snapshot has U=${ev.U} > lastUpdateId ${this.id}: the snapshot is older than the stream`);
      }
      this.prevU = ev.u;
    } else {
      // not in Binance's list: an event at or before the last applied one is a duplicate, and
      // re-applying it would overwrite newer quantities
      if (ev.u <= this.prevU) return this.stale();
      if (ev.pu !== this.prevU) {
        return this.gap(ev, where, this.prevU, ev.pu!, `event pu=${ev.pu} != previous event's u=${this.prevU}`);
      }
      this.prevU = ev.u;
    }
    for (const [p, s] of ev.bids) this.bids.set(p, s);
    for (const [p, s] of ev.asks) this.asks.set(p, s);
    this.lastEventTime = ev.E;
    this.counts.applied++;
    return 'applied';
  }

  private stale(): ApplyResult {
    this.counts.stale++;
    return 'stale';
  }

  private gap(ev: DepthUpdate, where: BookWhere, expected: number, got: number, rule: string): never {
    this.counts.gaps++;
    this.isSynced = false;
    this.bids.clear();
    this.asks.clear();
    this.prevU = null;
    this.lastEventTime = null;
    this.buffer.push({ update: ev, where });
    throw new BookGapError(this.market, where, expected, got, rule);
  }

  private sideOf(side: ObSide): BookSide {
    return side === 'bids' ? this.bids : this.asks;
  }
}

function checkLevel(l: ObLevel, side: ObSide, level: number, where: BookWhere): void {
  const [price, size] = l;
  if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
    throw new ObDataError({ ...where, side, level }, `price must be a finite number > 0, got ${price}`);
  }
  if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) {
    throw new ObDataError({ ...where, side, level }, `size must be a finite number >= 0, got ${size}`);
  }
}

function checkUpdate(ev: DepthUpdate, market: BinanceMarket, where: BookWhere): void {
  for (const k of ['U', 'u', 'E'] as const) {
    if (!Number.isSafeInteger(ev[k]) || ev[k] < 0) throw new ObDataError(where, `depth event ${k} must be an integer >= 0, got ${ev[k]}`);
  }
  if (ev.U > ev.u) throw new ObDataError(where, `depth event U=${ev.U} > u=${ev.u}`);
  if (market === 'usdm' && (!Number.isSafeInteger(ev.pu) || ev.pu! < 0)) {
    throw new ObDataError(where, `usdm depth event pu must be an integer >= 0, got ${ev.pu}`);
  }
  ev.bids.forEach((l, i) => checkLevel(l, 'bids', i, where));
  ev.asks.forEach((l, i) => checkLevel(l, 'asks', i, where));
}
