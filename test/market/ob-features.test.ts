import test from 'ava';
import fc from 'fast-check';
import {
  LiveObProvider,
  OB_FEATURE_PARAMS,
  OB_MACRO_SYMBOL,
  ObFeatureEngine,
  featureValues,
  marketMultiplier,
  resolveObParams,
  toEngineView,
  type ObAssetFeatures,
  type ObCycleFeatures,
} from '../../market/ob-features.ts';
import { SyntheticObSource } from '../../market/ob-source-synthetic.ts';
import { ObDataError, type ObLevel, type ObSnapshot } from '../../market/ob-snapshot.ts';

const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-12;

/** Levels one price unit apart around `mid`, best first. */
function book(symbol: string, ts: number, bidSizes: number[], askSizes: number[], mid = 100): ObSnapshot {
  const bids: ObLevel[] = bidSizes.map((s, i) => [mid - 0.5 - i, s]);
  const asks: ObLevel[] = askSizes.map((s, i) => [mid + 0.5 + i, s]);
  return { symbol, ts, bids, asks };
}

/** One level per side whose sizes give imbalance x with total depth 2. */
const tilted = (symbol: string, ts: number, x: number): ObSnapshot => book(symbol, ts, [1 + x], [1 - x]);

function asset(cycle: ObCycleFeatures, symbol: string): ObAssetFeatures {
  const a = cycle.assets.find((x) => x.symbol === symbol);
  if (a === undefined) throw new Error(`no features for ${symbol}`);
  return a;
}

/** Feeds one snapshot per cycle, the cycle time being the snapshot's ts; returns every cycle. */
function run(engine: ObFeatureEngine, snaps: ObSnapshot[]): ObCycleFeatures[] {
  return snaps.map((s) => engine.update([s], s.ts));
}

test('imbalance is (bid − ask) / (bid + ask) over the top-N levels only', (t) => {
  const e = new ObFeatureEngine({ depth_levels: 2 });
  const c = e.update([book('BTCUSDT', 0, [3, 1, 100], [1, 1, 100])], 0);
  t.true(close(asset(c, 'BTCUSDT').imbalance, (4 - 2) / 6));
  t.is(asset(c, 'BTCUSDT').depth, 6);
});

test('imbalanceMa5 is the mean imbalance of the last 5 snapshots', (t) => {
  const xs = [0.5, 0, -0.5, 0.5, 0.8, 0.25];
  const cycles = run(new ObFeatureEngine(), xs.map((x, i) => tilted('ETHUSDT', i * 500, x)));
  t.true(close(asset(cycles[0], 'ETHUSDT').imbalanceMa5, 0.5), 'warm-up: mean of what there is');
  t.true(close(asset(cycles[4], 'ETHUSDT').imbalanceMa5, (0.5 + 0 - 0.5 + 0.5 + 0.8) / 5));
  t.true(close(asset(cycles[5], 'ETHUSDT').imbalanceMa5, (0 - 0.5 + 0.5 + 0.8 + 0.25) / 5));
});

test('persistence is the share of the last N imbalances with the sign of the MA', (t) => {
  const xs = [0.5, 0, -0.5, 0.5, 0.8, 0.25];
  const snaps = xs.map((x, i) => tilted('ETHUSDT', i * 500, x));
  // MA 0.21 > 0; of the 6 (N = 10, warm-up) 0.5, 0.5, 0.8, 0.25 are positive; 0 is no sign
  t.true(close(asset(run(new ObFeatureEngine(), snaps)[5], 'ETHUSDT').persistence, 4 / 6));
  // N = 4: −0.5, 0.5, 0.8, 0.25 → 3 of 4
  t.true(close(asset(run(new ObFeatureEngine({ persistence_window: 4 }), snaps)[5], 'ETHUSDT').persistence, 3 / 4));
  // a negative MA counts the negative snapshots
  const neg = run(new ObFeatureEngine(), [-0.5, -0.2, 0.1].map((x, i) => tilted('ETHUSDT', i * 500, x)));
  t.true(close(asset(neg[2], 'ETHUSDT').persistence, 2 / 3));
});

test('a zero MA has no sign to sustain: persistence 0', (t) => {
  const c = run(new ObFeatureEngine(), [0.5, -0.5].map((x, i) => tilted('ETHUSDT', i * 500, x)));
  t.is(asset(c[1], 'ETHUSDT').imbalanceMa5, 0);
  t.is(asset(c[1], 'ETHUSDT').persistence, 0);
});

