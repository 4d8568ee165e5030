import test from 'ava';
import { CHAMPION } from '../../engine/config.ts';
import { evaluateExit, obAdjustedLimits, pnlPct, slippedExitPrice } from '../../engine/exits.ts';
import type { ObMacro, ObSignal } from '../../engine/ob.ts';
import { approx } from '../helpers/frames.ts';

const X = CHAMPION.exits;
const BASE = { tpPct: 0.0095, slPct: 1.0, maxHold: 120 };
const NEUTRAL: ObMacro = { cascadeCount: 0, regimeSignal: 0 };
const sig = (imbalanceMa5: number, withdrawalVelocity = 0): ObSignal => ({ imbalanceMa5, persistence: 0.5, withdrawalVelocity });

test('§7.1 SHORT pnl is (entry − price)/entry', (t) => {
  approx(t, pnlPct(100, 99, -1), 0.01, 1e-15);
  approx(t, pnlPct(100, 101, -1), -0.01, 1e-15);
});

test('§7.1 FIXED_TP fires at pnl ≥ 0.0095, not below', (t) => {
  t.is(evaluateExit(0.0095, 1, BASE), 'FIXED_TP');
  t.is(evaluateExit(0.02, 1, BASE), 'FIXED_TP');
  t.is(evaluateExit(0.00949, 1, BASE), null);
});

test('§7.1 STOP_LOSS fires at pnl ≤ −stop_pct (−1.0 for the champion)', (t) => {
  t.is(evaluateExit(-1.0, 1, BASE), 'STOP_LOSS');
  t.is(evaluateExit(-0.999, 1, BASE), null);
  t.is(evaluateExit(-0.1, 1, { ...BASE, slPct: 0.1 }), 'STOP_LOSS');
});

test('§7.1 MAX_HOLD fires at bars_held ≥ 120, not at 119', (t) => {
  t.is(evaluateExit(0, 119, BASE), null);
  t.is(evaluateExit(0, 120, BASE), 'MAX_HOLD');
  t.is(evaluateExit(0, 500, BASE), 'MAX_HOLD');
});

test('§7.1 priority: TP before stop before max hold', (t) => {
  t.is(evaluateExit(0.01, 200, BASE), 'FIXED_TP');
  t.is(evaluateExit(-0.2, 200, { ...BASE, slPct: 0.1 }), 'STOP_LOSS');
  // a TP threshold at or below the stop: both conditions true, TP wins
  t.is(evaluateExit(-0.5, 200, { tpPct: -0.6, slPct: 0.4, maxHold: 120 }), 'FIXED_TP');
});

test('§7.2 no OB duress: the champion limits are unchanged', (t) => {
  t.deepEqual(obAdjustedLimits(X, 0.001, NEUTRAL, sig(0), -1), BASE);
  t.deepEqual(obAdjustedLimits(X, 0.001, NEUTRAL, null, -1), BASE);
});

test('§7.2 cascade: TP ×1.40 and max hold int(120·0.5) = 60', (t) => {
  const l = obAdjustedLimits(X, 0.001, { cascadeCount: 2, regimeSignal: 1 }, sig(0.5), -1);
  approx(t, l.tpPct, 0.0133, 1e-15); // 0.0095 · 1.4
  t.is(l.maxHold, 60);
  t.is(l.slPct, 1.0); // cascade takes precedence over the stress branch
});

test('§7.2 withdrawal stress: hard stop 10 %; TP ×0.6 only when in profit', (t) => {
  const stress: ObMacro = { cascadeCount: 0, regimeSignal: 1 };
  const inProfit = obAdjustedLimits(X, 0.001, stress, sig(0), -1);
  t.is(inProfit.slPct, 0.1);
  approx(t, inProfit.tpPct, 0.0057, 1e-15); // 0.0095 · 0.6
  t.is(inProfit.maxHold, 120);
  const flat = obAdjustedLimits(X, 0.0, stress, sig(0), -1);
  t.is(flat.tpPct, 0.0095);
  t.is(flat.slPct, 0.1);
});

