import test from 'ava';
import { AlphaEngine } from '../../engine/alpha-engine.ts';
import { CHAMPION } from '../../engine/config.ts';
import { runDays } from '../../engine/run.ts';
import type { DayFrame } from '../../engine/types.ts';
import { approx, barOf, config, dateN, falling, makeDays, rising, runFrames } from '../helpers/frames.ts';

// Scenario used throughout: one asset falling 1 bp per bar geometrically (100·0.9999^g), vel_div
// −0.06 on every bar, 300-row days. For a SHORT the price pnl after k bars is 1 − 0.9999^k:
// k = 95 → 0.009455 < 0.0095, k = 96 → 0.009554 ≥ 0.0095, so every trade is a FIXED_TP after 96 bars.
// Entries: row ≥ 100 of each day (min_day_row), bar_count ≥ 100, not on an exit bar:
//   day 0 (bars 0–299):   (100→196) (197→293) (294→390, exits on day 1 at row 90)
//   day 1 (bars 300–599): re-entry waits for row 100 → (400→496) (497→593) (594→690, exits on day 2)
const ASSETS = ['FALLUSDT'];
const days = (n: number, rows = 300, velDiv: (g: number, d: number, r: number) => number = () => -0.06) =>
  makeDays({ days: n, rows, assets: ASSETS, price: (_a, g) => falling(g), velDiv });
const bars = (trades: readonly { entryBar: number; exitBar: number }[]) => trades.map((x) => [x.entryBar, x.exitBar]);

test('§13 first trade, worked by hand: enters at row 100, FIXED_TP 96 bars later, money figures from the bible', (t) => {
  const { trades } = runFrames(days(1));
  const x = trades[0];
  t.deepEqual([x.asset, x.entryBar, x.exitBar, x.exitReason, x.barsHeld], ['FALLUSDT', 100, 196, 'FIXED_TP', 96]);
  // vd −0.06 ≤ −0.05: strength 1 → leverage 0.5 + 1·4.5 = 5.0; no ACB → rsm 1, ceiling 5 → 5.0
  t.is(x.leverage, 5.0);
  // fraction: 0.20 · (0.70/0.95) · 2.0 · 1.0 (flat trend) · 1.0 (no bucket history) · 1.1 (no losses) = 0.324 → 0.20
  t.is(x.fraction, 0.2);
  t.is(x.notional, 25_000); // 25000 · 0.2 · 5
  t.is(x.entry.bucket, 1); // −0.075 < −0.06 ≤ −0.05: strong
  t.is(x.entry.dc, 'CONFIRM'); // 7-bar change ≈ −7 bps
  approx(t, x.entry.signalConfidence, 0.9, 1e-15);
  // fill: entry at the bar price; exit at the bar price · (1 + 0.0002)
  const entry = falling(100);
  const trigger = falling(196);
  t.is(x.entryPrice, entry);
  t.is(x.exitTriggerPrice, trigger);
  approx(t, x.exitPrice, trigger * 1.0002, 1e-12);
  // draws (seed 42): 0.3745 < 0.62 → +2 bps; 0.9507, 0.7320 → nothing
  const raw = (entry - trigger * 1.0002) / entry + 0.0002;
  approx(t, x.pnlPctRaw, raw, 1e-15);
  // net = raw · 25000 − 0.000314 · 25000 (7.85) − 0.00035 · 25000 (8.75)
  approx(t, x.netPnl, raw * 25_000 - 7.85 - 8.75, 1e-9);
  approx(t, x.capitalAfter, 25_000 + raw * 25_000 - 16.6, 1e-9);
});

