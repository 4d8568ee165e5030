import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { DataError } from '../../../market/errors.ts';
import { parseTradesCsv, parseTradesJson, parseTradesJsonLines } from '../../../research/shockflip/trade-text.ts';
import { instrumentKey, loadTrades, readTradeFile } from '../../../research/shockflip/trade-files.ts';
import type { TradeColumns } from '../../../research/shockflip/trade-columns.ts';
import { captureDir, dataDir, dataTest, tempDir, xrpDir } from './shockflip-test-helpers.ts';

const cols = (c: TradeColumns): number[][] => Array.from({ length: c.length }, (_, i) => [c.ts[i], c.price[i], c.amount[i], c.side[i]]);

test('CSV with a header: columns by name, side or buyer-maker flag, any time unit', (t) => {
  const a = parseTradesCsv('timestamp,id,side,price,amount\n1570752011620,1,sell,0.5,23\n1570752011621,2,BUY,0.6,1\n', 'a.csv');
  t.deepEqual(cols(a), [[1570752011620, 0.5, 23, -1], [1570752011621, 0.6, 1, 1]]);
  const b = parseTradesCsv('time,price,qty,is_buyer_maker\n1570752011,10,1,true\n2019-10-11T00:00:12.5Z,10,2,False\n', 'b.csv');
  t.deepEqual(cols(b), [[1570752011000, 10, 1, -1], [1570752012500, 10, 2, 1]]);
});

test('headerless CSV: Binance public aggTrades and trades files', (t) => {
  const agg = parseTradesCsv('26129,0.01633102,4.70443515,27781,27781,1498793709153,true,true\n26130,0.0163,1,27782,27783,1498793709999,False,True\n', 'agg.csv');
  t.deepEqual(cols(agg), [[1498793709153, 0.01633102, 4.70443515, -1], [1498793709999, 0.0163, 1, 1]]);
  // trades, with a µs time (Binance spot data since 2025)
  const tr = parseTradesCsv('1,100.5,0.2,20.1,1735689600000123,false,true\n', 'trades.csv');
  t.deepEqual(cols(tr), [[1735689600000.123, 100.5, 0.2, 1]]);
  t.like(t.throws(() => parseTradesCsv('1,2,3,4,5\n', 'x.csv'), { instanceOf: DataError }), { file: 'x.csv', row: 1 });
});

test('JSON: freqtrade rows, ccxt dicts (maker fills flipped), Binance REST and websocket trades', (t) => {
  const rows = parseTradesJson(JSON.stringify([[1570752011620, '13519807', null, 'sell', 0.00141342, 23.0, 0.0325]]), 'f.json');
  t.deepEqual(cols(rows), [[1570752011620, 0.00141342, 23, -1]]);
  const mixed = parseTradesJson(JSON.stringify([
    { timestamp: 1000, id: '1', side: 'buy', price: 2, amount: 3, cost: 6 },
    { timestamp: 1001, side: 'buy', price: 2, amount: 1, takerOrMaker: 'maker' },
    { a: 5, p: '2.5', q: '4', f: 1, l: 2, T: 1002, m: true, M: true },
    { id: 9, price: '2.6', qty: '1', quoteQty: '2.6', time: 1003, isBuyerMaker: false, isBestMatch: true },
    { stream: 'btcusdt@trade', data: { e: 'trade', E: 1005, s: 'BTCUSDT', t: 7, p: '2.7', q: '0.5', T: 1004, m: false } },
  ]), 'm.json');
  t.deepEqual(cols(mixed), [[1000, 2, 3, 1], [1001, 2, 1, -1], [1002, 2.5, 4, -1], [1003, 2.6, 1, 1], [1004, 2.7, 0.5, 1]]);
  const lines = parseTradesJsonLines('{"e":"aggTrade","a":1,"p":"1","q":"2","T":5,"m":false}\n\n{"timestamp":6,"side":"sell","price":1,"amount":1}\n', 'l.jsonl');
  t.deepEqual(cols(lines), [[5, 1, 2, 1], [6, 1, 1, -1]]);
});

