import test from 'ava';
import { apiHosts } from '../../market/ccxt-exchange.ts';
import type { CcxtSourceError } from '../../market/ccxt-errors.ts';
import { CcxtTradesSource, type CcxtTradesOptions } from '../../market/ccxt-trades.ts';
import { fakeFor, type FakeExchange } from '../helpers/fake-exchange.ts';

const T0 = 1772884800000;
const AGG = '/fapi/v1/aggTrades';

async function source(t: Parameters<typeof fakeFor>[0], opts: Partial<CcxtTradesOptions> = {}): Promise<{ fake: FakeExchange; src: CcxtTradesSource; errors: CcxtSourceError[] }> {
  const { fake, connect } = await fakeFor(t);
  const errors: CcxtSourceError[] = [];
  const ex = connect();
  t.deepEqual(apiHosts(ex), ['127.0.0.1']);
  const src = new CcxtTradesSource(ex, { symbols: ['BTCUSDT', 'ETHUSDT'], backoff: { initialMs: 1_000 }, staleAfterMs: 10_000, onError: (e) => errors.push(e), ...opts });
  return { fake, src, errors };
}

/** a Binance aggTrade row */
const agg = (a: number, T: number, m: boolean, p = '67250.0', q = '0.010') => ({ a, p, q, f: a * 2, l: a * 2, T, m });

test('the first poll returns the recent trades from the fake, oldest first, with the taker side', async (t) => {
  const { fake, src } = await source(t);
  const btc = (await src.poll(T0)).get('BTCUSDT')!;
  t.is(fake.count(AGG, 'BTCUSDT'), 1);
  t.is(btc.trades.length, 12);
  t.deepEqual(btc.trades[0], { ts: 1772884740037, price: 67248.9, amount: 0.015, side: 'buy', id: '2874150001' });
  t.is(btc.trades[1].side, 'sell', 'm = true: the buyer was the maker, so the taker sold');
  t.true(btc.trades.every((x, i) => i === 0 || x.ts >= btc.trades[i - 1].ts));
  t.false(btc.gap);
});

test('a later poll returns only the trades not returned before', async (t) => {
  const { fake, src } = await source(t);
  await src.poll(T0);
  t.deepEqual((await src.poll(T0 + 1_000)).get('BTCUSDT')!.trades, [], 'nothing new');
  fake.aggTrades.get('BTCUSDT')!.push(agg(2874150013, T0 + 1_200, false), agg(2874150014, T0 + 1_300, true));
  const next = (await src.poll(T0 + 2_000)).get('BTCUSDT')!;
  t.deepEqual(next.trades.map((x) => x.id), ['2874150013', '2874150014']);
  t.false(next.gap, 'the page overlaps the previous poll');
});

test('a trade listed twice in one answer is returned once', async (t) => {
  const { fake, src } = await source(t, { symbols: ['BTCUSDT'] });
  const row = agg(7, T0 - 10, true);
  fake.fail({ path: AGG, failure: { kind: 'json', body: [agg(6, T0 - 20, false), row, row] } });
  t.deepEqual((await src.poll(T0)).get('BTCUSDT')!.trades.map((x) => x.id), ['6', '7']);
});

test('trades answered out of order come back ordered by timestamp', async (t) => {
  const { fake, src } = await source(t, { symbols: ['BTCUSDT'] });
  fake.fail({ path: AGG, failure: { kind: 'json', body: [agg(3, T0 - 10, true), agg(1, T0 - 30, false), agg(2, T0 - 20, true)] } });
  t.deepEqual((await src.poll(T0)).get('BTCUSDT')!.trades.map((x) => x.id), ['1', '2', '3']);
});

test('a full page that does not reach back to the previous poll is flagged as a gap', async (t) => {
  const { fake, src } = await source(t, { symbols: ['BTCUSDT'], limit: 3 });
  await src.poll(T0);
  const rows = fake.aggTrades.get('BTCUSDT')!;
  for (let i = 1; i <= 5; i++) rows.push(agg(2874150012 + i, T0 + i * 100, i % 2 === 0));
  const next = (await src.poll(T0 + 1_000)).get('BTCUSDT')!;
  t.true(next.gap);
  t.deepEqual(next.trades.map((x) => x.id), ['2874150015', '2874150016', '2874150017']);
});

test('a failing symbol backs off, is stale meanwhile, and recovers; the other symbol is unaffected', async (t) => {
  const { fake, src, errors } = await source(t);
  fake.fail({ path: AGG, symbol: 'BTCUSDT', times: 1, failure: { kind: 'status', status: 503 } });
  const first = await src.poll(T0);
  t.false(first.has('BTCUSDT'));
  t.true(first.has('ETHUSDT'));
  t.is(errors[0].symbol, 'BTCUSDT');
  t.is(errors[0].kind, 'ExchangeNotAvailable');
  const h = src.health(T0 + 500)[0];
  t.true(h.stale);
  t.is(h.retryAtMs, T0 + 1_000);
  t.true(src.stale(T0 + 500));
  t.false((await src.poll(T0 + 500)).has('BTCUSDT'));
  t.is(fake.count(AGG, 'BTCUSDT'), 1, 'not asked while backing off');
  t.is((await src.poll(T0 + 1_000)).get('BTCUSDT')!.trades.length, 12);
  t.false(src.stale(T0 + 1_000));
});

test('a symbol with no successful poll for longer than staleAfterMs is stale', async (t) => {
  const { src } = await source(t);
  await src.poll(T0);
  t.false(src.health(T0 + 10_000)[0].stale);
  t.true(src.health(T0 + 10_001)[0].stale);
  t.is(src.health(T0 + 10_001)[0].lastSuccessMs, T0);
});

test('a trade without a side is rejected with an error naming the symbol, the ccxt call and the trade', async (t) => {
  const { fake, src, errors } = await source(t, { symbols: ['BTCUSDT'] });
  fake.fail({ path: AGG, failure: { kind: 'json', body: [agg(1, T0 - 30, false), { a: 2, p: '67250.0', q: '0.5', T: T0 - 20 }] } });
  t.false((await src.poll(T0)).has('BTCUSDT'));
  t.regex(errors[0].message, /BTCUSDT fetchTrades: CcxtPayloadError: fetchTrades\(BTC\/USDT:USDT\) BTCUSDT: trade\[1\] side is invalid/);
  t.true(errors[0].retryable);
});
