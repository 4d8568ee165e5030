import { deepStrictEqual } from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { ObDataError, type ObLevel } from '../../market/ob-snapshot.ts';
import { BookGapError, BookNotSyncedError, OrderBook, type DepthSnapshot, type DepthUpdate } from '../../market/order-book.ts';
import { holds } from '../helpers/frames.ts';

const E0 = 1_723_161_255_000;

const snap = (lastUpdateId: number, bids: ObLevel[] = [[100, 1], [99, 2]], asks: ObLevel[] = [[101, 1], [102, 2]]): DepthSnapshot =>
  ({ lastUpdateId, bids, asks });
const ev = (U: number, u: number, extra: Partial<DepthUpdate> = {}): DepthUpdate =>
  ({ U, u, E: E0 + u, bids: [], asks: [], ...extra });
/** a usdm event: its pu is the previous event's u */
const fev = (U: number, u: number, pu: number, extra: Partial<DepthUpdate> = {}): DepthUpdate => ev(U, u, { pu, ...extra });

const top = (b: OrderBook, depth = 10) => b.snapshot('BTCUSDT', E0, depth);

// ---- spot sequencing ----

test('spot: events before the snapshot are buffered, those it contains dropped, the one straddling it applied', (t) => {
  const b = new OrderBook({ market: 'spot' });
  t.is(b.apply(ev(189, 202, { bids: [[100, 9]] })), 'buffered');
  t.is(b.apply(ev(203, 207, { bids: [[100, 8]] })), 'buffered');
  t.is(b.apply(ev(208, 224, { bids: [[100, 7]] })), 'buffered');
  b.loadSnapshot(snap(218));
  t.true(b.synced);
  t.is(b.updateId, 224);
  t.deepEqual(b.bestBid(), [100, 7]);
  t.like(b.stats, { applied: 1, stale: 2, buffered: 0 });
});

test('spot: a first event starting after lastUpdateId + 1 is a gap: the snapshot is older than the stream', (t) => {
  const b = new OrderBook({ market: 'spot' });
  b.apply(ev(225, 237), { file: 'cap.gz', line: 10 });
  const e = t.throws(() => b.loadSnapshot(snap(218)), { instanceOf: BookGapError });
  t.like(e, { market: 'spot', expected: 219, got: 225, file: 'cap.gz', line: 10, resyncNeeded: true });
  t.false(b.synced);
});

test('spot: an event whose U is not the previous u + 1 is a gap naming the line, and the book is discarded', (t) => {
  const b = new OrderBook({ market: 'spot' });
  b.loadSnapshot(snap(100));
  b.apply(ev(101, 105));
  const e = t.throws(() => b.apply(ev(107, 110), { file: 'cap.gz', line: 42 }), { instanceOf: BookGapError });
  t.like(e, { expected: 106, got: 107, line: 42 });
  t.regex(e.message, /^cap\.gz line 42: spot depth gap \(resync needed\)/);
  t.false(b.synced);
  t.deepEqual(b.size(), { bids: 0, asks: 0 });
  t.throws(() => top(b), { instanceOf: BookNotSyncedError });
});

test('spot: an event already contained in the book (u <= update id) is ignored as stale', (t) => {
  const b = new OrderBook({ market: 'spot' });
  b.loadSnapshot(snap(100));
  t.is(b.apply(ev(95, 100, { bids: [[100, 50]] })), 'stale');
  t.deepEqual(b.bestBid(), [100, 1]);
  t.is(b.updateId, 100);
});

test('spot: after a gap the book buffers, and a new snapshot resyncs it from the buffered events', (t) => {
  const b = new OrderBook({ market: 'spot' });
  b.loadSnapshot(snap(100));
  t.throws(() => b.apply(ev(107, 110)), { instanceOf: BookGapError });
  t.is(b.apply(ev(111, 115, { asks: [[101, 4]] })), 'buffered');
  b.loadSnapshot(snap(112));
  t.true(b.synced);
  t.is(b.updateId, 115);
  t.deepEqual(b.bestAsk(), [101, 4]);
  t.like(b.stats, { snapshots: 2, gaps: 1 });
});

// ---- USDT-M futures sequencing ----

test('usdm: the first event must cover lastUpdateId (U <= id <= u); older events are dropped', (t) => {
  const b = new OrderBook({ market: 'usdm' });
  b.apply(fev(10, 40, 9));
  b.apply(fev(41, 49, 40, { bids: [[100, 5]] }));
  b.apply(fev(50, 60, 49, { bids: [[100, 6]] }));
  b.loadSnapshot(snap(50));
  t.is(b.updateId, 60);
  t.deepEqual(b.bestBid(), [100, 6]);
  t.like(b.stats, { applied: 1, stale: 2 });
});

test('usdm: an event whose u equals lastUpdateId is kept (Binance drops only u < lastUpdateId)', (t) => {
  const b = new OrderBook({ market: 'usdm' });
  b.loadSnapshot(snap(50));
  t.is(b.apply(fev(45, 50, 44, { asks: [[101, 3]] })), 'applied');
  t.deepEqual(b.bestAsk(), [101, 3]);
});

test('usdm: a first event starting after lastUpdateId is a gap', (t) => {
  const b = new OrderBook({ market: 'usdm' });
  b.loadSnapshot(snap(50));
  const e = t.throws(() => b.apply(fev(51, 60, 50)), { instanceOf: BookGapError });
  t.like(e, { market: 'usdm', expected: 50, got: 51 });
});

