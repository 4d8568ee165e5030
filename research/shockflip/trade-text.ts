// Trade files in text form (optionally gzipped): a JSON array (freqtrade's `<PAIR>-trades.json.gz`
// rows `[timestamp, id, type, side, price, amount, cost]`, ccxt trade dicts, Binance REST or websocket
// trade objects), JSON lines of the same objects, and CSV (with a header naming the columns, or
// Binance's headerless public-data trades / aggTrades files). Every bad value is a DataError with the
// file, the 1-based row and the column.
import { DataError, quoteCell } from '../../market/errors.ts';
import { splitLines, unquote } from '../../market/cells.ts';
import { TradeDataError, tradeFromBinanceWs, tradeFromCcxt, type Trade } from '../../market/trade.ts';
import { TradeColumnsBuilder, type TradeColumns } from './trade-columns.ts';
import { buyerMakerValue, checkTradeValues, numberValue, sideValue, timeValue, tradeFieldIndex, type TradeFieldIndex } from './trade-fields.ts';

/** A JSON array of trades (rows or objects). */
export function parseTradesJson(text: string, file: string): TradeColumns {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataError({ file }, `not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(data)) throw new DataError({ file }, 'expected a JSON array of trades');
  const b = new TradeColumnsBuilder(data.length);
  for (let i = 0; i < data.length; i++) pushRecord(b, data[i], file, i + 1);
  return b.finish();
}

/** One JSON trade object per line (blank lines skipped). */
export function parseTradesJsonLines(text: string, file: string): TradeColumns {
  const lines = splitLines(text);
  const b = new TradeColumnsBuilder(lines.length);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(lines[i]);
    } catch (err) {
      throw new DataError({ file, row: i + 1 }, `not JSON: ${(err as Error).message}`, { cause: err });
    }
    pushRecord(b, v, file, i + 1);
  }
  return b.finish();
}

const FREQTRADE_NAMES = { ts: 'timestamp', price: 'price', amount: 'amount', aggressor: 'side' };

function pushRecord(b: TradeColumnsBuilder, v: unknown, file: string, row: number): void {
  if (Array.isArray(v)) {
    // freqtrade's trade list: [timestamp, id, type, side, price, amount, cost]
    if (v.length < 6) throw new DataError({ file, row }, `a trade row needs [timestamp, id, type, side, price, amount, …], got ${v.length} values`);
    const ts = timeValue(v[0]), price = numberValue(v[4]), amount = numberValue(v[5]);
    const side = checkTradeValues(ts, price, amount, sideValue(v[3]), { ts: v[0], price: v[4], amount: v[5], side: v[3] }, file, row, FREQTRADE_NAMES);
    b.push(ts, price, amount, side);
    return;
  }
  b.pushTrade(tradeFromObject(v, file, row));
}

/** ccxt dict, Binance websocket message (bare or combined-stream), Binance REST trade or aggTrade. */
export function tradeFromObject(v: unknown, file: string, row: number): Trade {
  const where = { source: file, line: row };
  try {
    if (typeof v !== 'object' || v === null) throw new DataError({ file, row }, `a trade must be an object or a row array, got ${quoteCell(String(v))}`);
    const o = v as Record<string, unknown>;
    if (o.e !== undefined || (o.stream !== undefined && o.data !== undefined)) return tradeFromBinanceWs(o, where);
    // REST /aggTrades: {a, p, q, f, l, T, m, M}
    if (o.a !== undefined && o.T !== undefined && o.m !== undefined) return tradeFromBinanceWs({ ...o, e: 'aggTrade' }, where);
    // REST /trades: {id, price, qty, quoteQty, time, isBuyerMaker, isBestMatch}
    if (o.isBuyerMaker !== undefined && o.time !== undefined) {
      return tradeFromBinanceWs({ e: 'trade', t: o.id, p: o.price, q: o.qty, T: o.time, m: o.isBuyerMaker }, where);
    }
    return tradeFromCcxt(o, where);
  } catch (err) {
    if (err instanceof TradeDataError) throw new DataError({ file, row, column: err.field }, err.detail, { cause: err });
    throw err;
  }
}

/**
 * CSV trades. With a header: columns found by name (trade-fields.ts). Without one (the first line is
 * all numbers and booleans): Binance public data — aggTrades `id, price, qty, first, last, time,
 * is_buyer_maker[, best_match]` or trades `id, price, qty, quote_qty, time, is_buyer_maker[, best_match]`,
 * told apart by where the boolean is.
 */
export function parseTradesCsv(text: string, file: string): TradeColumns {
  const lines = splitLines(text);
  if (lines.length === 0) throw new DataError({ file }, 'empty file');
  const first = lines[0].split(',').map(unquote);
  const headerless = first.every((c) => c !== '' && (Number.isFinite(Number(c)) || /^(true|false)$/i.test(c)));
  let fields: TradeFieldIndex;
  let from: number;
  if (headerless) {
    fields = binanceLayout(first, file);
    from = 0;
  } else {
    fields = tradeFieldIndex(first, file);
    from = 1;
  }
  const readSide = fields.aggressorKind === 'side' ? sideValue : buyerMakerValue;
  const width = first.length;
  const b = new TradeColumnsBuilder(lines.length);
  for (let r = from; r < lines.length; r++) {
    const row = r - from + 1; // 1-based data row, header excluded
    const cells = lines[r].split(',');
    if (cells.length !== width) throw new DataError({ file, row }, `expected ${width} cells, found ${cells.length}`);
    const raw = { ts: unquote(cells[fields.ts]), price: unquote(cells[fields.price]), amount: unquote(cells[fields.amount]), side: unquote(cells[fields.aggressor]) };
    const ts = timeValue(raw.ts), price = numberValue(raw.price), amount = numberValue(raw.amount);
    b.push(ts, price, amount, checkTradeValues(ts, price, amount, readSide(raw.side), raw, file, row, fields.names));
  }
  return b.finish();
}

function binanceLayout(first: readonly string[], file: string): TradeFieldIndex {
  const isBool = (k: number): boolean => k < first.length && /^(true|false)$/i.test(first[k]);
  // aggTrades: maker flag at 6; trades: at 5 (and, when present, best_match at 6 — also boolean)
  const agg = !isBool(5) && isBool(6);
  const trades = isBool(5);
  if (!agg && !trades) {
    throw new DataError({ file, row: 1 }, `headerless CSV is read as Binance trades or aggTrades, but no is_buyer_maker column (true/false) at position 6 or 7: ${quoteCell(first.join(','))}`);
  }
  const ts = agg ? 5 : 4, maker = agg ? 6 : 5;
  return {
    ts, price: 1, amount: 2, aggressor: maker, aggressorKind: 'buyerMaker',
    names: agg
      ? { ts: 'transact_time (6th)', price: 'price (2nd)', amount: 'quantity (3rd)', aggressor: 'is_buyer_maker (7th)' }
      : { ts: 'time (5th)', price: 'price (2nd)', amount: 'qty (3rd)', aggressor: 'is_buyer_maker (6th)' },
  };
}
