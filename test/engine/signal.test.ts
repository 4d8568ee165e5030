import test from 'ava';
import fc from 'fast-check';
import { CHAMPION } from '../../engine/config.ts';
import { PriceBook } from '../../engine/price-book.ts';
import { confidence, directionConfirm, obConfirm, passesGate, thresholds, type PriceSeries } from '../../engine/signal.ts';
import { approx, holds } from '../helpers/frames.ts';

const { threshold: TH, extreme: EX } = thresholds(CHAMPION.signal, -1); // −0.02, −0.05
const DC = CHAMPION.dc;

function history(prices: readonly number[]): PriceSeries {
  const h = new PriceBook(500, 200, 50);
  const g = h.add();
  prices.forEach((p, i) => h.push(g, p, i));
  return h.series(g);
}

// ---- §4.1 gate and confidence ----

test('§4.1 SHORT thresholds of the champion are −0.02 / −0.05', (t) => {
  t.deepEqual(thresholds(CHAMPION.signal, -1), { threshold: -0.02, extreme: -0.05 });
  t.deepEqual(thresholds(CHAMPION.signal, 1), { threshold: 0.01, extreme: 0.04 });
});

test('§4.1 confidence is 0.50 at the threshold (ratio 0)', (t) => {
  // ratio = (−0.02 − (−0.02)) / 0.03 = 0 → 0.50 + 0·0.40
  t.is(confidence(-0.02, TH, EX), 0.5);
});

test('§4.1 confidence is 0.90 at and beyond the extreme (ratio clamped to 1)', (t) => {
  // ratio = (−0.02 + 0.05)/0.03 = 1 → 0.90; below −0.05 the ratio clamps to 1
  approx(t, confidence(-0.05, TH, EX), 0.9, 1e-15);
  approx(t, confidence(-0.08, TH, EX), 0.9, 1e-15);
  approx(t, confidence(-5, TH, EX), 0.9, 1e-15);
});

test('§4.1 confidence is 0.70 midway between threshold and extreme', (t) => {
  // vd = −0.035: ratio = 0.015/0.03 = 0.5 → 0.50 + 0.5·0.40 = 0.70
  approx(t, confidence(-0.035, TH, EX), 0.7, 1e-12);
});

test('§4.1 confidence on the non-signal side clamps to 0.50', (t) => {
  t.is(confidence(0.03, TH, EX), 0.5);
});

test('§4.1 confidence stays in [0.50, 0.90] for any vel_div (property)', (t) => {
  holds(
    t,
    fc.property(fc.double({ noNaN: true }), (vd) => {
      const c = confidence(vd, TH, EX);
      return c >= 0.5 && c <= 0.9 + 1e-15;
    }),
    { numRuns: 200 },
  );
});

test('§4.1 SHORT gate fires strictly below −0.02; LONG strictly above 0.01', (t) => {
  t.true(passesGate(-0.0201, -0.02, -1));
  t.false(passesGate(-0.02, -0.02, -1));
  t.false(passesGate(0.5, -0.02, -1));
  t.true(passesGate(0.0101, 0.01, 1));
  t.false(passesGate(0.01, 0.01, 1));
});

test('§4.1 / SPEC-NOTES: a NaN vel_div never passes the gate, either direction', (t) => {
  t.false(passesGate(NaN, -0.02, -1));
  t.false(passesGate(NaN, 0.01, 1));
  holds(t, fc.property(fc.double(), fc.constantFrom<-1 | 1>(-1, 1), (th, dir) => !passesGate(NaN, th, dir)));
});

// ---- §4.2 direction confirmation ----

test('§4.2 DC: a fall of more than 0.75 bps over the lookback CONFIRMs a SHORT', (t) => {
  // 8 prices, p0 = 10000, p1 = 9999: chg = −1/10000·1e4 = −1 bps < −0.75
  t.is(directionConfirm(history([10000, 10000, 10000, 10000, 10000, 10000, 10000, 9999]), DC, -1), 'CONFIRM');
});

test('§4.2 DC: a rise of more than 0.75 bps CONTRADICTs a SHORT', (t) => {
  // p0 = 10000, p1 = 10001: chg = +1 bps > +0.75
  t.is(directionConfirm(history([10000, 10000, 10000, 10000, 10000, 10000, 10000, 10001]), DC, -1), 'CONTRADICT');
});

test('§4.2 DC: |change| within 0.75 bps is NEUTRAL; just beyond it is not', (t) => {
  const flat7 = [10000, 10000, 10000, 10000, 10000, 10000, 10000];
  // 9999.26 → −0.74 bps; 9999.24 → −0.76 bps; 10000.74 → +0.74; 10000.76 → +0.76
  t.is(directionConfirm(history([...flat7, 9999.26]), DC, -1), 'NEUTRAL');
  t.is(directionConfirm(history([...flat7, 9999.24]), DC, -1), 'CONFIRM');
  t.is(directionConfirm(history([...flat7, 10000.74]), DC, -1), 'NEUTRAL');
  t.is(directionConfirm(history([...flat7, 10000.76]), DC, -1), 'CONTRADICT');
  t.is(directionConfirm(history([...flat7, 10000]), DC, -1), 'NEUTRAL');
});

