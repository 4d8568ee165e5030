import test from 'ava';
import fc from 'fast-check';
import { zombieOptions } from '../../../research/shockflip/zombie-options.ts';
import { runTrade, simulate } from '../../../research/shockflip/zombie-sim.ts';
import { barsOf, ev, flat } from './zombie-fixtures.ts';

// Small multiples so the hand-worked prices are easy to read: long TP 102 / SL 99 from entry 100.
const o = zombieOptions({
  long: { tpMult: 2, slMult: 1 },
  short: { tpMult: 2, slMult: 1 },
  cooldownBars: 0,
  zombie: { bar: 3, mfeAtr: 0.5, mode: 'exit' },
  partialTake: { atrMult: 0.5, fraction: 0.5 },
});
const NONE = { zombie: false, partial: false };

test('long: take-profit on first touch of the high, filled at the level', (t) => {
  const bars = barsOf([flat(100), [100, 101, 99.5, 100.5], [100.5, 102.5, 99.5, 102]]);
  const tr = runTrade(bars, ev(0, 1), 0, true, o, NONE);
  t.is(tr.exitReason, 'tp');
  t.is(tr.exitBar, 2);
  t.is(tr.exitPrice, 102);
  t.is(tr.grossReturn, 0.02);
  t.is(tr.returnAtr, 2);
  t.is(tr.barsHeld, 2);
});

test('long: stop and take-profit touched in one bar → the stop wins', (t) => {
  const bars = barsOf([flat(100), [100, 101, 99.5, 100.5], [100.5, 102.5, 98.5, 101]]);
  const tr = runTrade(bars, ev(0, 1), 0, true, o, NONE);
  t.is(tr.exitReason, 'sl');
  t.is(tr.exitPrice, 99);
  t.is(tr.grossReturn, -0.01);
  // the favourable extreme of the stop-out bar is not counted
  t.is(tr.mfeAtr, 1);
});

test('short: mirror image — TP below, SL above, touching exactly counts, the stop wins the tie', (t) => {
  const bars = barsOf([flat(100), [100, 101, 97, 99]]);
  const tr = runTrade(bars, ev(0, -1), 0, true, o, NONE);
  t.is(tr.exitReason, 'sl');
  t.is(tr.exitPrice, 101);
  t.is(tr.grossReturn, -0.01);
  const win = runTrade(barsOf([flat(100), [100, 100.9, 97, 99]]), ev(0, -1), 0, true, o, NONE);
  t.is(win.exitReason, 'tp');
  t.is(win.exitPrice, 98);
  t.is(win.grossReturn, 0.02);
});

test('a bar that opens through the stop fills at the open (gapFill open) or at the level', (t) => {
  const bars = barsOf([flat(100), [98, 98.5, 97.5, 98]]);
  t.is(runTrade(bars, ev(0, 1), 0, true, o, NONE).exitPrice, 98);
  const level = zombieOptions({ ...o, gapFill: 'level' });
  t.is(runTrade(bars, ev(0, 1), 0, true, level, NONE).exitPrice, 99);
});

test('zombie exit: no 0.5 ATR excursion by bar 3 → out at bar 3 close', (t) => {
  const bars = barsOf([flat(100), [100, 100.4, 99.8, 100.1], [100.1, 100.3, 99.6, 99.7], [99.7, 100, 99.5, 99.8], flat(102)]);
  const tr = runTrade(bars, ev(0, 1), 0, true, o, { zombie: true, partial: false });
  t.is(tr.exitReason, 'zombie');
  t.is(tr.exitBar, 3);
  t.is(tr.exitPrice, 99.8);
  t.true(Math.abs(tr.returnAtr - -0.2) < 1e-12);
  // without the rule the same trade runs on to the take-profit
  t.is(runTrade(bars, ev(0, 1), 0, true, o, NONE).exitReason, 'tp');
});

test('zombie exit does not fire once the excursion reached 0.5 ATR (inclusive)', (t) => {
  const bars = barsOf([flat(100), [100, 100.5, 99.8, 100.1], flat(99.8), flat(99.8), flat(102)]);
  const tr = runTrade(bars, ev(0, 1), 0, true, o, { zombie: true, partial: false });
  t.is(tr.exitReason, 'tp');
});

test('breakeven mode moves the stop to entry after bar 3; a later touch exits at exactly breakeven', (t) => {
  const be = zombieOptions({ ...o, zombie: { ...o.zombie, mode: 'breakeven' } });
  const bars = barsOf([flat(100), flat(100.2), flat(100.1), flat(100.3), [100.3, 100.4, 99.9, 100]]);
  const tr = runTrade(bars, ev(0, 1), 0, true, be, { zombie: true, partial: false });
  t.is(tr.exitReason, 'breakeven_stop');
  t.is(tr.exitBar, 4);
  t.is(tr.exitPrice, 100);
  t.is(tr.grossReturn, 0);
  // a small-loss allowance of 0.25 ATR: stop at 99.75, not touched by a low of 99.9
  const loss = zombieOptions({ ...o, zombie: { ...o.zombie, mode: 'breakeven', breakevenOffsetAtr: 0.25 } });
  t.is(runTrade(bars, ev(0, 1), 0, true, loss, { zombie: true, partial: false }).exitReason, 'end');
});

