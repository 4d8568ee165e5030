import test from 'ava';
import fc from 'fast-check';
import { TradeDataError, tradeFromBinanceWs, tradeFromCcxt, validateTrade } from '../../market/trade.ts';
import { holds } from '../helpers/frames.ts';

const good = { ts: 1_723_161_255_342, price: 61837.63, amount: 0.02, side: 'sell', id: '3735683259' };

// ---- validateTrade ----

test('validateTrade returns a well-formed trade as it is', (t) => {
  t.is(validateTrade(good), good as never);
});

for (const [field, value, why] of [
  ['ts', 1.5, 'a fractional time'],
  ['ts', -1, 'a negative time'],
  ['price', Number.NaN, 'a NaN price'],
  ['price', 0, 'a zero price'],
  ['amount', Infinity, 'an infinite amount'],
  ['amount', -0.1, 'a negative amount'],
  ['side', 'long', 'a side that is not buy or sell'],
  ['id', 42, 'a numeric id'],
] as const) {
  test(`validateTrade rejects ${why}, naming the field`, (t) => {
    const e = t.throws(() => validateTrade({ ...good, [field]: value }), { instanceOf: TradeDataError });
    t.is(e.field, field);
  });
}

test('a TradeDataError names the source, line and field in its message', (t) => {
  const e = t.throws(() => validateTrade({ ...good, price: 'x' }, { source: 'trades.jsonl', line: 7 }), { instanceOf: TradeDataError });
  t.is(e.source, 'trades.jsonl');
  t.is(e.line, 7);
  t.is(e.message, 'trades.jsonl line 7 field price: must be a finite number > 0, got "x"');
});

// ---- ccxt ----

const ccxt = { timestamp: 1_570_752_011_620, datetime: '2019-10-11T00:00:11.620Z', symbol: 'XRP/ETH', id: '13519807', side: 'sell', price: 0.00141342, amount: 23, cost: 0.03250866 };

test('ccxt: a public trade keeps its side (the taker side), time, price, amount and id', (t) => {
  t.deepEqual(tradeFromCcxt(ccxt), { ts: 1_570_752_011_620, price: 0.00141342, amount: 23, side: 'sell', id: '13519807' });
});

test('ccxt: a maker fill carries the maker side, so the aggressor is the other side', (t) => {
  t.is(tradeFromCcxt({ ...ccxt, side: 'sell', takerOrMaker: 'maker' }).side, 'buy');
  t.is(tradeFromCcxt({ ...ccxt, side: 'buy', takerOrMaker: 'maker' }).side, 'sell');
  t.is(tradeFromCcxt({ ...ccxt, side: 'buy', takerOrMaker: 'taker' }).side, 'buy');
});

test('ccxt: a numeric id becomes a string, a missing id is left out', (t) => {
  t.is(tradeFromCcxt({ ...ccxt, id: 13519807 }).id, '13519807');
  t.false('id' in tradeFromCcxt({ ...ccxt, id: undefined }));
});

test('ccxt: a fractional timestamp is rejected naming the ccxt field', (t) => {
  const e = t.throws(() => tradeFromCcxt({ ...ccxt, timestamp: 1.5 }, { source: 'x.json', line: 3 }), { instanceOf: TradeDataError });
  t.is(e.field, 'timestamp');
  t.is(e.line, 3);
});

test('ccxt: a side ccxt leaves null (unknown aggressor) is rejected, not guessed', (t) => {
  const e = t.throws(() => tradeFromCcxt({ ...ccxt, side: null }), { instanceOf: TradeDataError });
  t.is(e.field, 'side');
});

// ---- Binance websocket ----

const wsTrade = { e: 'trade', E: 1723161255343, s: 'BTCUSDT', t: 3735683259, p: '61837.63000000', q: '0.02000000', T: 1723161255342, m: true, M: true };
const wsAgg = { e: 'aggTrade', E: 1723161256322, s: 'BTCUSDT', a: 2244556677, p: '61800.30', q: '0.006', f: 5266583935, l: 5266583936, T: 1723161256321, m: false };

test('binance @trade: m = buyer is maker, so the aggressor sold; ts is the trade time T', (t) => {
  t.deepEqual(tradeFromBinanceWs(wsTrade), { ts: 1723161255342, price: 61837.63, amount: 0.02, side: 'sell', id: '3735683259' });
});

test('binance @aggTrade: m = false means a buyer lifted the ask; the id is the aggregate id', (t) => {
  t.deepEqual(tradeFromBinanceWs(wsAgg), { ts: 1723161256321, price: 61800.3, amount: 0.006, side: 'buy', id: '2244556677' });
});

test('binance: a combined-stream wrapper is unwrapped and errors name the path inside it', (t) => {
  t.is(tradeFromBinanceWs({ stream: 'btcusdt@trade', data: wsTrade }).price, 61837.63);
  const e = t.throws(() => tradeFromBinanceWs({ stream: 'btcusdt@trade', data: { ...wsTrade, q: 'abc' } }, { source: 'cap.gz', line: 12 }), { instanceOf: TradeDataError });
  t.is(e.field, 'data.q');
  t.regex(e.message, /^cap\.gz line 12 field data\.q: .*"abc"/);
});

test('binance: a message without the maker flag is rejected rather than given a side', (t) => {
  const { m: _m, ...noFlag } = wsTrade;
  const e = t.throws(() => tradeFromBinanceWs(noFlag), { instanceOf: TradeDataError });
  t.is(e.field, 'm');
});

test('binance: a zero quantity is rejected', (t) => {
  const e = t.throws(() => tradeFromBinanceWs({ ...wsTrade, q: '0.00000000' }), { instanceOf: TradeDataError });
  t.is(e.field, 'q');
});

test('binance: any decimal-string price and quantity parse to their numbers, and m decides the side', (t) => {
  const dec = fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 8 })).map(([n, d]) => (n / 10 ** d).toFixed(d));
  holds(t, fc.property(dec, dec, fc.boolean(), (p, q, m) => {
    const tr = tradeFromBinanceWs({ ...wsTrade, p, q, m });
    return tr.price === Number(p) && tr.amount === Number(q) && tr.side === (m ? 'sell' : 'buy');
  }));
});