test('§7.2 withdrawal stress with the book opposing (eff_imb < −0.1): max hold int(120·0.4) = 48', (t) => {
  const stress: ObMacro = { cascadeCount: 0, regimeSignal: 1 };
  // SHORT: eff_imb = −imbalance; imbalance +0.2 → eff −0.2 < −0.1
  t.is(obAdjustedLimits(X, 0, stress, sig(0.2), -1).maxHold, 48);
  // imbalance +0.1 → eff −0.1, not < −0.1
  t.is(obAdjustedLimits(X, 0, stress, sig(0.1), -1).maxHold, 120);
  // imbalance −0.2 is sell pressure: favourable to a SHORT
  t.is(obAdjustedLimits(X, 0, stress, sig(-0.2), -1).maxHold, 120);
});

test('§7.2 calm regime with a favourable book (eff_imb > 0.15): max hold int(120·1.5) = 180', (t) => {
  const calm: ObMacro = { cascadeCount: 0, regimeSignal: -1 };
  t.is(obAdjustedLimits(X, 0, calm, sig(-0.2), -1).maxHold, 180); // eff +0.2
  t.is(obAdjustedLimits(X, 0, calm, sig(-0.15), -1).maxHold, 120); // eff 0.15, not > 0.15
  t.is(obAdjustedLimits(X, 0, calm, sig(0.2), -1).maxHold, 120);
});

test('§7.2 per-asset withdrawal velocity < −0.2: max hold min(…, 48), TP ×0.75 only in profit', (t) => {
  const l = obAdjustedLimits(X, 0.002, NEUTRAL, sig(0, -0.3), -1);
  t.is(l.maxHold, 48);
  approx(t, l.tpPct, 0.007125, 1e-15); // 0.0095 · 0.75
  const losing = obAdjustedLimits(X, -0.002, NEUTRAL, sig(0, -0.3), -1);
  t.is(losing.maxHold, 48);
  t.is(losing.tpPct, 0.0095);
  // calm + favourable gives 180, then the withdrawal rule takes min(180, 48)
  t.is(obAdjustedLimits(X, 0, { cascadeCount: 0, regimeSignal: -1 }, sig(-0.5, -0.3), -1).maxHold, 48);
  // exactly −0.2 does not trigger
  t.deepEqual(obAdjustedLimits(X, 0.002, NEUTRAL, sig(0, -0.2), -1), BASE);
});

test('§7.2 the withdrawal rule does not apply in cascade or stress', (t) => {
  const c = obAdjustedLimits(X, 0.002, { cascadeCount: 1, regimeSignal: 0 }, sig(0, -0.9), -1);
  approx(t, c.tpPct, 0.0133, 1e-15);
  t.is(c.maxHold, 60);
  const s = obAdjustedLimits(X, 0.002, { cascadeCount: 0, regimeSignal: 1 }, sig(0, -0.9), -1);
  approx(t, s.tpPct, 0.0057, 1e-15);
  t.is(s.maxHold, 120);
});

test('§7.4 slippage: a SHORT covers at price·(1 + slip), 5 bps on STOP_LOSS, 2 bps otherwise', (t) => {
  approx(t, slippedExitPrice(100, 'STOP_LOSS', -1, X), 100.05, 1e-12);
  approx(t, slippedExitPrice(100, 'FIXED_TP', -1, X), 100.02, 1e-12);
  approx(t, slippedExitPrice(100, 'MAX_HOLD', -1, X), 100.02, 1e-12);
  approx(t, slippedExitPrice(100, 'HIBERNATE_HALT', -1, X), 100.02, 1e-12);
  approx(t, slippedExitPrice(100, 'SUBDAY_ACB_NORMALIZATION', -1, X), 100.02, 1e-12);
});
