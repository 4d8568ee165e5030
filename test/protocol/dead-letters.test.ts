// The dead-letter log: each record kept with its reason, counted by kind, the recent list bounded.
import { Writable } from 'node:stream';
import test from 'ava';
import { pino } from 'pino';
import { DeadLetterLog } from '../../protocol/dead-letters.ts';
import { envelope } from '../../protocol/envelope.ts';

test('a record keeps recipient, reason, time and the message type and id', (t) => {
  const log = new DeadLetterLog();
  const env = envelope({ type: 'Status' });
  const before = Date.now();
  log.record('acb', 'refused: Status: nope', env);
  const [d] = log.recent();
  t.is(log.count, 1);
  t.like(d, { to: 'acb', reason: 'refused: Status: nope', type: 'Status', id: env.id });
  t.true(d!.at >= before && d!.at <= Date.now());
});

test('a record of something without type or id keeps just recipient and reason', (t) => {
  const log = new DeadLetterLog();
  log.record('ob', 'lost: 3 message(s)');
  log.record('ob', 'refused: junk', 42);
  log.record('ob', 'refused: junk', { type: 7, id: null });
  for (const d of log.recent()) {
    t.false('type' in d);
    t.false('id' in d);
  }
  t.is(log.count, 3);
});

test('counts are kept per reason kind (the text before the first colon)', (t) => {
  const log = new DeadLetterLog();
  log.record('a', 'refused: Tick: expected YYYY-MM-DD at date');
  log.record('b', 'refused: unknown message type "X"');
  log.record('a', 'undeliverable: a is restarting');
  log.record('a', 'rejected: no such date');
  log.record('c', 'undeliverable: c is stopped');
  log.record('c', 'no colon here');
  t.deepEqual(log.counts(), { refused: 2, undeliverable: 2, rejected: 1, 'no colon here': 1 });
  t.is(log.count, 6);
});

test('the recent list is bounded by the capacity and keeps the newest, oldest first', (t) => {
  const log = new DeadLetterLog(null, 3);
  for (let i = 0; i < 10; i += 1) log.record('a', `refused: #${i}`);
  t.deepEqual(
    log.recent(100).map((d) => d.reason),
    ['refused: #7', 'refused: #8', 'refused: #9'],
  );
  t.is(log.count, 10, 'the total still counts every record');
  t.deepEqual(log.counts(), { refused: 10 }, 'so do the per-kind counts');
});

test('recent(n) returns the last n records, and none for n ≤ 0', (t) => {
  const log = new DeadLetterLog();
  for (let i = 0; i < 30; i += 1) log.record('a', `refused: #${i}`);
  t.is(log.recent().length, 20, 'default 20');
  t.deepEqual(
    log.recent(2).map((d) => d.reason),
    ['refused: #28', 'refused: #29'],
  );
  t.deepEqual(log.recent(0), []);
  t.deepEqual(log.recent(-5), []);
});

test('recent() hands out a copy: changing it does not change the log', (t) => {
  const log = new DeadLetterLog();
  log.record('a', 'refused: x');
  log.recent().length = 0;
  t.is(log.recent().length, 1);
});

test('each record is logged as a pino warning', (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const log = new DeadLetterLog(pino({ level: 'warn' }, sink));
  log.record('acb', 'refused: bad', envelope({ type: 'Barrier' }));
  return new Promise<void>((resolve) =>
    setImmediate(() => {
      t.is(lines.length, 1);
      t.is(lines[0]!.level, 40);
      t.like(lines[0]!.deadLetter as object, { to: 'acb', reason: 'refused: bad', type: 'Barrier' });
      resolve();
    }),
  );
});