test('withdrawal velocity is the relative depth change per second over the lookback; negative when thinning', (t) => {
  const depths = [10, 10, 10, 10, 8, 12];
  const c = run(new ObFeatureEngine(), depths.map((d, i) => book('SOLUSDT', i * 500, [d / 2], [d / 2])));
  t.is(asset(c[0], 'SOLUSDT').withdrawalVelocity, 0, 'nothing to compare the first book with');
  t.true(close(asset(c[1], 'SOLUSDT').withdrawalVelocity, 0));
  // lookback 4 snapshots = 2 s: (8 / 10 − 1) / 2
  t.true(close(asset(c[4], 'SOLUSDT').withdrawalVelocity, -0.1));
  // (12 / 10 − 1) / 2: a thickening book is positive
  t.true(close(asset(c[5], 'SOLUSDT').withdrawalVelocity, 0.1));
});

test('withdrawal velocity divides by the real elapsed time when cycles are missed', (t) => {
  const c = run(new ObFeatureEngine(), [book('SOLUSDT', 0, [5], [5]), book('SOLUSDT', 4_000, [2], [2])]);
  t.true(close(asset(c[1], 'SOLUSDT').withdrawalVelocity, (4 / 10 - 1) / 4));
});

test('depth quality is smoothed depth over the rolling median of depth', (t) => {
  const depths = [10, 20, 30, 40, 5];
  const snaps = depths.map((d, i) => book('XRPUSDT', i * 500, [d / 2], [d / 2]));
  const raw = run(new ObFeatureEngine({ depth_median_window: 5, depth_quality_smoothing: 1 }), snaps);
  t.true(close(asset(raw[0], 'XRPUSDT').depthQuality, 1), 'one book is its own median');
  t.true(close(asset(raw[4], 'XRPUSDT').depthQuality, 5 / 20));
  const smooth = run(new ObFeatureEngine({ depth_median_window: 5 }), snaps);
  t.true(close(asset(smooth[4], 'XRPUSDT').depthQuality, 21 / 20));
});

test('the depth median forgets books older than its window', (t) => {
  const depths = [100, 100, 100, 10, 10, 10];
  const c = run(new ObFeatureEngine({ depth_median_window: 3, depth_quality_smoothing: 1 }), depths.map((d, i) => book('X', i * 500, [d / 2], [d / 2])));
  t.true(close(asset(c[3], 'X').depthQuality, 10 / 100));
  t.true(close(asset(c[5], 'X').depthQuality, 1));
});

test('fill probability is the best level notional on the thinner side over the typical order', (t) => {
  const s: ObSnapshot = { symbol: 'BNBUSDT', ts: 0, bids: [[100, 50]], asks: [[101, 200]] };
  t.true(close(asset(new ObFeatureEngine().update([s], 0), 'BNBUSDT').fillProbability, 5_000 / 10_000));
  const deep = new ObFeatureEngine({ trade_notional_usd: 1_000 }).update([s], 0);
  t.is(asset(deep, 'BNBUSDT').fillProbability, 1, 'clamped at 1');
  const oneSided = new ObFeatureEngine().update([{ ...s, asks: [] }], 0);
  t.is(asset(oneSided, 'BNBUSDT').fillProbability, 0);
});

/** Four calm books, then one side swept with the price through it. */
function cascadeRun(): ObSnapshot[] {
  const calm = [0, 500, 1_000, 1_500].map((ts) => book('DOGEUSDT', ts, [5, 5], [5, 5]));
  // depth 20 → 5.5 in 2 s: −0.3625/s; imbalance (0.5 − 5) / 5.5; mid 100 → 99.7 (−30 bps)
  const swept = book('DOGEUSDT', 2_000, [0.5], [5], 99.7);
  return [...calm, swept];
}

test('a sharp one-sided withdrawal with the price running is a cascade, held for cascade_hold_ms', (t) => {
  const e = new ObFeatureEngine();
  const c = run(e, cascadeRun());
  t.false(asset(c[3], 'DOGEUSDT').cascade);
  const hit = asset(c[4], 'DOGEUSDT');
  t.true(close(hit.withdrawalVelocity, (5.5 / 20 - 1) / 2));
  t.true(hit.cascade);
  t.is(c[4].macro.cascadeCount, 1);
  // recovered books keep the flag for one engine bar (5 s), then drop it
  t.true(asset(e.update([book('DOGEUSDT', 7_000, [5, 5], [5, 5], 99.7)], 7_000), 'DOGEUSDT').cascade);
  t.false(asset(e.update([book('DOGEUSDT', 7_500, [5, 5], [5, 5], 99.7)], 7_500), 'DOGEUSDT').cascade);
});

