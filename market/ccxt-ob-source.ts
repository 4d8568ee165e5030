// Live order books over ccxt REST (bible §16.2: Binance snapshots every 500 ms): fetchOrderBook for
// each requested symbol each cycle, validated into ObSnapshots. One symbol failing never fails the
// cycle: it backs off (rate limits, timeouts, 5xx) or is dropped (unknown symbol, auth), is left out
// of the answer, and the staleness tracker flags it as its last book ages.
import type { Exchange, OrderBook } from 'ccxt';
import type { Logger } from 'pino';
import { CcxtHealth, type BackoffOptions, type KeyHealth } from './ccxt-backoff.ts';
import { CcxtPayloadError, CcxtSourceError } from './ccxt-errors.ts';
import { CcxtPoller } from './ccxt-poll.ts';
import { MARKETS_KEY } from './ccxt-symbols.ts';
import { ObDataError, validateSnapshot, type ObLevel, type ObSnapshot } from './ob-snapshot.ts';
import { ObSourceError, type ObSource } from './ob-source.ts';
import { OB_STALE_AFTER_MS } from './ob-staleness.ts';

export interface CcxtObSourceOptions {
  /** levels per side asked for (ccxt `limit`; Binance USDT-M accepts 5, 10, 20, 50, 100, 500, 1000). Default 20 */
  depth?: number;
  /** most requests in flight at once (default 8) */
  concurrency?: number;
  backoff?: BackoffOptions;
  /** health(): a symbol without a book for longer than this is stale (default OB_STALE_AFTER_MS) */
  staleAfterMs?: number;
  logger?: Logger;
  /** every retryable failure, and each permanent one once; feed it to ObStaleness.recordError */
  onError?: (error: ObSourceError) => void;
  /** the fetch time stamped on a book that carries no exchange timestamp (default Date.now) */
  clock?: () => number;
}

export const DEFAULT_OB_DEPTH = 20;

export class CcxtObSource implements ObSource {
  readonly name: string;
  readonly depth: number;
  private readonly tracker: CcxtHealth;
  private readonly poller: CcxtPoller;
  private readonly clock: () => number;

  constructor(exchange: Exchange, opts: CcxtObSourceOptions = {}) {
    this.name = `ccxt:${exchange.id}`;
    this.depth = opts.depth ?? DEFAULT_OB_DEPTH;
    if (!(Number.isInteger(this.depth) && this.depth >= 1)) throw new RangeError(`${this.name} depth must be an integer >= 1, got ${this.depth}`);
    this.clock = opts.clock ?? Date.now;
    this.tracker = new CcxtHealth(opts.staleAfterMs ?? OB_STALE_AFTER_MS, opts.backoff);
    const onError = opts.onError;
    this.poller = new CcxtPoller(exchange, this.tracker, {
      concurrency: opts.concurrency,
      logger: opts.logger,
      onError: onError === undefined ? undefined : (e: CcxtSourceError) => onError(toObSourceError(e)),
    });
  }

  /**
   * The latest book of each requested symbol that is not backing off or dropped. Rejects only when
   * the exchange's markets cannot be loaded (ObSourceError with symbol null: every symbol is stale).
   */
  async snapshots(symbols: readonly string[], nowMs: number): Promise<ObSnapshot[]> {
    let books: Map<string, ObSnapshot>;
    try {
      books = await this.poller.round(symbols, nowMs, 'fetchOrderBook', async (ccxtSymbol, engine) => {
        const book = await this.poller.exchange.fetchOrderBook(ccxtSymbol, this.depth);
        return toSnapshot(engine, ccxtSymbol, book, this.clock());
      });
    } catch (e) {
      throw e instanceof CcxtSourceError ? toObSourceError(e) : new ObSourceError(this.name, null, true, String(e), { cause: e });
    }
    const out: ObSnapshot[] = [];
    for (const s of new Set(symbols)) {
      const b = books.get(s);
      if (b !== undefined) out.push(b);
    }
    return out;
  }

  /** per requested symbol: last success, backoff, dropped, stale (for the watchdog and logs) */
  health(symbols: readonly string[], nowMs: number): KeyHealth[] {
    return symbols.map((s) => this.tracker.get(s, nowMs));
  }

  /** symbols dropped after a permanent error, sorted */
  droppedSymbols(): string[] {
    return this.tracker.droppedKeys().filter((k) => k !== MARKETS_KEY);
  }
}

/** ccxt's book → a validated snapshot; a bad book is a CcxtPayloadError naming the symbol and level. */
export function toSnapshot(engine: string, ccxtSymbol: string, book: OrderBook, fetchedAtMs: number): ObSnapshot {
  const endpoint = `fetchOrderBook(${ccxtSymbol})`;
  if (typeof book !== 'object' || book === null || !Array.isArray(book.bids) || !Array.isArray(book.asks)) {
    throw new CcxtPayloadError(endpoint, engine, 'answer has no bids/asks arrays');
  }
  const ts = book.timestamp ?? fetchedAtMs;
  // some exchanges add an order count as a third element; the snapshot keeps [price, size]
  const levels = (side: readonly unknown[]): ObLevel[] => side.map((l) => (Array.isArray(l) ? [l[0], l[1]] : l) as ObLevel);
  try {
    return validateSnapshot({ symbol: engine, ts, bids: levels(book.bids), asks: levels(book.asks) });
  } catch (e) {
    if (e instanceof ObDataError) throw new CcxtPayloadError(endpoint, engine, `invalid book: ${e.message}`, { cause: e });
    throw e;
  }
}

function toObSourceError(e: CcxtSourceError): ObSourceError {
  return new ObSourceError(e.source, e.symbol, e.retryable, `${e.endpoint}: ${e.kind}: ${e.detail}`, { cause: e });
}
