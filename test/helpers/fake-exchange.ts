// A fake exchange on 127.0.0.1 for the ccxt sources: answers the REST endpoints ccxt's binanceusdm and
// deribit call (and alternative.me's fear & greed) from fixture JSON in the exchanges' own formats, and
// injects failures per endpoint and symbol so tests can drive backoff and staleness. Tests never touch
// the network: point ccxt here with `apiOrigin: fake.origin` (market/ccxt-exchange.ts).
//
// Routes (what ccxt 4.5 builds; see node_modules/ccxt/js/src/binance.js and deribit.js):
//   GET /fapi/v1/exchangeInfo                     loadMarkets (binanceusdm fetches only the linear list)
//   GET /fapi/v1/depth?symbol&limit               fetchOrderBook
//   GET /fapi/v1/aggTrades?symbol&limit[&startTime&endTime|fromId]   fetchTrades (swap default method)
//   GET /fapi/v1/klines?symbol&interval&limit[&startTime&endTime]    fetchOHLCV
//   GET /fapi/v1/premiumIndex?symbol              fetchFundingRate
//   GET /api/v2/public/get_volatility_index_data?currency&start_timestamp&end_timestamp&resolution   DVOL
//   GET /fng/?limit                               alternative.me fear & greed (not ccxt)
// Anything else answers 404 with a body naming the path, is kept in `unknownPaths` and written to stderr,
// so a route ccxt needs and the fake lacks is obvious in the failing test's message.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import type { Exchange } from 'ccxt';
import { createCcxtExchange, type CcxtExchangeConfig } from '../../market/ccxt-exchange.ts';

export const FIXTURES_DIR = resolve(fileURLToPath(import.meta.url), '..', '..', 'fixtures', 'ccxt');

export type FakeFailure =
  /** an HTTP error; the body defaults to what the exchange sends for that status */
  | { kind: 'status'; status: number; body?: string }
  /** accept the request and never answer (the client's timeout fires) */
  | { kind: 'hang' }
  /** 200 with a truncated JSON body */
  | { kind: 'malformed' }
  /** 200 (or `status`) with this JSON payload, e.g. a wrong shape */
  | { kind: 'json'; status?: number; body: unknown }
  /** the normal answer, `ms` late (to see how many requests are in flight at once) */
  | { kind: 'delay'; ms: number };

export interface FailureRule {
  /** request path, e.g. `/fapi/v1/depth` */
  path: string;
  /** the request's `symbol` (Binance) or `currency` (Deribit); any when absent */
  symbol?: string;
  /** how many matching requests fail; unlimited when absent */
  times?: number;
  failure: FakeFailure;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** the status answered, or 'hang' */
  status: number | 'hang';
}

const BINANCE_BODIES: Record<number, string> = {
  429: '{"code":-1003,"msg":"Too many requests; current limit is 2400 request weight per 1 MINUTE. Please use the websocket for live updates to avoid polling the API."}',
  418: '{"code":-1003,"msg":"Way too many requests; IP(127.0.0.1) banned until 1772885400000. Please use the websocket for live updates to avoid bans."}',
  503: 'Service Unavailable',
  400: '{"code":-1121,"msg":"Invalid symbol."}',
};

type Json = unknown;
type Handler = (q: Record<string, string>) => { status: number; body: Json };

