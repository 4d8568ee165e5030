// Map names, keys and near-cache settings of the cluster shared with the Python services (bible §2,
// §14.4–14.5, §15, §16). These strings are a wire contract: change none of them without the Python side.
import { StoreKeyError } from './errors.ts';

/** Posture JSON: CP AtomicReference (primary) and IMap of the same name (fallback, key `latest`). §14.4 */
export const DOLPHIN_SAFETY = 'DOLPHIN_SAFETY';
/** IMap key of the posture fallback copy. §14.4 */
export const SAFETY_LATEST_KEY = 'latest';

/** ACB boost and other cluster-wide features. §10.5, §16.1 */
export const DOLPHIN_FEATURES = 'DOLPHIN_FEATURES';
/** `{"boost": …, "beta": …}`. §16.1 */
export const ACB_BOOST_KEY = 'acb_boost';
/**
 * MC-Forewarner status. §16.4 only says "OK / ORANGE / RED status in HZ" without naming where; our choice,
 * next to acb_boost because both are day-level inputs of the engine.
 */
export const FOREWARNER_STATUS_KEY = 'mc_forewarner_status';

/** Per-date results (key `YYYY-MM-DD`). BLUE = SHORT (champion), GREEN = LONG. §2, §14.5, §16.5 */
export const DOLPHIN_PNL_BLUE = 'DOLPHIN_PNL_BLUE';
export const DOLPHIN_PNL_GREEN = 'DOLPHIN_PNL_GREEN';

/**
 * The FencedLock ACB writers take before writing acb_boost (§15.4, §16.1). The bible names no lock;
 * our choice — a Python writer must use the same name for the single-writer rule to hold across both.
 */
export const ACB_WRITER_LOCK = 'DOLPHIN_ACB_WRITER';

/** §15.1 */
export const SHARD_COUNT = 10;
const SHARD_PREFIX = 'DOLPHIN_FEATURES_SHARD_';

function shardName(shard: number): string {
  return SHARD_PREFIX + String(shard).padStart(2, '0');
}

/** DOLPHIN_FEATURES_SHARD_00 … _09, in shard order. */
export const FEATURE_SHARD_MAPS: readonly string[] = Object.freeze(
  Array.from({ length: SHARD_COUNT }, (_, i) => shardName(i)),
);

export const DOLPHIN_FEATURES_SHARD_00 = FEATURE_SHARD_MAPS[0];
export const DOLPHIN_FEATURES_SHARD_01 = FEATURE_SHARD_MAPS[1];
export const DOLPHIN_FEATURES_SHARD_02 = FEATURE_SHARD_MAPS[2];
export const DOLPHIN_FEATURES_SHARD_03 = FEATURE_SHARD_MAPS[3];
export const DOLPHIN_FEATURES_SHARD_04 = FEATURE_SHARD_MAPS[4];
export const DOLPHIN_FEATURES_SHARD_05 = FEATURE_SHARD_MAPS[5];
export const DOLPHIN_FEATURES_SHARD_06 = FEATURE_SHARD_MAPS[6];
export const DOLPHIN_FEATURES_SHARD_07 = FEATURE_SHARD_MAPS[7];
export const DOLPHIN_FEATURES_SHARD_08 = FEATURE_SHARD_MAPS[8];
export const DOLPHIN_FEATURES_SHARD_09 = FEATURE_SHARD_MAPS[9];

function requireName(what: 'symbol' | 'feature', s: string): void {
  if (typeof s !== 'string' || s.length === 0) throw new StoreKeyError(what, String(s), 'must be a non-empty string');
}

/**
 * `sum(ord(c) for c in symbol) % 10` (§15.1). Iterates code points, as Python's ord does, so a symbol
 * outside the BMP hashes as in Python (UTF-16 code units would not).
 */
export function shardOf(symbol: string): number {
  requireName('symbol', symbol);
  let sum = 0;
  for (const ch of symbol) sum += ch.codePointAt(0)!;
  return sum % SHARD_COUNT;
}

export function shardMapName(symbol: string): string {
  return shardName(shardOf(symbol));
}

/**
 * `"<feature>_<symbol>"`, e.g. `vel_div_BTCUSDT` (§15.2). The symbol is used exactly as given (no case
 * folding): the Python store keys and routes by the string it is handed, and so must we.
 */
export function featureKey(feature: string, symbol: string): string {
  requireName('feature', feature);
  requireName('symbol', symbol);
  return `${feature}_${symbol}`;
}

/** BLUE = SHORT posture (the champion), GREEN = LONG posture. §2, §16.5 */
export type StrategyColor = 'BLUE' | 'GREEN';

export function pnlMapName(color: StrategyColor = 'BLUE'): string {
  if (color === 'BLUE') return DOLPHIN_PNL_BLUE;
  if (color === 'GREEN') return DOLPHIN_PNL_GREEN;
  throw new StoreKeyError('strategy color', String(color), 'expected BLUE or GREEN');
}

/** -1 (SHORT) → BLUE, +1 (LONG) → GREEN. */
export function colorOfDirection(direction: -1 | 1): StrategyColor {
  if (direction === -1) return 'BLUE';
  if (direction === 1) return 'GREEN';
  throw new StoreKeyError('direction', String(direction), 'expected -1 (SHORT) or 1 (LONG)');
}

/**
 * §15.3's near cache for one shard map, in hazelcast-client 5.6 `NearCacheConfig` names:
 * invalidate_on_change → invalidateOnChange, time_to_live_seconds → timeToLiveSeconds,
 * max_idle_seconds → maxIdleSeconds, eviction_policy → evictionPolicy, max_size → evictionMaxSize.
 */
export const SHARD_NEAR_CACHE = Object.freeze({
  invalidateOnChange: true,
  timeToLiveSeconds: 300,
  maxIdleSeconds: 60,
  evictionPolicy: 'LRU',
  evictionMaxSize: 5000,
} as const);

export type ShardNearCache = typeof SHARD_NEAR_CACHE;

/** `ShardedFeatureStore.near_cache_config()` (§15.3): the same settings for all ten shard maps. */
export function nearCacheConfig(): Record<string, ShardNearCache> {
  const out: Record<string, ShardNearCache> = {};
  for (const name of FEATURE_SHARD_MAPS) out[name] = SHARD_NEAR_CACHE;
  return out;
}