test('§4.2 DC compares price[n−1] with price[n−lookback−1] (lookback 7 ⇒ the 8th newest)', (t) => {
  // n = 9. price[n−8] = 10000 and price[n−1] = 9999 → −1 bps → CONFIRM.
  // price[n−9] = 1 (would CONTRADICT) and price[n−7] = 9999 (would be NEUTRAL) must not be read.
  t.is(directionConfirm(history([1, 10000, 9999, 9999, 9999, 9999, 9999, 9999, 9999]), DC, -1), 'CONFIRM');
});

test('SPEC-NOTES §4.2: fewer than lookback+1 = 8 prices is NEUTRAL even on a large move', (t) => {
  t.is(directionConfirm(history([100, 99, 98, 97, 96, 95, 90]), DC, -1), 'NEUTRAL');
  t.is(directionConfirm(history([]), DC, -1), 'NEUTRAL');
  t.is(directionConfirm(history([100, 99, 98, 97, 96, 95, 94, 90]), DC, -1), 'CONFIRM');
});

// ---- §4.3 OB sub-2 ----

const ob = (imbalanceMa5: number, persistence: number) => ({ imbalanceMa5, persistence, withdrawalVelocity: 0 });

test('§4.3 OB sub-2: confirming book boosts confidence by eff_imb·persistence·0.5', (t) => {
  // SHORT, imbalance −0.2 → eff_imb = +0.2 > 0.10; adj = 1 + min(0.15, 0.2·0.5·0.5 = 0.05) = 1.05
  approx(t, obConfirm(0.6, ob(-0.2, 0.5), -1)!, 0.6 * 1.05, 1e-15);
});

test('§4.3 OB sub-2: the boost is capped at +15 %', (t) => {
  // eff_imb = 1.0, persistence 1: 1·1·0.5 = 0.5 → min(0.15, 0.5) → ×1.15
  approx(t, obConfirm(0.7, ob(-1, 1), -1)!, 0.7 * 1.15, 1e-15);
});

test('§4.3 OB sub-2: eff_imb = −imbalance_ma5 for a SHORT (buy pressure opposes it)', (t) => {
  // imbalance +0.5 (bids heavier): for a SHORT eff_imb = −0.5 < −0.15, persistence 0.9 > 0.6 → hard skip
  t.is(obConfirm(0.7, ob(0.5, 0.9), -1), null);
  // the same book confirms a LONG: eff_imb = +0.5 → ×(1 + min(0.15, 0.225)) = ×1.15
  approx(t, obConfirm(0.7, ob(0.5, 0.9), 1)!, 0.7 * 1.15, 1e-15);
});

test('§4.3 OB sub-2: hard skip needs eff_imb < −0.15 AND persistence > 0.60 (strict)', (t) => {
  t.is(obConfirm(0.7, ob(0.2, 0.61), -1), null);
  // persistence exactly 0.60 → no skip; soft dampen: max(0.85, 1 − 0.2·0.6·0.4 = 0.952)
  approx(t, obConfirm(0.7, ob(0.2, 0.6), -1)!, 0.7 * 0.952, 1e-15);
  // eff_imb exactly −0.15 → no skip; soft dampen: 1 − 0.15·0.9·0.4 = 0.946
  approx(t, obConfirm(0.7, ob(0.15, 0.9), -1)!, 0.7 * 0.946, 1e-15);
});

test('§4.3 OB sub-2: soft dampen is floored at 0.85', (t) => {
  // eff_imb = −0.9, persistence 0.5: 1 − 0.9·0.5·0.4 = 0.82 → max(0.85, 0.82) = 0.85
  approx(t, obConfirm(0.8, ob(0.9, 0.5), -1)!, 0.8 * 0.85, 1e-15);
});

test('§4.3 OB sub-2: |eff_imb| ≤ 0.10 leaves confidence unchanged', (t) => {
  t.is(obConfirm(0.62, ob(-0.1, 1), -1), 0.62);
  t.is(obConfirm(0.62, ob(0.1, 1), -1), 0.62);
  t.is(obConfirm(0.62, ob(0, 0), -1), 0.62);
});

test('§4.3 OB sub-2: the adjusted confidence never exceeds ×1.15 nor falls under ×0.85 (property)', (t) => {
  holds(
    t,
    fc.property(
      fc.double({ min: 0.5, max: 0.9, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (c, imb, pers) => {
        const r = obConfirm(c, ob(imb, pers), -1);
        return r === null ? -imb < -0.15 && pers > 0.6 : r <= c * 1.15 + 1e-12 && r >= c * 0.85 - 1e-12;
      },
    ),
    { numRuns: 200 },
  );
});
