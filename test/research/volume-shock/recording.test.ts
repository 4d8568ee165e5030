// Deribit recordings (JSON lines): a poll written and read back is the same poll; a bad line is an
// error naming the file and the line.
import test from 'ava';
import { DataError } from '../../../market/errors.ts';
import { parseRecording, pollLine } from '../../../research/volume-shock/recording.ts';
import { call, print, tick, update } from './helpers.ts';

test('a poll survives the round trip, baseline hints included', (t) => {
  const poll = { update: { ...update(1000, '2026-03-07', [call(70_000, 0.4)], [print('C70000', 5, 900, -1)]), baselineHints: new Map([['2026-03-27|70000', 0.5]]) }, tick: tick(1000, 68_000, '2026-03-07', { flow: -3 }) };
  t.deepEqual(parseRecording(pollLine(poll) + pollLine({ ...poll, update: { ...poll.update, time: 2000 } }), 'rec.jsonl')[0], poll);
});

test('a line that is not JSON names its line number', (t) => {
  const good = pollLine({ update: update(1000, '2026-03-07', [], []), tick: tick(1000, 68_000) });
  t.throws(() => parseRecording(good + '{"update":\n', 'rec.jsonl'), { instanceOf: DataError, message: /^rec\.jsonl row 2: not JSON/ });
});

test('a poll without a price names the field', (t) => {
  t.throws(() => parseRecording('{"update":{"time":1,"day":"2026-03-07","contracts":[],"prints":[]},"tick":{"time":1,"day":"2026-03-07","price":5}}\n', 'rec.jsonl'), {
    instanceOf: DataError,
    message: 'rec.jsonl row 1 column update.price: not a number (undefined)',
  });
});

test('polls that go back in time are refused', (t) => {
  const at = (ms: number) => pollLine({ update: update(ms, '2026-03-07', [], []), tick: tick(ms, 68_000) });
  t.throws(() => parseRecording(at(2000) + at(1000), 'rec.jsonl'), { instanceOf: DataError, message: /row 2 column update\.time: goes back in time/ });
});
