// The seed's verdict rule and the trade metrics of the evidence package.
import test from 'ava';
import { verdict } from '../../../research/volume-shock/evidence.ts';
import { dailyReturns, hedgingValidation, latencyBuckets } from '../../../research/volume-shock/metrics.ts';
import type { HedgeObservation } from '../../../research/volume-shock/observation.ts';
import type { ClosedTrade } from '../../../research/volume-shock/paper-book.ts';
import { paramsWith } from './helpers.ts';

const v = paramsWith().validation;
const GOOD = { winRate: 0.85, sharpe: 3, pValue: 0.001, trades: 120, rSquared: 0.75 };

test('all five conditions met: VALIDATED', (t) => {
  t.is(verdict(GOOD, v), 'VALIDATED');
});

test('each condition missed alone gives REJECTED (with 50 or more trades)', (t) => {
  for (const miss of [{ winRate: 0.79 }, { sharpe: 2.4 }, { pValue: 0.01 }, { rSquared: 0.7 }, { rSquared: NaN }]) {
    t.is(verdict({ ...GOOD, ...miss }, v), 'REJECTED', JSON.stringify(miss));
  }
});

test('fewer than 50 trades is INSUFFICIENT_DATA, whatever else', (t) => {
  t.is(verdict({ ...GOOD, trades: 49 }, v), 'INSUFFICIENT_DATA');
  t.is(verdict({ ...GOOD, trades: 49, winRate: 0.1 }, v), 'INSUFFICIENT_DATA');
  t.is(verdict({ ...GOOD, trades: 50 }, v), 'VALIDATED');
});

const trade = (latencyMinutes: number, win: boolean, exitDay = '2025-03-03', pnl = win ? 100 : -100) => ({ latencyMinutes, win, exitDay, pnl }) as ClosedTrade;

test('latency buckets: < 2, [2, 5), >= 5 minutes, with win rate, count and mean latency; empty ones left out', (t) => {
  const b = latencyBuckets([trade(1.9, true), trade(2, false), trade(4.99, true), trade(5, true)]);
  t.deepEqual(b.sub_2_minutes, { success_rate: 1, sample_size: 1, avg_latency: 1.9 });
  t.deepEqual(b['2_to_5_minutes'], { success_rate: 0.5, sample_size: 2, avg_latency: 3.495 });
  t.deepEqual(b.over_5_minutes, { success_rate: 1, sample_size: 1, avg_latency: 5 });
  t.deepEqual(Object.keys(latencyBuckets([trade(1, true)])), ['sub_2_minutes']);
});

test('daily returns: PnL on the exit day over the day\'s starting equity; quiet days are 0', (t) => {
  const r = dailyReturns([trade(1, true, '2025-03-03', 500), trade(1, false, '2025-03-05', -1010)], ['2025-03-03', '2025-03-04', '2025-03-05'], 50_000);
  t.deepEqual(r, [0.01, 0, -0.02]);
});

test('hedging validation: direction hits, timing error and magnitude error of the observed hedges', (t) => {
  const obs = (predicted: number, observed: number, response: number | null): HedgeObservation => ({
    eventId: 'e', flowType: 'GAMMA_EMERGENCY', time: 0, kind: 'flow', predictedQuantity: predicted, predictedTimingMinutes: 2,
    observedFlow: observed, priceChange: 0, observedDirection: observed > 0 ? 1 : -1, responseMinutes: response,
  });
  const h = hedgingValidation([obs(1000, 800, 3), obs(-1000, 500, 1)]);
  t.deepEqual(h, { overall_direction_accuracy: 0.5, average_timing_error: 1, average_magnitude_error: 0.35, sample_size: 2, observed_with: 'flow' });
});
