import test from 'ava';
import { ParsedEntries } from '../../actors/entry-cache.ts';

test('each entry is parsed once until its text changes, and values come back in key order', (t) => {
  const calls: string[] = [];
  const cache = new ParsedEntries((key, text) => {
    calls.push(key);
    return Number(text);
  });
  t.deepEqual(cache.update([['b', '2'], ['a', '1']]), [['a', 1], ['b', 2]]);
  t.deepEqual(cache.update([['a', '1'], ['b', '2'], ['c', '3']]), [['a', 1], ['b', 2], ['c', 3]]);
  t.deepEqual(cache.update([['a', '1'], ['b', '20'], ['c', '3']]), [['a', 1], ['b', 20], ['c', 3]]);
  t.deepEqual(calls, ['b', 'a', 'c', 'b']);
});

test('an entry gone from the map is gone from the values', (t) => {
  const cache = new ParsedEntries((_k, text) => text);
  cache.update([['a', 'x'], ['b', 'y']]);
  t.deepEqual(cache.update([['b', 'y']]), [['b', 'y']]);
});
