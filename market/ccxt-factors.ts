// Live ACB v6 external factors (bible §10.2) from ccxt and alternative.me: funding_btc (Binance
// fetchFundingRate on the BTC perpetual), dvol_btc (Deribit DVOL, ccxt-dvol.ts), fng (Fear & Greed,
// ccxt-fng.ts) and taker (buy/sell taker volume ratio of recent BTC trades, ccxt-taker.ts). Each
// factor fails alone: its value is NaN (the ACB counts no signal for it) and its health says why;
// one failing factor never fails the reading.
import { BadSymbol, type Exchange } from 'ccxt';
import type { Logger } from 'pino';
import type { ExternalFactors } from '../engine/types.ts';
import { CcxtHealth, type BackoffOptions, type KeyHealth } from './ccxt-backoff.ts';
import { fetchDvol, DVOL_METHOD, type DvolOptions } from './ccxt-dvol.ts';
import { CcxtPayloadError, CcxtSourceError } from './ccxt-errors.ts';
import { readFearGreed, type FearGreedSource } from './ccxt-fng.ts';
import { CcxtMarkets } from './ccxt-symbols.ts';
import { TakerWindow, DEFAULT_TAKER_WINDOW_MS, type TakerRatio } from './ccxt-taker.ts';
import { CcxtTradesSource } from './ccxt-trades.ts';
import { FACTOR_COLUMNS } from './factors.ts';

export type FactorName = (typeof FACTOR_COLUMNS)[number];

export interface FactorHealth extends KeyHealth {
  /** the value in this reading: NaN unless the factor's latest attempt succeeded */
  value: number;
  /** the time the value refers to (funding/DVOL/FNG data time, the window end for taker); null if none */
  dataTs: number | null;
  /** false when the factor has no source configured (DVOL without a Deribit exchange, no FNG source) */
  configured: boolean;
}

export interface FactorsReading {
  ts: number;
  /** NaN for a factor that failed, backs off, is disabled or not configured */
  factors: ExternalFactors;
  health: Record<FactorName, FactorHealth>;
  /** factors whose value is NaN, in FACTOR_COLUMNS order */
  failed: FactorName[];
  /** the taker window's volumes, for logs; null when the taker poll failed */
  taker: TakerRatio | null;
}

export interface CcxtFactorsOptions {
  /** the perpetual-futures exchange (binanceusdm): funding rate and BTC trades */
  exchange: Exchange;
  /** ccxt's deribit for DVOL; absent or null: dvol_btc is NaN, flagged "not configured" */
  deribit?: Exchange | null;
  /** engine name of the BTC perpetual (default BTCUSDT) */
  btcSymbol?: string;
  /** taker ratio window (ms, default 300 000 = 5 min, Binance's shortest takerlongshortRatio period) */
  takerWindowMs?: number;
  /** trades asked for per poll (default 1000) */
  takerTradesLimit?: number;
  /** the Fear & Greed file or URL; absent or null: fng is NaN, flagged "not configured" */
  fearGreed?: FearGreedSource | null;
  /** an FNG value older than this is refused (default 48 h: the index is published daily) */
  fearGreedMaxAgeMs?: number;
  dvol?: DvolOptions;
  /** a factor fetched successfully less than this long ago is not fetched again (ms); taker polls every read */
  refreshMs?: Partial<Record<Exclude<FactorName, 'taker'>, number>>;
  backoff?: BackoffOptions;
  logger?: Logger;
  /** every retryable failure, and each permanent one once */
  onError?: (error: CcxtSourceError) => void;
}

/** the index is published once a day; a value older than two days means nobody refreshes the source */
export const DEFAULT_FNG_MAX_AGE_MS = 48 * 3_600_000;

export const DEFAULT_REFRESH_MS: Record<Exclude<FactorName, 'taker'>, number> = { funding_btc: 60_000, dvol_btc: 60_000, fng: 3_600_000 };

interface Cached {
  value: number;
  dataTs: number;
  atMs: number;
}

export class CcxtFactorsSource {
  readonly name: string;
  readonly btcSymbol: string;
  private readonly tracker: CcxtHealth;
  private readonly markets: CcxtMarkets;
  private readonly trades: CcxtTradesSource;
  private readonly window: TakerWindow;
  private readonly cache = new Map<FactorName, Cached>();
  private readonly refreshMs: Record<Exclude<FactorName, 'taker'>, number>;
  private lastTaker: TakerRatio | null = null;

  constructor(private readonly opts: CcxtFactorsOptions) {
    this.name = `ccxt-factors:${opts.exchange.id}`;
    this.btcSymbol = opts.btcSymbol ?? 'BTCUSDT';
    this.refreshMs = { ...DEFAULT_REFRESH_MS, ...opts.refreshMs };
    // staleness here is "the latest attempt failed"; the age limit only matters if reads stop
    this.tracker = new CcxtHealth(Math.max(...Object.values(this.refreshMs)) * 2, opts.backoff);
    this.markets = new CcxtMarkets(opts.exchange, this.name, this.tracker);
    this.window = new TakerWindow(opts.takerWindowMs ?? DEFAULT_TAKER_WINDOW_MS);
    this.trades = new CcxtTradesSource(opts.exchange, {
      symbols: [this.btcSymbol],
      limit: opts.takerTradesLimit ?? 1000,
      backoff: opts.backoff,
      logger: opts.logger,
      onError: opts.onError,
    });
  }

