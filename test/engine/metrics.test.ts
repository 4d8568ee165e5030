import test from 'ava';
import { dailyReturns, maxDrawdown, profitFactor, sharpe, summarise } from '../../engine/metrics.ts';
import { PriceBook } from '../../engine/price-book.ts';
import type { DayResult, TradeRecord } from '../../engine/types.ts';
import { approx } from '../helpers/frames.ts';

const trade = (netPnl: number, capitalAfter: number, exitReason: TradeRecord['exitReason'] = 'FIXED_TP') =>
  ({ netPnl, capitalAfter, exitReason }) as TradeRecord;
const day = (pnl: number, capital: number) => ({ pnl, capital, bars: 10 }) as DayResult;

test('SPEC-NOTES metrics: Sharpe = mean/std(ddof 1) of daily returns · √365', (t) => {
  // returns 0.01, 0.02, 0.03: mean 0.02, sample std √((1e-4 + 0 + 1e-4)/2) = 0.01 → 2·√365 = 38.20995
  approx(t, sharpe([0.01, 0.02, 0.03]), 2 * Math.sqrt(365), 1e-9);
  t.is(sharpe([0.01]), 0);
});

test('SPEC-NOTES metrics: max drawdown on the equity after each closed trade, from the initial capital', (t) => {
  // 100 → 110 → 99 (dd 11/110 = 0.10) → 120 → 90 (dd 30/120 = 0.25)
  const ts = [trade(10, 110), trade(-11, 99), trade(21, 120), trade(-30, 90)];
  approx(t, maxDrawdown(100, ts), 0.25, 1e-15);
  approx(t, maxDrawdown(100, [trade(-20, 80)]), 0.2, 1e-15); // below the starting capital counts
});

test('SPEC-NOTES metrics: profit factor = gross wins / gross losses on net pnl', (t) => {
  approx(t, profitFactor([trade(10, 0), trade(-5, 0), trade(20, 0), trade(-10, 0)]), 2, 1e-15);
});

test('SPEC-NOTES: a win is net pnl > 0 (a zero-pnl trade is not a win)', (t) => {
  const s = summarise(100, [day(10, 110)], [trade(10, 110), trade(0, 110), trade(-1, 109), trade(1, 110)]);
  t.is(s.winRate, 0.5);
  t.is(s.trades, 4);
});

test('metrics: daily return is the day pnl over the capital it started with', (t) => {
  // day 1: +10 on 100 → 0.10; day 2: −11 on 110 → −0.10
  const r = dailyReturns([day(10, 110), day(-11, 99)]);
  approx(t, r[0], 0.1, 1e-15);
  approx(t, r[1], -0.1, 1e-15);
});

test('§13.1 price history: append; past 500 keep the last 200', (t) => {
  const h = new PriceBook(500, 200, 50);
  const g = h.add();
  for (let i = 1; i <= 500; i++) h.push(g, i, i);
  t.is(h.length(g), 500);
  h.push(g, 501, 501);
  t.is(h.length(g), 200); // prices 302..501
  t.is(h.back(g, 1), 501);
  t.is(h.lastPrice(g), 501);
  const last = new Float64Array(50);
  h.copyLast(g, 50, last);
  t.deepEqual(Array.from(last), Array.from({ length: 50 }, (_, i) => 452 + i));
  h.push(g, 502, 502);
  t.is(h.length(g), 201);
  t.true(h.pricedOn(g, 502));
  t.false(h.pricedOn(g, 501));
});
