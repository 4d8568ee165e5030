// Which column of a trade table is which. Trade files name their columns in many ways (freqtrade /
// ccxt: timestamp, side; Binance: transact_time, is_buyer_maker; nautilus: buyer_maker,
// aggressor_side); this maps a header to the four fields the bars need and turns each way of
// naming the aggressor into +1 (buy) / −1 (sell).
import { DataError, quoteCell } from '../../market/errors.ts';
import { epochToMs, parseIsoMs } from '../../market/time.ts';

export interface TradeFieldIndex {
  ts: number;
  price: number;
  amount: number;
  /** column index and how to read it */
  aggressor: number;
  aggressorKind: 'side' | 'buyerMaker';
  names: { ts: string; price: string; amount: string; aggressor: string };
}

const TS_NAMES = ['timestamp', 'ts', 'time', 'transact_time', 'trade_time', 'datetime'];
const PRICE_NAMES = ['price', 'p'];
const AMOUNT_NAMES = ['amount', 'quantity', 'qty', 'size', 'q'];
const SIDE_NAMES = ['side', 'taker_side', 'aggressor_side', 'aggressor'];
const MAKER_NAMES = ['is_buyer_maker', 'buyer_maker', 'isbuyermaker', 'm'];

/** Finds the four fields in a header (names compared case-insensitively); DataError names what is missing. */
export function tradeFieldIndex(header: readonly string[], file: string): TradeFieldIndex {
  const lower = header.map((h) => h.trim().toLowerCase());
  const find = (names: readonly string[]): number => {
    for (const n of names) {
      const k = lower.indexOf(n);
      if (k >= 0) return k;
    }
    return -1;
  };
  const ts = find(TS_NAMES), price = find(PRICE_NAMES), amount = find(AMOUNT_NAMES);
  const side = find(SIDE_NAMES), maker = find(MAKER_NAMES);
  const missing: string[] = [];
  if (ts < 0) missing.push(`time (${TS_NAMES.join('/')})`);
  if (price < 0) missing.push(`price (${PRICE_NAMES.join('/')})`);
  if (amount < 0) missing.push(`amount (${AMOUNT_NAMES.join('/')})`);
  if (side < 0 && maker < 0) missing.push(`aggressor side (${[...SIDE_NAMES, ...MAKER_NAMES].join('/')})`);
  if (missing.length > 0) {
    throw new DataError({ file }, `no ${missing.join(', no ')} column among ${quoteCell(header.join(','))}`);
  }
  const aggressor = side >= 0 ? side : maker;
  return {
    ts, price, amount, aggressor, aggressorKind: side >= 0 ? 'side' : 'buyerMaker',
    names: { ts: header[ts], price: header[price], amount: header[amount], aggressor: header[aggressor] },
  };
}

/** 'buy'/'sell' (any case), 'b'/'s', BUYER/SELLER (nautilus' aggressor side) → +1/−1; else 0. */
export function sideValue(v: unknown): 1 | -1 | 0 {
  if (typeof v !== 'string') return 0;
  switch (v.trim().toLowerCase()) {
    case 'buy': case 'b': case 'buyer': return 1;
    case 'sell': case 's': case 'seller': return -1;
    default: return 0;
  }
}

/** buyer-is-maker flag → aggressor: maker buyer ⇒ the seller hit the bid ⇒ −1. 0 when not a flag. */
export function buyerMakerValue(v: unknown): 1 | -1 | 0 {
  if (v === true || v === 1 || v === 1n) return -1;
  if (v === false || v === 0 || v === 0n) return 1;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1') return -1;
    if (s === 'false' || s === '0') return 1;
  }
  return 0;
}

/** A time cell: epoch number of any unit (s/ms/µs/ns by magnitude), bigint, ISO text, or Date. NaN if none. */
export function timeValue(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? epochToMs(v) : NaN;
  if (typeof v === 'bigint') return epochToMs(Number(v));
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return NaN;
    const x = Number(s);
    return Number.isFinite(x) ? epochToMs(x) : parseIsoMs(s);
  }
  return NaN;
}

/** A price or amount cell (number, bigint, or decimal text); NaN when none. */
export function numberValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

/**
 * Checks one trade's values and returns the side; DataError names file, 1-based row and column.
 * ts must be a finite time ≥ 0 (sub-ms times from µs/ns sources are kept), price and amount finite > 0.
 */
export function checkTradeValues(
  ts: number, price: number, amount: number, side: 1 | -1 | 0, raw: { ts: unknown; price: unknown; amount: unknown; side: unknown },
  file: string, row: number, names: TradeFieldIndex['names'],
): 1 | -1 {
  if (!(ts >= 0) || !Number.isFinite(ts)) throw new DataError({ file, row, column: names.ts }, `not a time (${show(raw.ts)})`);
  if (!(price > 0) || !Number.isFinite(price)) throw new DataError({ file, row, column: names.price }, `price must be a finite number > 0, got ${show(raw.price)}`);
  if (!(amount > 0) || !Number.isFinite(amount)) throw new DataError({ file, row, column: names.amount }, `amount must be a finite number > 0, got ${show(raw.amount)}`);
  if (side === 0) throw new DataError({ file, row, column: names.aggressor }, `not an aggressor side (${show(raw.side)}): expected buy/sell or a buyer-is-maker flag`);
  return side;
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return quoteCell(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}
