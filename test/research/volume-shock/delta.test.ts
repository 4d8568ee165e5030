// Sign conventions of the net delta (docs/volume-shock.md): deltas keep their own sign, the result is
// the customers' delta, and a positive result means market makers buy the underlying.
import test from 'ava';
import { netDeltaOfPrints, netDeltaOfVolumes, seedNetDelta, unitsPerDelta } from '../../../research/volume-shock/delta.ts';
import type { ContractQuote } from '../../../research/volume-shock/types.ts';
import { call, print, put } from './helpers.ts';

const quotes = new Map<string, ContractQuote>([call(2700, 0.5), put(2700, -0.4), { ...call(2800, 0.2), delta: null }].map((q) => [q.id, q]));
const SPX = { contractMultiplier: 100, price: 2700, referencePrice: 2700, assumeSide: 1 as const };

test('bought calls create positive customer delta: 10 × 0.5 × 100 = +500', (t) => {
  t.is(netDeltaOfPrints([print('C2700', 10, 0, 1)], quotes, SPX).netDelta, 500);
});

test('bought puts create negative customer delta: put deltas are already negative, not negated again', (t) => {
  t.is(netDeltaOfPrints([print('P2700', 10, 0, 1)], quotes, SPX).netDelta, -400);
});

test('sold puts create positive customer delta', (t) => {
  t.is(netDeltaOfPrints([print('P2700', 10, 0, -1)], quotes, SPX).netDelta, 400);
});

test('a print without a side takes the assumed customer side (a sale when configured so)', (t) => {
  t.is(netDeltaOfPrints([print('C2700', 10, 0, 0)], quotes, { ...SPX, assumeSide: -1 }).netDelta, -500);
});

test('the seed\'s put_delta × −100 books a put purchase as bullish; the corrected formula as bearish', (t) => {
  t.is(seedNetDelta(0, 0.5, 10, -0.4, 100), 400);
  t.is(netDeltaOfVolumes(0, 0.5, 10, -0.4, 100), -400);
});

test('exposure units are shares at the reference price: one BTC option at 67 500 is 25 units per delta', (t) => {
  t.is(unitsPerDelta({ contractMultiplier: 1, price: 67_500, referencePrice: 2700, assumeSide: 1 }), 25);
});

test('prints of a contract with no known delta are counted, not guessed', (t) => {
  const r = netDeltaOfPrints([print('C2800', 10, 0), print('C2700', 10, 0)], quotes, SPX);
  t.deepEqual(r, { netDelta: 500, missingDelta: 1 });
});
