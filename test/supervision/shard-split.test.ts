// The order-book split: shard s → sortedIds[s mod n]. Properties over any membership (fast-check), and
// the worked examples an operator would check by hand.
import test from 'ava';
import fc from 'fast-check';
import { SHARD_COUNT, shardOf } from '../../store/names.ts';
import { normalizeIds, ownerOfShard, ownerOfSymbol, shardsOf, ShardSplitError, symbolsOf } from '../../supervision/shard-split.ts';

const nodeId = fc.string({ minLength: 1, maxLength: 6 });
const liveIds = fc.uniqueArray(nodeId, { minLength: 1, maxLength: 14 });
const symbols = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 0, maxLength: 40 });
const SHARDS = Array.from({ length: SHARD_COUNT }, (_, s) => s);

function owners(sym: string, ids: readonly string[], all: readonly string[]): string[] {
  return ids.filter((id) => symbolsOf(id, ids, all).includes(sym));
}

test('every symbol has exactly one owner among the live nodes, for any membership', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(liveIds, symbols, (ids, syms) => {
        for (const sym of syms) {
          const o = owners(sym, ids, syms);
          if (o.length !== 1 || o[0] !== ownerOfSymbol(sym, ids)) throw new Error(`${sym}: owners ${JSON.stringify(o)}`);
        }
      }),
    ),
  );
});

test('a node that is not live owns no shard and no symbol', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(liveIds, nodeId, symbols, (ids, other, syms) => {
        fc.pre(!ids.includes(other));
        if (shardsOf(other, ids).length !== 0 || symbolsOf(other, ids, syms).length !== 0) throw new Error(`${other} owns something`);
      }),
    ),
  );
});

test('the split does not depend on the order or repetition of the live ids', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(liveIds.chain((ids) => fc.tuple(fc.constant(ids), fc.shuffledSubarray([...ids, ...ids], { minLength: ids.length * 2 }))), ([ids, scrambled]) => {
        for (const s of SHARDS) if (ownerOfShard(s, ids) !== ownerOfShard(s, scrambled)) throw new Error(`shard ${s} differs`);
      }),
    ),
  );
});

test('node loads differ by at most one shard, and the ten shards are all owned', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(liveIds, (ids) => {
        const loads = ids.map((id) => shardsOf(id, ids).length);
        const total = loads.reduce((a, b) => a + b, 0);
        if (total !== SHARD_COUNT) throw new Error(`${total} shards owned`);
        if (Math.max(...loads) - Math.min(...loads) > 1) throw new Error(`loads ${loads.join(',')}`);
      }),
    ),
  );
});

test('symbols of one shard share one owner, so each shard map has one OB writer', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(liveIds, symbols, (ids, syms) => {
        const byShard = new Map<number, Set<string>>();
        for (const sym of syms) {
          const set = byShard.get(shardOf(sym)) ?? new Set<string>();
          set.add(ownerOfSymbol(sym, ids)!);
          byShard.set(shardOf(sym), set);
        }
        for (const [s, set] of byShard) if (set.size !== 1) throw new Error(`shard ${s} owned by ${[...set].join(',')}`);
      }),
    ),
  );
});

test('three nodes own the shards round-robin in id order: a 0,3,6,9; b 1,4,7; c 2,5,8', (t) => {
  const ids = ['c', 'a', 'b'];
  t.deepEqual(
    ['a', 'b', 'c'].map((id) => shardsOf(id, ids)),
    [
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ],
  );
});

test('the shipped OB symbols split over two nodes by their shard', (t) => {
  // BTCUSDT 7, ETHUSDT 5, SOLUSDT 8, BNBUSDT 0, XRPUSDT 0 (sum of char codes mod 10)
  const syms = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT'];
  t.deepEqual(symbolsOf('node-a', ['node-b', 'node-a'], syms), ['SOLUSDT', 'BNBUSDT', 'XRPUSDT']);
  t.deepEqual(symbolsOf('node-b', ['node-b', 'node-a'], syms), ['BTCUSDT', 'ETHUSDT']);
});

test('ids sort by code unit, not by locale', (t) => {
  t.deepEqual(normalizeIds(['b', 'B', 'a', 'a']), ['B', 'a', 'b']);
});

test('growing from two nodes to three (the new one last) keeps only 4 of 10 shards in place', (t) => {
  const kept = SHARDS.filter((s) => ownerOfShard(s, ['a', 'b']) === ownerOfShard(s, ['a', 'b', 'c']));
  t.deepEqual(kept, [0, 1, 6, 7]);
});

test('with no live node nothing has an owner', (t) => {
  t.is(ownerOfShard(3, []), null);
  t.is(ownerOfSymbol('BTCUSDT', []), null);
});

test('a shard outside 0–9 is refused', (t) => {
  t.throws(() => ownerOfShard(10, ['a']), { instanceOf: ShardSplitError });
  t.throws(() => ownerOfShard(1.5, ['a']), { instanceOf: ShardSplitError });
});
