// The risk framework on hand-worked accounts: $50 000, ES at $50 a point.
import test from 'ava';
import type { FlowType } from '../../../research/volume-shock/params.ts';
import { admit, type RiskState } from '../../../research/volume-shock/risk.ts';
import type { ShockEvent, TradeIntent } from '../../../research/volume-shock/types.ts';
import { MIN, paramsWith } from './helpers.ts';

const p = paramsWith();
const FRESH: RiskState = { equity: 50_000, dayStartEquity: 50_000, realizedToday: 0, openRisks: [] };

function intent(flowType: FlowType, size: number, stopDistance: number, e: Partial<ShockEvent> = {}): TradeIntent {
  const event: ShockEvent = {
    id: 'e', time: 0, underlying: 'SPX', group: 'g', alerts: [], strikesAffected: 1, totalVolume: 500, concentrationRatio: 1, netDelta: 8000,
    responseMinutes: 2, pressure: 2000, volumeRatio: 10, flowType, onsetTime: 0, atmIv: 0.15, dailyOptionVolume: 10_000, ...e,
  };
  return {
    event,
    prediction: { direction: 1, quantity: 8000, magnitude: 2 * stopDistance, timingMinutes: 2, maxResponseMinutes: 5, confidence: 1 },
    size, stopDistance, targetDistance: 2 * stopDistance, maxHoldMinutes: 8, entryAfter: 0,
  };
}

const settings = (flowType: FlowType) => ({ risk: p.risk, flowType: p.flow_types[flowType], pointValue: 50, minContracts: p.sizing.min_contracts });
const run = (i: TradeIntent, st: RiskState = FRESH, now = 0, sessionEnd?: number) => admit(i, now, sessionEnd, st, settings(i.event.flowType));

test('2 % per trade: a 10-point stop risks $500 a contract, so a gamma trade is cut from 4.5 to 2 contracts', (t) => {
  t.deepEqual(run(intent('GAMMA_EMERGENCY', 4.5, 10)), { ok: true, size: 2, risk: 1000, capped: true });
});

test('flow-type limits: a sweep may risk 1.5 % (2.5 contracts at a 6-point stop), an ambiguous signal 0.5 % (1 at 5 points)', (t) => {
  t.like(run(intent('INSTITUTIONAL_SWEEP', 9, 6)), { ok: true, size: 2.5 });
  t.like(run(intent('AMBIGUOUS_SIGNAL', 9, 5)), { ok: true, size: 1 });
});

test('5 % a day: a $1500 loss today and $500 open leave $500 of budget, one contract at a 10-point stop', (t) => {
  t.like(run(intent('GAMMA_EMERGENCY', 4.5, 10), { ...FRESH, equity: 48_500, realizedToday: -1500, openRisks: [500] }), { ok: true, size: 1, risk: 500 });
});

test('a spent daily budget refuses the trade', (t) => {
  t.deepEqual(run(intent('GAMMA_EMERGENCY', 4.5, 10), { ...FRESH, realizedToday: -2500 }), { ok: false, reason: 'RISK_BUDGET' });
});

test('at most 3 positions at once', (t) => {
  t.like(run(intent('GAMMA_EMERGENCY', 1, 10), { ...FRESH, openRisks: [100, 100] }), { ok: true });
  t.deepEqual(run(intent('GAMMA_EMERGENCY', 1, 10), { ...FRESH, openRisks: [100, 100, 100] }), { ok: false, reason: 'MAX_CONCURRENT' });
});

test('an order more than 5 minutes after detection is refused; exactly 5 is not', (t) => {
  t.like(run(intent('GAMMA_EMERGENCY', 1, 10), FRESH, 5 * MIN), { ok: true });
  t.deepEqual(run(intent('GAMMA_EMERGENCY', 1, 10), FRESH, 5 * MIN + 1), { ok: false, reason: 'LATENCY' });
});

test('a chain trading under 1000 contracts a day, or of unknown volume, is too illiquid', (t) => {
  t.deepEqual(run(intent('GAMMA_EMERGENCY', 1, 10, { dailyOptionVolume: 999 })), { ok: false, reason: 'ILLIQUID' });
  t.deepEqual(run(intent('GAMMA_EMERGENCY', 1, 10, { dailyOptionVolume: NaN })), { ok: false, reason: 'ILLIQUID' });
});

test('no entry in the last 30 minutes of a session', (t) => {
  const end = 390 * MIN;
  const detected = { time: end - 31 * MIN };
  t.like(run(intent('GAMMA_EMERGENCY', 1, 10, detected), FRESH, end - 30 * MIN - 1, end), { ok: true });
  t.deepEqual(run(intent('GAMMA_EMERGENCY', 1, 10, detected), FRESH, end - 30 * MIN, end), { ok: false, reason: 'NEAR_CLOSE' });
});

test('at-the-money IV at 40 % halves the size ("VIX < 40 for normal sizing")', (t) => {
  t.like(run(intent('GAMMA_EMERGENCY', 1, 10, { atmIv: 0.4 })), { ok: true, size: 0.5 });
  t.like(run(intent('GAMMA_EMERGENCY', 1, 10, { atmIv: 0.39 })), { ok: true, size: 1 });
});
