import test from 'ava';
import fc from 'fast-check';
import { buildBars } from '../../../market/bar-builder.ts';
import { DataError } from '../../../market/errors.ts';
import type { Trade } from '../../../market/trade.ts';
import { buildResearchBars } from '../../../research/shockflip/research-bars.ts';
import { columnsFromTrades, sortByTime } from '../../../research/shockflip/trade-columns.ts';

const T0 = Date.UTC(2019, 9, 11);

// dyadic prices and sizes: every sum below is exact, so equality is checked with ===
const tradeArb = (spanMs: number): fc.Arbitrary<Trade> =>
  fc.record({
    ts: fc.integer({ min: T0, max: T0 + spanMs }),
    price: fc.integer({ min: 64, max: 64 * 100 }).map((k) => k / 64),
    amount: fc.integer({ min: 1, max: 4096 }).map((j) => j / 256),
    side: fc.constantFrom('buy' as const, 'sell' as const),
  });
const sortedTrades = fc.array(tradeArb(20 * 60_000), { minLength: 1, maxLength: 200 }).map((ts) => [...ts].sort((a, b) => a.ts - b.ts));

test('research bars equal market/bar-builder bars (fill mode) on every shared field', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(sortedTrades, fc.constantFrom(1000, 5000, 60_000), (trades, barMs) => {
        const r = buildBars(trades, { barMs, emptyBars: 'fill' });
        const ref = r.open === null ? r.bars : [...r.bars, r.open];
        const b = buildResearchBars(columnsFromTrades(trades), { barMs });
        if (b.length !== ref.length) return false;
        return ref.every((x, i) =>
          x.start === b.start[i] && x.open === b.open[i] && x.high === b.high[i] && x.low === b.low[i] && x.close === b.close[i] &&
          x.volume === b.volume[i] && x.buyVolume === b.buyVolume[i] && x.sellVolume === b.sellVolume[i] &&
          x.trades === b.trades[i] && x.buyTrades === b.buyTrades[i] && x.notional === b.notional[i] && x.vwap === b.vwap[i]);
      }),
    ),
  );
});

test('per-bar buy/sell notional and Σq² add up to the trades', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(sortedTrades, (trades) => {
        const b = buildResearchBars(columnsFromTrades(trades), { barMs: 60_000 });
        let bn = 0, sn = 0, sq = 0;
        for (const x of trades) {
          if (x.side === 'buy') bn += x.price * x.amount;
          else sn += x.price * x.amount;
          sq += x.amount * x.amount;
        }
        const sum = (a: Float64Array): number => a.reduce((s, v) => s + v, 0);
        return sum(b.buyNotional) === bn && sum(b.sellNotional) === sn && sum(b.sumSqAmount) === sq;
      }),
    ),
  );
});

test('empty intervals are filled with the previous close and zero volume', (t) => {
  const c = columnsFromTrades([
    { ts: T0 + 1000, price: 10, amount: 1, side: 'buy' },
    { ts: T0 + 3 * 60_000 + 5, price: 11, amount: 2, side: 'sell' },
  ]);
  const b = buildResearchBars(c, { barMs: 60_000 });
  t.is(b.length, 4);
  t.deepEqual(Array.from(b.trades), [1, 0, 0, 1]);
  t.deepEqual(Array.from(b.close), [10, 10, 10, 11]);
  t.deepEqual(Array.from(b.volume), [1, 0, 0, 2]);
  t.is(b.vwap[1], 10);
});

test('trades out of time order are a DataError naming the row; sortByTime fixes them (stable)', (t) => {
  const c = columnsFromTrades([
    { ts: T0 + 10, price: 1, amount: 1, side: 'buy' },
    { ts: T0 + 5, price: 2, amount: 1, side: 'buy' },
    { ts: T0 + 5, price: 3, amount: 1, side: 'sell' },
  ]);
  const err = t.throws(() => buildResearchBars(c, { barMs: 60_000, source: 'x.csv' }), { instanceOf: DataError });
  t.is(err?.row, 2);
  t.is(err?.column, 'ts');
  const s = sortByTime(c);
  t.deepEqual(Array.from(s.price), [2, 3, 1]);
  t.is(buildResearchBars(s, { barMs: 60_000 }).close[0], 1);
});

test('no trades: no bars', (t) => {
  t.is(buildResearchBars(columnsFromTrades([]), { barMs: 60_000 }).length, 0);
});