export class FakeExchange {
  readonly requests: FakeRequest[] = [];
  /** most requests being answered at one time so far */
  maxInFlight = 0;
  private inFlight = 0;
  readonly unknownPaths: string[] = [];
  private readonly rules: (FailureRule & { left: number })[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly routes: Map<string, Handler>;
  /** per symbol, mutable so tests can add trades between polls */
  readonly aggTrades = new Map<string, Record<string, unknown>[]>();
  /** key `SYMBOL:interval` */
  readonly klines = new Map<string, unknown[][]>();
  readonly depth = new Map<string, Record<string, unknown>>();
  readonly premiumIndex = new Map<string, Record<string, unknown>>();
  /** Deribit DVOL candles per currency: [ts, open, high, low, close] */
  readonly dvol = new Map<string, number[][]>();
  exchangeInfo: Record<string, unknown>;
  fng: Record<string, unknown>;

  private constructor(private readonly server: Server, readonly origin: string, dir: string) {
    const read = (...p: string[]) => JSON.parse(readFileSync(join(dir, ...p), 'utf8'));
    this.exchangeInfo = read('binanceusdm', 'exchangeInfo.json');
    for (const s of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) this.depth.set(s, read('binanceusdm', 'depth', `${s}.json`));
    for (const s of ['BTCUSDT', 'ETHUSDT']) this.aggTrades.set(s, read('binanceusdm', 'aggTrades', `${s}.json`));
    this.klines.set('BTCUSDT:1m', read('binanceusdm', 'klines', 'BTCUSDT-1m.json'));
    this.premiumIndex.set('BTCUSDT', read('binanceusdm', 'premiumIndex', 'BTCUSDT.json'));
    this.dvol.set('BTC', read('deribit', 'get_volatility_index_data-BTC.json').result.data);
    this.fng = read('alternative-me', 'fng.json');
    this.routes = new Map<string, Handler>([
      ['/fapi/v1/exchangeInfo', () => ({ status: 200, body: this.exchangeInfo })],
      ['/fapi/v1/depth', (q) => this.answerDepth(q)],
      ['/fapi/v1/aggTrades', (q) => this.answerAggTrades(q)],
      ['/fapi/v1/klines', (q) => this.answerKlines(q)],
      ['/fapi/v1/premiumIndex', (q) => this.answerPremiumIndex(q)],
      ['/api/v2/public/get_volatility_index_data', (q) => this.answerDvol(q)],
      ['/fng/', () => ({ status: 200, body: this.fng })],
    ]);
  }

  /** Starts on 127.0.0.1 on a free port, serving the fixtures in `dir` (test/fixtures/ccxt). */
  static async start(dir = FIXTURES_DIR): Promise<FakeExchange> {
    const server = createServer();
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => ok());
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeExchange(server, `http://127.0.0.1:${port}`, dir);
    server.on('request', (req, res) => fake.handle(req, res));
    return fake;
  }

  /** Makes matching requests fail (rules are checked in the order added; the first live one wins). */
  fail(rule: FailureRule): void {
    this.rules.push({ ...rule, left: rule.times ?? Infinity });
  }

  clearFailures(): void {
    this.rules.length = 0;
  }

  /** requests to `path` (for `symbol`, when given) so far */
  count(path: string, symbol?: string): number {
    return this.requests.filter((r) => r.path === path && (symbol === undefined || symbolOf(r.query) === symbol)).length;
  }

