import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { FearGreedError, parseFearGreed } from '../../market/ccxt-fng.ts';
import { FIXTURES_DIR } from '../helpers/fake-exchange.ts';

test('the alternative.me fixture parses to its value and its time in ms', (t) => {
  const text = readFileSync(join(FIXTURES_DIR, 'alternative-me', 'fng.json'), 'utf8');
  t.deepEqual(parseFearGreed('fng.json', text), { value: 23, ts: 1772841600000 });
});

test('the newest entry wins whatever the order of the list', (t) => {
  const r = parseFearGreed('x', JSON.stringify({ data: [{ value: '10', timestamp: '100' }, { value: '70', timestamp: '300' }, { value: '40', timestamp: '200' }] }));
  t.deepEqual(r, { value: 70, ts: 300_000 });
});

test('a value outside 0…100 is refused, naming the source and the entry', (t) => {
  const e = t.throws(() => parseFearGreed('fng.json', JSON.stringify({ data: [{ value: '25', timestamp: '1' }, { value: '125', timestamp: '2' }] })), { instanceOf: FearGreedError });
  t.is(e!.message, 'fear & greed fng.json: data[1].value must be 0…100, got "125"');
});

test('an answer reporting metadata.error is refused with that error', (t) => {
  t.throws(() => parseFearGreed('u', JSON.stringify({ data: [], metadata: { error: 'limit too high' } })), { message: /metadata.error: limit too high/ });
});

test('an empty data list is refused', (t) => {
  t.throws(() => parseFearGreed('u', '{"data":[]}'), { message: /non-empty "data" array/ });
});

test('a timestamp that is not unix seconds is refused', (t) => {
  t.throws(() => parseFearGreed('u', JSON.stringify({ data: [{ value: '25', timestamp: 'yesterday' }] })), { message: /data\[0\].timestamp must be unix seconds, got "yesterday"/ });
});
