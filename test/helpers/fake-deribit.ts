// A fake Deribit on 127.0.0.1 for the Volume Shock option source: answers the public REST endpoints
// ccxt 4.5's deribit calls for option chains, greeks and trades, from fixtures in Deribit's own format
// (test/fixtures/deribit-options/). Fixture data is mutable so a test can add trades between polls;
// failures are injected per path. Tests never touch the network: point ccxt here with
// `apiOrigin: fake.origin` (market/ccxt-exchange.ts).
//
// Routes (all GET, prefix /api/v2/public/):
//   get_currencies, get_instruments                      ccxt loadMarkets
//   get_book_summary_by_currency?currency&kind           fetchOptionChain
//   ticker?instrument_name                               fetchGreeks, fetchTicker
//   get_last_trades_by_currency_and_time?currency&kind&start_timestamp&end_timestamp&count&sorting
//   get_last_trades_by_instrument_and_time?instrument_name&start_timestamp&end_timestamp&count&sorting
// Anything else answers 404 naming the path, is kept in `unknownPaths` and written to stderr.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import type { Exchange } from 'ccxt';
import { createCcxtExchange, type CcxtExchangeConfig } from '../../market/ccxt-exchange.ts';

export const DERIBIT_FIXTURES = resolve(fileURLToPath(import.meta.url), '..', '..', 'fixtures', 'deribit-options');
/** the fixtures' snapshot time, 2026-03-07T12:00:00Z */
export const FIXTURE_NOW = 1_772_884_800_000;

const PREFIX = '/api/v2/public/';

export type DeribitFailure =
  /** an HTTP error; the body defaults to a Deribit JSON-RPC error, a string is sent as it is */
  | { kind: 'status'; status: number; body?: unknown }
  /** 200 with a truncated JSON body */
  | { kind: 'malformed' }
  /** 200 with this JSON payload, e.g. a wrong shape */
  | { kind: 'json'; body: unknown };

export interface DeribitFailureRule {
  /** endpoint name after /api/v2/public/, e.g. `ticker` */
  endpoint: string;
  times?: number;
  failure: DeribitFailure;
}

type Json = Record<string, unknown>;
type Answer = { status: number; body: unknown };

export class FakeDeribit {
  readonly requests: { endpoint: string; query: Record<string, string>; status: number }[] = [];
  readonly unknownPaths: string[] = [];
  currencies: Json[];
  instruments: Json[];
  bookSummary: Json[];
  optionTrades: Json[];
  perpetualTrades: Json[];
  readonly tickers = new Map<string, Json>();
  private readonly rules: (DeribitFailureRule & { left: number })[] = [];
  private readonly routes: Map<string, (q: Record<string, string>) => Answer>;

  private constructor(private readonly server: Server, readonly origin: string, dir: string) {
    const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
    this.currencies = read('get_currencies.json').result;
    this.instruments = read('get_instruments.json').result;
    this.bookSummary = read('get_book_summary_by_currency-BTC-option.json').result;
    this.optionTrades = read('get_last_trades_by_currency_and_time-BTC-option.json').result.trades;
    this.perpetualTrades = read('get_last_trades_by_instrument_and_time-BTC-PERPETUAL.json').result.trades;
    for (const r of read('ticker.json') as { result: Json }[]) this.tickers.set(String(r.result.instrument_name), r.result);
    this.routes = new Map<string, (q: Record<string, string>) => Answer>([
      ['get_currencies', () => ok(this.currencies)],
      ['get_instruments', (q) => ok(this.instruments.filter((i) => (q.currency === undefined || i.base_currency === q.currency) && (q.kind === undefined || i.kind === q.kind)))],
      ['get_book_summary_by_currency', (q) => (q.currency === 'BTC' ? ok(this.bookSummary.filter(() => q.kind === undefined || q.kind === 'option')) : invalid('currency'))],
      ['ticker', (q) => {
        const t = this.tickers.get(q.instrument_name);
        return t === undefined ? invalid('instrument_name') : ok(t);
      }],
      ['get_last_trades_by_currency_and_time', (q) => (q.currency === 'BTC' ? ok(page(this.optionTrades, q)) : invalid('currency'))],
      ['get_last_trades_by_instrument_and_time', (q) => (q.instrument_name === 'BTC-PERPETUAL' ? ok(page(this.perpetualTrades, q)) : invalid('instrument_name'))],
    ]);
  }