  /** Stops the server and drops every connection, hanging ones included. */
  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.origin);
    const query = Object.fromEntries(url.searchParams);
    const path = url.pathname;
    const record: FakeRequest = { method: req.method ?? 'GET', path, query, status: 200 };
    this.requests.push(record);

    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => (this.inFlight -= 1));

    const rule = this.rules.find((r) => r.left > 0 && r.path === path && (r.symbol === undefined || r.symbol === symbolOf(query)));
    if (rule !== undefined) {
      rule.left -= 1;
      const f = rule.failure;
      if (f.kind === 'delay') {
        setTimeout(() => this.route(req, res, path, query, record), f.ms);
        return;
      }
      if (f.kind === 'hang') {
        record.status = 'hang';
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      if (f.kind === 'malformed') return this.send(res, record, 200, '{"lastUpdateId":1,"bids":[["67250.10","3.4', 'application/json');
      if (f.kind === 'json') return this.send(res, record, f.status ?? 200, JSON.stringify(f.body), 'application/json');
      const body = f.body ?? BINANCE_BODIES[f.status] ?? `HTTP ${f.status}`;
      return this.send(res, record, f.status, body, body.startsWith('{') ? 'application/json' : 'text/plain');
    }
    this.route(req, res, path, query, record);
  }

  private route(req: IncomingMessage, res: ServerResponse, path: string, query: Record<string, string>, record: FakeRequest): void {
    if (res.destroyed) return;
    const route = req.method === 'GET' ? this.routes.get(path) : undefined;
    if (route === undefined) {
      this.unknownPaths.push(`${req.method} ${path}`);
      const known = [...this.routes.keys()].join(', ');
      const msg = `fake-exchange: no route for ${req.method} ${path} (known: ${known})`;
      process.stderr.write(msg + '\n');
      return this.send(res, record, 404, JSON.stringify({ fakeExchange: 'no route', method: req.method, path, known }), 'application/json');
    }
    const { status, body } = route(query);
    this.send(res, record, status, JSON.stringify(body), 'application/json');
  }

  private send(res: ServerResponse, record: FakeRequest, status: number, body: string, type: string): void {
    record.status = status;
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private answerDepth(q: Record<string, string>): { status: number; body: Json } {
    const book = this.depth.get(q.symbol);
    if (book === undefined) return invalidSymbol();
    const limit = q.limit !== undefined ? Number(q.limit) : 500;
    const cut = (side: unknown) => (Array.isArray(side) ? side.slice(0, limit) : side);
    return { status: 200, body: { ...book, bids: cut(book.bids), asks: cut(book.asks) } };
  }

  // Binance gives the newest `limit` aggTrades, oldest first; with startTime/endTime the oldest `limit` in the range.
  private answerAggTrades(q: Record<string, string>): { status: number; body: Json } {
    if (!this.isListed(q.symbol)) return invalidSymbol();
    let rows = this.aggTrades.get(q.symbol) ?? [];
    const limit = q.limit !== undefined ? Number(q.limit) : 500;
    if (q.fromId !== undefined) rows = rows.filter((r) => Number(r.a) >= Number(q.fromId)).slice(0, limit);
    else if (q.startTime !== undefined) {
      rows = rows.filter((r) => Number(r.T) >= Number(q.startTime) && (q.endTime === undefined || Number(r.T) <= Number(q.endTime))).slice(0, limit);
    } else rows = rows.slice(-limit);
    return { status: 200, body: rows };
  }

  private answerKlines(q: Record<string, string>): { status: number; body: Json } {
    if (!this.isListed(q.symbol)) return invalidSymbol();
    let rows = this.klines.get(`${q.symbol}:${q.interval}`) ?? [];
    const limit = q.limit !== undefined ? Number(q.limit) : 500;
    if (q.startTime !== undefined) rows = rows.filter((r) => Number(r[0]) >= Number(q.startTime));
    if (q.endTime !== undefined) rows = rows.filter((r) => Number(r[0]) <= Number(q.endTime));
    return { status: 200, body: q.startTime !== undefined ? rows.slice(0, limit) : rows.slice(-limit) };
  }

  private answerPremiumIndex(q: Record<string, string>): { status: number; body: Json } {
    if (q.symbol === undefined) return { status: 200, body: [...this.premiumIndex.values()] };
    const row = this.premiumIndex.get(q.symbol);
    return row === undefined ? invalidSymbol() : { status: 200, body: row };
  }

  private answerDvol(q: Record<string, string>): { status: number; body: Json } {
    const rows = this.dvol.get(q.currency);
    if (rows === undefined) {
      return {
        status: 400,
        body: { jsonrpc: '2.0', error: { message: 'Invalid params', data: { reason: 'invalid currency', param: 'currency' }, code: -32602 }, testnet: false, usIn: 0, usOut: 0, usDiff: 0 },
      };
    }
    const from = Number(q.start_timestamp ?? -Infinity);
    const to = Number(q.end_timestamp ?? Infinity);
    const data = rows.filter((r) => r[0] >= from && r[0] <= to);
    return { status: 200, body: { jsonrpc: '2.0', result: { data, continuation: null }, usIn: 0, usOut: 0, usDiff: 0, testnet: false } };
  }

  private isListed(symbol: string | undefined): boolean {
    const symbols = this.exchangeInfo.symbols as { symbol: string }[];
    return symbol !== undefined && symbols.some((s) => s.symbol === symbol);
  }
}

function symbolOf(q: Record<string, string>): string | undefined {
  return q.symbol ?? q.currency;
}

function invalidSymbol(): { status: number; body: Json } {
  return { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } };
}

/**
 * A fake for one test, closed when the test ends, and a ccxt exchange pointed at it (binanceusdm
 * unless `exchangeId` says otherwise). The throttle is off so tests take milliseconds; the timeout
 * (3 s unless given) only bounds a request the fake was told to hang, and is kept well above what a
 * loaded test machine needs to answer a loopback request.
 */
export async function fakeFor(t: ExecutionContext): Promise<{ fake: FakeExchange; connect: (config?: CcxtExchangeConfig) => Exchange }> {
  const fake = await FakeExchange.start();
  t.teardown(() => fake.close());
  const connect = (config: CcxtExchangeConfig = {}) => createCcxtExchange({ enableRateLimit: false, timeoutMs: 3_000, ...config, apiOrigin: fake.origin });
  return { fake, connect };
}