test('partial take at 0.5 ATR: half out at 100.5, the rest at the take-profit', (t) => {
  const bars = barsOf([flat(100), [100, 100.6, 99.8, 100.2], [100.2, 102, 100, 101.5]]);
  const tr = runTrade(bars, ev(0, 1), 0, true, o, { zombie: false, partial: true });
  t.deepEqual(tr.partial, { bar: 1, price: 100.5, fraction: 0.5 });
  t.is(tr.exitReason, 'tp');
  t.is(tr.exitPrice, 0.5 * 100.5 + 0.5 * 102);
  t.true(Math.abs(tr.grossReturn - 0.0125) < 1e-15);
});

test('partial level and stop touched in one bar → the stop wins, no partial', (t) => {
  const bars = barsOf([flat(100), [100, 100.6, 98.9, 100]]);
  const tr = runTrade(bars, ev(0, 1), 0, true, o, { zombie: false, partial: true });
  t.is(tr.partial, null);
  t.is(tr.exitReason, 'sl');
  t.is(tr.exitPrice, 99);
});

test('a gap up through the partial level fills the partial at the open, before an intrabar stop', (t) => {
  const bars = barsOf([flat(100), [100.8, 100.9, 98.5, 99]]);
  const tr = runTrade(bars, ev(0, 1), 0, true, o, { zombie: false, partial: true });
  t.deepEqual(tr.partial, { bar: 1, price: 100.8, fraction: 0.5 });
  t.is(tr.exitReason, 'sl');
  t.true(Math.abs(tr.grossReturn - (0.5 * 0.8 + 0.5 * -1) / 100) < 1e-15);
});

test('costs are charged on both sides', (t) => {
  const c = zombieOptions({ ...o, costBpsPerSide: 5 });
  const tr = runTrade(barsOf([flat(100), [100, 102, 100, 102]]), ev(0, 1), 0, true, c, NONE);
  t.true(Math.abs(tr.netReturn - (0.02 - 0.001)) < 1e-15);
});

test('the zombie rule manages the diamond subset only (applyTo diamond)', (t) => {
  const all = zombieOptions({ ...o, universe: 'all', relVolThreshold: 5 });
  const bars = barsOf([flat(100), flat(100.1), flat(100.1), flat(100.1), flat(100.1), flat(100.1), flat(100.1), flat(100.1)]);
  const r = simulate(bars, [ev(0, 1, { rel_vol: 4 })], all, { zombie: true, partial: false });
  t.is(r.trades[0].exitReason, 'end');
  t.false(r.trades[0].diamond);
  const d = simulate(bars, [ev(0, 1, { rel_vol: 6 })], all, { zombie: true, partial: false });
  t.is(d.trades[0].exitReason, 'zombie');
});

test('one position at a time, cooldown after the exit bar, non-diamonds skipped', (t) => {
  const c = zombieOptions({ ...o, cooldownBars: 3 });
  const rows = Array.from({ length: 20 }, () => flat(100));
  rows[2] = [100, 102, 100, 102]; // trade from bar 0 hits TP at bar 2
  const bars = barsOf(rows);
  const events = [ev(0, 1), ev(1, 1), ev(3, 1), ev(4, 1, { rel_vol: 1 }), ev(5, 1, { atr: 0 }), ev(6, 1), ev(19, 1)];
  const r = simulate(bars, events, c, NONE);
  t.deepEqual(r.trades.map((x) => x.entryBar), [0, 6]);
  // bar 6's trade is closed at the last bar (19, reason end): an event there falls in its cooldown
  t.deepEqual(r.skipped, { not_diamond: 1, in_position: 1, cooldown: 2, bad_atr: 1, no_bars_after: 0 });
});

test('invariants: with level fills every trade returns within [−SL, +TP] ATRs, trades never overlap', (t) => {
  const level = zombieOptions({ ...o, gapFill: 'level', cooldownBars: 2 });
  const barArb = fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }));
  fc.assert(
    fc.property(fc.array(barArb, { minLength: 5, maxLength: 60 }), fc.array(fc.nat(59), { maxLength: 10 }), fc.boolean(), (moves, at, partial) => {
      let p = 100;
      const rows = moves.map(([d, up, down]) => {
        const open = p;
        p = Math.max(1, p + d);
        return [open, Math.max(open, p) + up, Math.min(open, p) - down, p] as [number, number, number, number];
      });
      const bars = barsOf(rows);
      const events = at.filter((i) => i < rows.length).map((i, k) => ev(i, k % 2 === 0 ? 1 : -1));
      const r = simulate(bars, events, level, { zombie: true, partial });
      let lastExit = -Infinity;
      for (const tr of r.trades) {
        t.true(tr.returnAtr >= -1 - 1e-9 && tr.returnAtr <= 2 + 1e-9);
        t.true(tr.entryBar >= lastExit + 2);
        t.true(tr.exitBar > tr.entryBar);
        lastExit = tr.exitBar;
      }
    }),
    { numRuns: 200, seed: 7 },
  );
});
