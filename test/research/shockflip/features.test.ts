import test from 'ava';
import { computeFeatures, divergenceScore } from '../../../research/shockflip/features.ts';
import { featureWindows, type FeatureWindows } from '../../../research/shockflip/params.ts';
import { makeBars, smallConfig } from './shockflip-test-helpers.ts';

const w = (over: Partial<FeatureWindows> = {}): FeatureWindows => ({ ...featureWindows(smallConfig()), ...over });
const close = (i: number, d = 0.01): number => 100 + d * i;

test('imbalance and the flow z-score use the previous z_window bars only (sample std)', (t) => {
  const buy = [3, 1, 2, 1, 1, 5, 1], sell = [1, 3, 2, 1, 1, 1, 1];
  const b = makeBars({ close: buy.map((_, i) => close(i)), buy, sell });
  const f = computeFeatures(b, w({ z_window: 4, imbalance_eps: 0 }));
  t.deepEqual(Array.from(f.imbalance), [0.5, -0.5, 0, 0, 0, 4 / 6, 0]);
  t.true(f.flowZ.slice(0, 4).every(Number.isNaN));
  // bar 4 against bars 0–3: mean 0, sample std sqrt(0.5/3)
  t.is(f.flowZ[4], 0);
  const base = [-0.5, 0, 0, 0];
  const m = base.reduce((s, x) => s + x, 0) / 4;
  const sd = Math.sqrt(base.reduce((s, x) => s + (x - m) ** 2, 0) / 3);
  t.is(f.flowZ[5], (4 / 6 - m) / sd);
});

test('delta source z-scores Q⁺ − Q⁻ instead of the bounded imbalance', (t) => {
  const buy = [1, 2, 1, 2, 30], sell = [2, 1, 2, 1, 1];
  const b = makeBars({ close: buy.map((_, i) => close(i)), buy, sell });
  const f = computeFeatures(b, w({ z_window: 4, source: 'delta' }));
  // previous deltas −1, 1, −1, 1: mean 0, sample std √(4/3)
  t.is(f.flowZ[4], 29 / Math.sqrt(4 / 3));
  // the imbalance column is still the bounded one
  t.is(f.imbalance[0], (1 - 2) / (3 + smallConfig().shock_flip.bars.imbalance_eps));
});

test('rel_vol is the bar volume over the mean of the previous rel_vol_window bars', (t) => {
  const buy = [1, 2, 3, 4, 20];
  const b = makeBars({ close: buy.map((_, i) => close(i)), buy, sell: [0, 0, 0, 0, 0] });
  const f = computeFeatures(b, w({ rel_vol_window: 4 }));
  t.true(f.relVol.slice(0, 4).every(Number.isNaN));
  t.is(f.relVol[4], 20 / 2.5);
});

test('ATR is the mean true range of the last atr_window bars, bar 0 excluded (no previous close)', (t) => {
  const c = [10, 11, 10.5, 12, 11];
  const hi = [10.5, 11.5, 11, 12.5, 11.2], lo = [9.5, 10.2, 10, 11, 10.8];
  const b = makeBars({ close: c, high: hi, low: lo });
  const f = computeFeatures(b, w({ atr_window: 3 }));
  const tr = hi.map((h, i) => (i === 0 ? h - lo[0] : Math.max(h - lo[i], Math.abs(h - c[i - 1]), Math.abs(lo[i] - c[i - 1]))));
  t.deepEqual(tr.slice(0, 4), [1, 1.5, 1, 2]);
  t.deepEqual(Array.from(f.trueRange), tr);
  t.true(Number.isNaN(f.atr[2]));
  t.is(f.atr[3], (tr[1] + tr[2] + tr[3]) / 3);
  t.is(f.atr[4], (tr[2] + tr[3] + tr[4]) / 3);
});

test('donchian_loc places the close in the channel of the last donchian_window bars (itself included)', (t) => {
  const c = [10, 12, 8, 9];
  const b = makeBars({ close: c, high: [10, 13, 8.5, 9.5], low: [9, 11, 7, 8.5] });
  const f = computeFeatures(b, w({ donchian_window: 3 }));
  t.true(Number.isNaN(f.donchianLoc[1]));
  t.is(f.donchianLoc[2], (8 - 7) / (13 - 7));
  t.is(f.donchianLoc[3], (9 - 7) / (13 - 7));
});

test('spread is buy VWAP − sell VWAP over their mean, trade_concentration Σq²/(Σq)²', (t) => {
  const b = makeBars({ close: [10, 10], buy: [2, 1], sell: [2, 0] });
  b.buyNotional[1] = 10.2; // bought at 10.2
  b.sellNotional[0] = 2 * 9.9;
  const f = computeFeatures(b, w({ spread_window: 2 }));
  const buyVwap = (20 + 10.2) / 3, sellVwap = 19.8 / 2;
  t.is(f.spread[1], (buyVwap - sellVwap) / ((buyVwap + sellVwap) / 2));
  t.is(f.tradeConcentration[0], (4 + 4) / 16);
  t.is(f.tradeConcentration[1], 1);
});

test('div_score: geometric mean of opposed flow and price pushes, signed by the flow; 0 when they agree', (t) => {
  const closeS = Float64Array.from([10, 10, 10, 9]);
  const z = Float64Array.from([0, 1, 2, 3]);
  const atr = Float64Array.from([1, 1, 1, 0.5]);
  const d = divergenceScore(closeS, z, atr, 2);
  t.true(Number.isNaN(d[1]));
  t.is(d[2], 0); // price flat: no divergence
  const flow = (2 + 3) / Math.SQRT2, price = (9 - 10) / (0.5 * Math.SQRT2);
  t.is(d[3], Math.sqrt(flow * -price));
  const up = divergenceScore(Float64Array.from([10, 10, 10, 11]), z, atr, 2);
  t.is(up[3], 0); // flow and price both up
});

test('z_velocity is flow_z(t) − flow_z(t − lag)', (t) => {
  const buy = [1, 3, 1, 2, 5, 1, 4, 2];
  const b = makeBars({ close: buy.map((_, i) => close(i)), buy, sell: buy.map((x) => 6 - x) });
  const f = computeFeatures(b, w({ z_window: 3, z_velocity_lag: 2 }));
  for (let i = 5; i < 8; i++) t.is(f.zVelocity[i], f.flowZ[i] - f.flowZ[i - 2]);
});