test('§13 sizing on an entry with a deepening vel_div, worked by hand', (t) => {
  // vd −0.03 on rows 0–99 (no entry: min_day_row), −0.045 from row 100 → entry at bar 100
  const { trades } = runFrames(days(1, 300, (_g, _d, r) => (r < 100 ? -0.03 : -0.045)));
  const x = trades[0];
  t.is(x.entryBar, 100);
  // trend = vd[−1] − vd[−10] = −0.045 − (−0.03) = −0.015 < −0.01 → 1.3
  approx(t, x.entry.velDivTrend, -0.015, 1e-15);
  t.is(x.entry.trendMult, 1.3);
  // strength (−0.02 + 0.045)/0.03 = 0.8333; leverage 0.5 + 0.8333³·4.5 = 3.1041667
  approx(t, x.leverage, 0.5 + Math.pow(5 / 6, 3) * 4.5, 1e-12);
  t.is(x.entry.bucket, 2); // −0.05 < −0.045 ≤ −0.035
  // fraction: (0.02 + 0.8333·0.18 = 0.17) · (0.55/0.95) · 1.3 · 1.0 · 1.1 = 0.1407421
  approx(t, x.fraction, 0.17 * (0.55 / 0.95) * 1.3 * 1.1, 1e-12);
  approx(t, x.notional, 25_000 * x.fraction * x.leverage, 1e-9);
});

test('§13.2 warm-up: bar_count counts the current bar, so the first entry is global bar 99 (bar_count = 100)', (t) => {
  const { trades } = runFrames(days(1), { cfg: config((c) => (c.bar_loop.min_day_row = 0)) });
  t.is(trades[0].entryBar, 99);
  const longer = runFrames(days(1), { cfg: config((c) => ((c.bar_loop.min_day_row = 0), (c.bar_loop.lookback = 150))) });
  t.is(longer.trades[0].entryBar, 149);
});

test('SPEC-NOTES §13: bars with NaN vel_div count toward the warm-up but never enter', (t) => {
  const cfg = config((c) => (c.bar_loop.min_day_row = 0));
  // NaN on rows 0–79 and on row 99: the first entry waits for row 100, the first signal after warm-up
  const { trades } = runFrames(days(1, 300, (g) => (g < 80 || g === 99 ? NaN : -0.06)), { cfg });
  t.is(trades[0].entryBar, 100);
  t.is(runFrames(days(1, 300, () => NaN), { cfg }).trades.length, 0);
});

test('SPEC-NOTES §13: the 100-bar warm-up applies once per run, not once per day', (t) => {
  // with min_day_row 0, day 1 may enter at its row 0 (bar 300) — the warm-up does not restart
  const cfg = config((c) => (c.bar_loop.min_day_row = 0));
  const f = makeDays({
    days: 2,
    rows: 300,
    assets: ASSETS,
    price: (_a, g) => falling(g),
    velDiv: (_g, d, r) => (d === 0 && r >= 150 ? 0 : -0.06), // no signal at the end of day 0
  });
  const { trades } = runFrames(f, { cfg });
  t.deepEqual(bars(trades).slice(0, 2), [
    [99, 195],
    [300, 396],
  ]);
});

test('SPEC-NOTES §13: no entry in the first 100 rows of a day (re-entry waits for row 100 on day 1)', (t) => {
  const { trades } = runFrames(days(2));
  t.deepEqual(bars(trades), [
    [100, 196],
    [197, 293],
    [294, 390],
    [400, 496],
    [497, 593],
  ]);
  for (const x of trades) t.true(x.entryBar % 300 >= 100);
});

test('§13.2 exit before entry; no entry on the bar of an exit, entry on the very next bar', (t) => {
  const { trades } = runFrames(days(1));
  t.is(trades[1].entryBar, trades[0].exitBar + 1);
  t.is(trades.length, 2); // the third position (294) is still open
});