test('thinning without a one-sided book or a price move is not a cascade', (t) => {
  const snaps = cascadeRun();
  const balanced = [...snaps.slice(0, 4), book('DOGEUSDT', 2_000, [1.4], [1.4], 99.7)];
  t.false(asset(run(new ObFeatureEngine(), balanced)[4], 'DOGEUSDT').cascade);
  const still = [...snaps.slice(0, 4), book('DOGEUSDT', 2_000, [0.5], [5], 100)];
  t.false(asset(run(new ObFeatureEngine(), still)[4], 'DOGEUSDT').cascade);
});

test('regime: +1 when books are thin market-wide, −1 when deep and steady, 0 otherwise', (t) => {
  const p = { depth_median_window: 5, depth_quality_smoothing: 1 };
  const syms = ['A', 'B', 'C'];
  const cycleAt = (e: ObFeatureEngine, i: number, depth: number): ObCycleFeatures =>
    e.update(syms.map((s) => book(s, i * 500, [depth / 2], [depth / 2])), i * 500);
  const steady = new ObFeatureEngine(p);
  let c!: ObCycleFeatures;
  for (let i = 0; i < 5; i++) c = cycleAt(steady, i, 10);
  t.is(c.macro.regimeSignal, 0, 'depth quality 1, velocity 0: neutral');
  const thin = new ObFeatureEngine(p);
  for (let i = 0; i < 5; i++) c = cycleAt(thin, i, i < 4 ? 10 : 6);
  t.true(close(c.macro.depthQuality, 0.6));
  t.is(c.macro.regimeSignal, 1);
  const deep = new ObFeatureEngine(p);
  for (let i = 0; i < 5; i++) c = cycleAt(deep, i, i < 4 ? 10 : 12);
  t.true(close(c.macro.depthQuality, 1.2));
  t.is(c.macro.regimeSignal, -1);
});

test('macro aggregates only assets fresh at the cycle time', (t) => {
  const e = new ObFeatureEngine();
  e.update([tilted('OLD', 0, 0.5)], 0);
  const c = e.update([tilted('NEW', 6_000, -0.5)], 6_000);
  t.is(c.assets.length, 2);
  t.false(asset(c, 'OLD').updated);
  t.true(asset(c, 'NEW').updated);
  t.is(c.macro.symbols, 1);
  t.is(c.macro.marketImbalance, -0.5);
});

test('a gap longer than gap_reset_ms restarts the short windows', (t) => {
  const snaps = [0, 500, 1_000, 1_500, 2_000].map((ts) => tilted('ADAUSDT', ts, 0.5));
  const c = run(new ObFeatureEngine(), [...snaps, tilted('ADAUSDT', 12_000, -0.5)]);
  t.is(asset(c[5], 'ADAUSDT').imbalanceMa5, -0.5);
  t.is(asset(c[5], 'ADAUSDT').persistence, 1);
  t.is(asset(c[5], 'ADAUSDT').withdrawalVelocity, 0);
});

test('a repeated or older snapshot is not counted again', (t) => {
  const e = new ObFeatureEngine();
  e.update([tilted('BTCUSDT', 0, 0.5)], 0);
  const again = e.update([tilted('BTCUSDT', 0, -0.9)], 500);
  t.false(asset(again, 'BTCUSDT').updated);
  t.is(asset(again, 'BTCUSDT').imbalanceMa5, 0.5);
});

test('snapshots of one cycle are ingested in time order whatever order they come in', (t) => {
  const a = new ObFeatureEngine().update([tilted('X', 1_000, 0.2), tilted('X', 500, 0.6)], 1_000);
  const b = new ObFeatureEngine().update([tilted('X', 500, 0.6), tilted('X', 1_000, 0.2)], 1_000);
  t.deepEqual(a, b);
  t.true(close(asset(a, 'X').imbalanceMa5, 0.4));
});

