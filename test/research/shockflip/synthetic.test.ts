// Issue 6 item 10: on seeded synthetic ticks with planted ShockFlip events, the detector finds the
// planted events and the event study recovers the planted snap rates within their bootstrap intervals.
// 60 synthetic days (~2.2 M trades): the real sample (12,477 trades over 2.5 days) is far too small.
// A 95 % interval misses the true rate in about one seed of twenty; across seeds 1–12 the diamond
// interval covered 0.90 twelve times and the ordinary one covered 0.55 ten times
// (docs/shockflip.md). Seed 1 is one of the covering seeds; the realized-rate check below holds for all.
import test from 'ava';
import { bootstrapMean } from '../../../research/shockflip/bootstrap.ts';
import { physicsCheck } from '../../../research/shockflip/diamond.ts';
import { runShockflipStudy } from '../../../research/shockflip/study.ts';
import { DEFAULT_SYNTHETIC, generateSyntheticTicks } from '../../../research/shockflip/synthetic-ticks.ts';
import { shippedConfig } from './shockflip-test-helpers.ts';

const cfg = shippedConfig();
const gen = generateSyntheticTicks({ seed: 1 });
const study = runShockflipStudy(gen.trades, cfg);
const events = study.study.events;
const byTs = new Map(events.map((e) => [e.entry_ts, e]));

test('the generator is seeded: same seed, same trades; trades are time-ordered with both sides', (t) => {
  const again = generateSyntheticTicks({ seed: 11, bars: 2000 });
  const once = generateSyntheticTicks({ seed: 11, bars: 2000 });
  t.deepEqual(Array.from(again.trades.price.slice(0, 500)), Array.from(once.trades.price.slice(0, 500)));
  t.notDeepEqual(Array.from(generateSyntheticTicks({ seed: 12, bars: 2000 }).trades.price.slice(0, 50)), Array.from(once.trades.price.slice(0, 50)));
  let ordered = true;
  for (let i = 1; i < gen.trades.length; i++) if (gen.trades.ts[i] < gen.trades.ts[i - 1]) ordered = false;
  t.true(ordered);
  t.true(gen.trades.side.includes(1) && gen.trades.side.includes(-1));
});

test('the detector finds ≥ 90 % of the planted events, on the planted bar and side, with the planted outcome', (t) => {
  const found = gen.planted.filter((p) => byTs.has(p.entryTs));
  t.true(found.length >= 0.9 * gen.planted.length, `${found.length} of ${gen.planted.length} found`);
  for (const p of found) {
    const e = byTs.get(p.entryTs)!;
    t.is(e.side, p.side > 0 ? 'long' : 'short');
    t.is(e.did_snap, p.snap ? 1 : 0, `planted ${p.snap ? 'snap' : 'no snap'} at ${new Date(p.entryTs).toISOString()}`);
    // diamonds are planted far above the blueprint's threshold and ordinary events below it
    t.is(e.rel_vol >= cfg.shock_flip.diamond_filter.rel_vol_threshold, p.diamond);
  }
  // false alarms of the background are few
  t.true(events.length - found.length < 0.2 * gen.planted.length);
});

test('the planted snap rates lie within the bootstrap intervals of the recovered events', (t) => {
  const pc = cfg.shock_flip.physics_check;
  const diamonds = events.filter((e) => e.rel_vol >= cfg.shock_flip.diamond_filter.rel_vol_threshold);
  const d = bootstrapMean(diamonds.map((e) => e.did_snap), pc.bootstrap_resamples, pc.bootstrap_seed, pc.ci_level);
  t.true(diamonds.length >= 40, `${diamonds.length} diamond events`);
  // the rate the generator actually drew for its diamonds, whatever the seed
  const planted = gen.planted.filter((p) => p.diamond);
  const realized = planted.filter((p) => p.snap).length / planted.length;
  t.true(d.lower <= realized && realized <= d.upper, `realized ${realized}, CI [${d.lower}, ${d.upper}]`);
  t.true(d.lower <= DEFAULT_SYNTHETIC.snapProbDiamond && DEFAULT_SYNTHETIC.snapProbDiamond <= d.upper, `planted ${DEFAULT_SYNTHETIC.snapProbDiamond}, CI [${d.lower}, ${d.upper}]`);
  const plantedOrdinary = new Set(gen.planted.filter((p) => !p.diamond).map((p) => p.entryTs));
  const ordinary = events.filter((e) => plantedOrdinary.has(e.entry_ts));
  const o = bootstrapMean(ordinary.map((e) => e.did_snap), pc.bootstrap_resamples, pc.bootstrap_seed, pc.ci_level);
  t.true(o.lower <= DEFAULT_SYNTHETIC.snapProbOther && DEFAULT_SYNTHETIC.snapProbOther <= o.upper, `planted ${DEFAULT_SYNTHETIC.snapProbOther}, CI [${o.lower}, ${o.upper}]`);
});

test('the physics check passes on the planted diamonds (January in-sample, February holdout)', (t) => {
  const r = physicsCheck(events, cfg.shock_flip.physics_check, cfg.shock_flip.diamond_filter);
  t.deepEqual(r.inSample.months, ['2024-01']);
  t.deepEqual(r.holdout.months, ['2024-02']);
  t.is(r.verdict, 'pass', r.reasons.join('; '));
  // ordinary events (planted at 55 %) pull the baseline well below the diamonds
  t.true(r.full.baseline.mean < r.full.diamond.mean - 0.15);
});
