import { readFileSync } from 'node:fs';
import test from 'ava';
import { ConfigError } from '../../../config/config-error.ts';
import { parseShockflipYaml } from '../../../config/shockflip-schema.ts';
import { configPath, shippedConfig } from './shockflip-test-helpers.ts';

const text = readFileSync(configPath, 'utf8');

test('the shipped config carries the blueprint\'s keys and values', (t) => {
  const c = shippedConfig();
  t.deepEqual(c.shock_flip.diamond_filter, { enabled: true, rel_vol_threshold: 7.7379, rel_vol_window: 60, min_events_per_bucket: 15, threshold_source: 'config' });
  t.deepEqual(c.risk, { atr_window: 60, cooldown_bars: 10, long: { tp_mult: 27.5, sl_mult: 9.0 }, short: { tp_mult: 15.0, sl_mult: 6.5 } });
  t.like(c.event_study, { did_snap_atr_mult: 0.5, snap_horizon_bars: 6 });
  t.like(c.shock_flip.detector, { z_window: 240, z_band: 1.8, jump_band: 2.2, persistence_bars: 3 });
  t.like(c.shock_flip.physics_check, { target_snap_rate: 0.85, bootstrap_resamples: 10_000, ci_level: 0.95, rel_vol_percentiles: [80, 90] });
  t.is(c.shock_flip.bars.bar_ms, 60_000);
});

test('an unknown key is an error naming the key and its line', (t) => {
  const bad = text.replace('    rel_vol_window: 60 ', '    rel_vol_windw: 60 ');
  const err = t.throws(() => parseShockflipYaml(bad, 'sf.yaml'), { instanceOf: ConfigError });
  const line = bad.split('\n').findIndex((l) => l.includes('rel_vol_windw')) + 1;
  t.regex(err!.message, new RegExp(`sf\\.yaml: unknown key shock_flip\\.diamond_filter\\.rel_vol_windw \\(line ${line}\\)`));
  t.regex(err!.message, /shock_flip\.diamond_filter\.rel_vol_window: missing/);
});

test('bad values name the key: wrong type, out of range, broken cross-field rules', (t) => {
  const cases: [string, string, RegExp][] = [
    ['z_window: 240', 'z_window: 24.5', /shock_flip\.detector\.z_window: must be an integer, got 24\.5/],
    ['jump_band: 2.2', 'jump_band: 1.5', /shock_flip\.detector\.jump_band: jump_band must be ≥ z_band/],
    ['target_snap_rate: 0.85', 'target_snap_rate: 85', /shock_flip\.physics_check\.target_snap_rate/],
    ['threshold_source: config', 'threshold_source: p90', /threshold_source: must be one of "config", "in_sample_p90", got "p90"/],
    ['intensity_labels: [low, mid, high, xhigh]', 'intensity_labels: [low, mid, high]', /intensity_labels: needs one label more than intensity_edges/],
    ['mfe_long_horizon_bars: 10', 'mfe_long_horizon_bars: 3', /event_study\.mfe_long_horizon_bars: must be ≥ event_study\.snap_horizon_bars/],
  ];
  for (const [from, to, re] of cases) {
    t.true(text.includes(from), from);
    const err = t.throws(() => parseShockflipYaml(text.replace(from, to), 'sf.yaml'), { instanceOf: ConfigError });
    t.regex(err!.message, re);
  }
});

test('every key is required: a missing section is named', (t) => {
  const err = t.throws(() => parseShockflipYaml(text.replace(/^event_study:[\s\S]*?(?=^\S)/m, ''), 'sf.yaml'), { instanceOf: ConfigError });
  t.regex(err!.message, /sf\.yaml: event_study: missing/);
});
