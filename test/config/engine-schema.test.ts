import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../config/config-error.ts';
import {
  CHAMPION_YAML_PATH,
  championConfig,
  type EngineConfigValues,
  loadEngineConfig,
  parseEngineConfig,
} from '../../config/engine-schema.ts';
import { CHAMPION, type EngineConfig } from '../../engine/config.ts';

// Type-level: the schema's output and the engine's EngineConfig are the same type, both ways.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameType: Equal<EngineConfigValues, EngineConfig> = true;
const asEngine: EngineConfig = championConfig();

const dir = mkdtempSync(join(tmpdir(), 'dolphin-config-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));
function yamlFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function configError(t: import('ava').ExecutionContext, fn: () => unknown): ConfigError {
  const err = t.throws(fn, { instanceOf: ConfigError });
  if (!(err instanceof ConfigError)) throw new Error('expected a ConfigError');
  return err;
}

test('champion.yaml parses to exactly CHAMPION', (t) => {
  t.true(sameType);
  t.deepEqual(asEngine, CHAMPION);
  t.deepEqual(loadEngineConfig(CHAMPION_YAML_PATH), CHAMPION);
});

test('every key of champion.yaml carries a comment citing a bible section', (t) => {
  const keyLines = readFileSync(CHAMPION_YAML_PATH, 'utf8')
    .split('\n')
    .filter((line) => /^\s*[a-z_0-9]+:/.test(line));
  t.is(keyLines.length, 2 + 9 + 4 + 5 + 8 + 8 + 7 + 8 + 13 + 5 + 5);
  for (const line of keyLines) t.regex(line, / # .*§\d+/, line);
});

test('championConfig returns a fresh copy each time', (t) => {
  const a = championConfig();
  a.sizing.max_leverage = 1;
  t.is(championConfig().sizing.max_leverage, CHAMPION.sizing.max_leverage);
});

test('an unknown key is refused, naming its path and line', (t) => {
  const path = yamlFile('typo.yaml', 'sizing:\n  max_levrage: 4\n');
  const err = configError(t, () => loadEngineConfig(path));
  t.is(err.message, `${path}: unknown key sizing.max_levrage (line 2)`);
  t.deepEqual(
    err.issues.map((i) => [i.path, i.unknownKey]),
    [['sizing.max_levrage', true]],
  );
  t.is(configError(t, () => parseEngineConfig({ colour: 'blue' }, 'x.yaml')).message, 'x.yaml: unknown key colour');
});

test('an out-of-range value is refused, naming the key', (t) => {
  const path = yamlFile('range.yaml', 'sizing:\n  max_leverage: 7\n');
  t.is(
    configError(t, () => loadEngineConfig(path)).message,
    `${path}: sizing.max_leverage: must be <= abs_max_leverage (6), got 7 (line 2)`,
  );
  const cases: [unknown, string][] = [
    [{ sizing: { max_leverage: 7 } }, 'my.yaml: sizing.max_leverage: must be <= abs_max_leverage (6), got 7'],
    [{ sizing: { min_leverage: 0 } }, 'my.yaml: sizing.min_leverage: must be > 0, got 0'],
    [{ sizing: { fraction: 1.5 } }, 'my.yaml: sizing.fraction: must be in (0, 1], got 1.5'],
    [{ fees: { maker_fee: -0.1 } }, 'my.yaml: fees.maker_fee: must be in [0, 1], got -0.1'],
    [{ signal: { vel_div_threshold: 0.02 } }, 'my.yaml: signal.vel_div_threshold: must be < 0, got 0.02'],
    [
      { signal: { vel_div_extreme: -0.01 } },
      'my.yaml: signal.vel_div_extreme: must be < vel_div_threshold (-0.02), got -0.01',
    ],
    [{ signal: { long_extreme: 0.01 } }, 'my.yaml: signal.long_extreme: must be > long_threshold (0.01), got 0.01'],
    [{ exits: { max_hold_bars: 12.5 } }, 'my.yaml: exits.max_hold_bars: must be an integer, got 12.5'],
    [{ exits: { max_hold_bars: '120' } }, 'my.yaml: exits.max_hold_bars: expected number, got "120"'],
    [{ direction: 0 }, 'my.yaml: direction: must be one of -1, 1, got 0'],
    [{ seed: 2 ** 32 }, 'my.yaml: seed: must be in [0, 2^32), got 4294967296'],
    [{ acb: { use_acb: 'yes' } }, 'my.yaml: acb.use_acb: expected boolean, got "yes"'],
    [{ irp: { irp_window: 300 } }, 'my.yaml: bar_loop.price_history_keep: must be >= irp.irp_window (300), got 200'],
    [{ fees: 5 }, 'my.yaml: fees: expected object, got 5'],
    [[1, 2], 'my.yaml: the top level must be a mapping of keys'],
  ];
  for (const [input, message] of cases) {
    t.is(configError(t, () => parseEngineConfig(input, 'my.yaml')).message, message);
  }
});

test('several problems are all reported, one per line', (t) => {
  const err = configError(t, () => parseEngineConfig({ seed: -1, sizing: { fraction: 0, extra: 1 } }, 'my.yaml'));
  t.deepEqual(err.message.split('\n'), [
    'my.yaml: seed: must be in [0, 2^32), got -1',
    'my.yaml: sizing.fraction: must be in (0, 1], got 0',
    'my.yaml: unknown key sizing.extra',
    'my.yaml: sizing.min_fraction: must be <= fraction (0), got 0.02',
  ]);
});

test('a partial override merges over the champion values', (t) => {
  const path = yamlFile('partial.yaml', '# greener\ndirection: 1\nsizing:\n  max_leverage: 3\nexits: {max_hold_bars: 60}\n');
  const cfg = loadEngineConfig(path);
  t.deepEqual(cfg, {
    ...CHAMPION,
    direction: 1,
    sizing: { ...CHAMPION.sizing, max_leverage: 3 },
    exits: { ...CHAMPION.exits, max_hold_bars: 60 },
  });
  t.deepEqual(parseEngineConfig({}, 'empty'), CHAMPION);
  t.deepEqual(loadEngineConfig(yamlFile('empty.yaml', '# nothing\n')), CHAMPION);
});

test('bad YAML syntax names the file and line', (t) => {
  const path = yamlFile('broken.yaml', 'seed: 42\nsizing:\n  max_leverage: [4\n  fraction: 0.1\n');
  const err = configError(t, () => loadEngineConfig(path));
  t.true(err.message.startsWith(`${path}: invalid YAML: `), err.message);
  t.regex(err.message, /\(line \d+\)$/);
  t.is(err.issues[0].line !== undefined && err.issues[0].line >= 3, true);

  const dup = yamlFile('dup.yaml', 'seed: 1\nseed: 2\n');
  t.regex(configError(t, () => loadEngineConfig(dup)).message, /^.*dup\.yaml: invalid YAML: Map keys must be unique \(line 2\)$/);
});

test('a missing file is a ConfigError naming it', (t) => {
  const path = join(dir, 'nope.yaml');
  t.true(configError(t, () => loadEngineConfig(path)).message.startsWith(`${path}: cannot read: `));
});
