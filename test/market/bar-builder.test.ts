import { deepStrictEqual } from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { BarBuilder, BarBuilderError, buildBars, type Bar, type EmptyBarPolicy } from '../../market/bar-builder.ts';
import { TradeDataError, type Trade } from '../../market/trade.ts';
import { holds } from '../helpers/frames.ts';

const T0 = Date.UTC(2024, 7, 8, 23, 54, 0);

// Prices k/64 and amounts j/256 are dyadic: every sum and product below is exact in a double, so
// the invariants can be checked with === instead of a tolerance that could hide a lost trade.
const tradeArb = (spanMs: number): fc.Arbitrary<Trade> =>
  fc.record({
    ts: fc.integer({ min: T0, max: T0 + spanMs }),
    price: fc.integer({ min: 64 * 50_000, max: 64 * 70_000 }).map((k) => k / 64),
    amount: fc.integer({ min: 1, max: 100_000 }).map((j) => j / 256),
    side: fc.constantFrom('buy' as const, 'sell' as const),
  });
const sortedTrades = (spanMs = 120_000, maxLength = 150): fc.Arbitrary<Trade[]> =>
  fc.array(tradeArb(spanMs), { maxLength }).map((ts) => [...ts].sort((a, b) => a.ts - b.ts));
const barMsArb = fc.constantFrom(500, 1000, 5000, 7000, 60_000);
const policyArb = fc.constantFrom<EmptyBarPolicy>('fill', 'skip');

const trade = (ts: number, price: number, amount: number, side: 'buy' | 'sell' = 'buy'): Trade => ({ ts, price, amount, side });

/** closed bars plus the one still open */
function allBars(trades: readonly Trade[], barMs: number, emptyBars: EmptyBarPolicy): Bar[] {
  const r = buildBars(trades, { barMs, emptyBars });
  return r.open === null ? r.bars : [...r.bars, r.open];
}

// ---- invariants (fast-check) ----

test('every bar: volume = buy + sell volume and trades = buy + sell trades', (t) => {
  holds(t, fc.property(sortedTrades(), barMsArb, policyArb, (trades, barMs, policy) =>
    allBars(trades, barMs, policy).every((b) => b.volume === b.buyVolume + b.sellVolume && b.trades === b.buyTrades + b.sellTrades)));
});

test('summed over the bars, volume, Q⁺, Q⁻, notional and trade count equal the trades’ sums', (t) => {
  holds(t, fc.property(sortedTrades(), barMsArb, policyArb, (trades, barMs, policy) => {
    const bars = allBars(trades, barMs, policy);
    const sum = (f: (b: Bar) => number): number => bars.reduce((s, b) => s + f(b), 0);
    const tsum = (f: (x: Trade) => number): number => trades.reduce((s, x) => s + f(x), 0);
    return sum((b) => b.trades) === trades.length
      && sum((b) => b.volume) === tsum((x) => x.amount)
      && sum((b) => b.buyVolume) === tsum((x) => (x.side === 'buy' ? x.amount : 0))
      && sum((b) => b.sellVolume) === tsum((x) => (x.side === 'sell' ? x.amount : 0))
      && sum((b) => b.notional) === tsum((x) => x.price * x.amount);
  }));
});

test('bars are aligned to multiples of the bar size, in strictly rising order, and filled bars leave no hole', (t) => {
  holds(t, fc.property(sortedTrades(), barMsArb, policyArb, (trades, barMs, policy) => {
    const bars = allBars(trades, barMs, policy);
    return bars.every((b, i) =>
      b.start % barMs === 0 && b.end === b.start + barMs
      && (i === 0 || (policy === 'fill' ? b.start === bars[i - 1].end : b.start > bars[i - 1].start))
      && (policy === 'fill' || b.trades > 0));
  }));
});

test('each bar’s OHLC, counts and VWAP match a per-interval reference computed from the trades', (t) => {
  holds(t, fc.property(sortedTrades(), barMsArb, (trades, barMs) => {
    const groups = new Map<number, Trade[]>();
    for (const x of trades) {
      const s = Math.floor(x.ts / barMs) * barMs;
      groups.set(s, [...(groups.get(s) ?? []), x]);
    }
    const bars = allBars(trades, barMs, 'skip');
    if (bars.length !== groups.size) return false;
    return bars.every((b) => {
      const g = groups.get(b.start)!;
      const prices = g.map((x) => x.price);
      const notional = g.reduce((s, x) => s + x.price * x.amount, 0);
      const volume = g.reduce((s, x) => s + x.amount, 0);
      return b.open === g[0].price && b.close === g[g.length - 1].price
        && b.high === Math.max(...prices) && b.low === Math.min(...prices)
        && b.trades === g.length && b.buyTrades === g.filter((x) => x.side === 'buy').length
        && b.vwap === notional / volume && b.vwap >= b.low && b.vwap <= b.high;
    });
  }));
});

