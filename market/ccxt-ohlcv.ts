// Closed OHLCV candles over ccxt REST, polled: each poll returns, per symbol, the candles that closed
// since the last poll. Exchanges include the candle still forming as the last row; a candle counts as
// closed only once its whole interval lies at or before the poll time, so it is never returned half
// built and then again complete.
import type { Exchange, OHLCV } from 'ccxt';
import type { Logger } from 'pino';
import { CcxtHealth, type BackoffOptions, type KeyHealth } from './ccxt-backoff.ts';
import { CcxtPayloadError, type CcxtSourceError } from './ccxt-errors.ts';
import { CcxtPoller } from './ccxt-poll.ts';

export interface CcxtCandle {
  /** open time, epoch ms */
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** base-currency volume */
  volume: number;
}

export interface CandlesBatch {
  /** candles closed since the last poll, oldest first */
  candles: CcxtCandle[];
  /** candles are missing between the previous poll's last one and this poll's first */
  gap: boolean;
}

export interface CcxtOhlcvOptions {
  symbols: readonly string[];
  /** ccxt timeframe (default '1m'); must be one the exchange lists */
  timeframe?: string;
  /** candles asked for per poll (default 100) */
  limit?: number;
  concurrency?: number;
  backoff?: BackoffOptions;
  /** a symbol with no successful poll for longer than this is stale (default two candles) */
  staleAfterMs?: number;
  logger?: Logger;
  onError?: (error: CcxtSourceError) => void;
}

export class CcxtOhlcvSource {
  readonly name: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly timeframeMs: number;
  readonly limit: number;
  private readonly tracker: CcxtHealth;
  private readonly poller: CcxtPoller;
  /** open time of the newest candle returned per symbol */
  private readonly lastTs = new Map<string, number>();

  constructor(exchange: Exchange, opts: CcxtOhlcvOptions) {
    this.name = `ccxt:${exchange.id}`;
    this.symbols = [...new Set(opts.symbols)];
    this.timeframe = opts.timeframe ?? '1m';
    if (exchange.timeframes === undefined || !Object.hasOwn(exchange.timeframes, this.timeframe)) {
      throw new RangeError(`${this.name} has no timeframe "${this.timeframe}" (has ${Object.keys(exchange.timeframes ?? {}).join(', ')})`);
    }
    this.timeframeMs = exchange.parseTimeframe(this.timeframe) * 1000;
    this.limit = opts.limit ?? 100;
    if (!(Number.isInteger(this.limit) && this.limit >= 2)) throw new RangeError(`${this.name} OHLCV limit must be an integer >= 2 (the last row is still open), got ${this.limit}`);
    this.tracker = new CcxtHealth(opts.staleAfterMs ?? 2 * this.timeframeMs, opts.backoff);
    this.poller = new CcxtPoller(exchange, this.tracker, opts);
  }

  /**
   * Candles closed by `nowMs` and not returned before, per symbol polled successfully now.
   * Rejects only when the markets cannot be loaded (CcxtSourceError, symbol null).
   */
  async poll(nowMs: number): Promise<Map<string, CandlesBatch>> {
    return this.poller.round(this.symbols, nowMs, 'fetchOHLCV', async (ccxtSymbol, engine) => {
      const raw = await this.poller.exchange.fetchOHLCV(ccxtSymbol, this.timeframe, undefined, this.limit);
      return this.fresh(engine, toCandles(engine, ccxtSymbol, raw), nowMs);
    });
  }

  health(nowMs: number): KeyHealth[] {
    return this.symbols.map((s) => this.tracker.get(s, nowMs));
  }

  stale(nowMs: number): boolean {
    return this.health(nowMs).some((h) => h.stale);
  }

  private fresh(engine: string, all: CcxtCandle[], nowMs: number): CandlesBatch {
    const last = this.lastTs.get(engine);
    const candles = all.filter((c) => c.ts + this.timeframeMs <= nowMs && (last === undefined || c.ts > last)).sort((a, b) => a.ts - b.ts);
    if (candles.length === 0) return { candles, gap: false };
    this.lastTs.set(engine, candles[candles.length - 1].ts);
    return { candles, gap: last !== undefined && candles[0].ts > last + this.timeframeMs };
  }
}

/** ccxt OHLCV rows → validated candles; the first bad row is a CcxtPayloadError naming symbol, row and field. */
export function toCandles(engine: string, ccxtSymbol: string, raw: readonly OHLCV[]): CcxtCandle[] {
  const endpoint = `fetchOHLCV(${ccxtSymbol})`;
  if (!Array.isArray(raw)) throw new CcxtPayloadError(endpoint, engine, 'answer is not a list of candles');
  const fields = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
  const out = raw.map((row, i) => {
    if (!Array.isArray(row) || row.length < 6) throw new CcxtPayloadError(endpoint, engine, `row ${i} is not [ts, open, high, low, close, volume]: ${JSON.stringify(row)}`);
    const c = {} as CcxtCandle;
    fields.forEach((f, j) => {
      const v: unknown = row[j];
      const ok = typeof v === 'number' && Number.isFinite(v) && (f === 'volume' ? v >= 0 : f === 'ts' ? v >= 0 : v > 0);
      if (!ok) throw new CcxtPayloadError(endpoint, engine, `row ${i} ${f} is invalid: ${JSON.stringify(v) ?? String(v)}`);
      c[f] = v as number;
    });
    if (c.low > Math.min(c.open, c.close) || c.high < Math.max(c.open, c.close)) {
      throw new CcxtPayloadError(endpoint, engine, `row ${i} (ts ${c.ts}) is inconsistent: low ${c.low} / high ${c.high} do not bound open ${c.open} and close ${c.close}`);
    }
    return c;
  });
  return out;
}
