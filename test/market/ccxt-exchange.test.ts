import test from 'ava';
import { BadResponse, type MarketInterface } from 'ccxt';
import { apiHosts, createCcxtExchange } from '../../market/ccxt-exchange.ts';
import { CcxtSymbolMap, loadSymbolMap } from '../../market/ccxt-symbols.ts';
import { fakeFor } from '../helpers/fake-exchange.ts';

test('every REST URL of a connected exchange points at the loopback fake, and the fake answers the calls', async (t) => {
  const { fake, connect } = await fakeFor(t);
  const ex = connect();
  t.deepEqual(apiHosts(ex), ['127.0.0.1']);
  await ex.loadMarkets();
  t.is(fake.count('/fapi/v1/exchangeInfo'), 1);
  t.deepEqual(fake.unknownPaths, []);
});

test('deribit is pointed at the fake the same way', async (t) => {
  const { connect } = await fakeFor(t);
  t.deepEqual(apiHosts(connect({ exchangeId: 'deribit' })), ['127.0.0.1']);
});

test('the default exchange is binanceusdm with the rate limiter on and real Binance hosts', (t) => {
  const ex = createCcxtExchange();
  t.is(ex.id, 'binanceusdm');
  t.true(ex.enableRateLimit);
  t.true(apiHosts(ex).includes('fapi.binance.com'));
});

test('an unknown exchange id is refused by name', (t) => {
  t.throws(() => createCcxtExchange({ exchangeId: 'nosuchexchange' }), { instanceOf: RangeError, message: /nosuchexchange/ });
});

test('credentials are refused: the sources use public endpoints only', (t) => {
  t.throws(() => createCcxtExchange({ apiKey: 'k' } as never), { message: /"apiKey" is not accepted/ });
  t.throws(() => createCcxtExchange({ options: { secret: 's' } }), { message: /"secret" is not accepted/ });
});

test('a 200 answer with a truncated JSON body is a BadResponse naming the URL', async (t) => {
  const { fake, connect } = await fakeFor(t);
  const ex = connect();
  fake.fail({ path: '/fapi/v1/exchangeInfo', failure: { kind: 'malformed' } });
  const e = await t.throwsAsync(ex.loadMarkets(), { instanceOf: BadResponse });
  t.regex(e!.message, /\/fapi\/v1\/exchangeInfo: malformed JSON/);
});

test('symbol map: engine names map to the linear perpetuals of the loaded markets, both ways', async (t) => {
  const { connect } = await fakeFor(t);
  const map = await loadSymbolMap(connect());
  t.is(map.ccxtSymbol('BTCUSDT'), 'BTC/USDT:USDT');
  t.is(map.ccxtSymbol('1000PEPEUSDT'), '1000PEPE/USDT:USDT');
  t.is(map.engineSymbol('ETH/USDT:USDT'), 'ETHUSDT');
  t.deepEqual(map.engineSymbols(), ['1000PEPEUSDT', 'BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
});

test('symbol map: dated futures and markets not trading are left out', async (t) => {
  const { connect } = await fakeFor(t);
  const ex = connect();
  const map = await loadSymbolMap(ex);
  t.is(ex.markets!['BTC/USDT:USDT-260626'].id, 'BTCUSDT_260626', 'ccxt loaded the quarterly');
  t.is(map.engineSymbol('BTC/USDT:USDT-260626'), undefined);
  t.false(ex.markets!['ALPACA/USDT:USDT'].active, 'ccxt loaded the settling perpetual as inactive');
  t.is(map.ccxtSymbol('ALPACAUSDT'), undefined);
  t.is(map.ccxtSymbol('XRPUSDT'), undefined, 'not listed');
});

const market = (m: Partial<MarketInterface>): MarketInterface =>
  ({ swap: true, linear: true, active: true, spot: false, ...m }) as MarketInterface;

test('symbol map: exchange ids name the engine asset, the unified name is an alias when different', (t) => {
  // ccxt renames some currencies (commonCurrencies); the exchange's own ids keep the day files' names
  const map = CcxtSymbolMap.fromMarkets('x', [market({ symbol: 'BCH/USDT:USDT', base: 'BCH', quote: 'USDT', baseId: 'BCC', quoteId: 'USDT', settle: 'USDT' })]);
  t.is(map.ccxtSymbol('BCCUSDT'), 'BCH/USDT:USDT');
  t.is(map.ccxtSymbol('BCHUSDT'), 'BCH/USDT:USDT');
  t.is(map.engineSymbol('BCH/USDT:USDT'), 'BCCUSDT');
});

test('symbol map: of two perpetuals with one name, the one settled in its quote wins', (t) => {
  const map = CcxtSymbolMap.fromMarkets('x', [
    market({ symbol: 'BTC/USDT:BTC', base: 'BTC', quote: 'USDT', baseId: 'BTC', quoteId: 'USDT', settle: 'BTC' }),
    market({ symbol: 'BTC/USDT:USDT', base: 'BTC', quote: 'USDT', baseId: 'BTC', quoteId: 'USDT', settle: 'USDT' }),
  ]);
  t.is(map.ccxtSymbol('BTCUSDT'), 'BTC/USDT:USDT');
});