test('feeding the trades in any chunks, with a flush up to the next chunk’s first trade between, gives the same bars', (t) => {
  const input = sortedTrades().chain((trades) =>
    fc.tuple(fc.constant(trades), fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, trades.length - 1) }), { maxLength: 10 })));
  holds(t, fc.property(input, barMsArb, policyArb, ([trades, cuts], barMs, policy) => {
    const whole = buildBars(trades, { barMs, emptyBars: policy });
    const b = new BarBuilder({ barMs, emptyBars: policy });
    const bars: Bar[] = [];
    const bounds = [0, ...[...cuts].sort((x, y) => x - y).filter((c) => c < trades.length), trades.length];
    for (let i = 0; i + 1 < bounds.length; i++) {
      bars.push(...b.pushAll(trades.slice(bounds[i], bounds[i + 1])));
      if (bounds[i + 1] < trades.length) bars.push(...b.flush(trades[bounds[i + 1]].ts));
    }
    deepStrictEqual(bars, whole.bars);
    deepStrictEqual(b.current(), whole.open);
    return b.stats.late === 0;
  }), { numRuns: 60 });
});

test('trades delivered out of order within their bar give the same bars as in time order', (t) => {
  const input = fc.uniqueArray(tradeArb(60_000), { selector: (x) => x.ts, maxLength: 120 }).chain((trades) =>
    fc.tuple(fc.constant(trades), fc.array(fc.integer(), { minLength: trades.length, maxLength: trades.length })));
  holds(t, fc.property(input, barMsArb, ([trades, keys], barMs) => {
    const sorted = [...trades].sort((a, b) => a.ts - b.ts);
    // bars stay in order, trades inside each bar are shuffled by the random keys
    const barOf = (x: Trade): number => Math.floor(x.ts / barMs);
    const shuffled = trades.map((x, i) => ({ x, k: keys[i] })).sort((a, b) => barOf(a.x) - barOf(b.x) || a.k - b.k).map((e) => e.x);
    const a = buildBars(sorted, { barMs });
    const b = buildBars(shuffled, { barMs });
    deepStrictEqual(b.bars, a.bars);
    deepStrictEqual(b.open, a.open);
    return b.stats.late === 0;
  }), { numRuns: 60 });
});

// ---- closing ----

test('a trade exactly at a bar’s end closes that bar and opens the next', (t) => {
  const b = new BarBuilder({ barMs: 5000 });
  t.deepEqual(b.push(trade(T0 + 1000, 100, 1)), []);
  const closed = b.push(trade(T0 + 5000, 101, 2));
  t.is(closed.length, 1);
  t.like(closed[0], { start: T0, end: T0 + 5000, close: 100, volume: 1 });
  t.like(b.current(), { start: T0 + 5000, open: 101, volume: 2 });
});

test('flush closes the open bar once the clock reaches its end, not a millisecond before', (t) => {
  const b = new BarBuilder({ barMs: 5000 });
  b.push(trade(T0 + 1000, 100, 1));
  t.deepEqual(b.flush(T0 + 4999), []);
  const closed = b.flush(T0 + 5000);
  t.is(closed.length, 1);
  t.is(closed[0].start, T0);
  t.is(b.current(), null);
});

test('bars align to UTC epoch multiples: a 1-minute bar of a trade at 12:34:56.789 starts at 12:34:00', (t) => {
  const b = new BarBuilder({ barMs: 60_000 });
  b.push(trade(Date.UTC(2024, 0, 2, 12, 34, 56, 789), 100, 1));
  t.is(b.current()!.start, Date.UTC(2024, 0, 2, 12, 34, 0));
});

test('open and close follow trade time, so a trade arriving late inside its bar can still be the open', (t) => {
  const b = new BarBuilder({ barMs: 5000 });
  b.push(trade(T0 + 2000, 100, 1));
  b.push(trade(T0 + 1000, 99, 1));
  b.push(trade(T0 + 3000, 101, 1));
  b.push(trade(T0 + 2500, 102, 1));
  t.like(b.current(), { open: 99, close: 101, high: 102, low: 99 });
});