test('an invalid snapshot is rejected with its symbol named and the rest still ingested', (t) => {
  const c = new ObFeatureEngine().update([book('BAD', 0, [1], [1], 100), { symbol: 'BAD2', ts: 0, bids: [[101, 1]], asks: [[100, 1]] }, tilted('OK', 0, 0.1)], 0);
  t.is(c.rejected.length, 1);
  t.true(c.rejected[0] instanceof ObDataError);
  t.is(c.rejected[0].symbol, 'BAD2');
  t.deepEqual(c.assets.map((a) => a.symbol), ['BAD', 'OK']);
});

test('bad parameters are refused by name', (t) => {
  t.throws(() => resolveObParams({ persistence_window: 0 }), { instanceOf: RangeError, message: /persistence_window/ });
  t.throws(() => resolveObParams({ trade_notional_usd: -1 }), { message: /trade_notional_usd/ });
  t.throws(() => resolveObParams({ market_mult_cap: 0.9 }), { message: /market_mult_floor <= 1 <= market_mult_cap/ });
  t.throws(() => resolveObParams({ cascade_min_move_bps: NaN }), { message: /cascade_min_move_bps/ });
});

test('featureValues writes the bible field names as <feature>_<SYMBOL>, macro under MARKET', (t) => {
  const e = new ObFeatureEngine();
  e.update([tilted('OLD', 0, 0.5)], 0);
  const c = e.update([tilted('BTCUSDT', 500, 0.5)], 500);
  const keys = featureValues(c).map((v) => v.key);
  t.deepEqual(keys, [
    'imbalance_BTCUSDT',
    'imbalance_ma5_BTCUSDT',
    'imbalance_persistence_BTCUSDT',
    'withdrawal_velocity_BTCUSDT',
    'depth_quality_BTCUSDT',
    'fill_probability_BTCUSDT',
    'ob_cascade_BTCUSDT',
    'ob_ts_BTCUSDT',
    'cascade_count_MARKET',
    'regime_signal_MARKET',
    'ob_symbols_MARKET',
    'ob_ts_MARKET',
    'imbalance_ma5_MARKET',
    'depth_quality_MARKET',
    'fill_probability_MARKET',
    'withdrawal_velocity_MARKET',
  ]);
  t.is(OB_MACRO_SYMBOL, 'MARKET');
  for (const v of featureValues(c)) {
    t.is(v.key, `${v.feature}_${v.symbol}`);
    t.true(Number.isFinite(v.value));
  }
});

test('featureValues leaves out the market aggregates when no asset is fresh', (t) => {
  const e = new ObFeatureEngine();
  e.update([tilted('BTCUSDT', 0, 0.5)], 0);
  const keys = featureValues(e.update([], 60_000)).map((v) => v.key);
  t.deepEqual(keys, ['cascade_count_MARKET', 'regime_signal_MARKET', 'ob_symbols_MARKET', 'ob_ts_MARKET']);
});

test('the engine view answers from the latest cycle and ignores barIdx', (t) => {
  const e = new ObFeatureEngine();
  const view = new LiveObProvider();
  t.is(view.signal('BTCUSDT', 0), null);
  t.deepEqual(view.macro(0), { cascadeCount: 0, regimeSignal: 0 });
  t.is(view.marketMultiplier(1, 0), 1);
  view.set(e.update([tilted('BTCUSDT', 0, 0.1)], 0));
  const c = e.update([tilted('BTCUSDT', 500, 0.1)], 500);
  view.set(c);
  const a = asset(c, 'BTCUSDT');
  t.deepEqual(view.signal('BTCUSDT', 0), { imbalanceMa5: a.imbalanceMa5, persistence: a.persistence, withdrawalVelocity: a.withdrawalVelocity });
  t.deepEqual(view.signal('BTCUSDT', 123_456), view.signal('BTCUSDT', 0));
  t.deepEqual(view.placement('BTCUSDT', 7), { depthQuality: a.depthQuality, fillProbability: a.fillProbability });
  t.is(view.signal('ETHUSDT', 0), null);
  // market imbalance 0.1, gain 1: long ×1.1, short ×0.9
  t.true(close(view.marketMultiplier(1, 0), 1.1));
  t.true(close(view.marketMultiplier(-1, 0), 0.9));
});

test('the engine view drops assets older than max_age_ms at the cycle time', (t) => {
  const e = new ObFeatureEngine();
  e.update([tilted('BTCUSDT', 0, 0.1)], 0);
  const view = toEngineView(e.update([tilted('ETHUSDT', 5_001, 0.1)], 5_001));
  t.is(view.signal('BTCUSDT', 0), null);
  t.is(view.placement('BTCUSDT', 0), null);
  t.not(view.signal('ETHUSDT', 0), null);
});

