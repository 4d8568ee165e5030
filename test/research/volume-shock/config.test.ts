// config/volume-shock.yaml: the shipped file is valid and has the shape research/ expects; a --config
// file merges over it key by key; mistakes are ConfigErrors naming the key and its line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { ConfigError } from '../../../config/config-error.ts';
import { loadVolumeShockConfig } from '../../../config/volume-shock-schema.ts';
import type { VolumeShockParams } from '../../../research/volume-shock/params.ts';

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vs-config-'));
  const file = join(dir, 'over.yaml');
  writeFileSync(file, text);
  return file;
}

test('the shipped config carries the seed\'s numbers and is the params type research/ reads', (t) => {
  // compile-time: the schema's output must be assignable to research's declared shape
  const p: VolumeShockParams = loadVolumeShockConfig();
  t.like(p.detector, { min_ratio: 4, min_contracts: 100, baseline_days: 10, window_minutes: 5 });
  t.like(p.response_time, { emergency_above: 5000, emergency_minutes: 2, urgent_above: 2000, urgent_minutes: 5, routine_minutes: 10 });
  t.like(p.sizing, { base_contracts: 2, delta_divisor: 2000, delta_multiplier_cap: 2 });
  t.deepEqual([p.flow_types.INSTITUTIONAL_SWEEP.size_multiplier, p.flow_types.GAMMA_EMERGENCY.size_multiplier, p.flow_types.AMBIGUOUS_SIGNAL.size_multiplier], [1.2, 2, 0.5]);
  t.like(p.risk, { max_risk_per_trade: 0.02, max_daily_risk: 0.05, max_concurrent: 3 });
  t.like(p.validation, { min_trades: 50, min_win_rate: 0.8, min_sharpe: 2.5, max_p_value: 0.01, min_r_squared: 0.7 });
});

test('a --config file changes only the keys it sets', (t) => {
  const p = loadVolumeShockConfig(yamlFile('detector:\n  min_ratio: 6\nsources:\n  sim:\n    latency_minutes: [0, 1]\n'));
  t.is(p.detector.min_ratio, 6);
  t.is(p.detector.min_contracts, 100, 'sibling key kept');
  t.deepEqual(p.sources.sim.latency_minutes, [0, 1]);
  t.is(p.sources.sim.window_minutes, 5);
});

test('an unknown key in a --config file is an error naming the key and its line', (t) => {
  const file = yamlFile('detector:\n  min_ratio: 6\n  min_ratoi: 5\n');
  const err = t.throws(() => loadVolumeShockConfig(file), { instanceOf: ConfigError });
  t.regex(err!.message, /over\.yaml: unknown key detector\.min_ratoi \(line 3\)/);
});

test('a range with its ends swapped is refused', (t) => {
  const err = t.throws(() => loadVolumeShockConfig(yamlFile('flow_types:\n  GAMMA_EMERGENCY:\n    magnitude_points: [30, 15]\n')), { instanceOf: ConfigError });
  t.regex(err!.message, /flow_types\.GAMMA_EMERGENCY\.magnitude_points: must be \[low, high\]/);
});
