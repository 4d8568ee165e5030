// Response-time classes, pressure and the flow classifier on hand-worked inputs.
import test from 'ava';
import { atmIv, classifyFlow, concentrationRatio } from '../../../research/volume-shock/classifier.ts';
import { estimateResponseTime, pressure } from '../../../research/volume-shock/response-time.ts';
import { call, paramsWith, put, update } from './helpers.ts';

const p = paramsWith();

test('response time: |delta| 5000 is urgent (5 min); 5001 is an emergency (2 min); 2000 is routine (10 min)', (t) => {
  t.deepEqual(estimateResponseTime(-5000, p.response_time), { minutes: 5, urgency: 'INSTITUTIONAL_SWEEP' });
  t.deepEqual(estimateResponseTime(5001, p.response_time), { minutes: 2, urgency: 'GAMMA_EMERGENCY' });
  t.deepEqual(estimateResponseTime(2000, p.response_time), { minutes: 10, urgency: 'ROUTINE_HEDGING' });
  t.deepEqual(estimateResponseTime(2001, p.response_time), { minutes: 5, urgency: 'INSTITUTIONAL_SWEEP' });
});

test('pressure is |delta| / rt², with rt² floored at 1', (t) => {
  t.is(pressure(-6000, 2), 1500);
  t.is(pressure(300, 0.5), 300);
});

test('concentration is the largest strike\'s share of the event volume', (t) => {
  t.is(concentrationRatio([{ recentVolume: 300 }, { recentVolume: 100 }, { recentVolume: 100 }]), 0.6);
});

test('three strikes, concentration 0.5, 5 minutes: an institutional sweep (the seed\'s "> 5" read as >= 5)', (t) => {
  t.is(classifyFlow({ strikesAffected: 3, concentrationRatio: 0.5, responseMinutes: 5, exposure: 4000 }, p.classifier), 'INSTITUTIONAL_SWEEP');
});

test('a sweep needs concentration below 0.6: exactly 0.6 is ambiguous', (t) => {
  t.is(classifyFlow({ strikesAffected: 3, concentrationRatio: 0.6, responseMinutes: 10, exposure: 1500 }, p.classifier), 'AMBIGUOUS_SIGNAL');
});

test('one strike, 2 minutes, |exposure| 6000 short: a gamma emergency whatever the sign', (t) => {
  t.is(classifyFlow({ strikesAffected: 1, concentrationRatio: 1, responseMinutes: 2, exposure: -6000 }, p.classifier), 'GAMMA_EMERGENCY');
});

test('concentrated but only 3000 of exposure is not an emergency (> 3000, strictly)', (t) => {
  t.is(classifyFlow({ strikesAffected: 1, concentrationRatio: 0.9, responseMinutes: 2, exposure: 3000 }, p.classifier), 'AMBIGUOUS_SIGNAL');
});

test('a spread-out flow with a 2-minute response is neither: ambiguous', (t) => {
  t.is(classifyFlow({ strikesAffected: 5, concentrationRatio: 0.3, responseMinutes: 2, exposure: 20_000 }, p.classifier), 'AMBIGUOUS_SIGNAL');
});

test('the at-the-money IV is the mean of the call and put nearest the underlying', (t) => {
  const u = update(0, '2025-03-03', [{ ...call(2700, 0.5), iv: 0.2 }, { ...put(2700, -0.5), iv: 0.3 }, { ...call(2750, 0.3), iv: 0.9 }], [], 2710);
  t.is(atmIv(u, null), 0.25);
});
