import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { DataError } from '../../market/errors.ts';
import { alignOhlcv, BAR_FILLED, BAR_NONE, BAR_TRADED, inferBarMs, MAX_BARS, nativeStep } from '../../market/ohlcv-align.ts';
import { daySpans } from '../../market/ohlcv-days.ts';
import { crossings, signalSummary, warmupRows } from '../../market/ohlcv-stats.ts';
import {
  formatTimeframe,
  listOhlcvFiles,
  parseOhlcvFileName,
  parseOhlcvJson,
  parseTimeframe,
  readOhlcvFile,
  type OhlcvSeries,
} from '../../market/ohlcv.ts';
import { tempDir } from './helpers.ts';

const MIN = 60_000;
const T0 = Date.UTC(2018, 0, 20, 23, 55); // five minutes before midnight

/** A series as readOhlcvFile returns it, from [minute offset from T0, close] pairs. */
function series(asset: string, rows: [number, number][], timeframeMs: number | null = MIN): OhlcvSeries {
  return {
    path: `${asset}.json`,
    asset,
    pair: asset,
    timeframeMs,
    rows: rows.length,
    ts: Float64Array.from(rows, ([m]) => T0 + m * MIN),
    close: Float64Array.from(rows, ([, c]) => c),
  };
}

const row = (ts: number, close = 1.5) => [ts, 1.4, 1.6, 1.3, close, 10];
const json = (rows: unknown[]) => JSON.stringify(rows);

test('file names give the asset (pair without separators) and the timeframe', (t) => {
  t.deepEqual(parseOhlcvFileName('/d/ADA_BTC-1m.json'), { path: '/d/ADA_BTC-1m.json', asset: 'ADABTC', pair: 'ADA_BTC', timeframeMs: MIN });
  t.like(parseOhlcvFileName('XRP_BTC-5m.json.gz'), { asset: 'XRPBTC', timeframeMs: 5 * MIN });
  t.like(parseOhlcvFileName('BTC-USDT.json'), { asset: 'BTCUSDT', pair: 'BTC-USDT', timeframeMs: null });
  t.is(parseOhlcvFileName('README.md'), null);
  const err = t.throws(() => parseOhlcvFileName('/d/A,B-1m.json'), { instanceOf: DataError });
  t.is(err!.file, '/d/A,B-1m.json');
});

test('timeframes: 1m, 5m, 15s, 1h, 1d; anything else is null', (t) => {
  t.deepEqual(['1m', '5m', '15s', '1h', '1d'].map(parseTimeframe), [MIN, 5 * MIN, 15_000, 60 * MIN, 1440 * MIN]);
  t.deepEqual(['0m', 'm', '5 min', '1M', ''].map(parseTimeframe), [null, null, null, null, null]);
  t.deepEqual([MIN, 5 * MIN, 15_000, 90 * MIN, 1440 * MIN].map(formatTimeframe), ['1m', '5m', '15s', '90m', '1d']);
});

test('rows parse to open times and closes', (t) => {
  const p = parseOhlcvJson('f.json', json([row(T0, 2), row(T0 + MIN, 3)]));
  t.is(p.rows, 2);
  t.deepEqual(Array.from(p.ts), [T0, T0 + MIN]);
  t.deepEqual(Array.from(p.close), [2, 3]);
});

