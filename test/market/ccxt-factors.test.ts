import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { factorSignals } from '../../engine/acb.ts';
import { CHAMPION } from '../../engine/config.ts';
import { apiHosts } from '../../market/ccxt-exchange.ts';
import type { CcxtSourceError } from '../../market/ccxt-errors.ts';
import { CcxtFactorsSource, type CcxtFactorsOptions } from '../../market/ccxt-factors.ts';
import { takerRatio } from '../../market/ccxt-taker.ts';
import type { CcxtTrade } from '../../market/ccxt-trades.ts';
import { fakeFor, type FakeExchange } from '../helpers/fake-exchange.ts';
import { tempDir } from './helpers.ts';

const T0 = 1772884800000; // 2026-03-07 12:00 UTC, the fixtures' time
const PREMIUM = '/fapi/v1/premiumIndex';
const DVOL = '/api/v2/public/get_volatility_index_data';
// the fixture's BTC aggTrades, 11:59:00–11:59:55: taker buys 1.597 BTC, taker sells 2.416 BTC
const FIXTURE_TAKER = 1.597 / 2.416;

type Opts = Partial<CcxtFactorsOptions> | ((fake: FakeExchange) => Partial<CcxtFactorsOptions>);

async function source(t: Parameters<typeof fakeFor>[0], opts: Opts = {}): Promise<{ fake: FakeExchange; src: CcxtFactorsSource; errors: CcxtSourceError[] }> {
  const { fake, connect } = await fakeFor(t);
  const exchange = connect();
  const deribit = connect({ exchangeId: 'deribit' });
  t.deepEqual([...apiHosts(exchange), ...apiHosts(deribit)], ['127.0.0.1', '127.0.0.1']);
  const errors: CcxtSourceError[] = [];
  const src = new CcxtFactorsSource({
    exchange,
    deribit,
    fearGreed: { url: `${fake.origin}/fng/?limit=1` },
    backoff: { initialMs: 1_000 },
    onError: (e) => errors.push(e),
    ...(typeof opts === 'function' ? opts(fake) : opts),
  });
  return { fake, src, errors };
}

test('all four factors come from the fake: funding, DVOL, fear & greed, taker ratio', async (t) => {
  const { fake, src } = await source(t);
  const r = await src.read(T0);
  t.deepEqual(r.failed, []);
  t.is(r.factors.funding_btc, -0.0001245);
  t.is(r.factors.dvol_btc, 58.11, 'close of the latest DVOL candle (11:59)');
  t.is(r.factors.fng, 23);
  t.true(Math.abs(r.factors.taker - FIXTURE_TAKER) < 1e-12);
  t.is(fake.count(PREMIUM, 'BTCUSDT'), 1);
  t.is(fake.count(DVOL, 'BTC'), 1);
  t.is(fake.count('/fng/'), 1);
  t.is(fake.count('/fapi/v1/aggTrades', 'BTCUSDT'), 1);
});

test('the reading feeds the ACB: fixture factors count 3.5 signals on the bible thresholds', async (t) => {
  const { src } = await source(t);
  // funding −0.0001245 < −0.0001 → 1.0; DVOL 58.11 > 55 → 0.5; taker 0.661 < 0.80 → 1.0; FNG 23 < 25 confirmed → 1.0
  t.is(factorSignals((await src.read(T0)).factors, CHAMPION.acb), 3.5);
});

test('one failing factor is NaN and flagged; the others are read', async (t) => {
  const { fake, src, errors } = await source(t);
  fake.fail({ path: PREMIUM, failure: { kind: 'status', status: 503 } });
  const r = await src.read(T0);
  t.true(Number.isNaN(r.factors.funding_btc));
  t.deepEqual(r.failed, ['funding_btc']);
  t.true(r.health.funding_btc.stale);
  t.regex(r.health.funding_btc.lastError!, /fetchFundingRate: ExchangeNotAvailable/);
  t.is(r.factors.dvol_btc, 58.11);
  t.is(r.factors.fng, 23);
  t.false(Number.isNaN(r.factors.taker));
  t.is(errors.length, 1);
  t.is(errors[0].symbol, 'funding_btc');
});

test('a failed factor backs off, is not asked meanwhile, and reads again after the backoff', async (t) => {
  const { fake, src } = await source(t);
  fake.fail({ path: PREMIUM, times: 1, failure: { kind: 'status', status: 429 } });
  await src.read(T0);
  const during = await src.read(T0 + 500);
  t.true(Number.isNaN(during.factors.funding_btc), 'still NaN while backing off');
  t.is(fake.count(PREMIUM), 1);
  const after = await src.read(T0 + 1_000);
  t.is(after.factors.funding_btc, -0.0001245);
  t.false(after.health.funding_btc.stale);
  t.is(after.health.funding_btc.lastSuccessMs, T0 + 1_000);
});

test('a fresh value is reused until its refresh interval passes', async (t) => {
  const { fake, src } = await source(t, { refreshMs: { funding_btc: 60_000 } });
  await src.read(T0);
  t.is((await src.read(T0 + 59_999)).factors.funding_btc, -0.0001245);
  t.is(fake.count(PREMIUM), 1);
  await src.read(T0 + 60_000);
  t.is(fake.count(PREMIUM), 2);
});

test('a permanent DVOL error (Deribit "invalid currency") disables the factor: NaN, reported once, not asked again', async (t) => {
  const { fake, src, errors } = await source(t, { dvol: { currency: 'XYZ' } });
  await src.read(T0);
  const r = await src.read(T0 + 3_600_000);
  t.true(Number.isNaN(r.factors.dvol_btc));
  t.true(r.health.dvol_btc.dropped);
  t.regex(r.health.dvol_btc.lastError!, /BadRequest: .*invalid currency/);
  t.is(fake.count(DVOL), 1);
  t.is(errors.filter((e) => e.symbol === 'dvol_btc').length, 1);
});