  /** Fetches what is due (in parallel) and returns every factor with its health. Never rejects. */
  async read(nowMs: number): Promise<FactorsReading> {
    const { deribit, fearGreed } = this.opts;
    await Promise.all([
      this.refresh('funding_btc', nowMs, 'fetchFundingRate', () => this.funding(nowMs)),
      deribit ? this.refresh('dvol_btc', nowMs, DVOL_METHOD, () => fetchDvol(deribit, nowMs, this.opts.dvol)) : undefined,
      fearGreed ? this.refresh('fng', nowMs, 'fearGreed', () => readFearGreed(fearGreed, nowMs, this.opts.fearGreedMaxAgeMs ?? DEFAULT_FNG_MAX_AGE_MS)) : undefined,
      this.taker(nowMs),
    ]);
    const health = {} as Record<FactorName, FactorHealth>;
    const factors = {} as ExternalFactors;
    const failed: FactorName[] = [];
    for (const f of FACTOR_COLUMNS) {
      health[f] = this.factorHealth(f, nowMs);
      factors[f] = health[f].value;
      if (Number.isNaN(factors[f])) failed.push(f);
    }
    return { ts: nowMs, factors, health, failed, taker: failed.includes('taker') ? null : this.lastTaker };
  }

  private configured(f: FactorName): boolean {
    if (f === 'dvol_btc') return this.opts.deribit != null;
    if (f === 'fng') return this.opts.fearGreed != null;
    return true;
  }

  private factorHealth(f: FactorName, nowMs: number): FactorHealth {
    const configured = this.configured(f);
    const h = this.tracker.get(f, nowMs);
    const c = this.cache.get(f);
    const ok = configured && c !== undefined && h.consecutiveFailures === 0 && !h.dropped;
    return {
      ...h,
      stale: !ok || h.stale,
      lastError: configured ? h.lastError : 'not configured',
      value: ok ? c.value : NaN,
      dataTs: c?.dataTs ?? null,
      configured,
    };
  }

  // one cached factor: reuse a recent success, skip while backing off, else fetch
  private async refresh(f: Exclude<FactorName, 'taker'>, nowMs: number, endpoint: string, fetch: () => Promise<{ value: number; ts: number }>): Promise<void> {
    const c = this.cache.get(f);
    const h = this.tracker.get(f, nowMs);
    if (c !== undefined && h.consecutiveFailures === 0 && nowMs - c.atMs < this.refreshMs[f]) return;
    if (!this.tracker.due(f, nowMs)) return;
    try {
      const r = await fetch();
      if (!Number.isFinite(r.value)) throw new CcxtPayloadError(endpoint, f, `value is not a finite number: ${r.value}`);
      this.cache.set(f, { value: r.value, dataTs: r.ts, atMs: nowMs });
      this.tracker.succeeded(f, nowMs);
    } catch (e) {
      this.fail(f, nowMs, endpoint, e);
    }
  }

  private async funding(nowMs: number): Promise<{ value: number; ts: number }> {
    const map = await this.markets.get(nowMs);
    const symbol = map.ccxtSymbol(this.btcSymbol);
    if (symbol === undefined) throw new BadSymbol(`${this.opts.exchange.id} lists no active linear perpetual for ${this.btcSymbol}`);
    const r = await this.opts.exchange.fetchFundingRate(symbol);
    const value = r.fundingRate;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new CcxtPayloadError(`fetchFundingRate(${symbol})`, this.btcSymbol, `fundingRate is invalid: ${JSON.stringify(value)}`);
    return { value, ts: r.timestamp ?? nowMs };
  }

  // taker is fed by the trades source, which keeps its own per-symbol backoff; the factor mirrors it
  private async taker(nowMs: number): Promise<void> {
    let batch;
    try {
      batch = (await this.trades.poll(nowMs)).get(this.btcSymbol);
    } catch (e) {
      this.fail('taker', nowMs, 'fetchTrades', e);
      return;
    }
    if (batch === undefined) {
      const th = this.trades.health(nowMs)[0];
      const why = th.dropped ? 'trades source dropped the symbol' : th.retryAtMs > nowMs ? `trades backing off until ${th.retryAtMs}` : 'no trades answer';
      this.tracker.failed('taker', nowMs, !th.dropped, `${why}: ${th.lastError ?? ''}`);
      this.cache.delete('taker');
      return;
    }
    this.window.add(batch.trades);
    const r = this.window.ratio(nowMs);
    this.lastTaker = r;
    if (Number.isNaN(r.ratio)) {
      this.fail('taker', nowMs, 'fetchTrades', new CcxtPayloadError('fetchTrades', this.btcSymbol, `no taker sell volume in the last ${this.window.windowMs} ms (${r.trades} trades): ratio undefined`));
      return;
    }
    this.cache.set('taker', { value: r.ratio, dataTs: nowMs, atMs: nowMs });
    this.tracker.succeeded('taker', nowMs);
  }

  private fail(f: FactorName, nowMs: number, endpoint: string, cause: unknown): void {
    const err = cause instanceof CcxtSourceError ? cause : new CcxtSourceError(this.name, f, endpoint, cause);
    const outcome = this.tracker.failed(f, nowMs, err.retryable, err.message);
    this.cache.delete(f);
    if (!err.retryable && !outcome.firstDrop) return;
    this.opts.logger?.warn({ source: this.name, factor: f, endpoint, kind: err.kind, retryInMs: outcome.retryInMs, err: err.message }, 'external factor failed; it reads NaN');
    this.opts.onError?.(err);
  }
}