// each bad input, and where the error must point
const BAD: [string, string, { row?: number; column?: string; message: RegExp }][] = [
  ['not JSON', '[[1,2', { message: /not JSON/ }],
  ['not an array', '{"a":1}', { message: /expected a JSON array/ }],
  ['no rows', '[]', { message: /no rows/ }],
  ['a row that is not an array', json([row(T0), { ts: T0 }]), { row: 2, message: /found an object/ }],
  ['five values', json([row(T0), [T0 + MIN, 1, 1, 1, 1]]), { row: 2, message: /expected 6 values/ }],
  ['a string close', json([row(T0), [T0 + MIN, 1, 1, 1, '1.5', 3]]), { row: 2, column: 'close', message: /not a finite number \("\\"1.5\\""\)/ }],
  ['a null volume', json([[T0, 1, 1, 1, 1, null]]), { row: 1, column: 'volume', message: /not a finite number/ }],
  ['a zero low', json([row(T0), row(T0 + MIN), [T0 + 2 * MIN, 1, 1, 0, 1, 1]]), { row: 3, column: 'low', message: /not a positive price/ }],
  ['a negative volume', json([[T0, 1, 1, 1, 1, -2]]), { row: 1, column: 'volume', message: /negative volume/ }],
  ['a fractional timestamp', json([[T0 + 0.5, 1, 1, 1, 1, 1]]), { row: 1, column: 'timestamp', message: /whole millisecond/ }],
  ['seconds instead of ms', json([[T0 / 1000, 1, 1, 1, 1, 1]]), { row: 1, column: 'timestamp', message: /looks like seconds/ }],
  ['a duplicate timestamp', json([row(T0), row(T0 + MIN), row(T0 + MIN)]), { row: 3, column: 'timestamp', message: /duplicate timestamp \(same as row 2\)/ }],
  ['an earlier timestamp', json([row(T0), row(T0 - MIN)]), { row: 2, column: 'timestamp', message: /out of order/ }],
];
for (const [what, text, where] of BAD) {
  test(`${what} is a DataError naming file${where.row ? ', row' : ''}${where.column ? ' and column' : ''}`, (t) => {
    const err = t.throws(() => parseOhlcvJson('/d/X_BTC-1m.json', text), { instanceOf: DataError });
    t.is(err!.file, '/d/X_BTC-1m.json');
    t.is(err!.row, where.row);
    t.is(err!.column, where.column);
    t.regex(err!.message, where.message);
  });
}

test('listOhlcvFiles: sorted, other files ignored, .json.gz read; a second file for an asset or none at all is an error', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'ETH_BTC-1m.json'), json([row(T0)]));
  writeFileSync(join(dir, 'ADA_BTC-1m.json.gz'), gzipSync(json([row(T0, 7)])));
  writeFileSync(join(dir, 'notes.txt'), 'x');
  const refs = listOhlcvFiles(dir);
  t.deepEqual(refs.map((r) => r.asset), ['ADABTC', 'ETHBTC']);
  t.deepEqual(Array.from(readOhlcvFile(refs[0]).close), [7]);

  writeFileSync(join(dir, 'ETH_BTC-5m.json'), json([row(T0)]));
  t.throws(() => listOhlcvFiles(dir), { instanceOf: DataError, message: /ETH_BTC-5m\.json: second file for asset ETHBTC/ });
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  t.throws(() => listOhlcvFiles(empty), { instanceOf: DataError, message: /no OHLCV files/ });
  t.throws(() => listOhlcvFiles(join(dir, 'missing')), { instanceOf: DataError, message: /not readable \(ENOENT\)/ });
});

test('alignment: one grid from the earliest to the latest bar; gaps forward-filled and marked; NaN before the first row', (t) => {
  const a = alignOhlcv([series('A', [[0, 10], [1, 11], [4, 14]]), series('B', [[2, 20], [3, 21], [6, 26]])]);
  t.is(a.barMs, MIN);
  t.is(a.start, T0);
  t.is(a.bars, 7);
  t.deepEqual(a.assets, ['A', 'B']);
  t.deepEqual(Array.from(a.closes[0]), [10, 11, 11, 11, 14, 14, 14]);
  t.deepEqual(Array.from(a.state[0]), [BAR_TRADED, BAR_TRADED, BAR_FILLED, BAR_FILLED, BAR_TRADED, BAR_FILLED, BAR_FILLED]);
  t.deepEqual(Array.from(a.closes[1]), [NaN, NaN, 20, 21, 21, 21, 26]);
  t.deepEqual(Array.from(a.state[1]), [BAR_NONE, BAR_NONE, BAR_TRADED, BAR_TRADED, BAR_FILLED, BAR_FILLED, BAR_TRADED]);
});