// ---- empty intervals ----

test('fill: a quiet interval becomes a zero-volume bar at the previous close', (t) => {
  const b = new BarBuilder({ barMs: 5000, emptyBars: 'fill' });
  b.push(trade(T0 + 1000, 100, 1));
  b.push(trade(T0 + 2000, 103, 1));
  const closed = b.push(trade(T0 + 12_000, 104, 1));
  t.deepEqual(closed.map((x) => x.start), [T0, T0 + 5000]);
  t.deepEqual(closed[1], {
    start: T0 + 5000, end: T0 + 10_000, open: 103, high: 103, low: 103, close: 103,
    volume: 0, buyVolume: 0, sellVolume: 0, trades: 0, buyTrades: 0, sellTrades: 0, notional: 0, vwap: 103,
  });
  t.is(b.stats.emptyBars, 1);
});

test('skip: a quiet interval gives no bar', (t) => {
  const b = new BarBuilder({ barMs: 5000, emptyBars: 'skip' });
  b.push(trade(T0 + 1000, 100, 1));
  const closed = b.push(trade(T0 + 12_000, 104, 1));
  t.deepEqual(closed.map((x) => x.start), [T0]);
  t.is(b.current()!.start, T0 + 10_000);
});

test('fill: flush in a quiet market emits the empty bars whose intervals are over', (t) => {
  const b = new BarBuilder({ barMs: 5000, emptyBars: 'fill' });
  b.push(trade(T0 + 1000, 100, 1));
  const closed = b.flush(T0 + 17_000);
  t.deepEqual(closed.map((x) => [x.start, x.trades]), [[T0, 1], [T0 + 5000, 0], [T0 + 10_000, 0]]);
});

test('fill: nothing is filled before the first trade (there is no price to carry)', (t) => {
  const b = new BarBuilder({ barMs: 5000, emptyBars: 'fill' });
  t.deepEqual(b.flush(T0 + 60_000), []);
  t.deepEqual(b.push(trade(T0 + 61_000, 100, 1)), []);
});

test('fill: a gap longer than maxFillBars is an error instead of an unbounded allocation', (t) => {
  const b = new BarBuilder({ barMs: 1000, emptyBars: 'fill', maxFillBars: 10 });
  b.push(trade(T0, 100, 1));
  t.throws(() => b.push(trade(T0 + 60_000, 100, 1)), { instanceOf: BarBuilderError, message: /maxFillBars/ });
});

// ---- late trades ----

test('a trade older than the open bar is dropped, counted and reported, and changes no bar', (t) => {
  const late: Array<[Trade, number]> = [];
  const b = new BarBuilder({ barMs: 5000, onLate: (x, from) => late.push([x, from]) });
  b.push(trade(T0 + 6000, 100, 1));
  const old = trade(T0 + 4000, 90, 3);
  t.deepEqual(b.push(old), []);
  t.like(b.current(), { start: T0 + 5000, low: 100, volume: 1 });
  t.like(b.stats, { trades: 1, late: 1, lateVolume: 3 });
  t.deepEqual(late, [[old, T0 + 5000]]);
});

test('after a flush closed an interval, a trade in it is late', (t) => {
  const b = new BarBuilder({ barMs: 5000 });
  b.flush(T0 + 10_000);
  b.push(trade(T0 + 9_999, 100, 1));
  t.is(b.stats.late, 1);
  b.push(trade(T0 + 10_000, 100, 1));
  t.is(b.stats.trades, 1);
});

// ---- bad input ----

test('a trade with a NaN price is a TradeDataError naming the field, and the bar is untouched', (t) => {
  const b = new BarBuilder({ barMs: 5000 });
  b.push(trade(T0, 100, 1));
  const e = t.throws(() => b.push(trade(T0 + 1, Number.NaN, 1)), { instanceOf: TradeDataError });
  t.is(e.field, 'price');
  t.like(b.current(), { trades: 1, high: 100 });
});

test('a bar size that is not a positive integer is refused', (t) => {
  t.throws(() => new BarBuilder({ barMs: 0 }), { instanceOf: BarBuilderError });
  t.throws(() => new BarBuilder({ barMs: 2.5 }), { instanceOf: BarBuilderError });
});

test('flush with a clock that is not a finite number is refused', (t) => {
  t.throws(() => new BarBuilder({ barMs: 5000 }).flush(Number.NaN), { instanceOf: BarBuilderError });
});
