// Public trades over ccxt REST, polled: each poll returns, per symbol, the trades not returned before
// (deduplicated by id, ordered by time). Each poll asks for the newest `limit` trades; when none of
// them overlaps the previous poll and the page is full, trades may have been missed in between and
// the result says so (`gap`). Failures back off per symbol like the order-book source.
import type { Exchange, Trade } from 'ccxt';
import type { Logger } from 'pino';
import { CcxtHealth, type BackoffOptions, type KeyHealth } from './ccxt-backoff.ts';
import { CcxtPayloadError, type CcxtSourceError } from './ccxt-errors.ts';
import { CcxtPoller } from './ccxt-poll.ts';

/** One public trade; `side` is the aggressor's (the taker's): 'buy' lifted an ask, 'sell' hit a bid. */
export interface CcxtTrade {
  ts: number;
  price: number;
  amount: number;
  side: 'buy' | 'sell';
  id: string;
}

export interface TradesBatch {
  /** new trades since the last poll, oldest first */
  trades: CcxtTrade[];
  /** trades may be missing between the previous poll and this one (no overlap, full page) */
  gap: boolean;
}

export interface CcxtTradesOptions {
  /** engine symbols to poll, e.g. ['BTCUSDT'] */
  symbols: readonly string[];
  /** trades asked for per poll (ccxt `limit`; Binance USDT-M caps aggTrades at 1000). Default 1000 */
  limit?: number;
  /** ids of trades up to this much older than the newest one seen are remembered for dedupe (default 60 000 ms) */
  dedupeWindowMs?: number;
  concurrency?: number;
  backoff?: BackoffOptions;
  /** a symbol with no successful poll for longer than this is stale (default 60 000 ms) */
  staleAfterMs?: number;
  logger?: Logger;
  onError?: (error: CcxtSourceError) => void;
}

interface Seen {
  /** ts of the newest trade returned so far */
  newestTs: number;
  /** id → ts of trades returned within dedupeWindowMs of newestTs */
  ids: Map<string, number>;
}

export class CcxtTradesSource {
  readonly name: string;
  readonly symbols: readonly string[];
  readonly limit: number;
  readonly dedupeWindowMs: number;
  private readonly tracker: CcxtHealth;
  private readonly poller: CcxtPoller;
  private readonly seen = new Map<string, Seen>();

  constructor(exchange: Exchange, opts: CcxtTradesOptions) {
    this.name = `ccxt:${exchange.id}`;
    this.symbols = [...new Set(opts.symbols)];
    this.limit = opts.limit ?? 1000;
    this.dedupeWindowMs = opts.dedupeWindowMs ?? 60_000;
    if (!(Number.isInteger(this.limit) && this.limit >= 1)) throw new RangeError(`${this.name} trades limit must be an integer >= 1, got ${this.limit}`);
    if (!(this.dedupeWindowMs >= 0 && Number.isFinite(this.dedupeWindowMs))) throw new RangeError(`${this.name} dedupeWindowMs must be a finite number >= 0, got ${this.dedupeWindowMs}`);
    this.tracker = new CcxtHealth(opts.staleAfterMs ?? 60_000, opts.backoff);
    this.poller = new CcxtPoller(exchange, this.tracker, opts);
  }

  /**
   * New trades per symbol polled successfully now; symbols that failed, back off or were dropped
   * are absent. Rejects only when the markets cannot be loaded (CcxtSourceError, symbol null).
   */
  async poll(nowMs: number): Promise<Map<string, TradesBatch>> {
    return this.poller.round(this.symbols, nowMs, 'fetchTrades', async (ccxtSymbol, engine) => {
      const raw = await this.poller.exchange.fetchTrades(ccxtSymbol, undefined, this.limit);
      return this.fresh(engine, toTrades(engine, ccxtSymbol, raw));
    });
  }

  /** per symbol: last success, backoff, dropped, stale */
  health(nowMs: number): KeyHealth[] {
    return this.symbols.map((s) => this.tracker.get(s, nowMs));
  }

  /** true when any polled symbol is stale */
  stale(nowMs: number): boolean {
    return this.health(nowMs).some((h) => h.stale);
  }

  private fresh(engine: string, page: CcxtTrade[]): TradesBatch {
    let s = this.seen.get(engine);
    const first = s === undefined;
    if (s === undefined) this.seen.set(engine, (s = { newestTs: -Infinity, ids: new Map() }));
    // the page reaches back to what an earlier poll returned: nothing in between can be missing
    const newest = s.newestTs;
    const overlap = page.some((t) => t.ts <= newest);
    // older than the remembered ids: returned before, or too late to tell, so not returned again
    const floor = newest - this.dedupeWindowMs;
    const trades: CcxtTrade[] = [];
    for (const t of page) {
      if (t.ts < floor || s.ids.has(t.id)) continue;
      trades.push(t);
      s.ids.set(t.id, t.ts);
    }
    // stable sort: trades of the same millisecond keep the exchange's order
    trades.sort((a, b) => a.ts - b.ts);
    if (trades.length > 0) s.newestTs = Math.max(s.newestTs, trades[trades.length - 1].ts);
    const keepFrom = s.newestTs - this.dedupeWindowMs;
    for (const [id, ts] of s.ids) if (ts < keepFrom) s.ids.delete(id);
    return { trades, gap: !first && !overlap && page.length >= this.limit };
  }
}

/** ccxt trades → validated CcxtTrades; the first bad one is a CcxtPayloadError naming symbol, index and field. */
export function toTrades(engine: string, ccxtSymbol: string, raw: readonly Trade[]): CcxtTrade[] {
  const endpoint = `fetchTrades(${ccxtSymbol})`;
  if (!Array.isArray(raw)) throw new CcxtPayloadError(endpoint, engine, `answer is not a list of trades`);
  return raw.map((t, i) => {
    const bad = (field: string, v: unknown) => new CcxtPayloadError(endpoint, engine, `trade[${i}] ${field} is invalid: ${JSON.stringify(v) ?? String(v)}`);
    if (typeof t !== 'object' || t === null) throw bad('trade', t);
    const { timestamp: ts, price, amount, side, id } = t;
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) throw bad('timestamp', ts);
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) throw bad('price', price);
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) throw bad('amount', amount);
    if (side !== 'buy' && side !== 'sell') throw bad('side', side);
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id).length === 0) throw bad('id', id);
    return { ts, price, amount, side, id: String(id) };
  });
}
