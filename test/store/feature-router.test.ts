import test from 'ava';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { PayloadError, StoreKeyError } from '../../store/errors.ts';
import {
  deleteFeature,
  getFeature,
  getFeatureJson,
  getNumericFeature,
  putFeature,
  putFeatures,
} from '../../store/feature-router.ts';
import { pyFloat } from '../../store/py-json.ts';

const store = () => new EmbeddedCluster().connect('features');

test('§15.2 put routes BTCUSDT (char sum 537) to shard 07 under key vel_div_BTCUSDT, as Python json', async (t) => {
  const s = store();
  await putFeature(s, 'vel_div', 'BTCUSDT', -0.03);
  t.is(await s.map('DOLPHIN_FEATURES_SHARD_07').get('vel_div_BTCUSDT'), '-0.03');
  t.is(await getFeatureJson(s, 'vel_div', 'BTCUSDT'), '-0.03');
  t.is(await getNumericFeature(s, 'vel_div', 'BTCUSDT'), -0.03);
  for (const other of ['00', '01', '02', '03', '04', '05', '06', '08', '09']) {
    t.deepEqual(await s.map(`DOLPHIN_FEATURES_SHARD_${other}`).keys(), [], `shard ${other} is untouched`);
  }
});

test('numbers are written as Python floats (1 → 1.0), other values as given', async (t) => {
  const s = store();
  await putFeature(s, 'depth_quality', 'ETHUSDT', 1);
  t.is(await s.map('DOLPHIN_FEATURES_SHARD_05').get('depth_quality_ETHUSDT'), '1.0');
  await putFeature(s, 'ob', 'ETHUSDT', { imbalance_ma5: pyFloat(0), cascade_count: 2 });
  t.is(await getFeatureJson(s, 'ob', 'ETHUSDT'), '{"imbalance_ma5": 0.0, "cascade_count": 2}');
  t.deepEqual(await getFeature(s, 'ob', 'ETHUSDT'), { imbalance_ma5: 0, cascade_count: 2 });
  await putFeature(s, 'x', 'ETHUSDT', NaN);
  t.true(Number.isNaN(await getNumericFeature(s, 'x', 'ETHUSDT')));
});

test('§15.2 get of an absent feature is null; delete removes it', async (t) => {
  const s = store();
  t.is(await getFeature(s, 'vel_div', 'SOLUSDT'), null);
  t.is(await getNumericFeature(s, 'vel_div', 'SOLUSDT'), null);
  await putFeature(s, 'vel_div', 'SOLUSDT', 0.5);
  await deleteFeature(s, 'vel_div', 'SOLUSDT');
  t.is(await getFeatureJson(s, 'vel_div', 'SOLUSDT'), null);
});

test('a stored value that is not JSON, or not a number, is a PayloadError naming shard map and key', async (t) => {
  const s = store();
  await s.map('DOLPHIN_FEATURES_SHARD_07').put('vel_div_BTCUSDT', 'garbage');
  t.like(await t.throwsAsync(getFeature(s, 'vel_div', 'BTCUSDT'), { instanceOf: PayloadError }), {
    map: 'DOLPHIN_FEATURES_SHARD_07',
    key: 'vel_div_BTCUSDT',
  });
  await s.map('DOLPHIN_FEATURES_SHARD_07').put('vel_div_BTCUSDT', '"high"');
  await t.throwsAsync(getNumericFeature(s, 'vel_div', 'BTCUSDT'), { instanceOf: PayloadError, message: /expected a number/ });
});

test('putFeatures groups a batch per shard, and a key written twice keeps its last value', async (t) => {
  const s = store();
  const counts = await putFeatures(s, [
    { feature: 'vel_div', symbol: 'BTCUSDT', value: -0.01 },
    { feature: 'vel_div', symbol: 'ETHUSDT', value: 0.02 },
    { feature: 'vel_div', symbol: 'BTCUSDT', value: -0.03 },
    { feature: 'vel_div', symbol: 'SOLUSDT', value: 1 },
  ]);
  t.deepEqual(Object.fromEntries(counts), {
    DOLPHIN_FEATURES_SHARD_07: 2,
    DOLPHIN_FEATURES_SHARD_05: 1,
    DOLPHIN_FEATURES_SHARD_08: 1,
  });
  t.is(await getFeatureJson(s, 'vel_div', 'BTCUSDT'), '-0.03');
  t.is(await getFeatureJson(s, 'vel_div', 'ETHUSDT'), '0.02');
  t.is(await getFeatureJson(s, 'vel_div', 'SOLUSDT'), '1.0');
});

test('putFeatures with a bad entry writes nothing', async (t) => {
  const s = store();
  await t.throwsAsync(
    putFeatures(s, [
      { feature: 'vel_div', symbol: 'BTCUSDT', value: 1 },
      { feature: 'vel_div', symbol: '', value: 2 },
    ]),
    { instanceOf: StoreKeyError },
  );
  t.is(await getFeatureJson(s, 'vel_div', 'BTCUSDT'), null);
});

test('§15.2 400 symbols round-trip through their shards and fill all ten', async (t) => {
  const s = store();
  const symbols = Array.from({ length: 400 }, (_, i) => `A${i}USDT`);
  await putFeatures(s, symbols.map((symbol, i) => ({ feature: 'vel_div', symbol, value: i / 8 })));
  for (const [i, symbol] of symbols.entries()) t.is(await getNumericFeature(s, 'vel_div', symbol), i / 8);
  for (let shard = 0; shard < 10; shard++) t.is((await s.map(`DOLPHIN_FEATURES_SHARD_0${shard}`).keys()).length, 40);
});