test('a coarser bar takes the close of the last row inside it (1m rows on a 5m grid)', (t) => {
  // T0 is 23:55, a 5-minute boundary: rows 0..4 are one bar, 5..9 the next (after midnight)
  const a = alignOhlcv([series('A', [[0, 1], [3, 4], [5, 6], [9, 10], [17, 18]]), series('B', [[1, 2], [12, 13]])], 5 * MIN);
  t.is(a.bars, 4);
  t.deepEqual(Array.from(a.closes[0]), [4, 10, 10, 18]);
  t.deepEqual(Array.from(a.state[0]), [BAR_TRADED, BAR_TRADED, BAR_FILLED, BAR_TRADED]);
  t.deepEqual(Array.from(a.closes[1]), [2, 2, 13, 13]);
});

test('the inferred bar is the coarsest file step; a file without a timeframe steps by the gcd of its gaps', (t) => {
  t.is(nativeStep(series('A', [[0, 1], [2, 1], [5, 1]], null)), MIN); // gaps of 2 and 3 minutes: 1-minute rows
  t.is(nativeStep(series('A', [[0, 1]], null)), null);
  t.is(inferBarMs([series('A', [[0, 1]]), series('B', [[5, 1]], 5 * MIN)]), 5 * MIN);
  t.throws(() => inferBarMs([series('A', [[0, 1]], null)]), { instanceOf: DataError, message: /give --bar/ });
});

test('a bar finer than a file, or a row off the file\'s grid, is a DataError', (t) => {
  const five = series('B', [[5, 1], [10, 2]], 5 * MIN);
  t.throws(() => alignOhlcv([series('A', [[0, 1]]), five], MIN), { instanceOf: DataError, message: /B\.json: bar 1m is finer than the file's 5m rows/ });
  t.throws(() => alignOhlcv([series('A', [[0, 1]]), five], 7 * MIN), { instanceOf: DataError, message: /does not divide a day/ });
  const off = series('C', [[0, 1], [6, 2]], 5 * MIN); // 23:55 is on the 5m grid, 00:01 is not
  const err = t.throws(() => alignOhlcv([off], 5 * MIN), { instanceOf: DataError });
  t.like(err, { file: 'C.json', row: 2, column: 'timestamp' });
  t.regex(err!.message, /not on the file's 5m grid/);
});

test('a grid of absurd length is refused before anything is allocated', (t) => {
  const early: OhlcvSeries = { ...series('A', [[0, 1]]), ts: Float64Array.of(1_666_667 * MIN) }; // 1973, on the minute grid
  t.true((T0 - early.ts[0]) / MIN > MAX_BARS);
  t.throws(() => alignOhlcv([early, series('B', [[0, 1]])]), { instanceOf: DataError, message: /more than 20000000; check the timestamps/ });
});

test('day spans: UTC dates of the bars\' open times, first and last day partial, optionally from a bar on', (t) => {
  const a = alignOhlcv([series('A', [[0, 1], [1440 + 9, 2]]), series('B', [[3, 1]])]);
  t.deepEqual(daySpans(a), [
    { date: '2018-01-20', from: 0, to: 5 },
    { date: '2018-01-21', from: 5, to: 1445 },
    { date: '2018-01-22', from: 1445, to: 1450 },
  ]);
  t.deepEqual(daySpans(a, 1446), [{ date: '2018-01-22', from: 1446, to: 1450 }]);
  t.deepEqual(daySpans(a, 1450), []);
});

test('signal figures: warm-up, crossings of −0.02 and −0.05 over the finite bars, NaN after the warm-up', (t) => {
  const vd = Float64Array.of(NaN, NaN, 0.001, -0.021, -0.06, NaN, 0.02, -0.02);
  t.is(warmupRows(vd), 2);
  t.deepEqual(crossings(vd), { finite: 5, below002: 2, below005: 1 });
  const s = signalSummary(vd);
  t.like(s, { bars: 8, warmupRows: 2, nanAfterWarmup: 1, finite: 5, fractionBelow002: 0.4, fractionBelow005: 0.2, above001: 1 });
  t.is(s.quantiles.p50, -0.02); // sorted finite values: −0.06, −0.021, −0.02, 0.001, 0.02
});
