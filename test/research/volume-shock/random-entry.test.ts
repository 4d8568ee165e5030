// The p-value against random entries: trades that know the future beat every random draw; trades
// that are themselves random entries do not; the same seed gives the same p.
import test from 'ava';
import { Prng } from '../../../market/prng.ts';
import { exitReason, legPoints } from '../../../research/volume-shock/exit-rule.ts';
import { randomEntryTest, type TradeShape } from '../../../research/volume-shock/random-entry.ts';
import type { UnderlyingTick } from '../../../research/volume-shock/types.ts';
import { MIN, tick } from './helpers.ts';

const rng = new Prng(5);
const path: UnderlyingTick[] = [];
for (let i = 0, p = 2700; i < 3000; i++, p += rng.normal()) path.push(tick(i * MIN, p));

const SHAPE = { stopDistance: 4, targetDistance: 6, maxHoldMinutes: 10 };
const OPTS = { permutations: 500, seed: 3, costPoints: 0, referencePrice: 2700, closeBufferMs: null, from: 0 };

function outcome(k: number, dir: 1 | -1): number {
  const leg = { direction: dir, entryTime: path[k].time, entryPrice: path[k].price, ...SHAPE };
  for (let m = k + 1; m < path.length; m++) if (exitReason(leg, path[m], null) !== null) return legPoints(dir, path[k].price, path[m].price, 0);
  return legPoints(dir, path[k].price, path[path.length - 1].price, 0);
}

function trades(pick: (k: number) => 1 | -1, n = 60, seed = 9): TradeShape[] {
  const r = new Prng(seed);
  return Array.from({ length: n }, () => {
    const k = r.int(path.length - 20);
    return { ...SHAPE, points: outcome(k, pick(k)) };
  });
}

test('trades that know the direction beat every random draw: p = 1 / (draws + 1)', (t) => {
  const oracle = trades((k) => (outcome(k, 1) > outcome(k, -1) ? 1 : -1));
  const r = randomEntryTest(oracle, path, OPTS);
  t.is(r.pValue, 1 / 501);
  t.true(r.effectSize > 0.6, `d = ${r.effectSize}`);
});

test('random trades are not significant against random entries', (t) => {
  const coin = new Prng(21);
  const r = randomEntryTest(trades(() => (coin.next() < 0.5 ? 1 : -1)), path, OPTS);
  t.true(r.pValue > 0.05, `p = ${r.pValue}`);
  t.true(Math.abs(r.effectSize) < 0.3, `d = ${r.effectSize}`);
});

test('the test is seeded: the same inputs give the same p-value', (t) => {
  const ts = trades(() => 1);
  t.deepEqual(randomEntryTest(ts, path, OPTS), randomEntryTest(ts, path, OPTS));
});

test('random entries are drawn only from the time the strategy could trade', (t) => {
  const r = randomEntryTest(trades(() => 1, 5), path, { ...OPTS, from: path[2990].time });
  t.is(r.eligibleEntries, 9);
});