test('usdm: an event whose pu is not the previous event’s u is a gap', (t) => {
  const b = new OrderBook({ market: 'usdm' });
  b.loadSnapshot(snap(50));
  b.apply(fev(45, 60, 44));
  // u values are not contiguous on futures: only the pu chain tells a gap
  t.is(b.apply(fev(75, 90, 60)), 'applied');
  const e = t.throws(() => b.apply(fev(95, 99, 93)), { instanceOf: BookGapError });
  t.like(e, { expected: 90, got: 93 });
  t.false(b.synced);
});

test('usdm: a repeated event (u <= the last applied u) is ignored as stale, not a gap', (t) => {
  const b = new OrderBook({ market: 'usdm' });
  b.loadSnapshot(snap(50));
  b.apply(fev(45, 60, 44));
  b.apply(fev(61, 70, 60, { bids: [[100, 3]] }));
  t.is(b.apply(fev(61, 70, 60, { bids: [[100, 99]] })), 'stale');
  t.deepEqual(b.bestBid(), [100, 3]);
  t.true(b.synced);
});

test('usdm: an event without pu is an ObDataError, not a silent pass', (t) => {
  const b = new OrderBook({ market: 'usdm' });
  b.loadSnapshot(snap(50));
  t.throws(() => b.apply(ev(45, 60), { file: 'f.gz', line: 3 }), { instanceOf: ObDataError, message: /^f\.gz line 3: .*pu/ });
});

// ---- levels ----

test('a zero quantity removes the level; removing a level the book does not hold is harmless', (t) => {
  const b = new OrderBook({ market: 'spot' });
  b.loadSnapshot(snap(1));
  b.apply(ev(2, 2, { bids: [[100, 0], [98.5, 0]], asks: [[101, 0.5]] }));
  t.deepEqual(top(b).bids, [[99, 2]]);
  t.deepEqual(top(b).asks, [[101, 0.5], [102, 2]]);
});

test('snapshot(depth) gives the best `depth` levels per side, best first, stamped with the given symbol and ts', (t) => {
  const b = new OrderBook({ market: 'spot' });
  b.loadSnapshot(snap(1, [[99, 2], [100, 1], [98, 3]], [[103, 3], [101, 1], [102, 2]]));
  t.deepEqual(b.snapshot('ETHUSDT', 123, 2), { symbol: 'ETHUSDT', ts: 123, bids: [[100, 1], [99, 2]], asks: [[101, 1], [102, 2]] });
});

test('snapshot of a crossed book is an ObDataError naming the symbol', (t) => {
  const b = new OrderBook({ market: 'spot' });
  b.loadSnapshot(snap(1));
  b.apply(ev(2, 2, { bids: [[101.5, 1]] }));
  t.throws(() => top(b), { instanceOf: ObDataError, message: /BTCUSDT bids\[0\]: crossed book/ });
});

test('a level with a negative quantity is an ObDataError naming the side and level', (t) => {
  const b = new OrderBook({ market: 'spot' });
  b.loadSnapshot(snap(1));
  const e = t.throws(() => b.apply(ev(2, 2, { asks: [[101, 1], [102, -1]] })), { instanceOf: ObDataError });
  t.like(e, { side: 'asks', level: 1 });
});

test('while waiting for a snapshot the buffer keeps the newest maxBuffer events', (t) => {
  const b = new OrderBook({ market: 'spot', maxBuffer: 2 });
  b.apply(ev(1, 1));
  b.apply(ev(2, 2));
  b.apply(ev(3, 3, { bids: [[100, 3]] }));
  t.like(b.stats, { buffered: 2, bufferDropped: 1 });
  b.loadSnapshot(snap(1));
  t.deepEqual(b.bestBid(), [100, 3]);
});

test('any sequence of in-order updates leaves the book equal to a price → size map, sorted best first', (t) => {
  // bids below 1000, asks above, so the book is never crossed and snapshot() shows it whole
  const level = (lo: number) => fc.tuple(
    fc.integer({ min: 1, max: 60 }).map((k) => lo + k / 4),
    fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 }).map((q) => q / 1000)),
  );
  const update = fc.tuple(fc.array(level(985), { maxLength: 8 }), fc.array(level(1000), { maxLength: 8 }));
  holds(t, fc.property(fc.array(update, { maxLength: 40 }), (updates) => {
    const b = new OrderBook({ market: 'usdm' });
    b.loadSnapshot({ lastUpdateId: 0, bids: [], asks: [] });
    const model = { bids: new Map<number, number>(), asks: new Map<number, number>() };
    updates.forEach(([bids, asks], i) => {
      b.apply({ U: i, u: i + 1, pu: i, E: E0, bids, asks });
      for (const [p, q] of bids) q === 0 ? model.bids.delete(p) : model.bids.set(p, q);
      for (const [p, q] of asks) q === 0 ? model.asks.delete(p) : model.asks.set(p, q);
    });
    const got = b.snapshot('X', E0, 1_000);
    deepStrictEqual(got.bids, [...model.bids].sort((x, y) => y[0] - x[0]));
    deepStrictEqual(got.asks, [...model.asks].sort((x, y) => x[0] - y[0]));
  }));
});
