// Hedge prediction, confidence, the seed's flow-based size and the exits, on hand-worked numbers.
import test from 'ava';
import { confidenceOf, interpolate, predictHedge } from '../../../research/volume-shock/prediction.ts';
import { flowBasedExits, flowBasedSize } from '../../../research/volume-shock/sizing.ts';
import type { ShockEvent } from '../../../research/volume-shock/types.ts';
import { paramsWith } from './helpers.ts';

const p = paramsWith();
const settings = (type: keyof typeof p.flow_types) => ({ flowType: p.flow_types[type], confidence: p.confidence, minRatio: 4, referencePrice: 2700 });

function event(netDelta: number, flowType: ShockEvent['flowType'], volumeRatio = 16, responseMinutes = 2): ShockEvent {
  return {
    id: 'e', time: 0, underlying: 'SPX', group: 'g', alerts: [], strikesAffected: 1, totalVolume: 500, concentrationRatio: 1, netDelta,
    responseMinutes, pressure: 0, volumeRatio, flowType, onsetTime: 0, atmIv: 0.15, dailyOptionVolume: 10_000,
  };
}

test('size = 2 × confidence × flow multiplier × min(2, |delta| / 2000): gamma, 0.75, 3000 → 4.5', (t) => {
  t.is(flowBasedSize(2.0, 0.75, 3000, p.sizing), 4.5);
});

test('the delta multiplier stops at 2 and the size at max_contracts', (t) => {
  t.is(flowBasedSize(2.0, 1, -50_000, p.sizing), 8);
  t.is(flowBasedSize(2.0, 1, 50_000, { ...p.sizing, base_contracts: 4 }), 10);
});

test('an ambiguous signal of 1000 delta at confidence 0.5 sizes 2 × 0.5 × 0.5 × 0.5 = 0.25', (t) => {
  t.is(flowBasedSize(p.flow_types.AMBIGUOUS_SIGNAL.size_multiplier, 0.5, 1000, p.sizing), 0.25);
});

test('confidence is 0.5 at the 4× threshold, 0.75 at 8×, 1 from 16× on (log scale)', (t) => {
  t.is(confidenceOf(4, 4, p.confidence), 0.5);
  t.is(confidenceOf(8, 4, p.confidence), 0.75);
  t.is(confidenceOf(16, 4, p.confidence), 1);
  t.is(confidenceOf(400, 4, p.confidence), 1);
});

test('customers net short delta → market makers sell → the trade is short', (t) => {
  t.is(predictHedge(event(-12_500, 'GAMMA_EMERGENCY'), 2700, settings('GAMMA_EMERGENCY'))!.direction, -1);
  t.is(predictHedge(event(12_500, 'GAMMA_EMERGENCY'), 2700, settings('GAMMA_EMERGENCY'))!.direction, 1);
});

test('magnitude: 12 500 delta sits halfway through the gamma exposures → 22.5 points, 45 at twice the reference price', (t) => {
  t.is(interpolate(12_500, [5000, 20_000], [15, 30]), 22.5);
  t.is(predictHedge(event(12_500, 'GAMMA_EMERGENCY'), 2700, settings('GAMMA_EMERGENCY'))!.magnitude, 22.5);
  t.is(predictHedge(event(12_500, 'GAMMA_EMERGENCY'), 5400, settings('GAMMA_EMERGENCY'))!.magnitude, 45);
});

test('magnitude is clamped to the flow type\'s range', (t) => {
  t.is(predictHedge(event(100_000, 'INSTITUTIONAL_SWEEP'), 2700, settings('INSTITUTIONAL_SWEEP'))!.magnitude, 15);
  t.is(predictHedge(event(10, 'INSTITUTIONAL_SWEEP'), 2700, settings('INSTITUTIONAL_SWEEP'))!.magnitude, 8);
});

test('exits: target at the predicted move, stop at its flow-type fraction, max hold = max response + 3 within the time stop', (t) => {
  const g = predictHedge(event(12_500, 'GAMMA_EMERGENCY'), 2700, settings('GAMMA_EMERGENCY'))!;
  t.deepEqual(flowBasedExits(g, p.flow_types.GAMMA_EMERGENCY, p.exits), { targetDistance: 22.5, stopDistance: 11.25, maxHoldMinutes: 8 });
  const s = predictHedge(event(3500, 'INSTITUTIONAL_SWEEP'), 2700, settings('INSTITUTIONAL_SWEEP'))!;
  // 15 + 3 = 18 is longer than the institutional time stop of 15 minutes
  t.is(flowBasedExits(s, p.flow_types.INSTITUTIONAL_SWEEP, p.exits).maxHoldMinutes, 15);
  const a = predictHedge(event(1000, 'AMBIGUOUS_SIGNAL'), 2700, settings('AMBIGUOUS_SIGNAL'))!;
  t.is(flowBasedExits(a, p.flow_types.AMBIGUOUS_SIGNAL, p.exits).maxHoldMinutes, 13);
});

test('no net delta, no prediction', (t) => {
  t.is(predictHedge(event(0, 'AMBIGUOUS_SIGNAL'), 2700, settings('AMBIGUOUS_SIGNAL')), null);
});
