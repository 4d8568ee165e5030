import test from 'ava';
import { ObDataError, validateSnapshot, type ObSnapshot } from '../../market/ob-snapshot.ts';

const good: ObSnapshot = {
  symbol: 'BTCUSDT',
  ts: 1_000,
  bids: [
    [100, 1],
    [99, 2],
  ],
  asks: [
    [101, 1],
    [102, 3],
  ],
};

function bad(t: import('ava').ExecutionContext, value: unknown, where?: { file?: string; line?: number }): ObDataError {
  const e = t.throws(() => validateSnapshot(value, where), { instanceOf: ObDataError });
  return e!;
}

test('a well-formed book is returned as is', (t) => {
  t.is(validateSnapshot(good), good);
});

test('empty sides are a valid (fully withdrawn) book', (t) => {
  t.notThrows(() => validateSnapshot({ ...good, bids: [] }));
  t.notThrows(() => validateSnapshot({ ...good, bids: [], asks: [] }));
});

test('a crossed book names the symbol and both best prices', (t) => {
  const e = bad(t, { ...good, bids: [[101.5, 1]] });
  t.is(e.symbol, 'BTCUSDT');
  t.is(e.side, 'bids');
  t.is(e.level, 0);
  t.regex(e.message, /^BTCUSDT bids\[0\]: crossed book: best bid 101.5 >= best ask 101/);
});

test('a locked book (bid = ask) counts as crossed', (t) => {
  t.regex(bad(t, { ...good, bids: [[101, 1]] }).detail, /crossed/);
});

test('a non-positive price names its side and level', (t) => {
  const e = bad(t, { ...good, asks: [[101, 1], [102, 1], [0, 1]] });
  t.is(e.side, 'asks');
  t.is(e.level, 2);
  t.regex(e.message, /BTCUSDT asks\[2\]: price must be a finite number > 0, got 0/);
});

test('a zero or negative size names its level', (t) => {
  t.regex(bad(t, { ...good, bids: [[100, 1], [99, 0]] }).message, /bids\[1\]: size must be .* got 0/);
  t.regex(bad(t, { ...good, asks: [[101, -2]] }).message, /asks\[0\]: size .* got -2/);
});

test('NaN and non-numbers are reported as such', (t) => {
  t.regex(bad(t, { ...good, bids: [[NaN, 1]] }).message, /bids\[0\]: price .* got NaN/);
  t.regex(bad(t, { ...good, asks: [['101', 1]] }).message, /asks\[0\]: price .* got "101"/);
  t.regex(bad(t, { ...good, asks: [[101]] }).message, /asks\[0\]: level must be \[price, size\]/);
});

test('unsorted levels name the level out of order and its neighbour', (t) => {
  const e = bad(t, { ...good, bids: [[100, 1], [99, 1], [99.5, 1]] });
  t.is(e.level, 2);
  t.regex(e.message, /bids\[2\]: unsorted: price 99.5 not strictly below bids\[1\] price 99/);
  t.regex(bad(t, { ...good, asks: [[101, 1], [101, 1]] }).message, /asks\[1\]: unsorted: price 101 not strictly above asks\[0\]/);
});

test('missing or malformed fields are named', (t) => {
  t.regex(bad(t, null).message, /snapshot must be an object, got null/);
  t.regex(bad(t, { ...good, symbol: '' }).message, /symbol must be a non-empty string/);
  t.regex(bad(t, { ...good, ts: -1 }).message, /^BTCUSDT: ts must be/);
  t.regex(bad(t, { ...good, asks: undefined }).message, /^BTCUSDT asks: must be an array/);
});

test('a recorded location prefixes file and line', (t) => {
  const e = bad(t, { ...good, bids: [[100, 0]] }, { file: 'ob.jsonl', line: 7 });
  t.is(e.file, 'ob.jsonl');
  t.is(e.line, 7);
  t.regex(e.message, /^ob.jsonl line 7 BTCUSDT bids\[0\]: size/);
});
