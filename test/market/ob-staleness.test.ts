import test from 'ava';
import { ObFeatureEngine } from '../../market/ob-features.ts';
import { ObSourceError } from '../../market/ob-source.ts';
import { OB_STALE_AFTER_MS, ObStaleness } from '../../market/ob-staleness.ts';
import type { ObSnapshot } from '../../market/ob-snapshot.ts';

const snap = (symbol: string, ts: number): ObSnapshot => ({ symbol, ts, bids: [[99, 1]], asks: [[101, 1]] });

test('nothing seen yet: every symbol stale, the OB stale, no age', (t) => {
  const q = new ObStaleness(['B', 'A']).quality(0);
  t.deepEqual(q, { ts: 0, staleSymbols: ['A', 'B'], freshFraction: 0, stale: true, ageMs: null });
});

test('a symbol is fresh up to stale_after_ms (5 s) after its snapshot, stale after', (t) => {
  t.is(OB_STALE_AFTER_MS, 5_000);
  const s = new ObStaleness(['A']);
  s.record([snap('A', 1_000)]);
  t.false(s.quality(1_000).stale);
  t.false(s.quality(6_000).stale, 'exactly 5 s old is still fresh');
  t.deepEqual(s.quality(6_001).staleSymbols, ['A']);
  t.true(s.quality(6_001).stale);
  t.is(s.quality(6_001).ageMs, 5_001);
  s.record([snap('A', 6_500)]);
  t.false(s.quality(7_000).stale, 'a new snapshot makes it fresh again');
});

test('the OB is stale when fewer than minFreshFraction of symbols are fresh', (t) => {
  const s = new ObStaleness(['A', 'B', 'C', 'D']);
  s.record([snap('A', 0), snap('B', 0)]);
  let q = s.quality(100);
  t.is(q.freshFraction, 0.5);
  t.false(q.stale, 'half fresh meets the default 0.5');
  s.record([snap('A', 8_000)]);
  q = s.quality(8_000);
  t.is(q.freshFraction, 0.25);
  t.true(q.stale);
  t.deepEqual(q.staleSymbols, ['B', 'C', 'D']);
  t.is(q.ageMs, 0);
  // the literal reading "stale only when nothing is fresh"
  const lenient = new ObStaleness(['A', 'B', 'C', 'D'], { minFreshFraction: 1e-9 });
  lenient.record([snap('A', 8_000)]);
  t.false(lenient.quality(8_000).stale);
});

test('a source error for one symbol marks it stale until a newer snapshot arrives', (t) => {
  const s = new ObStaleness(['A', 'B']);
  s.record([snap('A', 0), snap('B', 0)]);
  s.recordError(new ObSourceError('binance', 'A', true, 'timeout'));
  t.deepEqual(s.quality(100).staleSymbols, ['A']);
  t.regex(s.lastError('A')!, /binance A: timeout/);
  s.record([snap('A', 0)]);
  t.deepEqual(s.quality(100).staleSymbols, ['A'], 'the same old book does not clear the error');
  s.record([snap('A', 500)]);
  t.deepEqual(s.quality(600).staleSymbols, []);
  t.is(s.lastError('A'), null);
});

test('an error without a symbol marks the given symbols, or all of them', (t) => {
  const s = new ObStaleness(['A', 'B', 'C']);
  s.record([snap('A', 0), snap('B', 0), snap('C', 0)]);
  s.recordError(new Error('socket closed'), ['B']);
  t.deepEqual(s.quality(0).staleSymbols, ['B']);
  s.recordError(new ObSourceError('binance', null, true, '503'));
  t.deepEqual(s.quality(0).staleSymbols, ['A', 'B', 'C']);
  t.true(s.quality(0).stale);
});

test('recordError never throws, whatever it is given', (t) => {
  const s = new ObStaleness(['A']);
  const hostile = {
    get message(): string {
      throw new Error('boom');
    },
  };
  const weird: unknown[] = [undefined, null, 42, 'text', { symbol: 7 }, { symbol: 'UNKNOWN' }, Object.create(null), hostile];
  for (const e of weird) t.notThrows(() => s.recordError(e));
  t.notThrows(() => s.record([null as unknown as ObSnapshot, { symbol: 'A', ts: NaN } as unknown as ObSnapshot]));
  t.true(s.quality(0).stale);
});

test('recordCycle marks ingested symbols fresh and rejected ones stale', (t) => {
  const s = new ObStaleness(['A', 'B']);
  const e = new ObFeatureEngine();
  s.recordCycle(e.update([snap('A', 0), snap('B', 0)], 0));
  t.deepEqual(s.quality(0).staleSymbols, []);
  s.recordCycle(e.update([snap('A', 500), { symbol: 'B', ts: 500, bids: [[102, 1]], asks: [[101, 1]] }], 500));
  t.deepEqual(s.quality(500).staleSymbols, ['B']);
  t.regex(s.lastError('B')!, /crossed/);
});

test('setSymbols keeps the history of symbols it keeps; untracked symbols are ignored', (t) => {
  const s = new ObStaleness(['A', 'B']);
  s.record([snap('A', 0), snap('Z', 0)]);
  s.setSymbols(['A', 'C']);
  const q = s.quality(0);
  t.deepEqual(q.staleSymbols, ['C']);
  t.is(q.freshFraction, 0.5);
  t.is(s.ageOf('A', 250), 250);
  t.is(s.ageOf('Z', 250), null);
});

test('bad options are refused by name', (t) => {
  t.throws(() => new ObStaleness([], { staleAfterMs: 0 }), { message: /staleAfterMs/ });
  t.throws(() => new ObStaleness([], { minFreshFraction: 0 }), { message: /minFreshFraction/ });
});
