// ShardedFeatureStore (bible §15): per-symbol features live in DOLPHIN_FEATURES_SHARD_<sum(ord) % 10>
// under the key "<feature>_<symbol>". Values are JSON as Python's json.dumps writes them; a number is
// written as a float (`1.0`, not `1`) because every per-asset feature of §9 is a float in Python.
import { PayloadError } from './errors.ts';
import { featureKey, shardMapName } from './names.ts';
import type { FeatureStore } from './port.ts';
import { pyFloat, pyJsonDumps, pyJsonParse, type PyJsonValue } from './py-json.ts';

export interface FeatureWrite {
  feature: string;
  symbol: string;
  value: PyJsonValue;
}

/** The JSON a feature value is stored as: numbers as Python floats, anything else as given. */
export function featureJson(value: PyJsonValue): string {
  return pyJsonDumps(typeof value === 'number' ? pyFloat(value) : value);
}

export async function putFeature(store: FeatureStore, feature: string, symbol: string, value: PyJsonValue): Promise<void> {
  await store.map(shardMapName(symbol)).put(featureKey(feature, symbol), featureJson(value));
}

/** The stored JSON string, null when absent. */
export async function getFeatureJson(store: FeatureStore, feature: string, symbol: string): Promise<string | null> {
  return store.map(shardMapName(symbol)).get(featureKey(feature, symbol));
}

/** The parsed value, null when absent; PayloadError (naming shard map and key) when not JSON. */
export async function getFeature(store: FeatureStore, feature: string, symbol: string): Promise<unknown> {
  const map = shardMapName(symbol);
  const key = featureKey(feature, symbol);
  const json = await store.map(map).get(key);
  if (json === null) return null;
  try {
    return pyJsonParse(json);
  } catch (e) {
    throw new PayloadError({ map, key }, '', `not JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** A numeric feature (NaN and ±Infinity allowed, as Python writes them); null when absent. */
export async function getNumericFeature(store: FeatureStore, feature: string, symbol: string): Promise<number | null> {
  const v = await getFeature(store, feature, symbol);
  if (v === null || typeof v === 'number') return v;
  throw new PayloadError({ map: shardMapName(symbol), key: featureKey(feature, symbol) }, '', `expected a number, got ${JSON.stringify(v)}`);
}

export async function deleteFeature(store: FeatureStore, feature: string, symbol: string): Promise<void> {
  await store.map(shardMapName(symbol)).delete(featureKey(feature, symbol));
}

/**
 * Writes a batch grouped per shard: shards in parallel, each shard's writes in batch order so a key
 * written twice ends with its last value. Keys and JSON are all built before the first write, so a bad
 * entry writes nothing. Returns the number of writes per shard map.
 */
export async function putFeatures(store: FeatureStore, batch: readonly FeatureWrite[]): Promise<Map<string, number>> {
  const groups = new Map<string, Array<[string, string]>>();
  for (const w of batch) {
    const map = shardMapName(w.symbol);
    const entry: [string, string] = [featureKey(w.feature, w.symbol), featureJson(w.value)];
    const g = groups.get(map);
    if (g) g.push(entry);
    else groups.set(map, [entry]);
  }
  await Promise.all(
    [...groups].map(async ([name, entries]) => {
      const m = store.map(name);
      for (const [key, json] of entries) await m.put(key, json);
    }),
  );
  return new Map([...groups].map(([name, entries]) => [name, entries.length]));
}