test('§13 capital carries across days and from trade to trade', (t) => {
  const { trades, days: results } = runFrames(days(3));
  t.is(results[1].capital - results[1].pnl, results[0].capital);
  t.is(results[2].capital - results[2].pnl, results[1].capital);
  let capital = 25_000;
  for (const x of trades) {
    t.is(x.entry.capitalAtEntry, capital);
    approx(t, x.notional, capital * x.fraction * x.leverage, 1e-9);
    approx(t, x.capitalAfter, capital + x.netPnl, 1e-9);
    capital = x.capitalAfter;
  }
  t.is(results[2].capital, capital);
});

test('SPEC-NOTES §13: a trade belongs to its exit date; positions are held over midnight', (t) => {
  const { trades, days: results } = runFrames(days(2));
  const overnight = trades[2];
  t.deepEqual([overnight.entryBar, overnight.exitBar], [294, 390]);
  t.is(overnight.entryDate, dateN(0));
  t.is(overnight.date, dateN(1));
  t.deepEqual(results.map((d) => d.trades), [2, 3]);
  const day0Pnl = trades[0].netPnl + trades[1].netPnl;
  approx(t, results[0].pnl, day0Pnl, 1e-9);
});

test('SPEC-NOTES §13: a position open at the end is reported by openPosition(), not in trades', (t) => {
  const { engine, trades } = runFrames(days(1));
  t.deepEqual(bars(trades), [
    [100, 196],
    [197, 293],
  ]);
  const open = engine.openPosition();
  t.not(open, null);
  t.deepEqual([open!.asset, open!.entryBar, open!.entryDate], ['FALLUSDT', 294, dateN(0)]);
  t.is(open!.entryPrice, falling(294));
});

test('SPEC-NOTES §13: runDays reports the open position separately and leaves capital unmarked', async (t) => {
  const frames = days(1);
  const r = await runDays(frames, {
    dates: [dateN(0)],
    w750ByDate: new Map(),
    factorsByDate: new Map(),
    postureByDate: new Map(),
    capital: 25_000,
  }, config((c) => (c.acb.use_acb = false)));
  t.is(r.trades.length, 2);
  t.is(r.openPosition?.entryBar, 294);
  t.is(r.summary.finalCapital, r.trades[1].capitalAfter);
});

test('§11.7 TURTLE: no entry all day; a carried position still exits by its own rules', (t) => {
  const { trades, days: results } = runFrames(days(3), { plan: [{}, { posture: 'TURTLE' }, {}] });
  t.deepEqual(
    trades.map((x) => [x.entryBar, x.exitBar, x.exitReason]),
    [
      [100, 196, 'FIXED_TP'],
      [197, 293, 'FIXED_TP'],
      [294, 390, 'FIXED_TP'],
      [700, 796, 'FIXED_TP'],
      [797, 893, 'FIXED_TP'],
    ],
  );
  t.is(results[1].posture, 'TURTLE');
});

test('§11.7 HIBERNATE: no entry, and an open position is force-closed (HIBERNATE_HALT) at the first priced bar', (t) => {
  // the asset has no price on day 1 rows 0–4, so the first priced bar of day 1 is bar 305
  const f = makeDays({
    days: 3,
    rows: 300,
    assets: ASSETS,
    price: (_a, g, d, r) => (d === 1 && r < 5 ? NaN : falling(g)),
    velDiv: () => -0.06,
  });
  const { trades } = runFrames(f, { plan: [{}, { posture: 'HIBERNATE' }, {}] });
  t.deepEqual(
    trades.map((x) => [x.entryBar, x.exitBar, x.exitReason, x.date]),
    [
      [100, 196, 'FIXED_TP', dateN(0)],
      [197, 293, 'FIXED_TP', dateN(0)],
      [294, 305, 'HIBERNATE_HALT', dateN(1)],
      [700, 796, 'FIXED_TP', dateN(2)],
      [797, 893, 'FIXED_TP', dateN(2)],
    ],
  );
  const halt = trades[2];
  t.is(halt.exitTriggerPrice, falling(305));
  approx(t, halt.exitPrice, falling(305) * 1.0002, 1e-12); // 2 bps: not a stop
});

