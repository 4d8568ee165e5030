// Binance market-data payloads other than trades (those are in trade.ts), parsed from their JSON
// into typed values with numbers: REST depth snapshots, diff-depth events and book tickers, spot or
// USDT-M futures. Binance sends decimals as strings; a field that is missing or not a number is a
// BinanceMessageError naming the source, line and field path (e.g. `data.b[3][1]`).
import type { ObLevel } from './ob-snapshot.ts';
import type { DepthSnapshot, DepthUpdate } from './order-book.ts';
import { describe, parseDecimal as decimal } from './trade.ts';

export interface MessageWhere {
  /** file or stream name */
  source?: string;
  /** 1-based line */
  line?: number;
  /** prefix for field paths, e.g. `data.` inside a combined stream's wrapper */
  path?: string;
}

export class BinanceMessageError extends Error {
  override readonly name = 'BinanceMessageError';
  readonly source?: string;
  readonly line?: number;
  readonly field?: string;
  /** the problem without its location */
  readonly detail: string;

  constructor(where: { source?: string; line?: number; field?: string }, detail: string, options?: { cause?: unknown }) {
    const parts: string[] = [];
    if (where.source !== undefined) parts.push(where.source);
    if (where.line !== undefined) parts.push(`line ${where.line}`);
    if (where.field !== undefined) parts.push(`field ${where.field}`);
    super((parts.length > 0 ? parts.join(' ') + ': ' : '') + detail, options);
    if (where.source !== undefined) this.source = where.source;
    if (where.line !== undefined) this.line = where.line;
    if (where.field !== undefined) this.field = where.field;
    this.detail = detail;
  }
}

/** A REST snapshot; futures add the message (E) and transaction (T) times, spot has neither. */
export interface BinanceDepthSnapshot extends DepthSnapshot {
  E?: number;
  T?: number;
}

/** A diff-depth event: spot has U, u; futures add pu and the transaction time T. */
export interface BinanceDepthUpdate extends DepthUpdate {
  symbol: string;
  T?: number;
}

/** Best bid/ask. `u` is the order-book update id it reflects; futures add E and T. */
export interface BinanceBookTicker {
  symbol: string;
  u: number;
  bidPrice: number;
  bidQty: number;
  askPrice: number;
  askQty: number;
  E?: number;
  T?: number;
}

export function parseDepthSnapshot(value: unknown, where: MessageWhere = {}): BinanceDepthSnapshot {
  const r = new Reader(value, where, 'depth snapshot');
  const snap: BinanceDepthSnapshot = { lastUpdateId: r.int('lastUpdateId'), bids: r.levels('bids'), asks: r.levels('asks') };
  const E = r.optInt('E');
  const T = r.optInt('T');
  if (E !== undefined) snap.E = E;
  if (T !== undefined) snap.T = T;
  return snap;
}

export function parseDepthUpdate(value: unknown, where: MessageWhere = {}): BinanceDepthUpdate {
  const r = new Reader(value, where, 'depth update');
  if (r.v.e !== 'depthUpdate') throw r.error('e', `must be 'depthUpdate', got ${describe(r.v.e)}`);
  const ev: BinanceDepthUpdate = {
    symbol: r.str('s'), E: r.int('E'), U: r.int('U'), u: r.int('u'), bids: r.levels('b'), asks: r.levels('a'),
  };
  if (ev.U > ev.u) throw r.error('U', `first update id ${ev.U} > final update id u=${ev.u}`);
  const pu = r.optInt('pu');
  const T = r.optInt('T');
  if (pu !== undefined) ev.pu = pu;
  if (T !== undefined) ev.T = T;
  return ev;
}

export function parseBookTicker(value: unknown, where: MessageWhere = {}): BinanceBookTicker {
  const r = new Reader(value, where, 'book ticker');
  const t: BinanceBookTicker = {
    symbol: r.str('s'), u: r.int('u'),
    bidPrice: r.dec('b', false), bidQty: r.dec('B', true), askPrice: r.dec('a', false), askQty: r.dec('A', true),
  };
  const E = r.optInt('E');
  const T = r.optInt('T');
  if (E !== undefined) t.E = E;
  if (T !== undefined) t.T = T;
  return t;
}

/** Field access with errors that say where. */
class Reader {
  readonly v: Record<string, unknown>;

  constructor(value: unknown, private readonly where: MessageWhere, what: string) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BinanceMessageError({ source: where.source, line: where.line, field: where.path?.replace(/\.$/, '') }, `${what} must be an object, got ${describe(value)}`);
    }
    this.v = value as Record<string, unknown>;
  }

  error(field: string, detail: string): BinanceMessageError {
    return new BinanceMessageError({ source: this.where.source, line: this.where.line, field: (this.where.path ?? '') + field }, detail);
  }

  str(k: string): string {
    const x = this.v[k];
    if (typeof x !== 'string' || x.length === 0) throw this.error(k, `must be a non-empty string, got ${describe(x)}`);
    return x;
  }

  int(k: string): number {
    const x = this.v[k];
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw this.error(k, `must be an integer >= 0, got ${describe(x)}`);
    return x;
  }

  optInt(k: string): number | undefined {
    return this.v[k] === undefined ? undefined : this.int(k);
  }

  /** a decimal string (or number); > 0, or >= 0 when zero is allowed */
  dec(k: string, zeroOk: boolean): number {
    const n = decimal(this.v[k]);
    if (!Number.isFinite(n) || n < 0 || (!zeroOk && n === 0)) throw this.error(k, `must be a decimal ${zeroOk ? '>= 0' : '> 0'}, got ${describe(this.v[k])}`);
    return n;
  }

  /** [[price, qty], …] as decimal strings; price > 0, qty >= 0 (0 = remove the level) */
  levels(k: string): ObLevel[] {
    const x = this.v[k];
    if (!Array.isArray(x)) throw this.error(k, `must be an array of [price, quantity], got ${describe(x)}`);
    const out: ObLevel[] = new Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const l: unknown = x[i];
      if (!Array.isArray(l) || l.length < 2) throw this.error(`${k}[${i}]`, `must be [price, quantity], got ${describe(l)}`);
      const price = decimal(l[0]);
      const qty = decimal(l[1]);
      if (!Number.isFinite(price) || price <= 0) throw this.error(`${k}[${i}][0]`, `price must be a decimal > 0, got ${describe(l[0])}`);
      if (!Number.isFinite(qty) || qty < 0) throw this.error(`${k}[${i}][1]`, `quantity must be a decimal >= 0, got ${describe(l[1])}`);
      out[i] = [price, qty];
    }
    return out;
  }
}
