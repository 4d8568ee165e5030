import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { checkPartialDays, finiteMedian, listDays, readDaySummary, readW750Median, type DayRowCount } from '../../market/dataset.ts';
import { writeDayFile } from '../../market/day-file.ts';
import { DataError } from '../../market/errors.ts';
import { tempDir, tinyFrame } from './helpers.ts';

function touch(dir: string, ...names: string[]): void {
  for (const name of names) writeFileSync(join(dir, name), 'vel_div\n0\n');
}

test('listDays returns day files sorted by date and ignores other files', (t) => {
  const dir = tempDir(t);
  touch(dir, '2026-01-03.csv', '2026-01-01.parquet', '2026-01-02.csv', 'factors.csv', '2026-02-25.parquet.STALE_20260307', 'notes.txt');
  mkdirSync(join(dir, '2026-01-04.csv'));
  const refs = listDays(dir);
  t.deepEqual(refs.map((r) => [r.date, r.format]), [['2026-01-01', 'parquet'], ['2026-01-02', 'csv'], ['2026-01-03', 'csv']]);
  t.is(refs[0].path, join(dir, '2026-01-01.parquet'));
});

test('listDays filters inclusively by from and to', (t) => {
  const dir = tempDir(t);
  touch(dir, '2026-01-01.csv', '2026-01-02.csv', '2026-01-03.csv', '2026-01-04.csv');
  t.deepEqual(listDays(dir, { from: '2026-01-02', to: '2026-01-03' }).map((r) => r.date), ['2026-01-02', '2026-01-03']);
  t.deepEqual(listDays(dir, { from: '2026-01-04' }).map((r) => r.date), ['2026-01-04']);
  t.deepEqual(listDays(dir, { to: '2026-01-01' }).map((r) => r.date), ['2026-01-01']);
});

test('listDays prefers parquet over CSV for the same date and records the CSV it passed over', (t) => {
  const dir = tempDir(t);
  touch(dir, '2026-01-01.csv', '2026-01-01.parquet');
  const [ref] = listDays(dir);
  t.is(ref.format, 'parquet');
  t.is(ref.shadowed, join(dir, '2026-01-01.csv'));
});

test('listDays on a missing directory is a DataError naming it', (t) => {
  const dir = join(tempDir(t), 'nope');
  const err = t.throws(() => listDays(dir), { instanceOf: DataError });
  t.is(err.file, dir);
  t.true(err.message.includes(dir));
});

test('listDays on a directory without day files is a DataError naming it', (t) => {
  const dir = tempDir(t);
  touch(dir, 'factors.csv');
  const err = t.throws(() => listDays(dir), { instanceOf: DataError });
  t.is(err.file, dir);
});

test('listDays with no day in range is a DataError; a malformed bound too', (t) => {
  const dir = tempDir(t);
  touch(dir, '2026-01-01.csv');
  t.throws(() => listDays(dir, { from: '2026-02-01' }), { instanceOf: DataError });
  t.throws(() => listDays(dir, { from: '2026-2-1' }), { instanceOf: DataError });
});

const week = (rows: number[]): DayRowCount[] => rows.map((r, i) => ({ date: `2026-02-${String(20 + i).padStart(2, '0')}`, rows: r }));

test('checkPartialDays flags a short day and none of the normal ones', (t) => {
  t.deepEqual(checkPartialDays(week([17280, 17279, 17280, 17280, 17281, 9000, 17280])), []);
  const flagged = checkPartialDays(week([17280, 17279, 17280, 17280, 17281, 6000, 17280]));
  t.deepEqual(flagged, [{ date: '2026-02-25', rows: 6000, typicalRows: 17280 }]);
});

test('checkPartialDays ratio is a parameter', (t) => {
  const days = week([1440, 1440, 1000, 1440, 1440]);
  t.deepEqual(checkPartialDays(days), []);
  t.deepEqual(checkPartialDays(days, { ratio: 0.8 }).map((w) => w.date), ['2026-02-22']);
});

test('checkPartialDays flags a short last day from the days before it, in any input order', (t) => {
  const days = week([1440, 1439, 1440, 1440, 300]).reverse();
  t.deepEqual(checkPartialDays(days).map((w) => [w.date, w.typicalRows]), [['2026-02-24', 1440]]);
});

test('checkPartialDays in strict mode throws a DataError naming the file', (t) => {
  const days = week([1440, 1440, 200, 1440]).map((d) => ({ ...d, path: `/data/${d.date}.parquet` }));
  const err = t.throws(() => checkPartialDays(days, { strict: true }), { instanceOf: DataError });
  t.is(err.file, '/data/2026-02-22.parquet');
  t.regex(err.message, /partial/);
});

test('checkPartialDays on a single day warns about nothing', (t) => {
  t.deepEqual(checkPartialDays(week([5])), []);
});

test('finiteMedian ignores NaN and Infinity and averages the middle pair', (t) => {
  t.is(finiteMedian([3, NaN, 1, Infinity, 2, 10]), 2.5);
  t.is(finiteMedian([5, -Infinity, 1, 3]), 3);
  t.true(Number.isNaN(finiteMedian([NaN, NaN])));
});

for (const format of ['csv', 'parquet'] as const) {
  test(`readW750Median of a ${format} day is the median of its finite v750 values, NaN when none`, async (t) => {
    const dir = tempDir(t);
    const frame = tinyFrame();
    frame.v750 = Float64Array.from([0.4, NaN, 0.1, 0.2]);
    const path = join(dir, `${frame.date}.${format}`);
    await writeDayFile(path, frame);
    const ref = { date: frame.date, path, format };
    t.is(await readW750Median(ref), 0.2);
    t.deepEqual(await readDaySummary(ref), { date: frame.date, rows: 4, w750Median: 0.2 });
    frame.v750.fill(NaN);
    await writeDayFile(path, frame);
    t.true(Number.isNaN(await readW750Median(ref)));
  });
}