test('bad trades are DataErrors with file, row and column', (t) => {
  t.like(t.throws(() => parseTradesCsv('timestamp,side,price,amount\n1,buy,0.5,1\n2,hold,0.5,1\n', 'x.csv'), { instanceOf: DataError }), { file: 'x.csv', row: 2, column: 'side' });
  t.like(t.throws(() => parseTradesCsv('timestamp,side,price,amount\n1,buy,-3,1\n', 'x.csv'), { instanceOf: DataError }), { row: 1, column: 'price' });
  t.like(t.throws(() => parseTradesCsv('timestamp,side,price\n1,buy,3\n', 'x.csv'), { instanceOf: DataError }), { file: 'x.csv' });
  t.like(t.throws(() => parseTradesJson('[[1, "1", null, "buy", 1, 0, 0]]', 'f.json'), { instanceOf: DataError }), { row: 1, column: 'amount' });
  t.like(t.throws(() => parseTradesJson('[{"timestamp": 1, "side": "buy", "price": "x", "amount": 1}]', 'f.json'), { instanceOf: DataError }), { row: 1, column: 'price' });
  t.like(t.throws(() => parseTradesJson('{"a":1}', 'f.json'), { instanceOf: DataError }), { file: 'f.json' });
  t.like(t.throws(() => parseTradesJsonLines('{"e":"trade","p":"1","q":"1","T":1}\n', 'l.jsonl'), { instanceOf: DataError }), { row: 1, column: 'm' });
});

const T = Date.UTC(2024, 0, 1);

test('directories: one file per stem (parquet > json > csv), name order, time-sorted, one instrument only', async (t) => {
  const dir = tempDir(t);
  const a = join(dir, 'ABC-trades-2024-01.csv');
  writeFileSync(a, `timestamp,side,price,amount\n${T + 2000},buy,1,1\n${T + 1000},sell,1,1\n`);
  writeFileSync(join(dir, 'ABC-trades-2024-02.json.gz'), gzipSync(JSON.stringify([[T + 3000, '1', null, 'buy', 1, 2, 2]])));
  writeFileSync(join(dir, 'ABC-trades-2024-02.csv'), `timestamp,side,price,amount\n${T + 3000},buy,1,2\n`);
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  const r = await loadTrades([dir]);
  t.deepEqual(r.files.map((f) => f.format), ['csv', 'json']);
  t.deepEqual(Array.from(r.trades.ts), [T + 1000, T + 2000, T + 3000]);
  t.is(r.reordered, 1);
  t.deepEqual(r.skipped.map((s) => s.file.slice(dir.length + 1)).sort(), ['ABC-trades-2024-02.csv', 'notes.txt']);
  t.is(instrumentKey(a), 'ABC-trades');
  t.is(instrumentKey('/x/spot_btcusdt_20240808.gz'), 'spot_btcusdt');
  writeFileSync(join(dir, 'XYZ-trades.csv'), 'timestamp,side,price,amount\n1,buy,1,1\n');
  const err = await t.throwsAsync(loadTrades([dir]), { instanceOf: DataError });
  t.regex(err!.message, /2 instruments/);
  mkdirSync(join(dir, 'empty'));
  await t.throwsAsync(loadTrades([join(dir, 'empty')]), { instanceOf: DataError });
  await t.throwsAsync(loadTrades([join(dir, 'nope')]), { instanceOf: DataError });
});

dataTest('real XRP/ETH trades: parquet and json.gz hold the same 12,477 trades, time-ordered, with taker side', async (t) => {
  const pq = await readTradeFile(join(xrpDir, 'XRP_ETH-trades.parquet'));
  const js = await readTradeFile(join(xrpDir, 'XRP_ETH-trades.json.gz'));
  t.is(pq.length, 12_477);
  t.deepEqual(cols(pq), cols(js));
  t.is(new Date(pq.ts[0]).toISOString(), '2019-10-11T00:00:11.620Z');
  t.is(new Date(pq.ts[pq.length - 1]).toISOString(), '2019-10-13T11:19:28.844Z');
  let buys = 0;
  for (let i = 0; i < pq.length; i++) if (pq.side[i] > 0) buys++;
  t.true(buys > 0 && buys < pq.length);
  const dir = await loadTrades([xrpDir]);
  t.is(dir.reordered, 0);
  t.deepEqual(dir.files.map((f) => f.format), ['parquet']);
});

dataTest('real nautilus BTCUSDT trades: BROTLI parquet with buyer_maker strings', async (t) => {
  const c = await readTradeFile(join(dataDir, 'nautilus-fixtures', 'btcusdt-trades.parquet'));
  t.is(c.length, 2001);
  t.true(c.side.includes(1) && c.side.includes(-1));
});

dataTest('real Binance websocket capture: the spot session\'s 19,904 trades', async (t) => {
  const r = await loadTrades([join(captureDir, 'spot_btcusdt_20240808.gz'), join(captureDir, 'spot_btcusdt_20240809.gz')]);
  t.is(r.trades.length, 19_904);
  t.deepEqual(r.files.map((f) => f.format), ['capture', 'capture']);
});