test('market multiplier stays within [0.85, 1.20] (§9.4) and favours the side the book leans to', (t) => {
  fc.assert(
    fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.constantFrom(-1 as const, 1 as const), (imb, dir) => {
      const m = marketMultiplier(imb, dir);
      return m >= 0.85 && m <= 1.2 && (imb * dir > 0 ? m >= 1 : m <= 1);
    }),
  );
  t.is(marketMultiplier(1, 1), OB_FEATURE_PARAMS.market_mult_cap);
  t.is(marketMultiplier(1, -1), OB_FEATURE_PARAMS.market_mult_floor);
});

test('on synthetic books every engine-view value is in its documented range', async (t) => {
  const src = new SyntheticObSource({ seed: 7, startMs: 0 });
  const syms = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
  const e = new ObFeatureEngine();
  const view = new LiveObProvider();
  for (let k = 0; k < 1_500; k++) {
    view.set(e.update(await src.snapshots(syms, k * 500), k * 500));
    for (const s of syms) {
      const sig = view.signal(s, k)!;
      const pl = view.placement(s, k)!;
      t.true(sig.imbalanceMa5 >= -1 && sig.imbalanceMa5 <= 1);
      t.true(sig.persistence >= 0 && sig.persistence <= 1);
      t.true(Number.isFinite(sig.withdrawalVelocity));
      t.true(pl.depthQuality >= 0 && Number.isFinite(pl.depthQuality));
      t.true(pl.fillProbability >= 0 && pl.fillProbability <= 1);
    }
    for (const d of [-1, 1] as const) {
      const m = view.marketMultiplier(d, k);
      t.true(m >= 0.85 && m <= 1.2);
    }
    const macro = view.macro(k);
    t.true([-1, 0, 1].includes(macro.regimeSignal));
    t.true(macro.cascadeCount >= 0 && macro.cascadeCount <= syms.length);
  }
});

// ---- properties over arbitrary valid books ----

const sizes = fc.array(fc.double({ min: 1e-9, max: 1e9, noNaN: true, noDefaultInfinity: true }), { minLength: 0, maxLength: 8 });
const step = fc.record({
  symbol: fc.constantFrom('A', 'B', 'C'),
  dt: fc.integer({ min: -1_000, max: 8_000 }),
  mid: fc.double({ min: 1e-4, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  bids: sizes,
  asks: sizes,
});

function toSnapshots(steps: Array<{ symbol: string; dt: number; mid: number; bids: number[]; asks: number[] }>): ObSnapshot[][] {
  let ts = 1_000_000;
  return steps.map((s) => {
    ts += s.dt;
    const bids: ObLevel[] = s.bids.map((size, i) => [s.mid * (1 - 0.001 * (i + 1)), size]);
    const asks: ObLevel[] = s.asks.map((size, i) => [s.mid * (1 + 0.001 * (i + 1)), size]);
    return [{ symbol: s.symbol, ts, bids, asks }];
  });
}

test('property: features stay in range for any sequence of valid books', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
      const e = new ObFeatureEngine({ depth_median_window: 7 });
      let now = 0;
      for (const batch of toSnapshots(steps)) {
        now = Math.max(now, batch[0].ts);
        const c = e.update(batch, now);
        if (c.rejected.length > 0) return false;
        for (const a of c.assets) {
          if (!(a.imbalance >= -1 && a.imbalance <= 1)) return false;
          if (!(a.imbalanceMa5 >= -1 && a.imbalanceMa5 <= 1)) return false;
          if (!(a.persistence >= 0 && a.persistence <= 1)) return false;
          if (!(a.fillProbability >= 0 && a.fillProbability <= 1)) return false;
          if (!(a.depthQuality >= 0 && Number.isFinite(a.depthQuality))) return false;
          if (!Number.isFinite(a.withdrawalVelocity)) return false;
        }
        for (const v of featureValues(c)) if (!Number.isFinite(v.value)) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  ));
});

test('property: the same snapshots give the same features (deterministic)', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
      const batches = toSnapshots(steps);
      const a = new ObFeatureEngine();
      const b = new ObFeatureEngine();
      return batches.every((batch) => JSON.stringify(a.update(batch, batch[0].ts)) === JSON.stringify(b.update(batch, batch[0].ts)));
    }),
    { numRuns: 100 },
  ));
});
