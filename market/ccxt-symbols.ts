// Engine asset names (BTCUSDT, the Binance ids the day files use) ↔ ccxt unified symbols
// (BTC/USDT:USDT), built from the exchange's loaded market list rather than by string surgery: the
// list knows which markets are linear perpetuals, which are dated futures (BTCUSDT_260626) and
// which are not trading.
import type { Exchange, MarketInterface } from 'ccxt';
import { CcxtHealth } from './ccxt-backoff.ts';
import { CcxtSourceError } from './ccxt-errors.ts';

export class CcxtSymbolMap {
  private constructor(
    readonly exchangeId: string,
    private readonly toCcxt: ReadonlyMap<string, string>,
    private readonly toEngine: ReadonlyMap<string, string>,
  ) {}

  /**
   * Active linear perpetual swaps only. The engine name is the exchange's own base id + quote id
   * (BTC + USDT = BTCUSDT, 1000PEPE + USDT = 1000PEPEUSDT), which is Binance's market id and the
   * usual name elsewhere; ccxt's unified base + quote is added as an alias when it differs and is
   * free. Two markets claiming one name: the one settled in its quote currency wins.
   */
  static fromMarkets(exchangeId: string, markets: Iterable<MarketInterface>): CcxtSymbolMap {
    const chosen = new Map<string, MarketInterface>();
    const aliases: [string, MarketInterface][] = [];
    for (const m of markets) {
      if (m.swap !== true || m.linear !== true || m.active === false) continue;
      const name = engineName(m.baseId ?? m.base, m.quoteId ?? m.quote);
      const prev = chosen.get(name);
      if (prev === undefined || (prev.settle !== prev.quote && m.settle === m.quote)) chosen.set(name, m);
      const unified = engineName(m.base, m.quote);
      if (unified !== name) aliases.push([unified, m]);
    }
    const toCcxt = new Map<string, string>();
    const toEngine = new Map<string, string>();
    for (const [name, m] of chosen) {
      toCcxt.set(name, m.symbol);
      toEngine.set(m.symbol, name);
    }
    for (const [alias, m] of aliases) if (!toCcxt.has(alias) && toEngine.has(m.symbol)) toCcxt.set(alias, m.symbol);
    return new CcxtSymbolMap(exchangeId, toCcxt, toEngine);
  }

  /** ccxt unified symbol of an engine asset; undefined when the exchange lists no active linear perpetual for it */
  ccxtSymbol(engine: string): string | undefined {
    return this.toCcxt.get(engine);
  }

  /** engine asset name of a ccxt unified symbol; undefined when the symbol is not a mapped market */
  engineSymbol(ccxtSymbol: string): string | undefined {
    return this.toEngine.get(ccxtSymbol);
  }

  /** engine names of every mapped market (aliases excluded), sorted */
  engineSymbols(): string[] {
    return [...this.toEngine.values()].sort();
  }
}

function engineName(base: string, quote: string): string {
  return (base + quote).toUpperCase();
}

/**
 * Loads the exchange's markets (ccxt caches them) and maps them. `reload` after a failed load: ccxt
 * keeps the rejected promise of a failed loadMarkets() and hands it to every later plain call.
 */
export async function loadSymbolMap(exchange: Exchange, reload = false): Promise<CcxtSymbolMap> {
  const markets = await exchange.loadMarkets(reload);
  return CcxtSymbolMap.fromMarkets(exchange.id, Object.values(markets).filter((m): m is MarketInterface => m !== undefined));
}

/** the health key market loading is tracked under (no engine symbol can be called this) */
export const MARKETS_KEY = '(markets)';

/**
 * The symbol map for a source, loaded on first use. A failed load backs off like a symbol does;
 * while the markets are missing every call rejects with a source-wide CcxtSourceError (symbol null).
 */
export class CcxtMarkets {
  private map: CcxtSymbolMap | null = null;
  private lastFailure: CcxtSourceError | null = null;

  constructor(
    private readonly exchange: Exchange,
    private readonly source: string,
    private readonly health: CcxtHealth,
  ) {}

  async get(nowMs: number): Promise<CcxtSymbolMap> {
    if (this.map !== null) return this.map;
    if (this.lastFailure !== null && !this.health.due(MARKETS_KEY, nowMs)) {
      // same class as the last failure (so retryable or not), without asking the exchange again
      const h = this.health.get(MARKETS_KEY, nowMs);
      const when = h.dropped ? 'given up' : `backing off, next try in ${h.retryAtMs - nowMs} ms`;
      throw new CcxtSourceError(this.source, null, `loadMarkets (${when})`, this.lastFailure.cause);
    }
    try {
      this.map = await loadSymbolMap(this.exchange, this.lastFailure !== null);
      this.health.succeeded(MARKETS_KEY, nowMs);
      this.lastFailure = null;
      return this.map;
    } catch (e) {
      const err = new CcxtSourceError(this.source, null, 'loadMarkets', e);
      this.health.failed(MARKETS_KEY, nowMs, err.retryable, err.message);
      this.lastFailure = err;
      throw err;
    }
  }
}
