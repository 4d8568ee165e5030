import test from 'ava';
import fc from 'fast-check';
import { bootstrapMean } from '../../../research/shockflip/bootstrap.ts';
import { bootstrapJson, candidateTable, physicsCheck, relVolBuckets } from '../../../research/shockflip/diamond.ts';
import type { EventRow } from '../../../research/shockflip/events.ts';
import type { DiamondFilterParams, PhysicsCheckParams } from '../../../research/shockflip/params.ts';
import { percentile, percentileSorted } from '../../../research/shockflip/quantile.ts';
import { shippedConfig } from './shockflip-test-helpers.ts';

const check = (over: Partial<PhysicsCheckParams> = {}): PhysicsCheckParams => ({ ...shippedConfig().shock_flip.physics_check, bootstrap_resamples: 2000, ...over });
const filter = (over: Partial<DiamondFilterParams> = {}): DiamondFilterParams => ({ ...shippedConfig().shock_flip.diamond_filter, ...over });

function ev(entry: string, relVol: number, snap: 0 | 1): EventRow {
  return {
    entry_ts: Date.parse(entry), side: 'long', rel_vol: relVol, flow_z: 2.5, div_score: 0, z_velocity: 0, atr: 1, did_snap: snap,
    mfe6_atr: snap ? 1 : 0, mfe10_atr: snap ? 1 : 0, entry_close: 1, donchian_loc: 0, vwap_dist: 0, spread: 0, trade_concentration: 0.1,
  };
}

test('percentiles are numpy\'s linear interpolation', (t) => {
  t.is(percentileSorted([1, 2, 3, 4], 50), 2.5);
  t.is(percentileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9.1);
  t.is(percentile([NaN, 3, 1, 2], 0), 1);
  t.true(Number.isNaN(percentile([], 50)));
});

test('rel_vol buckets follow pandas.qcut: right-closed, the first includes the minimum, about n/k each', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.uniqueArray(fc.double({ min: 0.1, max: 50, noNaN: true }), { minLength: 20, maxLength: 200 }), (xs) => {
        const events = xs.map((x) => ev('2024-01-05T00:00:00Z', x, 1));
        const { edges, bucketOf } = relVolBuckets(events, 10);
        const counts = new Array<number>(10).fill(0);
        for (const x of xs) {
          const j = bucketOf(x);
          if (j < 0) return false;
          if (!(j === 0 ? x >= edges[0] : x > edges[j]) || !(x <= edges[j + 1])) return false;
          counts[j]++;
        }
        return counts.every((c) => Math.abs(c - xs.length / 10) <= 1.5);
      }),
    ),
  );
});

test('diamond_candidates: baseline, deciles, percentile filters, the config threshold; lift = rate / baseline', (t) => {
  // 100 events, rel_vol 1 … 100; the top 10 all snap, the rest 50 %
  const events = Array.from({ length: 100 }, (_, i) => ev('2024-01-05T00:00:00Z', i + 1, i >= 90 ? 1 : ((i % 2) as 0 | 1)));
  const c = candidateTable(events, check(), filter({ rel_vol_threshold: 90.5 }));
  t.deepEqual(c.rows.map((r) => r.bucket), ['baseline', ...Array.from({ length: 10 }, (_, j) => `decile_${j}`), 'rel_vol>=p80', 'rel_vol>=p90', 'rel_vol>=threshold']);
  const base = c.rows[0];
  t.like(base, { n: 100, snap_rate: 0.55, lift_vs_baseline: 1 });
  const d9 = c.rows[10];
  t.like(d9, { n: 10, snap_rate: 1, meets_min_n: false });
  t.is(d9.lift_vs_baseline, 1 / 0.55);
  t.is(c.percentiles['90'], 90.1);
  t.is(c.percentiles['80'], 80.2);
  t.like(c.rows[13], { bucket: 'rel_vol>=threshold', n: 10, snap_rate: 1 });
});

test('bootstrap: deterministic in the seed, bounds around the mean, coverage of a known rate', (t) => {
  const v = Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 0 : 1));
  const a = bootstrapMean(v, 10_000, 7, 0.95), b = bootstrapMean(v, 10_000, 7, 0.95);
  t.deepEqual(a, b);
  t.is(a.mean, 0.8);
  t.true(a.lower < 0.8 && a.upper > 0.8);
  // normal approximation: ±1.96·√(0.16/400) = ±0.0392
  t.true(Math.abs(a.upper - a.lower - 2 * 0.0392) < 0.01);
  const other = bootstrapMean(v, 10_000, 8, 0.95);
  t.true(Math.abs(other.lower - a.lower) <= 0.01 && Math.abs(other.upper - a.upper) <= 0.01);
  const empty = bootstrapMean([], 100, 1, 0.95);
  t.true(Number.isNaN(empty.mean) && Number.isNaN(empty.lower));
});

test('physics check: threshold from in-sample months only, both periods judged, verdicts', (t) => {
  // January: 20 diamonds (19 snap), February: 20 diamonds (18 snap); plus 40 ordinary events a month
  const month = (m: string, snaps: number): EventRow[] => [
    ...Array.from({ length: 20 }, (_, i) => ev(`2024-${m}-10T00:00:00Z`, 10 + i, i < snaps ? 1 : 0)),
    ...Array.from({ length: 40 }, (_, i) => ev(`2024-${m}-12T00:00:00Z`, 1 + i / 10, (i % 2) as 0 | 1)),
  ];
  const events = [...month('01', 19), ...month('02', 18)];
  const pass = physicsCheck(events, check(), filter({ rel_vol_threshold: 7.7379 }));
  t.deepEqual(pass.inSample.months, ['2024-01']);
  t.deepEqual(pass.holdout.months, ['2024-02']);
  t.is(pass.inSample.diamond.n, 20);
  t.is(pass.inSample.diamond.mean, 0.95);
  t.is(pass.holdout.diamond.mean, 0.9);
  t.is(pass.verdict, 'pass');

  const strict = physicsCheck(events, check({ pass_rule: 'ci_lower' }), filter());
  t.is(strict.verdict, 'fail');

  // in_sample_p90: estimated on January alone
  const est = physicsCheck(events, check(), filter({ threshold_source: 'in_sample_p90' }));
  t.is(est.threshold, percentile(month('01', 19).map((e) => e.rel_vol), 90));

  const few = physicsCheck(events, check(), filter({ min_events_per_bucket: 25 }));
  t.is(few.verdict, 'inconclusive');
  t.regex(few.reasons[0], /fewer than min_events_per_bucket 25/);

  const oneMonth = physicsCheck(month('01', 19), check(), filter());
  t.is(oneMonth.verdict, 'inconclusive');
  t.regex(oneMonth.reasons[0], /in-sample: no months/);

  const json = bootstrapJson(pass, check(), { '90': 1 });
  t.deepEqual(Object.keys(json).slice(0, 8), [
    'baseline_snap_rate', 'baseline_CI_lower', 'baseline_CI_upper', 'baseline_n',
    'diamond_snap_rate', 'diamond_CI_lower', 'diamond_CI_upper', 'diamond_n',
  ]);
  t.is(json.verdict, 'pass');
  t.is(json.rel_vol_90, 1);
});
