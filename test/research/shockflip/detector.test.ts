import test from 'ava';
import { detectShockFlips, shockAt } from '../../../research/shockflip/detector.ts';
import { buildEvents, mfe } from '../../../research/shockflip/event-study.ts';
import type { BarFeatures } from '../../../research/shockflip/features.ts';
import type { DetectorParams } from '../../../research/shockflip/params.ts';
import { makeBars, shippedConfig } from './shockflip-test-helpers.ts';

const det = (over: Partial<DetectorParams> = {}): DetectorParams => ({ ...shippedConfig().shock_flip.detector, ...over });

function features(z: number[], loc: number[], extra: Partial<Record<keyof BarFeatures, number[]>> = {}): BarFeatures {
  const n = z.length;
  const arr = (a?: number[]): Float64Array => Float64Array.from({ length: n }, (_, i) => a?.[i] ?? NaN);
  return {
    length: n, imbalance: arr(extra.imbalance), flowZ: arr(z), relVol: arr(extra.relVol), trueRange: arr(extra.trueRange),
    atr: arr(extra.atr), donchianLoc: arr(loc), vwapRoll: arr(extra.vwapRoll), vwapDist: arr(extra.vwapDist), spread: arr(extra.spread),
    tradeConcentration: arr(extra.tradeConcentration), zVelocity: arr(extra.zVelocity), divScore: arr(extra.divScore),
  };
}

test('shipped detector: |z| ≥ 2.2 on the signal bar, 2 of 3 bars ≥ 1.8 on its side, price at the opposite extreme', (t) => {
  const p = det();
  // long: buy-flow shock at the channel low
  t.is(shockAt(features([0, 1.9, 2.3], [0.5, 0.1, 0.1]), 2, p), 1);
  // short: sell-flow shock at the channel high
  t.is(shockAt(features([0, -1.9, -2.3], [0.5, 0.9, 0.9]), 2, p), -1);
  // signal bar below jump_band
  t.is(shockAt(features([0, 1.9, 2.1], [0.1, 0.1, 0.1]), 2, p), 0);
  // only the signal bar is strong: 1 of 3 < 0.5
  t.is(shockAt(features([0, 1.7, 2.3], [0.1, 0.1, 0.1]), 2, p), 0);
  // the strong bar is on the other side
  t.is(shockAt(features([0, -1.9, 2.3], [0.1, 0.1, 0.1]), 2, p), 0);
  // buy shock at the high is flow with price, not a flip
  t.is(shockAt(features([0, 1.9, 2.3], [0.9, 0.9, 0.9]), 2, p), 0);
  // the extreme is inclusive: loc = extreme_frac passes
  t.is(shockAt(features([0, 1.9, 2.3], [0.5, 0.5, p.extreme_frac]), 2, p), 1);
  // without the location rule the high is fine
  t.is(shockAt(features([0, 1.9, 2.3], [0.9, 0.9, 0.9]), 2, det({ require_extreme: false })), 1);
  // warm-up (NaN) never fires
  t.is(shockAt(features([NaN, NaN, NaN], [0.1, 0.1, 0.1]), 2, p), 0);
});

test('cooldown: one event per shock episode, the next after cooldown_bars bars', (t) => {
  const z = Array.from({ length: 30 }, () => 3);
  const loc = z.map(() => 0);
  const s = detectShockFlips(features(z, loc), det({ cooldown_bars: 10 }));
  // bar 1 is the first with 2 of 3 strong bars (bar −1 does not exist: window starts at 0)
  t.deepEqual(s.map((x) => x.bar), [2, 13, 24]);
  t.true(s.every((x) => x.side === 1));
});

test('events: entry at the signal close, MFE over the next H bars in ATRs, did_snap at 0.5 ATR', (t) => {
  const close = [100, 100, 100, 101, 99, 100, 100, 100, 100, 100, 100, 100, 100];
  const high = close.map((c) => c + 0.25);
  const low = close.map((c) => c - 0.25);
  high[3] = 101.5; // long MFE6 = 1.5 (dyadic values: exact arithmetic)
  high[9] = 102.5; // inside 10 bars, outside 6
  const b = makeBars({ close, high, low });
  const n = close.length;
  const f = features(close.map(() => 2.5), close.map(() => 0.1), { atr: close.map(() => 2), relVol: close.map(() => 9) });
  const r = buildEvents(b, f, [{ bar: 1, side: 1 }, { bar: 2, side: -1 }, { bar: n - 5, side: 1 }], {
    did_snap_atr_mult: 0.5, snap_horizon_bars: 6, mfe_long_horizon_bars: 10, atr_pctile_window: 5, spread_z_window: 5,
  });
  t.is(r.droppedHorizon, 1);
  t.is(r.events.length, 2);
  const [long, short] = r.events;
  t.is(long.entry_ts, b.start[1] + 60_000);
  t.is(long.side, 'long');
  t.is(long.entry_close, 100);
  t.is(long.mfe6_atr, 1.5 / 2);
  t.is(long.mfe10_atr, 2.5 / 2);
  t.is(long.did_snap, 1);
  t.is(short.side, 'short');
  t.is(short.mfe6_atr, (100 - (99 - 0.25)) / 2);
  t.is(short.did_snap, 1);
  t.is(mfe(b, 5, 1, 3), 0.25); // flat bars: half the bar range
});

test('an adverse path has MFE 0 and does not snap; a zero ATR drops the event', (t) => {
  const close = [10, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1, 1];
  const b = makeBars({ close });
  const f = features(close.map(() => 3), close.map(() => 0), { atr: close.map((_, i) => (i === 2 ? 0 : 1)) });
  const r = buildEvents(b, f, [{ bar: 1, side: 1 }, { bar: 2, side: 1 }], {
    did_snap_atr_mult: 0.5, snap_horizon_bars: 6, mfe_long_horizon_bars: 10, atr_pctile_window: 5, spread_z_window: 5,
  });
  t.is(r.events.length, 1);
  t.is(r.events[0].mfe6_atr, 0);
  t.is(r.events[0].did_snap, 0);
  t.is(r.droppedAtr, 1);
});
