// One polling round over a symbol list, shared by the order-book, trades and OHLCV sources: skip
// symbols that back off or were dropped, map engine names to ccxt symbols, fetch with bounded
// concurrency, and turn each symbol's failure into a backoff (retryable) or a drop (permanent) without
// failing the others. Only a failure of the whole source (markets cannot be loaded) rejects.
import { BadSymbol, type Exchange } from 'ccxt';
import type { Logger } from 'pino';
import { CcxtHealth, type FailureOutcome } from './ccxt-backoff.ts';
import { forEachBounded } from './ccxt-concurrency.ts';
import { CcxtSourceError } from './ccxt-errors.ts';
import { CcxtMarkets } from './ccxt-symbols.ts';

export interface PollerOptions {
  /** most requests in flight at once (default 8) */
  concurrency?: number;
  logger?: Logger;
  /** every retryable failure, and each permanent one once (the symbol is then dropped) */
  onError?: (error: CcxtSourceError) => void;
}

export const DEFAULT_CONCURRENCY = 8;

export class CcxtPoller {
  readonly name: string;
  readonly markets: CcxtMarkets;
  private readonly concurrency: number;

  constructor(
    readonly exchange: Exchange,
    readonly health: CcxtHealth,
    private readonly opts: PollerOptions = {},
  ) {
    this.name = `ccxt:${exchange.id}`;
    this.concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
    if (!(Number.isInteger(this.concurrency) && this.concurrency >= 1)) throw new RangeError(`${this.name} concurrency must be an integer >= 1, got ${this.concurrency}`);
    this.markets = new CcxtMarkets(exchange, this.name, health);
  }

  /**
   * Calls `fetch(ccxtSymbol, engineSymbol)` for each due symbol and returns the results by engine
   * symbol; failed, backing-off and dropped symbols are absent. `fetch` validates what it returns:
   * a thrown CcxtPayloadError counts as a (retryable) failure of that symbol. Rejects only with a
   * source-wide CcxtSourceError (symbol null) when the markets are not loaded.
   */
  async round<T>(symbols: readonly string[], nowMs: number, endpoint: string, fetch: (ccxtSymbol: string, engine: string) => Promise<T>): Promise<Map<string, T>> {
    const map = await this.markets.get(nowMs);
    const due: [engine: string, ccxt: string][] = [];
    for (const engine of new Set(symbols)) {
      if (!this.health.due(engine, nowMs)) continue;
      const ccxtSymbol = map.ccxtSymbol(engine);
      if (ccxtSymbol === undefined) {
        this.fail(engine, nowMs, endpoint, new BadSymbol(`${this.exchange.id} lists no active linear perpetual for ${engine}`));
        continue;
      }
      due.push([engine, ccxtSymbol]);
    }
    const out = new Map<string, T>();
    await forEachBounded(due, this.concurrency, async ([engine, ccxtSymbol]) => {
      try {
        out.set(engine, await fetch(ccxtSymbol, engine));
        this.health.succeeded(engine, nowMs);
      } catch (e) {
        this.fail(engine, nowMs, endpoint, e);
      }
    });
    return out;
  }

  private fail(engine: string, nowMs: number, endpoint: string, cause: unknown): void {
    const err = new CcxtSourceError(this.name, engine, endpoint, cause);
    const outcome: FailureOutcome = this.health.failed(engine, nowMs, err.retryable, err.message);
    if (err.retryable) {
      this.opts.logger?.warn({ source: this.name, symbol: engine, endpoint, kind: err.kind, retryInMs: outcome.retryInMs, err: err.message }, 'ccxt fetch failed; backing off');
    } else if (outcome.firstDrop) {
      this.opts.logger?.error({ source: this.name, symbol: engine, endpoint, kind: err.kind, err: err.message }, 'ccxt fetch failed permanently; symbol dropped');
    } else return;
    this.opts.onError?.(err);
  }
}
