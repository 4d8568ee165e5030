import test from 'ava';
import { CHAMPION } from '../../engine/config.ts';
import { blendedFeeRate, settleExit } from '../../engine/fees.ts';
import { MT19937 } from '../../engine/rng.ts';
import { approx } from '../helpers/frames.ts';

const F = CHAMPION.fees;
// numpy RandomState(42).random_sample() stream
const D = [0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366, 0.15601864044243652, 0.15599452033620265];

test('§8.1 entry fee rate 0.0002·0.62 + 0.0005·0.38 = 0.000314 of notional', (t) => {
  approx(t, blendedFeeRate(F.sp_maker_entry_rate, F), 0.000314, 1e-18);
});

test('§8.1 fees on a 10,000 notional: entry 3.14, exit 3.50, stop exit 5.00', (t) => {
  const tp = settleExit(0.01, 10_000, 'FIXED_TP', F, new MT19937(42), undefined);
  approx(t, tp.entryFee, 3.14, 1e-12);
  approx(t, tp.exitFee, 3.5, 1e-12);
  const sl = settleExit(-1, 10_000, 'STOP_LOSS', F, new MT19937(42), undefined);
  approx(t, sl.entryFee, 3.14, 1e-12);
  approx(t, sl.exitFee, 5.0, 1e-12);
});

test('§8.2/§8.3 legacy draws in order entry, exit, OB with seed 42', (t) => {
  // draws 0.3745 < 0.62 → +2 bps; 0.9507 ≥ 0.50 → nothing; 0.7320 ≥ 0.40 → nothing
  const o = settleExit(0.01, 10_000, 'FIXED_TP', F, new MT19937(42), undefined);
  t.deepEqual([o.rngEntryDraw, o.rngExitDraw, o.rngObDraw], D.slice(0, 3));
  approx(t, o.pnlPctRaw, 0.0102, 1e-15);
  // gross 0.0102·10000 = 102; net 102 − 3.14 − 3.50 = 95.36
  approx(t, o.grossPnl, 102, 1e-9);
  approx(t, o.netPnl, 95.36, 1e-9);
});

test('§8.2/§8.3 second trade on the same stream: all three refunds/edges apply', (t) => {
  const rng = new MT19937(42);
  settleExit(0.01, 10_000, 'MAX_HOLD', F, rng, undefined);
  // draws 0.5987 < 0.62 → +2 bps; 0.1560 < 0.50 → +2 bps; 0.15599 < 0.40 → +5 bps
  const o = settleExit(-0.001, 10_000, 'MAX_HOLD', F, rng, undefined);
  t.deepEqual([o.rngEntryDraw, o.rngExitDraw, o.rngObDraw], D.slice(3, 6));
  approx(t, o.pnlPctRaw, -0.001 + 0.0009, 1e-15);
  // gross −1.00; net −1 − 6.64 = −7.64
  approx(t, o.netPnl, -7.64, 1e-9);
});

test('§8.2 STOP_LOSS skips the exit refund draw: only entry and OB draws are consumed', (t) => {
  const rng = new MT19937(42);
  const o = settleExit(-1.0, 10_000, 'STOP_LOSS', F, rng, undefined);
  t.is(o.rngEntryDraw, D[0]);
  t.is(o.rngExitDraw, null);
  t.is(o.rngObDraw, D[1]); // 0.9507 ≥ 0.40 → no edge
  approx(t, o.pnlPctRaw, -1.0 + 0.0002, 1e-15);
  t.is(rng.random(), D[2]); // exactly two draws were taken
});

test('§8.3 with an OB provider there is no OB draw; edge = fill_prob · 5 bps when depth_quality > 0.5', (t) => {
  const rng = new MT19937(42);
  const o = settleExit(0.0, 10_000, 'FIXED_TP', F, rng, { depthQuality: 0.8, fillProbability: 0.6 });
  t.is(o.rngObDraw, null);
  // +2 bps (0.3745 < 0.62), no exit refund (0.9507), + 0.6·5e-4 = 3 bps
  approx(t, o.pnlPctRaw, 0.0005, 1e-15);
  t.is(rng.random(), D[2]); // two draws only
});

test('§8.3 OB edge needs depth_quality strictly above 0.5; a missing placement adds nothing', (t) => {
  const at = settleExit(0.0, 10_000, 'FIXED_TP', F, new MT19937(42), { depthQuality: 0.5, fillProbability: 1 });
  approx(t, at.pnlPctRaw, 0.0002, 1e-15);
  const none = settleExit(0.0, 10_000, 'FIXED_TP', F, new MT19937(42), null);
  approx(t, none.pnlPctRaw, 0.0002, 1e-15);
  t.is(none.rngObDraw, null);
});

test('§8 net pnl = raw·notional − entry fee − exit fee', (t) => {
  const o = settleExit(0.004, 12_345, 'MAX_HOLD', F, new MT19937(7), undefined);
  approx(t, o.grossPnl, o.pnlPctRaw * 12_345, 1e-9);
  approx(t, o.netPnl, o.grossPnl - 0.000314 * 12_345 - 0.00035 * 12_345, 1e-9);
});
