import test from 'ava';
import { BadResponse, BadSymbol, AuthenticationError, DDoSProtection, ExchangeNotAvailable, NetworkError, NotSupported, OnMaintenance, RateLimitExceeded, RequestTimeout } from 'ccxt';
import { CcxtHealth } from '../../market/ccxt-backoff.ts';
import { CcxtPayloadError, CcxtSourceError, classifyError } from '../../market/ccxt-errors.ts';

for (const E of [NetworkError, RequestTimeout, RateLimitExceeded, DDoSProtection, ExchangeNotAvailable, OnMaintenance, BadResponse]) {
  test(`ccxt ${E.name} is retryable`, (t) => {
    const c = classifyError(new E('x'));
    t.true(c.retryable);
    t.is(c.kind, E.name);
  });
}

for (const E of [BadSymbol, AuthenticationError, NotSupported]) {
  test(`ccxt ${E.name} is permanent`, (t) => {
    t.false(classifyError(new E('x')).retryable);
  });
}

test('a payload error of ours is retryable: one bad answer says nothing about the next', (t) => {
  t.true(classifyError(new CcxtPayloadError('fetchTrades(BTC/USDT:USDT)', 'BTCUSDT', 'trade[0] side is invalid')).retryable);
});

test('a source error names the source, symbol, ccxt method and error class, and shortens huge bodies', (t) => {
  const e = new CcxtSourceError('ccxt:binanceusdm', 'BTCUSDT', 'fetchOrderBook', new ExchangeNotAvailable('503 <html>' + 'x'.repeat(5000)));
  t.regex(e.message, /^ccxt:binanceusdm BTCUSDT fetchOrderBook: ExchangeNotAvailable: 503 <html>x+… \(retryable\)$/);
  t.true(e.message.length < 400);
});

test('backoff doubles from initialMs after each consecutive failure and stops growing at maxMs', (t) => {
  const h = new CcxtHealth(5_000, { initialMs: 100, maxMs: 500, factor: 2 });
  t.deepEqual([1, 2, 3, 4, 5].map((i) => h.failed('BTCUSDT', i * 1000, true, 'x').retryInMs), [100, 200, 400, 500, 500]);
});

test('a key is not due while backing off and due again when the wait ends', (t) => {
  const h = new CcxtHealth(5_000, { initialMs: 100 });
  h.failed('BTCUSDT', 1_000, true, 'x');
  t.false(h.due('BTCUSDT', 1_099));
  t.true(h.due('BTCUSDT', 1_100));
  t.true(h.due('ETHUSDT', 1_000), 'other keys are not affected');
});

test('a success resets the backoff', (t) => {
  const h = new CcxtHealth(5_000, { initialMs: 100 });
  h.failed('BTCUSDT', 0, true, 'x');
  h.failed('BTCUSDT', 100, true, 'x');
  h.succeeded('BTCUSDT', 300);
  t.is(h.failed('BTCUSDT', 400, true, 'x').retryInMs, 100);
});

test('a permanent failure drops the key for good and reports the drop once', (t) => {
  const h = new CcxtHealth(5_000);
  t.deepEqual(h.failed('XRPUSDT', 0, false, 'BadSymbol'), { retryInMs: null, firstDrop: true });
  t.false(h.failed('XRPUSDT', 1, false, 'BadSymbol').firstDrop);
  t.false(h.due('XRPUSDT', 1e12));
  t.deepEqual(h.droppedKeys(), ['XRPUSDT']);
});

test('stale: never fetched, after a failure, and when the last success is older than staleAfterMs', (t) => {
  const h = new CcxtHealth(1_000, { initialMs: 10 });
  t.true(h.get('BTCUSDT', 0).stale, 'never fetched');
  h.succeeded('BTCUSDT', 0);
  t.false(h.get('BTCUSDT', 1_000).stale);
  t.true(h.get('BTCUSDT', 1_001).stale, 'too old');
  h.succeeded('BTCUSDT', 2_000);
  h.failed('BTCUSDT', 2_001, true, 'boom');
  const after = h.get('BTCUSDT', 2_002);
  t.true(after.stale, 'latest attempt failed');
  t.is(after.lastSuccessMs, 2_000);
  t.is(after.lastError, 'boom');
  t.is(after.retryAtMs, 2_011);
});

test('nonsense backoff settings are refused by name', (t) => {
  t.throws(() => new CcxtHealth(1_000, { initialMs: 0 }), { message: /initialMs/ });
  t.throws(() => new CcxtHealth(1_000, { initialMs: 100, maxMs: 50 }), { message: /maxMs/ });
  t.throws(() => new CcxtHealth(1_000, { factor: 0.5 }), { message: /factor/ });
  t.throws(() => new CcxtHealth(0), { message: /staleAfterMs/ });
});
