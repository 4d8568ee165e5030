import test from 'ava';
import fc from 'fast-check';
import { StoreKeyError } from '../../store/errors.ts';
import {
  colorOfDirection,
  DOLPHIN_FEATURES,
  DOLPHIN_FEATURES_SHARD_00,
  DOLPHIN_FEATURES_SHARD_09,
  DOLPHIN_PNL_BLUE,
  DOLPHIN_PNL_GREEN,
  DOLPHIN_SAFETY,
  FEATURE_SHARD_MAPS,
  featureKey,
  nearCacheConfig,
  pnlMapName,
  SAFETY_LATEST_KEY,
  ACB_BOOST_KEY,
  SHARD_COUNT,
  shardMapName,
  shardOf,
} from '../../store/names.ts';

test('§2 map names are the bible\'s strings', (t) => {
  t.is(DOLPHIN_SAFETY, 'DOLPHIN_SAFETY');
  t.is(DOLPHIN_FEATURES, 'DOLPHIN_FEATURES');
  t.is(DOLPHIN_PNL_BLUE, 'DOLPHIN_PNL_BLUE');
  t.is(DOLPHIN_PNL_GREEN, 'DOLPHIN_PNL_GREEN');
  t.is(SAFETY_LATEST_KEY, 'latest');
  t.is(ACB_BOOST_KEY, 'acb_boost');
});

test('§15.1 ten shard maps DOLPHIN_FEATURES_SHARD_00 … _09', (t) => {
  t.is(SHARD_COUNT, 10);
  t.deepEqual(FEATURE_SHARD_MAPS, Array.from({ length: 10 }, (_, i) => `DOLPHIN_FEATURES_SHARD_0${i}`));
  t.is(DOLPHIN_FEATURES_SHARD_00, 'DOLPHIN_FEATURES_SHARD_00');
  t.is(DOLPHIN_FEATURES_SHARD_09, 'DOLPHIN_FEATURES_SHARD_09');
});

test('§15.1 shardOf worked examples: sum of char codes mod 10', (t) => {
  // BTCUSDT: B66 + T84 + C67 + U85 + S83 + D68 + T84 = 537 → 7
  t.is(shardOf('BTCUSDT'), 7);
  t.is(shardMapName('BTCUSDT'), 'DOLPHIN_FEATURES_SHARD_07');
  // ETHUSDT: E69 + T84 + H72 + U85 + S83 + D68 + T84 = 545 → 5
  t.is(shardOf('ETHUSDT'), 5);
  // SOLUSDT: S83 + O79 + L76 + (USDT = 85 + 83 + 68 + 84 = 320) = 558 → 8
  t.is(shardOf('SOLUSDT'), 8);
  t.is(shardMapName('SOLUSDT'), 'DOLPHIN_FEATURES_SHARD_08');
  // A = 65 → 5
  t.is(shardOf('A'), 5);
});

test('§15.1 shardOf sums code points as Python\'s ord does (not UTF-16 units)', (t) => {
  // é = 233 → 3; 😀 = 128512, x = 120 → 128632 → 2 (UTF-16 units would give 0xD83D 55357 + 0xDE00 56832 + 120 = 112309 → 9)
  t.is(shardOf('é'), 3);
  t.is(shardOf('😀x'), 2);
});

test('§15.1 shardOf is stable, in range, and spreads 400 symbols A0USDT … A399USDT 40 per shard', (t) => {
  fc.assert(fc.property(fc.string({ minLength: 1 }), (s) => shardOf(s) === shardOf(s) && shardOf(s) >= 0 && shardOf(s) < 10));
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 400; i++) counts[shardOf(`A${i}USDT`)]++;
  t.deepEqual(counts, new Array<number>(10).fill(40));
});

test('§15.2 feature key is "<feature>_<symbol>", symbol as given', (t) => {
  t.is(featureKey('vel_div', 'BTCUSDT'), 'vel_div_BTCUSDT');
  t.is(featureKey('imbalance_ma5', 'ethusdt'), 'imbalance_ma5_ethusdt');
});

test('empty symbols and features are StoreKeyErrors naming what was empty', (t) => {
  t.throws(() => shardOf(''), { instanceOf: StoreKeyError, message: /symbol/ });
  t.throws(() => featureKey('', 'BTCUSDT'), { instanceOf: StoreKeyError, message: /feature/ });
  t.throws(() => featureKey('vel_div', ''), { instanceOf: StoreKeyError, message: /symbol/ });
});

test('§2/§16.5 PnL map: BLUE (SHORT, default) and GREEN (LONG)', (t) => {
  t.is(pnlMapName(), 'DOLPHIN_PNL_BLUE');
  t.is(pnlMapName('BLUE'), 'DOLPHIN_PNL_BLUE');
  t.is(pnlMapName('GREEN'), 'DOLPHIN_PNL_GREEN');
  t.is(pnlMapName(colorOfDirection(-1)), 'DOLPHIN_PNL_BLUE');
  t.is(pnlMapName(colorOfDirection(1)), 'DOLPHIN_PNL_GREEN');
  t.throws(() => pnlMapName('RED' as 'BLUE'), { instanceOf: StoreKeyError });
  t.throws(() => colorOfDirection(0 as 1), { instanceOf: StoreKeyError });
});

test('§15.3 near cache for all ten shards: invalidate on change, TTL 300 s, max idle 60 s, LRU, 5000 entries', (t) => {
  const cfg = nearCacheConfig();
  t.deepEqual(Object.keys(cfg), [...FEATURE_SHARD_MAPS]);
  for (const name of FEATURE_SHARD_MAPS) {
    t.deepEqual(cfg[name], { invalidateOnChange: true, timeToLiveSeconds: 300, maxIdleSeconds: 60, evictionPolicy: 'LRU', evictionMaxSize: 5000 });
  }
});