  static async start(dir = DERIBIT_FIXTURES): Promise<FakeDeribit> {
    const server = createServer();
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(0, '127.0.0.1', () => res());
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeDeribit(server, `http://127.0.0.1:${port}`, dir);
    server.on('request', (req, res) => fake.handle(req, res));
    return fake;
  }

  fail(rule: DeribitFailureRule): void {
    this.rules.push({ ...rule, left: rule.times ?? Infinity });
  }

  count(endpoint: string): number {
    return this.requests.filter((r) => r.endpoint === endpoint).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((res) => this.server.close(() => res()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.origin);
    const query = Object.fromEntries(url.searchParams);
    const endpoint = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    const record = { endpoint, query, status: 200 };
    this.requests.push(record);
    const send = (status: number, body: string) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const rule = this.rules.find((r) => r.left > 0 && r.endpoint === endpoint);
    if (rule !== undefined) {
      rule.left -= 1;
      const f = rule.failure;
      if (f.kind === 'malformed') return send(200, '{"jsonrpc":"2.0","result":{"trades":[{"trade_id":"1","amou');
      if (f.kind === 'json') return send(200, JSON.stringify(f.body));
      // a string body goes out as it is (an HTML or plain-text error page), anything else as JSON
      return send(f.status, typeof f.body === 'string' ? f.body : JSON.stringify(f.body ?? { jsonrpc: '2.0', error: { message: 'Internal error', code: 11_000 }, testnet: false }));
    }
    const route = req.method === 'GET' ? this.routes.get(endpoint) : undefined;
    if (route === undefined) {
      const msg = `fake-deribit: no route for ${req.method} ${url.pathname} (known: ${[...this.routes.keys()].join(', ')})`;
      this.unknownPaths.push(`${req.method} ${url.pathname}`);
      process.stderr.write(msg + '\n');
      return send(404, JSON.stringify({ fakeDeribit: 'no route', path: url.pathname }));
    }
    const { status, body } = route(query);
    send(status, JSON.stringify(body));
  }
}

function ok(result: unknown): Answer {
  return { status: 200, body: { jsonrpc: '2.0', result, usIn: 0, usOut: 0, usDiff: 0, testnet: false } };
}

function invalid(param: string): Answer {
  return { status: 400, body: { jsonrpc: '2.0', error: { message: 'Invalid params', data: { reason: 'wrong format', param }, code: -32602 }, testnet: false } };
}

/** Deribit's paging: trades in [start, end], in the asked order, at most `count` (default 10), has_more when cut. */
function page(trades: readonly Json[], q: Record<string, string>): { trades: Json[]; has_more: boolean } {
  const from = Number(q.start_timestamp ?? -Infinity);
  const to = Number(q.end_timestamp ?? Infinity);
  const count = Number(q.count ?? 10);
  const inRange = trades.filter((t) => Number(t.timestamp) >= from && Number(t.timestamp) <= to).sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
  if (q.sorting === 'desc') inRange.reverse();
  return { trades: inRange.slice(0, count), has_more: inRange.length > count };
}

/** A fake for one test, closed when it ends, and a ccxt deribit pointed at it (no throttle, 3 s timeout). */
export async function fakeDeribitFor(t: ExecutionContext): Promise<{ fake: FakeDeribit; connect: (config?: CcxtExchangeConfig) => Exchange }> {
  const fake = await FakeDeribit.start();
  t.teardown(() => fake.close());
  const connect = (config: CcxtExchangeConfig = {}) =>
    createCcxtExchange({ exchangeId: 'deribit', enableRateLimit: false, timeoutMs: 3_000, ...config, apiOrigin: fake.origin });
  return { fake, connect };
}