test('§11.7 STALKER: every entry of the day is capped at 2.0x leverage', (t) => {
  const { trades } = runFrames(days(2), { plan: [{ posture: 'STALKER' }, { posture: 'APEX' }] });
  t.deepEqual(trades.map((x) => [x.entryBar, x.leverage]), [
    [100, 2.0],
    [197, 2.0],
    [294, 2.0],
    [400, 5.0],
    [497, 5.0],
  ]);
});

test('§6.5 ACB boost raises the ceiling to at most 6.0x', (t) => {
  // boost 1.3, beta 0.8, strength 1: rsm = 1.3 · 1.8 = 2.34; raw = 5 · 2.34 = 11.7; ceiling min(11.7, 6) = 6
  const { trades } = runFrames(days(1), { plan: [{ acb: { boost: 1.3, beta: 0.8 } }] });
  approx(t, trades[0].entry.regimeSizeMult, 2.34, 1e-12);
  t.is(trades[0].entry.clampedMaxLeverage, 6);
  t.is(trades[0].leverage, 6);
});

test('§5.5 in the engine: a rising asset (inverse profile) is never traded, and there is no fallback', (t) => {
  const both = makeDays({
    days: 1,
    rows: 300,
    assets: ['UPUSDT', 'FALLUSDT'],
    price: (a, g) => (a === 0 ? rising(g) * 2 : falling(g)), // UP has the bigger moves (higher ARS)
    velDiv: () => -0.06,
  });
  const r = runFrames(both);
  t.true(r.trades.length > 0);
  t.true(r.trades.every((x) => x.asset === 'FALLUSDT'));
  const upOnly = makeDays({ days: 1, rows: 300, assets: ['BTCUSDT'], price: (_a, g) => rising(g), velDiv: () => -0.06 });
  const none = runFrames(upOnly);
  t.is(none.trades.length, 0);
  t.is(none.engine.openPosition(), null);
});

test('SPEC-NOTES §5: the chosen asset without a price on this bar means no entry (no retry with another asset)', (t) => {
  // FALL has no price on rows 100–104 but still ranks first (≥ 50 prices, biggest moves).
  // SLOW (half the price, half the speed: lower ARS) is priced and selectable on every bar.
  const f = makeDays({
    days: 1,
    rows: 300,
    assets: ['FALLUSDT', 'SLOWUSDT'],
    price: (a, g, _d, r) => (a === 1 ? 50 * Math.pow(0.99995, g) : r >= 100 && r < 105 ? NaN : falling(g)),
    velDiv: () => -0.06,
  });
  const first = runFrames(f).trades[0];
  t.deepEqual([first.asset, first.entryBar], ['FALLUSDT', 105]);
  // control: with FALL priced on every bar, the first entry is FALL at bar 100
  const control = makeDays({
    days: 1,
    rows: 300,
    assets: ['FALLUSDT', 'SLOWUSDT'],
    price: (a, g) => (a === 1 ? 50 * Math.pow(0.99995, g) : falling(g)),
    velDiv: () => -0.06,
  });
  t.deepEqual([runFrames(control).trades[0].asset, runFrames(control).trades[0].entryBar], ['FALLUSDT', 100]);
});

test('SPEC-NOTES §13: no exit is evaluated on a bar where the held asset has no price', (t) => {
  // the TP bar 196 and the next three bars are unpriced: the TP fires at bar 200 instead
  const f = makeDays({
    days: 1,
    rows: 300,
    assets: ASSETS,
    price: (_a, g) => (g >= 196 && g < 200 ? NaN : falling(g)),
    velDiv: () => -0.06,
  });
  const x = runFrames(f).trades[0];
  t.deepEqual([x.entryBar, x.exitBar, x.exitReason], [100, 200, 'FIXED_TP']);
});

