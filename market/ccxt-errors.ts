// How the ccxt sources tell a passing failure from a permanent one. ccxt splits its own errors the
// same way: OperationFailed (NetworkError, RequestTimeout, RateLimitExceeded, DDoSProtection,
// ExchangeNotAvailable, OnMaintenance, BadResponse, NullResponse…) may succeed when retried;
// ExchangeError (BadSymbol, AuthenticationError, NotSupported, BadRequest…) will not.
import { BaseError, OperationFailed } from 'ccxt';

/** A ccxt call failed. Names the source, the ccxt method and the symbol (or factor) it was for. */
export class CcxtSourceError extends Error {
  override readonly name = 'CcxtSourceError';
  /** e.g. `ccxt:binanceusdm` */
  readonly source: string;
  /** the engine symbol or factor name; null when the whole source failed (markets not loaded) */
  readonly symbol: string | null;
  /** the ccxt method, e.g. `fetchTrades` */
  readonly endpoint: string;
  readonly retryable: boolean;
  /** the underlying error's class, e.g. `RateLimitExceeded`, `CcxtPayloadError` */
  readonly kind: string;
  /** the underlying error's message, shortened */
  readonly detail: string;

  constructor(source: string, symbol: string | null, endpoint: string, cause: unknown) {
    const c = classifyError(cause);
    super(`${source}${symbol !== null ? ' ' + symbol : ''} ${endpoint}: ${c.kind}: ${c.message}${c.retryable ? ' (retryable)' : ''}`, { cause });
    this.source = source;
    this.symbol = symbol;
    this.endpoint = endpoint;
    this.retryable = c.retryable;
    this.kind = c.kind;
    this.detail = c.message;
  }
}

/** The exchange answered, but not with something usable (a bad level, a trade without a side…). */
export class CcxtPayloadError extends Error {
  override readonly name = 'CcxtPayloadError';
  /** the ccxt method (or file / URL) the payload came from */
  readonly endpoint: string;
  readonly symbol: string | null;
  /** the problem without its location */
  readonly detail: string;

  constructor(endpoint: string, symbol: string | null, detail: string, options?: { cause?: unknown }) {
    super(`${endpoint}${symbol !== null ? ' ' + symbol : ''}: ${detail}`, options);
    this.endpoint = endpoint;
    this.symbol = symbol;
    this.detail = detail;
  }
}

export interface ClassifiedError {
  retryable: boolean;
  /** the error's class name */
  kind: string;
  /** its message, shortened: ccxt puts whole HTTP bodies (HTML pages) into messages */
  message: string;
}

/**
 * ccxt's OperationFailed family is retryable, the rest of ccxt's errors are not. Errors that are not
 * ccxt's (our payload checks, a TypeError from ccxt parsing a strange body) are retryable too: they
 * come from one bad answer, and the backoff keeps a lasting one from flooding the exchange.
 */
export function classifyError(e: unknown): ClassifiedError {
  const kind = errorKind(e);
  const message = shorten(errorMessage(e));
  if (e instanceof BaseError) return { retryable: e instanceof OperationFailed, kind, message };
  return { retryable: true, kind, message };
}

function errorKind(e: unknown): string {
  if (e instanceof Error) {
    // ccxt's classes set `name` on the instance; fall back to the constructor for plain subclasses
    const name = e.name !== 'Error' ? e.name : e.constructor.name;
    return name || 'Error';
  }
  return typeof e;
}

function errorMessage(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'unprintable error';
  }
}

const MAX_MESSAGE = 300;

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_MESSAGE ? one.slice(0, MAX_MESSAGE) + '…' : one;
}
