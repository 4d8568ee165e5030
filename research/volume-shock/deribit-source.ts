// Deribit option chains, trades and greeks through ccxt (public endpoints only; market/ccxt-exchange.ts
// creates the exchange, and tests point it at a loopback fake). One poll gives one chain update and
// one underlying observation:
//   fetchOptionChain(currency)                  the listed options and their rolling 24 h volume
//   public/get_last_trades_by_currency_and_time option trades since the last poll, with the taker side
//   fetchGreeks(symbol)                         delta of each instrument that traded (capped per poll)
//   fetchTicker(perpetual)                      the hedge instrument's price
//   public/get_last_trades_by_instrument_and_time  the perpetual's signed volume (the observed hedge)
// The two trade endpoints have no unified ccxt method; they go through ccxt's implicit API so its
// throttle, timeout and error mapping still apply. Until a strike has the detector's minimum of
// observed days, its baseline is the exchange's 24 h volume per window (a one-day baseline).
import type { Exchange, Market } from 'ccxt';
import { CcxtPayloadError, CcxtSourceError } from '../../market/ccxt-errors.ts';
import type { DeribitParams, SourceProfile } from './params.ts';
import type { ChainUpdate, ContractQuote, OptionPrint, UnderlyingTick } from './types.ts';
import { strikeKeyOf } from './volume-book.ts';

export const OPTION_TRADES_METHOD = 'publicGetGetLastTradesByCurrencyAndTime';
export const INSTRUMENT_TRADES_METHOD = 'publicGetGetLastTradesByInstrumentAndTime';
const PAGE = 1000;

export interface DeribitSourceSettings {
  deribit: DeribitParams;
  profile: SourceProfile;
  referencePrice: number;
}

export interface DeribitPoll {
  update: ChainUpdate;
  tick: UnderlyingTick;
  /** what the poll could not complete: instruments without a fresh delta, trade pages left unread */
  gaps: { missingDelta: number; optionTradesTruncated: boolean; perpetualTradesTruncated: boolean };
}

interface RawTrade {
  id: string;
  time: number;
  instrument: string;
  amount: number;
  side: 1 | -1;
}

export class DeribitOptionSource {
  readonly name: string;
  private loaded = false;
  private lastPoll: number | null = null;
  private readonly seen = new Map<string, number>();
  private readonly deltas = new Map<string, { delta: number; time: number }>();

  constructor(private readonly ex: Exchange, private readonly s: DeribitSourceSettings) {
    this.name = `ccxt:${ex.id}-options`;
  }

  async poll(now: number): Promise<DeribitPoll> {
    const d = this.s.deribit;
    if (!this.loaded) {
      await this.call('loadMarkets', () => this.ex.loadMarkets());
      this.loaded = true;
    }
    const chain = await this.call('fetchOptionChain', () => this.ex.fetchOptionChain(d.currency));
    const since = this.lastPoll ?? now - this.s.profile.window_minutes * 60_000;
    const optionTrades = await this.trades(OPTION_TRADES_METHOD, { currency: d.currency, kind: 'option' }, since, now);
    const perpTrades = await this.trades(INSTRUMENT_TRADES_METHOD, { instrument_name: this.marketId(d.perpetual) }, since, now);
    const ticker = await this.call('fetchTicker', () => this.ex.fetchTicker(d.perpetual));
    const price = ticker.last ?? ticker.close ?? ticker.markPrice;
    if (typeof price !== 'number' || !(price > 0)) throw new CcxtPayloadError('fetchTicker', d.perpetual, `no usable price (last ${ticker.last}, mark ${ticker.markPrice})`);

    // greeks for the instruments that traded, biggest volume first, up to the per-poll cap
    const volumeBy = new Map<string, number>();
    for (const t of optionTrades.trades) volumeBy.set(t.instrument, (volumeBy.get(t.instrument) ?? 0) + t.amount);
    const byId = new Map<string, Market>();
    for (const m of Object.values(this.ex.markets ?? {})) if (m?.id !== undefined) byId.set(m.id, m as Market);
    const wanted = [...volumeBy.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, d.max_greeks_per_poll);
    for (const [instrument] of wanted) {
      const m = byId.get(instrument);
      if (m === undefined) continue;
      const g = await this.call('fetchGreeks', () => this.ex.fetchGreeks(m.symbol));
      if (typeof g.delta === 'number' && Number.isFinite(g.delta)) this.deltas.set(instrument, { delta: g.delta, time: now });
    }

    const contracts: ContractQuote[] = [];
    const volume24 = new Map<string, number>();
    for (const [symbol, o] of Object.entries(chain)) {
      const m = this.ex.markets?.[symbol];
      if (m === undefined || m.option !== true || typeof m.strike !== 'number' || typeof m.expiry !== 'number') continue;
      const type = m.optionType === 'call' || m.optionType === 'put' ? m.optionType : null;
      if (type === null) continue;
      const cached = this.deltas.get(m.id);
      const fresh = cached !== undefined && now - cached.time <= d.delta_max_age_seconds * 1000;
      const markIv = Number((o.info as Record<string, unknown> | undefined)?.mark_iv);
      const q: ContractQuote = { id: m.id, expiry: new Date(m.expiry).toISOString().slice(0, 10), strike: m.strike, type, delta: fresh ? cached.delta : null, iv: markIv > 0 ? markIv / 100 : null };
      contracts.push(q);
      const key = strikeKeyOf(q);
      volume24.set(key, (volume24.get(key) ?? 0) + (o.baseVolume ?? 0));
    }
    const windowsPerDay = Math.max(1, this.s.profile.session_minutes / this.s.profile.window_minutes);
    const baselineHints = new Map([...volume24].map(([k, v]) => [k, v / windowsPerDay]));

    const prints: OptionPrint[] = optionTrades.trades.map((t) => ({ time: t.time, contractId: t.instrument, amount: t.amount, side: t.side }));
    const listed = new Set(contracts.map((c) => c.id));
    const missingDelta = [...volumeBy.keys()].filter((i) => listed.has(i) && contracts.find((c) => c.id === i)!.delta === null).length;
    // inverse perpetual: amounts are USD; BTC = USD / price; exposure units = BTC × price / reference = USD / reference
    const flow = perpTrades.truncated ? undefined : perpTrades.trades.reduce((s, t) => s + (t.side * t.amount) / this.s.referencePrice, 0);
    this.lastPoll = now;
    const day = new Date(now).toISOString().slice(0, 10);
    return {
      update: { time: now, day, underlying: d.currency, price, contracts, prints, baselineHints, dailyVolumeHint: [...volume24.values()].reduce((a, b) => a + b, 0) },
      tick: flow === undefined ? { time: now, day, price } : { time: now, day, price, flow },
      gaps: { missingDelta, optionTradesTruncated: optionTrades.truncated, perpetualTradesTruncated: perpTrades.truncated },
    };
  }