test('§7.1 MAX_HOLD at bars_held = 120 when the price goes nowhere', (t) => {
  // falls for 100 bars (so IRP and DC pick it), then flat: no TP, so the position exits at 100 + 120
  const f = makeDays({ days: 1, rows: 300, assets: ASSETS, price: (_a, g) => falling(Math.min(g, 100)), velDiv: () => -0.06 });
  const x = runFrames(f).trades[0];
  t.deepEqual([x.entryBar, x.exitBar, x.exitReason, x.barsHeld], [100, 220, 'MAX_HOLD', 120]);
});

// ---- §7.3 sub-day ACB force exit (streaming, between bars) ----

function streamUntil(frames: readonly DayFrame[], acb: { boost: number; beta: number }, lastRow: number): AlphaEngine {
  const engine = new AlphaEngine(CHAMPION, 25_000);
  const f = frames[0];
  engine.beginDay({ date: f.date, assets: f.assets, posture: 'APEX', acb });
  for (let r = 0; r <= lastRow; r++) engine.processBar(barOf(f, r));
  return engine;
}

test('§7.3 sub-day ACB update from ≥ 1.25 to < 1.10 force-exits with SUBDAY_ACB_NORMALIZATION', (t) => {
  const f = days(1);
  const engine = streamUntil(f, { boost: 1.3, beta: 0 }, 120); // position opened at bar 100
  t.is(engine.openPosition()?.entryBar, 100);
  engine.updateAcbBoost(1.05, 0);
  t.is(engine.openPosition(), null);
  const x = engine.trades[0];
  t.is(x.exitReason, 'SUBDAY_ACB_NORMALIZATION');
  t.is(x.exitBar, 121); // applied at the start of the next bar (pending-flag pattern)
  t.is(x.exitTriggerPrice, falling(120)); // the held asset's latest price
  approx(t, x.exitPrice, falling(120) * 1.0002, 1e-12);
  // the next bar is the exit bar: no entry there; the one after may enter
  for (let r = 121; r < 130; r++) engine.processBar(barOf(f[0], r));
  t.is(engine.openPosition()?.entryBar, 122);
});

test('§7.3 no force exit unless old boost ≥ 1.25 and new boost < 1.10', (t) => {
  const f = days(1);
  const a = streamUntil(f, { boost: 1.3, beta: 0 }, 120);
  a.updateAcbBoost(1.1, 0); // 1.10 is not < 1.10
  t.is(a.trades.length, 0);
  t.not(a.openPosition(), null);
  const b = streamUntil(f, { boost: 1.24, beta: 0 }, 120);
  b.updateAcbBoost(1.0, 0); // old boost below 1.25
  t.is(b.trades.length, 0);
  const c = streamUntil(f, { boost: 1.25, beta: 0 }, 120);
  c.updateAcbBoost(1.0999, 0);
  t.is(c.trades[0]?.exitReason, 'SUBDAY_ACB_NORMALIZATION');
});

test('§10.5 a sub-day update changes the regime size multiplier of later entries', (t) => {
  const f = days(1);
  const engine = streamUntil(f, { boost: 1.0, beta: 0 }, 150); // first position at bar 100, leverage 5
  t.is(engine.openPosition()?.leverage, 5);
  engine.updateAcbBoost(1.3, 0); // no exit (old boost 1.0), ceiling now min(6.5, 6)
  for (let r = 151; r < 300; r++) engine.processBar(barOf(f[0], r));
  const second = engine.trades.length > 1 ? engine.trades[1] : null;
  t.is(engine.trades[0].leverage, 5);
  t.is(second?.leverage, 6);
  t.is(second?.entry.regimeSizeMult, 1.3);
});

test('§13 trades carry ISO timestamps of their entry and exit bars', (t) => {
  const x = runFrames(days(1)).trades[0];
  t.is(x.entryTs, '2026-01-01T01:40:00Z'); // row 100 = 100 min after midnight
  t.is(x.exitTs, '2026-01-01T03:16:00Z'); // row 196
});
