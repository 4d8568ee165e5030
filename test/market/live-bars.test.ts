import test from 'ava';
import fc from 'fast-check';
import { MultiAssetBars } from '../../market/live-bars.ts';
import type { Trade } from '../../market/trade.ts';

const t = (ts: number, price: number, amount = 1, side: 'buy' | 'sell' = 'buy'): Trade => ({ ts, price, amount, side });

test('one row per interval with each asset’s close; a quiet asset carries its last close, one that never traded is NaN', (tt) => {
  const m = new MultiAssetBars(['A', 'B', 'C'], 5_000, 10_000);
  m.push('A', [t(10_100, 1), t(12_000, 2), t(16_000, 3)]);
  m.push('B', [t(11_000, 10)]);
  const rows = m.advance(20_000);
  tt.deepEqual(rows.map((r) => r.start), [10_000, 15_000]);
  tt.deepEqual([...rows[0].closes], [2, 10, NaN]);
  tt.deepEqual([...rows[1].closes], [3, 10, NaN]);
  tt.deepEqual([...rows[1].volumes], [1, 0, 0]);
});

test('a row is emitted only once its interval is over, and never twice', (tt) => {
  const m = new MultiAssetBars(['A'], 5_000, 0);
  m.push('A', [t(1_000, 1)]);
  tt.deepEqual(m.advance(4_999), []);
  tt.is(m.advance(5_000).length, 1);
  tt.deepEqual(m.advance(5_000), []);
});

test('trades before the first row only seed the last close', (tt) => {
  const m = new MultiAssetBars(['A'], 5_000, 10_000);
  m.push('A', [t(2_000, 7)]);
  const rows = m.advance(15_000);
  tt.deepEqual(rows.map((r) => [r.start, r.closes[0]]), [[10_000, 7]]);
});

test('any split of the trades into pushes and advances gives the same rows', (tt) => {
  tt.notThrows(() =>
    fc.assert(
      fc.property(
        fc.array(fc.record({ asset: fc.constantFrom('A', 'B'), dt: fc.integer({ min: 0, max: 3_000 }), price: fc.integer({ min: 1, max: 100 }) }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }),
        (steps, cuts) => {
          let ts = 0;
          const trades = steps.map((s) => ({ asset: s.asset, trade: t((ts += s.dt), s.price) }));
          const end = ts + 10_000;
          const whole = new MultiAssetBars(['A', 'B'], 5_000, 0);
          for (const x of trades) whole.push(x.asset, [x.trade]);
          const expected = whole.advance(end).map((r) => [r.start, [...r.closes]]);
          const parts = new MultiAssetBars(['A', 'B'], 5_000, 0);
          const got: unknown[] = [];
          let i = 0;
          for (const c of cuts) {
            const chunk = trades.slice(i, i + c);
            i += c;
            for (const x of chunk) parts.push(x.asset, [x.trade]);
            // advance only to just before the next trade, so no trade turns late
            const nextTs = i < trades.length ? trades[i].trade.ts : end;
            got.push(...parts.advance(Math.min(nextTs, end) - (nextTs % 5_000)).map((r) => [r.start, [...r.closes]]));
          }
          for (const x of trades.slice(i)) parts.push(x.asset, [x.trade]);
          got.push(...parts.advance(end).map((r) => [r.start, [...r.closes]]));
          if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`rows differ: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`);
        },
      ),
    ),
  );
});

test('a trade of an asset not in the list is an error naming it', (tt) => {
  tt.throws(() => new MultiAssetBars(['A'], 5_000, 0).push('Z', [t(1, 1)]), { message: /Z is not one of/ });
});