test('DVOL without a Deribit exchange is NaN and flagged "not configured"', async (t) => {
  const { src } = await source(t, { deribit: null });
  const r = await src.read(T0);
  t.true(Number.isNaN(r.factors.dvol_btc));
  t.false(r.health.dvol_btc.configured);
  t.is(r.health.dvol_btc.lastError, 'not configured');
  t.deepEqual(r.failed, ['dvol_btc']);
});

test('no DVOL candle within the lookback is NaN with an error saying so', async (t) => {
  const { src } = await source(t);
  const r = await src.read(T0 + 2 * 3_600_000);
  t.true(Number.isNaN(r.factors.dvol_btc));
  t.regex(r.health.dvol_btc.lastError!, /no DVOL candle in the last 3600000 ms/);
});

test('fear & greed is read from a local file in alternative.me format, newest entry first or not', async (t) => {
  const file = join(tempDir(t), 'fng.json');
  writeFileSync(file, JSON.stringify({ data: [{ value: '41', timestamp: String((T0 - 86_400_000) / 1000) }, { value: '38', timestamp: String(T0 / 1000 - 3600) }] }));
  const { src } = await source(t, { fearGreed: { file } });
  const r = await src.read(T0);
  t.is(r.factors.fng, 38);
  t.is(r.health.fng.dataTs, T0 - 3_600_000);
});

test('a fear & greed value older than fearGreedMaxAgeMs is refused: NaN, flagged with its date', async (t) => {
  const { src } = await source(t, { fearGreedMaxAgeMs: 6 * 3_600_000 });
  const r = await src.read(T0); // the fixture's value is from 00:00, twelve hours earlier
  t.true(Number.isNaN(r.factors.fng));
  t.regex(r.health.fng.lastError!, /latest value 23 is from 2026-03-07T00:00:00.000Z, older than 21600000 ms/);
});

test('a fear & greed file that is not JSON is NaN with an error naming the file', async (t) => {
  const file = join(tempDir(t), 'fng.json');
  writeFileSync(file, '{"data":[{"value":"2');
  const { src } = await source(t, { fearGreed: { file } });
  const r = await src.read(T0);
  t.true(Number.isNaN(r.factors.fng));
  t.true(r.health.fng.lastError!.includes(`fear & greed ${file}: not JSON`));
});

test('a fear & greed URL that hangs times out: NaN and flagged, the reading still completes', async (t) => {
  const { fake, src } = await source(t, (f) => ({ fearGreed: { url: `${f.origin}/fng/`, timeoutMs: 200 } }));
  fake.fail({ path: '/fng/', failure: { kind: 'hang' } });
  const r = await src.read(T0);
  t.true(Number.isNaN(r.factors.fng));
  t.regex(r.health.fng.lastError!, /timed out after 200 ms/);
  t.is(r.factors.dvol_btc, 58.11);
});

test('the taker window counts only trades inside it', async (t) => {
  const { src } = await source(t, { takerWindowMs: 30_000 });
  const r = await src.read(T0);
  // trades from 11:59:30 on: buys 0.032 + 0.300, sells 0.250 + 0.910 + 0.005 + 0.140
  t.true(Math.abs(r.factors.taker - 0.332 / 1.305) < 1e-12);
  t.is(r.taker!.trades, 6);
});

test('taker with no sell volume in the window is NaN and flagged, not Infinity', async (t) => {
  const { fake, src } = await source(t);
  fake.aggTrades.set('BTCUSDT', [{ a: 1, p: '67250.0', q: '0.5', f: 1, l: 1, T: T0 - 1_000, m: false }]);
  const r = await src.read(T0);
  t.true(Number.isNaN(r.factors.taker));
  t.regex(r.health.taker.lastError!, /no taker sell volume/);
});

test('taker is NaN and flagged while the BTC trades poll fails', async (t) => {
  const { fake, src } = await source(t);
  fake.fail({ path: '/fapi/v1/aggTrades', failure: { kind: 'status', status: 418 } });
  const r = await src.read(T0);
  t.true(Number.isNaN(r.factors.taker));
  t.true(r.health.taker.stale);
  t.regex(r.health.taker.lastError!, /DDoSProtection/);
});

test('with the exchange, Deribit and the index all down the reading still resolves, every factor NaN', async (t) => {
  const { fake, src } = await source(t);
  fake.fail({ path: '/fapi/v1/exchangeInfo', failure: { kind: 'status', status: 503 } });
  fake.fail({ path: DVOL, failure: { kind: 'status', status: 503 } });
  fake.fail({ path: '/fng/', failure: { kind: 'status', status: 503 } });
  const r = await src.read(T0);
  t.deepEqual(r.failed, ['funding_btc', 'dvol_btc', 'fng', 'taker']);
  t.true(Object.values(r.factors).every(Number.isNaN));
});

const trade = (side: 'buy' | 'sell', amount: number, ts = 1): CcxtTrade => ({ ts, price: 100, amount, side, id: `${side}${amount}${ts}` });

test('taker ratio is buy volume over sell volume: 1.0 is balanced, below 0.8 sellers took 25 % more', (t) => {
  t.is(takerRatio([trade('buy', 2), trade('sell', 2)], 0, 10).ratio, 1.0);
  t.is(takerRatio([trade('buy', 4), trade('sell', 5)], 0, 10).ratio, 0.8);
  t.is(takerRatio([trade('buy', 1), trade('sell', 0.5), trade('sell', 0.5, 11)], 0, 10).ratio, 2, 'ts 11 is outside (0, 10]');
});
