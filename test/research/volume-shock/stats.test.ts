// The evidence package's statistics against worked values (scipy 1.17 for the distributions; the
// Wilson interval by hand: 8 of 10 → [0.4902, 0.9433]).
import test from 'ava';
import { maxDrawdown, normCdf, normInv, oneSidedPower, pearson, sharpe, tTwoSidedP, twoProportionZ, welchT, wilsonInterval } from '../../../research/volume-shock/stats.ts';
import { near } from './helpers.ts';

test('normal CDF and quantile: Φ(−1.96) = 0.025, Φ⁻¹(0.995) = 2.5758, far tail 6.2e-16', (t) => {
  near(t, normCdf(-1.959963984540054), 0.025, 1e-12);
  near(t, normInv(0.995), 2.5758293035489004, 1e-12);
  near(t, normCdf(-8) / 6.22096057427174e-16, 1, 1e-9);
});

test('Student t: the two-sided p of t = 2.228 with 10 df is 0.05', (t) => {
  near(t, tTwoSidedP(2.228138851986274, 10), 0.05, 1e-10);
});

test('Wilson 95 % interval of 8 wins in 10 is [0.4902, 0.9433]', (t) => {
  const [lo, hi] = wilsonInterval(8, 10);
  near(t, lo, 0.49016247153664, 1e-10);
  near(t, hi, 0.94331784854562, 1e-10);
});

test('Pearson r = 0.8964 (p = 0.00257) on a worked pair of series', (t) => {
  const c = pearson([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 3, 7, 8, 6, 9]);
  near(t, c.r, 0.8964214570007951, 1e-12);
  near(t, c.rSquared, 0.8964214570007951 ** 2, 1e-12);
  near(t, c.pValue, 0.002566766096253243, 1e-9);
});

test('a constant series has no correlation (NaN, not 0)', (t) => {
  t.true(Number.isNaN(pearson([1, 2, 3], [5, 5, 5]).r));
});

test('two-proportion z: 45/50 against 30/50 gives z = 3.464, p = 0.00053', (t) => {
  const r = twoProportionZ(45, 50, 30, 50);
  near(t, r.statistic, 3.4641016151377553, 1e-12);
  near(t, r.pValue, 0.0005320055051392477, 1e-9);
});

test('Welch t = 4.715 with 6.857 df, p = 0.00229', (t) => {
  const r = welchT([5.1, 4.9, 6.2, 5.8, 6.0], [3.2, 4.1, 3.9, 4.4]);
  near(t, r.statistic, 4.7149516679144465, 1e-10);
  near(t, r.df, 6.8571428571428585, 1e-10);
  near(t, r.pValue, 0.0022940450347224326, 1e-8);
});

test('Sharpe = mean / sd (ddof 1) × √252', (t) => {
  near(t, sharpe([0.01, -0.005, 0.02, 0, 0.015], 252), 12.24858795848502, 1e-10);
  t.is(sharpe([0.01], 252), 0);
});

test('max drawdown counts the initial capital as the first peak', (t) => {
  near(t, maxDrawdown(100, [90, 120, 96, 130]), 0.2, 1e-12);
  near(t, maxDrawdown(100, [90, 95]), 0.1, 1e-12);
  t.is(maxDrawdown(100, [101, 102]), 0);
});

test('power of a one-sided test at 1 % with d = 0.5 and 40 trades is 0.798', (t) => {
  near(t, oneSidedPower(0.5, 40, 0.01), 0.7984027977761157, 1e-9);
});
