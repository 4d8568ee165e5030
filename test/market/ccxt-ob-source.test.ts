import test from 'ava';
import type { Exchange } from 'ccxt';
import { CcxtObSource, type CcxtObSourceOptions } from '../../market/ccxt-ob-source.ts';
import { apiHosts } from '../../market/ccxt-exchange.ts';
import { validateSnapshot } from '../../market/ob-snapshot.ts';
import { ObSourceError } from '../../market/ob-source.ts';
import { ObStaleness } from '../../market/ob-staleness.ts';
import { fakeFor, type FakeExchange } from '../helpers/fake-exchange.ts';

const T0 = 1772884800000; // 2026-03-07 12:00 UTC, the fixtures' time
const SYMS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const DEPTH = '/fapi/v1/depth';

async function source(t: Parameters<typeof fakeFor>[0], opts: CcxtObSourceOptions = {}): Promise<{ fake: FakeExchange; ex: Exchange; src: CcxtObSource; errors: ObSourceError[] }> {
  const { fake, connect } = await fakeFor(t);
  const errors: ObSourceError[] = [];
  const ex = connect();
  const src = new CcxtObSource(ex, { backoff: { initialMs: 1_000, maxMs: 8_000 }, onError: (e) => errors.push(e), ...opts });
  return { fake, ex, src, errors };
}

const symbolsOf = (snaps: { symbol: string }[]) => snaps.map((s) => s.symbol);

test('one cycle fetches each requested book from the fake, never the network', async (t) => {
  const { fake, ex, src } = await source(t);
  const snaps = await src.snapshots(SYMS, T0);
  t.deepEqual(symbolsOf(snaps), SYMS);
  t.deepEqual(apiHosts(ex), ['127.0.0.1']);
  for (const s of SYMS) t.is(fake.count(DEPTH, s), 1);
});

test('a book becomes a valid snapshot with the exchange timestamp and numeric [price, size] levels', async (t) => {
  const { src } = await source(t, { depth: 5 });
  const [btc] = await src.snapshots(['BTCUSDT'], T0);
  t.notThrows(() => validateSnapshot(btc));
  t.is(btc.ts, T0 + 150, 'the depth answer\'s T');
  t.is(btc.bids.length, 5);
  t.deepEqual(btc.bids[0], [67250.1, 3.412]);
  t.deepEqual(btc.asks[0], [67250.2, 1.937]);
});

test('the depth asked for is the ccxt limit sent to the exchange', async (t) => {
  const { fake, src } = await source(t, { depth: 10 });
  await src.snapshots(['BTCUSDT'], T0);
  t.is(fake.requests.find((r) => r.path === DEPTH)!.query.limit, '10');
});

test('a book without an exchange timestamp is stamped with the fetch time', async (t) => {
  const { fake, src } = await source(t, { clock: () => T0 + 777 });
  const { T: _t, E: _e, ...book } = fake.depth.get('ETHUSDT')!;
  fake.depth.set('ETHUSDT', book);
  const [eth] = await src.snapshots(['ETHUSDT'], T0);
  t.is(eth.ts, T0 + 777);
});

for (const status of [429, 418, 503]) {
  test(`HTTP ${status} on one symbol is a retryable error for that symbol; the others still arrive`, async (t) => {
    const { fake, src, errors } = await source(t);
    fake.fail({ path: DEPTH, symbol: 'ETHUSDT', failure: { kind: 'status', status } });
    const snaps = await src.snapshots(SYMS, T0);
    t.deepEqual(symbolsOf(snaps), ['BTCUSDT', 'SOLUSDT']);
    t.is(errors.length, 1);
    t.true(errors[0] instanceof ObSourceError);
    t.is(errors[0].symbol, 'ETHUSDT');
    t.true(errors[0].retryable);
  });
}

test('a hung request times out as a retryable RequestTimeout; the other symbols of the cycle still arrive', async (t) => {
  const { fake, ex, src, errors } = await source(t);
  await src.snapshots(SYMS, T0 - 500); // warm: markets loaded, connections open
  ex.timeout = 500;
  fake.fail({ path: DEPTH, symbol: 'BTCUSDT', failure: { kind: 'hang' } });
  const snaps = await src.snapshots(SYMS, T0);
  t.deepEqual(symbolsOf(snaps), ['ETHUSDT', 'SOLUSDT']);
  t.regex(errors[0].message, /BTCUSDT: fetchOrderBook: RequestTimeout/);
  t.true(errors[0].retryable);
});

test('a failing symbol is skipped while it backs off and fetched again when the backoff ends', async (t) => {
  const { fake, src } = await source(t);
  fake.fail({ path: DEPTH, symbol: 'BTCUSDT', times: 1, failure: { kind: 'status', status: 429 } });
  await src.snapshots(SYMS, T0);
  t.false(symbolsOf(await src.snapshots(SYMS, T0 + 500)).includes('BTCUSDT'), 'backing off: 1 000 ms');
  t.is(fake.count(DEPTH, 'BTCUSDT'), 1, 'not asked during the backoff');
  t.is(fake.count(DEPTH, 'ETHUSDT'), 2);
  t.true(symbolsOf(await src.snapshots(SYMS, T0 + 1_000)).includes('BTCUSDT'), 'recovered');
  t.is(fake.count(DEPTH, 'BTCUSDT'), 2);
  t.false(src.health(['BTCUSDT'], T0 + 1_000)[0].stale);
});

