// The paper book: exits by stop, target, time and session close at the observation's price, exit
// before entry, PnL in points × size × point value net of costs, and the daily budget's reset.
import test from 'ava';
import { exitReason } from '../../../research/volume-shock/exit-rule.ts';
import { PaperBook } from '../../../research/volume-shock/paper-book.ts';
import type { FlowType } from '../../../research/volume-shock/params.ts';
import type { TradeIntent } from '../../../research/volume-shock/types.ts';
import { dayOf, MIN, paramsWith, tick } from './helpers.ts';

const LEG = { direction: 1 as const, entryTime: 0, entryPrice: 100, stopDistance: 5, targetDistance: 10, maxHoldMinutes: 8 };

test('a long leaves at the stop, at the target, at the time stop, and 30 minutes before the close', (t) => {
  t.is(exitReason(LEG, tick(MIN, 95), null), 'STOP');
  t.is(exitReason(LEG, tick(MIN, 110), null), 'TARGET');
  t.is(exitReason(LEG, tick(8 * MIN, 101), null), 'TIME');
  t.is(exitReason(LEG, tick(7 * MIN, 101), null), null);
  t.is(exitReason(LEG, tick(2 * MIN, 101, dayOf(0), { sessionEnd: 32 * MIN }), 30 * MIN), 'CLOSE');
});

test('a short\'s stop is above its entry', (t) => {
  t.is(exitReason({ ...LEG, direction: -1 }, tick(MIN, 105), null), 'STOP');
  t.is(exitReason({ ...LEG, direction: -1 }, tick(MIN, 90), null), 'TARGET');
});

test('nothing exits on the observation it entered at', (t) => {
  t.is(exitReason(LEG, tick(0, 50), null), null);
});

function intent(time: number, flowType: FlowType = 'GAMMA_EMERGENCY', direction: 1 | -1 = 1): TradeIntent {
  return {
    event: {
      id: `e${time}`, time, underlying: 'SPX', group: 'g', alerts: [], strikesAffected: 1, totalVolume: 500, concentrationRatio: 1, netDelta: 8000 * direction,
      responseMinutes: 2, pressure: 2000, volumeRatio: 10, flowType, onsetTime: time - 30_000, atmIv: 0.15, dailyOptionVolume: 10_000,
    },
    prediction: { direction, quantity: 8000, magnitude: 20, timingMinutes: 2, maxResponseMinutes: 5, confidence: 1 },
    size: 2, stopDistance: 10, targetDistance: 20, maxHoldMinutes: 8, entryAfter: time,
  };
}

const book = (over: unknown = {}) => new PaperBook({ params: paramsWith(over), pointValue: 50, costPoints: 0.25, sessionClose: true });

test('PnL = (points − cost) × size × $50: 2 contracts long from 2700 to 2710 earn 9.75 points, $975', (t) => {
  const b = book();
  b.submit(intent(0));
  t.is(b.onTick(tick(0, 2700)).opened.length, 1);
  const [trade] = b.onTick(tick(8 * MIN, 2710)).closed;
  t.like(trade, { reason: 'TIME', points: 9.75, pnl: 975, size: 2, win: true, holdMinutes: 8, latencyMinutes: 0.5, executionLatencyMinutes: 0 });
  t.is(b.equity, 50_975);
});

test('exit before entry: a position leaving on an observation frees its slot for an entry on the same one', (t) => {
  const b = book({ risk: { max_concurrent: 1 } });
  b.submit(intent(0));
  b.onTick(tick(0, 2700));
  b.submit(intent(8 * MIN));
  const r = b.onTick(tick(8 * MIN, 2701));
  t.is(r.closed.length, 1);
  t.is(r.opened.length, 1);
  t.is(r.refused.length, 0);
});

test('the daily budget starts again on a new session day', (t) => {
  const b = book();
  b.submit(intent(0));
  b.onTick(tick(0, 2700));
  b.onTick(tick(MIN, 2600)); // a $10 000 loss: far past 5 % of the day
  b.submit(intent(2 * MIN));
  t.deepEqual(b.onTick(tick(2 * MIN, 2600)).refused.map((r) => r.reason), ['RISK_BUDGET']);
  b.submit(intent(24 * 60 * MIN));
  t.is(b.onTick(tick(24 * 60 * MIN, 2600, dayOf(1))).opened.length, 1);
});

test('at the end of data open positions close as END; one opened at the last observation never traded', (t) => {
  const b = book();
  b.submit(intent(0));
  b.onTick(tick(0, 2700));
  b.submit(intent(MIN, 'GAMMA_EMERGENCY', -1));
  b.onTick(tick(MIN, 2702));
  const closed = b.closeAll(tick(MIN, 2702));
  t.deepEqual(closed.map((c) => [c.reason, c.direction]), [['END', 1]]);
  t.is(b.openCount, 0);
});
