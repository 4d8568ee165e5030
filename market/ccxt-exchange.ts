// Creates the ccxt exchange the market-data sources read from: public endpoints only (no API key is
// accepted), ccxt's rate limiter on, a request timeout, and a way to point every REST URL at another
// origin so tests talk to a loopback fake instead of the exchange.
import ccxt, { BadResponse, type Exchange } from 'ccxt';

export const DEFAULT_EXCHANGE_ID = 'binanceusdm';

export interface CcxtExchangeConfig {
  /** ccxt exchange id (default `binanceusdm`: Binance USDT-M futures) */
  exchangeId?: string;
  /** ccxt `options`, merged over the exchange's defaults */
  options?: Record<string, unknown>;
  /** ccxt's request throttle (default true) */
  enableRateLimit?: boolean;
  /** ms per unit of request weight for the throttle; ccxt's value for the exchange when absent */
  rateLimitMs?: number;
  /** per-request timeout (ms, default 10 000): a hung request becomes ccxt's RequestTimeout */
  timeoutMs?: number;
  /** replaces scheme://host[:port] of every http(s) URL in `urls.api`, e.g. `http://127.0.0.1:43210` */
  apiOrigin?: string;
  /** sets `urls.api` entries by key (applied after apiOrigin) */
  apiUrls?: Record<string, string>;
  /** reject a 2xx answer whose body is not JSON, as BadResponse naming the URL (default true) */
  strictJson?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

// keys ccxt reads credentials from: the market-data sources must never sign a request
const CREDENTIAL_KEYS = ['apiKey', 'secret', 'password', 'uid', 'privateKey', 'walletAddress', 'token'];

export function createCcxtExchange(config: CcxtExchangeConfig = {}): Exchange {
  const id = config.exchangeId ?? DEFAULT_EXCHANGE_ID;
  const classes = ccxt as unknown as Record<string, unknown>;
  if (!ccxt.exchanges.includes(id) || typeof classes[id] !== 'function') {
    throw new RangeError(`ccxt has no exchange "${id}" (ccxt ${ccxt.version})`);
  }
  for (const key of CREDENTIAL_KEYS) {
    if (Object.hasOwn(config, key) || (config.options !== undefined && Object.hasOwn(config.options, key))) {
      throw new RangeError(`ccxt exchange config: "${key}" is not accepted: the market-data sources use public endpoints only`);
    }
  }
  const timeout = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeout > 0 && Number.isFinite(timeout))) throw new RangeError(`ccxt timeoutMs must be a finite number > 0, got ${timeout}`);
  if (config.rateLimitMs !== undefined && !(config.rateLimitMs >= 0 && Number.isFinite(config.rateLimitMs))) {
    throw new RangeError(`ccxt rateLimitMs must be a finite number >= 0, got ${config.rateLimitMs}`);
  }

  const ctorConfig: Record<string, unknown> = { enableRateLimit: config.enableRateLimit ?? true, timeout };
  if (config.options !== undefined) ctorConfig.options = config.options;
  if (config.rateLimitMs !== undefined) ctorConfig.rateLimit = config.rateLimitMs;
  const exchange = new (classes[id] as ExchangeClass)(ctorConfig);

  if (config.apiOrigin !== undefined) exchange.urls.api = rewriteOrigins(exchange.urls.api, parseOrigin(config.apiOrigin)) as typeof exchange.urls.api;
  for (const [key, url] of Object.entries(config.apiUrls ?? {})) (exchange.urls.api as Record<string, unknown>)[key] = url;
  if (config.strictJson ?? true) installStrictJson(exchange);
  return exchange;
}

/** Every host the exchange's REST URLs point at, sorted and unique (for a startup log or a test). */
export function apiHosts(exchange: Exchange): string[] {
  const hosts = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/^https?:\/\//.test(v)) hosts.add(new URL(v).hostname);
    } else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  walk(exchange.urls.api);
  return [...hosts].sort();
}

function parseOrigin(origin: string): string {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    throw new RangeError(`ccxt apiOrigin must be a URL like http://127.0.0.1:8080, got "${origin}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new RangeError(`ccxt apiOrigin must be http or https, got "${origin}"`);
  return u.origin;
}

// urls.api is a string, a map of strings or nested maps depending on the exchange; websocket URLs are left alone
function rewriteOrigins(v: unknown, origin: string): unknown {
  if (typeof v === 'string') return v.replace(/^https?:\/\/[^/]+/, origin);
  if (Array.isArray(v)) return v.map((x) => rewriteOrigins(x, origin));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewriteOrigins(x, origin)]));
  return v;
}

// ccxt hands a 2xx body that is not JSON back as a string, which its parsers then read as an empty
// book or no trades. A truncated or garbled answer must be an error that names the URL instead.
function installStrictJson(exchange: Exchange): void {
  const original = exchange.onRestResponse.bind(exchange);
  exchange.onRestResponse = (status, statusText, url, method, responseHeaders, responseBody, requestHeaders, requestBody) => {
    const body: unknown = original(status, statusText, url, method, responseHeaders, responseBody, requestHeaders, requestBody);
    if (typeof status === 'number' && status >= 200 && status < 300 && typeof body === 'string' && body.length > 0) {
      try {
        JSON.parse(body);
      } catch (e) {
        const snippet = body.length > 80 ? body.slice(0, 80) + '…' : body;
        throw new BadResponse(`${exchange.id} ${String(method)} ${String(url)}: malformed JSON (${(e as Error).message}): ${snippet}`);
      }
    }
    return body;
  };
}
