import test from 'ava';
import { apiHosts } from '../../market/ccxt-exchange.ts';
import type { CcxtSourceError } from '../../market/ccxt-errors.ts';
import { CcxtOhlcvSource, type CcxtOhlcvOptions } from '../../market/ccxt-ohlcv.ts';
import { fakeFor, type FakeExchange } from '../helpers/fake-exchange.ts';

const T0 = 1772884800000; // the fixture's last candle opens here (12:00) and is still forming until 12:01
const KLINES = '/fapi/v1/klines';
const MIN = 60_000;

async function source(t: Parameters<typeof fakeFor>[0], opts: Partial<CcxtOhlcvOptions> = {}): Promise<{ fake: FakeExchange; src: CcxtOhlcvSource; errors: CcxtSourceError[] }> {
  const { fake, connect } = await fakeFor(t);
  const errors: CcxtSourceError[] = [];
  const ex = connect();
  t.deepEqual(apiHosts(ex), ['127.0.0.1']);
  const src = new CcxtOhlcvSource(ex, { symbols: ['BTCUSDT'], backoff: { initialMs: 1_000 }, onError: (e) => errors.push(e), ...opts });
  return { fake, src, errors };
}

/** a Binance kline row */
const kline = (ts: number, o: number, h: number, l: number, c: number, v = '10.000') => [ts, String(o), String(h), String(l), String(c), v, ts + MIN - 1, '0', 1, '0', '0', '0'];

test('a poll returns the closed candles from the fake and drops the one still forming', async (t) => {
  const { fake, src } = await source(t);
  const btc = (await src.poll(T0 + 30_000)).get('BTCUSDT')!;
  t.is(fake.count(KLINES, 'BTCUSDT'), 1);
  t.deepEqual(btc.candles.map((c) => c.ts), [T0 - 5 * MIN, T0 - 4 * MIN, T0 - 3 * MIN, T0 - 2 * MIN, T0 - MIN]);
  t.deepEqual(btc.candles[0], { ts: T0 - 5 * MIN, open: 67190, high: 67218.7, low: 67185.2, close: 67212.4, volume: 412.318 });
  t.false(btc.gap);
});

test('the forming candle is returned once it has closed, and only it', async (t) => {
  const { src } = await source(t);
  await src.poll(T0 + 30_000);
  t.deepEqual((await src.poll(T0 + 45_000)).get('BTCUSDT')!.candles, [], 'still forming');
  t.deepEqual((await src.poll(T0 + MIN)).get('BTCUSDT')!.candles.map((c) => c.ts), [T0]);
});

test('candles missing between two polls are flagged as a gap', async (t) => {
  const { fake, src } = await source(t);
  await src.poll(T0 + 30_000);
  fake.klines.set('BTCUSDT:1m', [kline(T0 + 3 * MIN, 67250, 67260, 67240, 67255), kline(T0 + 4 * MIN, 67255, 67270, 67250, 67265)]);
  const next = (await src.poll(T0 + 5 * MIN)).get('BTCUSDT')!;
  t.true(next.gap);
  t.deepEqual(next.candles.map((c) => c.ts), [T0 + 3 * MIN, T0 + 4 * MIN]);
});

test('a candle whose high is below its close is rejected with an error naming the symbol, call and row', async (t) => {
  const { fake, src, errors } = await source(t);
  fake.fail({ path: KLINES, failure: { kind: 'json', body: [kline(T0 - 2 * MIN, 100, 101, 99, 100.5), kline(T0 - MIN, 100, 100.2, 99, 100.9)] } });
  t.false((await src.poll(T0)).has('BTCUSDT'));
  t.regex(errors[0].message, /BTCUSDT fetchOHLCV: CcxtPayloadError: fetchOHLCV\(BTC\/USDT:USDT\) BTCUSDT: row 1 \(ts \d+\) is inconsistent/);
});

test('a 429 backs the symbol off and leaves it stale until a later poll succeeds', async (t) => {
  const { fake, src, errors } = await source(t);
  fake.fail({ path: KLINES, times: 1, failure: { kind: 'status', status: 429 } });
  t.false((await src.poll(T0 + 30_000)).has('BTCUSDT'));
  t.true(errors[0].retryable);
  t.true(src.stale(T0 + 30_500));
  t.false((await src.poll(T0 + 30_500)).has('BTCUSDT'));
  t.is(fake.count(KLINES), 1, 'not asked while backing off');
  t.is((await src.poll(T0 + 31_000)).get('BTCUSDT')!.candles.length, 5);
  t.false(src.stale(T0 + 31_000));
});

test('a symbol is stale once two candle intervals pass without a successful poll', async (t) => {
  const { src } = await source(t);
  await src.poll(T0 + 30_000);
  t.false(src.stale(T0 + 30_000 + 2 * MIN));
  t.true(src.stale(T0 + 30_001 + 2 * MIN));
});

test('a timeframe the exchange does not have is refused by name', async (t) => {
  const { connect } = await fakeFor(t);
  t.throws(() => new CcxtOhlcvSource(connect(), { symbols: ['BTCUSDT'], timeframe: '7m' }), { instanceOf: RangeError, message: /no timeframe "7m"/ });
});
