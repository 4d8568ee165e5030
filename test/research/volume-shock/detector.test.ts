// The detector on hand-worked chains: one strike (2700, calls and puts) with a known 10-day history,
// window 5 minutes in a 390-minute session (78 windows a day). 2340 contracts a day = 30 per window.
import test from 'ava';
import { onset, VolumeShockDetector } from '../../../research/volume-shock/detector.ts';
import { detectorFor, type VolumeShockParams } from '../../../research/volume-shock/params.ts';
import { call, dayOf, DAY_MS, MIN, near, paramsWith, print, put, T0, update } from './helpers.ts';

const KEY = '2025-04-17|2700';

function detectorWithHistory(p: VolumeShockParams, perDay: number, days = 10, callDelta = 0.5, putDelta = -0.4): VolumeShockDetector {
  const det = new VolumeShockDetector({
    detector: detectorFor(p, 'sim'),
    responseTime: p.response_time,
    sessionMinutes: 390,
    contractMultiplier: 100,
    referencePrice: 2700,
    assumeSide: 1,
  });
  for (let d = 0; d < days; d++) det.scan(update(T0 + d * DAY_MS, dayOf(d), [call(2700, callDelta), put(2700, putDelta)], [print('C2700', perDay, T0 + d * DAY_MS - MIN)]));
  return det;
}

const today = (det: VolumeShockDetector, prints: ReturnType<typeof print>[], minute = 0, callDelta = 0.5) =>
  det.scan(update(T0 + 10 * DAY_MS + minute * MIN, dayOf(10), [call(2700, callDelta), put(2700, -0.4)], prints));

test('the baseline is the strike\'s volume per 5-minute window over its last 10 observed days', (t) => {
  const det = detectorWithHistory(paramsWith(), 2340);
  t.is(det.book.baseline(KEY, dayOf(10)), 30);
});

test('only the last 10 days count: an older busy day has left the baseline', (t) => {
  const det = detectorWithHistory(paramsWith(), 2340, 10);
  // an 11th day with 10× the volume, then the baseline for day 12 drops day 0 and keeps day 11
  det.scan(update(T0 + 10 * DAY_MS, dayOf(10), [call(2700, 0.5)], [print('C2700', 23_400, T0 + 10 * DAY_MS - MIN)]));
  t.is(det.book.baseline(KEY, dayOf(11)), (9 * 2340 + 23_400) / (10 * 78));
});

test('volume exactly 4× the baseline does not alert; just above it does (ratio > 4, strictly)', (t) => {
  const at = today(detectorWithHistory(paramsWith(), 2340), [print('C2700', 120, T0 + 10 * DAY_MS - 30_000)]);
  t.is(at.alerts.length, 0);
  t.is(at.skips.belowThreshold, 1);
  const above = today(detectorWithHistory(paramsWith(), 2340), [print('C2700', 121, T0 + 10 * DAY_MS - 30_000)]);
  t.is(above.alerts.length, 1);
  t.is(above.alerts[0].volumeRatio, 121 / 30);
});

test('100 contracts do not alert even far above the baseline; 101 do (> 100 contracts, strictly)', (t) => {
  const p = paramsWith();
  t.is(today(detectorWithHistory(p, 78), [print('C2700', 100, T0 + 10 * DAY_MS - 30_000)]).alerts.length, 0);
  t.is(today(detectorWithHistory(p, 78), [print('C2700', 101, T0 + 10 * DAY_MS - 30_000)]).alerts.length, 1);
});

test('a hand-worked alert: 101 calls at delta 0.5 → +5050 delta, 2 minutes, pressure 1262.5', (t) => {
  const s = today(detectorWithHistory(paramsWith(), 78), [print('C2700', 101, T0 + 10 * DAY_MS - 30_000)]);
  t.like(s.alerts[0], { strikeKey: KEY, recentVolume: 101, callVolume: 101, putVolume: 0, normalVolume: 1, netDelta: 5050, responseMinutes: 2, urgency: 'GAMMA_EMERGENCY', pressure: 1262.5 });
});

test('puts bought create negative delta: 150 puts at −0.4 → −6000', (t) => {
  const s = today(detectorWithHistory(paramsWith(), 78), [print('P2700', 150, T0 + 10 * DAY_MS - 30_000)]);
  t.is(s.alerts[0].netDelta, -6000);
});

test('a routine strike needs pressure above 5: |delta| 500 at 10 minutes is dropped, 510 alerts', (t) => {
  const p = paramsWith();
  const at500 = today(detectorWithHistory(p, 78), [print('C2700', 125, T0 + 10 * DAY_MS - 30_000)], 0, 0.04);
  t.is(at500.alerts.length, 0);
  t.is(at500.skips.lowPressure, 1);
  const at510 = today(detectorWithHistory(p, 78), [print('C2700', 102, T0 + 10 * DAY_MS - 30_000)], 0, 0.05);
  t.is(at510.alerts[0].responseMinutes, 10);
  near(t, at510.alerts[0].netDelta, 510);
  near(t, at510.alerts[0].pressure, 5.1);
});

test('fewer than 5 observed days: no baseline, no alert', (t) => {
  const det = detectorWithHistory(paramsWith(), 78, 4);
  const s = det.scan(update(T0 + 4 * DAY_MS, dayOf(4), [call(2700, 0.5)], [print('C2700', 500, T0 + 4 * DAY_MS - 30_000)]));
  t.is(s.alerts.length, 0);
  t.is(s.skips.noBaseline, 1);
});

test('the prints that alerted do not alert again on the next scan', (t) => {
  const det = detectorWithHistory(paramsWith(), 78);
  t.is(today(det, [print('C2700', 101, T0 + 10 * DAY_MS - 30_000)]).alerts.length, 1);
  const next = today(det, [], 1);
  t.is(next.alerts.length, 0);
  t.is(next.skips.cooldown, 1);
});

test('prints leave the window after 5 minutes', (t) => {
  const det = detectorWithHistory(paramsWith(), 78);
  today(det, [print('C2700', 60, T0 + 10 * DAY_MS - 30_000)]);
  // 60 + 60 would alert inside one window; 5 minutes later the first 60 are gone
  t.is(today(det, [print('C2700', 60, T0 + 10 * DAY_MS + 5 * MIN - 30_000)], 5).alerts.length, 0);
});

test('the onset is the print that took the window past the thresholds, not its oldest print', (t) => {
  const prints = [
    { time: 1_000, amount: 3 },
    { time: 2_000, amount: 4 },
    { time: 3_000, amount: 120 },
    { time: 4_000, amount: 5 },
  ];
  t.is(onset(prints, 100), 3_000);
});
