// One executed trade as the bar builder needs it: time, price, size and the aggressor's side, which is
// what splits a bar's volume into Q⁺ (buyer-initiated) and Q⁻ (seller-initiated) for the ShockFlip
// flow imbalance. Exchanges say who was aggressor in different ways; the adapters below turn each
// way into `side`, and reject a malformed trade with an error naming where it came from.

export type TradeSide = 'buy' | 'sell';

export interface Trade {
  /** exchange trade time, epoch ms */
  ts: number;
  /** quote currency per base unit */
  price: number;
  /** base units */
  amount: number;
  /** the aggressor (taker) side: 'buy' = a buyer lifted the ask */
  side: TradeSide;
  id?: string;
}

/** Where a trade came from: a file or stream name, its 1-based line, the offending field. */
export interface TradeLocation {
  source?: string;
  line?: number;
  field?: string;
}

export class TradeDataError extends Error {
  override readonly name = 'TradeDataError';
  readonly source?: string;
  readonly line?: number;
  readonly field?: string;
  /** the problem without its location */
  readonly detail: string;

  constructor(where: TradeLocation, detail: string, options?: { cause?: unknown }) {
    super(formatLocation(where) + detail, options);
    if (where.source !== undefined) this.source = where.source;
    if (where.line !== undefined) this.line = where.line;
    if (where.field !== undefined) this.field = where.field;
    this.detail = detail;
  }
}

function formatLocation(w: TradeLocation): string {
  const parts: string[] = [];
  if (w.source !== undefined) parts.push(w.source);
  if (w.line !== undefined) parts.push(`line ${w.line}`);
  if (w.field !== undefined) parts.push(`field ${w.field}`);
  return parts.length > 0 ? parts.join(' ') + ': ' : '';
}

/**
 * Checks a value is a Trade: integer epoch-ms ts ≥ 0, finite price and amount > 0, side 'buy' or
 * 'sell', id a string when present. Returns it typed; TradeDataError names the first bad field.
 */
export function validateTrade(value: unknown, where: { source?: string; line?: number } = {}): Trade {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TradeDataError(where, `trade must be an object, got ${describe(value)}`);
  }
  const v = value as Record<string, unknown>;
  checkTs(v.ts, { ...where, field: 'ts' });
  checkPositive(v.price, { ...where, field: 'price' });
  checkPositive(v.amount, { ...where, field: 'amount' });
  if (v.side !== 'buy' && v.side !== 'sell') {
    throw new TradeDataError({ ...where, field: 'side' }, `must be 'buy' or 'sell', got ${describe(v.side)}`);
  }
  if (v.id !== undefined && typeof v.id !== 'string') {
    throw new TradeDataError({ ...where, field: 'id' }, `must be a string when present, got ${describe(v.id)}`);
  }
  return value as Trade;
}

/**
 * A ccxt public trade (`fetchTrades` / `watchTrades`): `side` is the taker's side. A trade marked
 * `takerOrMaker: 'maker'` (the user's own fill, from `fetchMyTrades`) carries the maker's side, so
 * the aggressor is the other one. `cost` is not used: it is derived from price and amount.
 */
export function tradeFromCcxt(dict: unknown, where: { source?: string; line?: number } = {}): Trade {
  const d = asRecord(dict, where, 'ccxt trade');
  const ts = checkTs(d.timestamp, { ...where, field: 'timestamp' });
  const price = checkPositive(d.price, { ...where, field: 'price' });
  const amount = checkPositive(d.amount, { ...where, field: 'amount' });
  if (d.side !== 'buy' && d.side !== 'sell') {
    throw new TradeDataError({ ...where, field: 'side' }, `must be 'buy' or 'sell', got ${describe(d.side)}`);
  }
  let side: TradeSide = d.side;
  if (d.takerOrMaker === 'maker') side = side === 'buy' ? 'sell' : 'buy';
  else if (d.takerOrMaker !== undefined && d.takerOrMaker !== null && d.takerOrMaker !== 'taker') {
    throw new TradeDataError({ ...where, field: 'takerOrMaker' }, `must be 'taker', 'maker' or absent, got ${describe(d.takerOrMaker)}`);
  }
  const trade: Trade = { ts, price, amount, side };
  const id = optionalId(d.id, { ...where, field: 'id' });
  if (id !== undefined) trade.id = id;
  return trade;
}

/**
 * A Binance `@trade` or `@aggTrade` websocket payload (spot or futures), bare or wrapped in a combined
 * stream's `{stream, data}`. `T` is the trade time; `m` = "the buyer is the maker", so m = true
 * means the seller hit the bid: the aggressor sold. Prices and quantities arrive as decimal strings.
 */
export function tradeFromBinanceWs(message: unknown, where: { source?: string; line?: number } = {}): Trade {
  let m = asRecord(message, where, 'Binance trade message');
  let prefix = '';
  if (m.data !== undefined && m.e === undefined) {
    m = asRecord(m.data, { ...where }, 'Binance trade message data');
    prefix = 'data.';
  }
  const at = (field: string): TradeLocation => ({ ...where, field: prefix + field });
  if (m.e !== 'trade' && m.e !== 'aggTrade') {
    throw new TradeDataError(at('e'), `must be 'trade' or 'aggTrade', got ${describe(m.e)}`);
  }
  const ts = checkTs(m.T, at('T'));
  const price = checkPositive(parseDecimal(m.p), at('p'), m.p);
  const amount = checkPositive(parseDecimal(m.q), at('q'), m.q);
  if (typeof m.m !== 'boolean') throw new TradeDataError(at('m'), `must be a boolean (buyer is maker), got ${describe(m.m)}`);
  const idField = m.e === 'trade' ? 't' : 'a';
  const id = optionalId(m[idField], at(idField));
  const trade: Trade = { ts, price, amount, side: m.m ? 'sell' : 'buy' };
  if (id !== undefined) trade.id = id;
  return trade;
}

function asRecord(value: unknown, where: TradeLocation, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TradeDataError(where, `${what} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function checkTs(v: unknown, at: TradeLocation): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new TradeDataError(at, `must be an integer epoch-ms time >= 0, got ${describe(v)}`);
  }
  return v;
}

function checkPositive(v: unknown, at: TradeLocation, raw: unknown = v): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new TradeDataError(at, `must be a finite number > 0, got ${describe(raw)}`);
  }
  return v;
}

/** Exchange decimals arrive as strings; a number is accepted too. Anything else is NaN, so the caller's check names it. */
export function parseDecimal(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

function optionalId(v: unknown, at: TradeLocation): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new TradeDataError(at, `must be a string or an integer when present, got ${describe(v)}`);
}

/** A value for an error message, cut short so a corrupt line cannot flood the log. */
export function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'undefined' || typeof v === 'bigint') return String(v);
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? s.slice(0, 60) + '…' : s;
}
