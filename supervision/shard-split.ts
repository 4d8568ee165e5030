// Which node streams which order-book symbols: shard s (0–9, the store's §15.1 routing) belongs to the
// live node at index s mod n of the sorted live ids. Pure: every node computes the same answer from the
// same live set, so agreement needs no coordination beyond the membership map.
//
// Properties (test/supervision/shard-split.test.ts): for any live set each symbol has exactly one owner
// among the live nodes; a node not in the set owns nothing; the answer does not depend on the order or
// repetition of the ids given; node loads differ by at most one shard; a shard's symbols share an owner,
// so each shard map has one OB writer. Not promised: minimal movement — mod n is no consistent hash, a
// change of n can move most shards (2 → 3 nodes, the new one sorting last, keeps 4 of 10 in place).
import { SHARD_COUNT, shardOf } from '../store/names.ts';

export class ShardSplitError extends Error {
  override readonly name = 'ShardSplitError';
}

/** Sorted by code unit (never by locale, which differs between machines), without duplicates. */
export function normalizeIds(ids: readonly string[]): string[] {
  const out = [...new Set(ids)];
  for (const id of out) if (typeof id !== 'string' || id === '') throw new ShardSplitError(`node id must be a non-empty string, got ${JSON.stringify(id)}`);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The node owning shard s; null when no node is live. */
export function ownerOfShard(shard: number, liveIds: readonly string[]): string | null {
  if (!Number.isInteger(shard) || shard < 0 || shard >= SHARD_COUNT) throw new ShardSplitError(`shard must be an integer 0–${SHARD_COUNT - 1}, got ${shard}`);
  const ids = normalizeIds(liveIds);
  return ids.length === 0 ? null : ids[shard % ids.length];
}

/** The shards (ascending) owned by nodeId; none when it is not live. */
export function shardsOf(nodeId: string, liveIds: readonly string[]): number[] {
  const ids = normalizeIds(liveIds);
  const i = ids.indexOf(nodeId);
  if (i < 0) return [];
  const out: number[] = [];
  for (let s = i; s < SHARD_COUNT; s += ids.length) out.push(s);
  return out;
}

/** The node owning a symbol's shard; null when no node is live. */
export function ownerOfSymbol(symbol: string, liveIds: readonly string[]): string | null {
  return ownerOfShard(shardOf(symbol), liveIds);
}

/** The symbols (in the given order) whose shard nodeId owns. */
export function symbolsOf(nodeId: string, liveIds: readonly string[], symbols: readonly string[]): string[] {
  const mine = new Set(shardsOf(nodeId, liveIds));
  return mine.size === 0 ? [] : symbols.filter((sym) => mine.has(shardOf(sym)));
}