test('consecutive failures back off exponentially up to the cap', async (t) => {
  const { fake, src } = await source(t);
  fake.fail({ path: DEPTH, symbol: 'BTCUSDT', failure: { kind: 'status', status: 503 } });
  // waits 1 000, 2 000, 4 000, 8 000 (cap), 8 000: attempts at 0, 1 000, 3 000, 7 000, 15 000
  for (let now = 0; now <= 15_000; now += 500) await src.snapshots(['BTCUSDT'], T0 + now);
  const attempts = fake.requests.filter((r) => r.path === DEPTH).length;
  t.is(attempts, 5);
  t.is(src.health(['BTCUSDT'], T0 + 15_000)[0].retryAtMs, T0 + 23_000);
});

test('a symbol backing off goes stale in the staleness tracker, and fresh again on recovery', async (t) => {
  const staleness = new ObStaleness(SYMS, { staleAfterMs: 1_000 });
  const { fake, src } = await source(t, { onError: (e) => staleness.recordError(e) });
  staleness.record(await src.snapshots(SYMS, T0));
  t.deepEqual(staleness.quality(T0 + 200).staleSymbols, []);
  fake.fail({ path: DEPTH, symbol: 'SOLUSDT', times: 1, failure: { kind: 'status', status: 429 } });
  fake.depth.forEach((b) => (b.T = Number(b.T) + 500));
  staleness.record(await src.snapshots(SYMS, T0 + 500));
  t.deepEqual(staleness.quality(T0 + 600).staleSymbols, ['SOLUSDT']);
  fake.depth.forEach((b) => (b.T = Number(b.T) + 1_000));
  staleness.record(await src.snapshots(SYMS, T0 + 1_500));
  t.deepEqual(staleness.quality(T0 + 1_600).staleSymbols, []);
});

test('an unknown engine symbol is reported once as permanent, dropped, and never requested', async (t) => {
  const { fake, src, errors } = await source(t);
  await src.snapshots(['BTCUSDT', 'XRPUSDT'], T0);
  await src.snapshots(['BTCUSDT', 'XRPUSDT'], T0 + 60_000);
  t.is(errors.length, 1);
  t.is(errors[0].symbol, 'XRPUSDT');
  t.false(errors[0].retryable);
  t.regex(errors[0].message, /BadSymbol: binanceusdm lists no active linear perpetual for XRPUSDT/);
  t.is(fake.count(DEPTH, 'XRPUSDT'), 0);
  t.deepEqual(src.droppedSymbols(), ['XRPUSDT']);
});

test('an exchange BadSymbol (Binance -1121) drops the symbol after one report; the rest go on', async (t) => {
  const { fake, src, errors } = await source(t);
  fake.fail({ path: DEPTH, symbol: 'SOLUSDT', failure: { kind: 'status', status: 400, body: '{"code":-1121,"msg":"Invalid symbol."}' } });
  await src.snapshots(SYMS, T0);
  const later = await src.snapshots(SYMS, T0 + 120_000);
  t.deepEqual(symbolsOf(later), ['BTCUSDT', 'ETHUSDT']);
  t.is(errors.length, 1);
  t.false(errors[0].retryable);
  t.is(fake.count(DEPTH, 'SOLUSDT'), 1);
});

test('malformed JSON is a retryable error naming the symbol and the endpoint', async (t) => {
  const { fake, src, errors } = await source(t);
  fake.fail({ path: DEPTH, symbol: 'ETHUSDT', failure: { kind: 'malformed' } });
  await src.snapshots(SYMS, T0);
  t.regex(errors[0].message, /ETHUSDT: fetchOrderBook: BadResponse: .*\/fapi\/v1\/depth\?symbol=ETHUSDT.*malformed JSON/);
  t.true(errors[0].retryable);
});

test('a crossed book is rejected with an error naming the symbol, the ccxt call and the level', async (t) => {
  const { fake, src, errors } = await source(t);
  fake.fail({ path: DEPTH, symbol: 'BTCUSDT', failure: { kind: 'json', body: { lastUpdateId: 1, T: T0, bids: [['67260.0', '1.0']], asks: [['67250.0', '1.0']] } } });
  const snaps = await src.snapshots(SYMS, T0);
  t.false(symbolsOf(snaps).includes('BTCUSDT'));
  t.regex(errors[0].message, /BTCUSDT: fetchOrderBook: CcxtPayloadError: fetchOrderBook\(BTC\/USDT:USDT\) BTCUSDT: invalid book: BTCUSDT bids\[0\]: crossed book/);
});

test('markets that cannot be loaded fail the whole cycle as retryable, back off, then recover', async (t) => {
  const { fake, src } = await source(t);
  fake.fail({ path: '/fapi/v1/exchangeInfo', times: 1, failure: { kind: 'status', status: 503 } });
  const e = await t.throwsAsync(src.snapshots(SYMS, T0), { instanceOf: ObSourceError });
  t.is(e!.symbol, null);
  t.true(e!.retryable);
  await t.throwsAsync(src.snapshots(SYMS, T0 + 500), { message: /backing off/ });
  t.is(fake.count('/fapi/v1/exchangeInfo'), 1, 'not asked during the backoff');
  t.deepEqual(symbolsOf(await src.snapshots(SYMS, T0 + 1_000)), SYMS, 'ccxt reloads its markets after the failed load');
});

test('requests in flight never exceed the concurrency limit', async (t) => {
  const { fake, src } = await source(t, { concurrency: 2 });
  fake.fail({ path: DEPTH, failure: { kind: 'delay', ms: 40 } });
  t.is((await src.snapshots(SYMS, T0)).length, 3);
  t.is(fake.maxInFlight, 2);
});