  private marketId(symbol: string): string {
    const id = this.ex.markets?.[symbol]?.id;
    if (typeof id !== 'string') throw new CcxtPayloadError('loadMarkets', symbol, `${this.ex.id} lists no market ${symbol}`);
    return id;
  }

  /** Trades in [since, now], oldest first, each once across polls; pages until has_more is false or the page cap. */
  private async trades(method: string, params: Record<string, string>, since: number, now: number): Promise<{ trades: RawTrade[]; truncated: boolean }> {
    const fn = (this.ex as unknown as Record<string, unknown>)[method];
    const label = `${method}(${params.currency ?? params.instrument_name})`;
    if (typeof fn !== 'function') throw new CcxtPayloadError(method, null, `${this.ex.id} has no ${method}: option trades need ccxt's deribit`);
    const out: RawTrade[] = [];
    let start = since;
    let truncated = true;
    for (let page = 0; page < this.s.deribit.max_trade_pages; page++) {
      const response: unknown = await this.call(method, () => fn.call(this.ex, { ...params, start_timestamp: start, end_timestamp: now, count: PAGE, sorting: 'asc' }));
      const result = (response as { result?: { trades?: unknown; has_more?: unknown } } | null)?.result;
      if (!Array.isArray(result?.trades)) throw new CcxtPayloadError(label, null, `answer has no result.trades array: ${JSON.stringify(response)?.slice(0, 80)}`);
      const rows = result.trades.map((raw: unknown, i: number) => parseTrade(raw, i, label));
      for (const t of rows) {
        if (this.seen.has(t.id)) continue;
        this.seen.set(t.id, t.time);
        out.push(t);
      }
      if (result.has_more !== true || rows.length === 0) {
        truncated = false;
        break;
      }
      start = rows[rows.length - 1].time;
    }
    // trade ids older than a window cannot come back: forget them
    for (const [id, time] of this.seen) if (time < since - this.s.profile.window_minutes * 60_000) this.seen.delete(id);
    return { trades: out, truncated };
  }

  private async call<T>(endpoint: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof CcxtPayloadError || e instanceof CcxtSourceError) throw e;
      throw new CcxtSourceError(this.name, this.s.deribit.currency, endpoint, e);
    }
  }
}

function parseTrade(raw: unknown, i: number, label: string): RawTrade {
  const t = raw as Record<string, unknown> | null;
  const bad = (what: string) => new CcxtPayloadError(label, null, `result.trades[${i}] ${what}: ${JSON.stringify(raw)?.slice(0, 120)}`);
  if (typeof t !== 'object' || t === null) throw bad('is not an object');
  const time = Number(t.timestamp);
  const amount = Number(t.amount);
  if (!Number.isFinite(time)) throw bad('has no timestamp');
  if (!(amount > 0)) throw bad('has no positive amount');
  if (t.direction !== 'buy' && t.direction !== 'sell') throw bad('has no direction buy/sell');
  if (typeof t.instrument_name !== 'string' || t.instrument_name === '') throw bad('has no instrument_name');
  return { id: String(t.trade_id ?? `${t.instrument_name}:${time}:${i}`), time, instrument: t.instrument_name, amount, side: t.direction === 'buy' ? 1 : -1 };
}
