import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { DataError } from '../../market/errors.ts';
import { readFactors, writeFactorsCsv } from '../../market/factors.ts';
import { tempDir } from './helpers.ts';

function file(t: ExecutionContext, name: string, text: string): string {
  const path = join(tempDir(t), name);
  writeFileSync(path, text);
  return path;
}

async function expectError(t: ExecutionContext, path: string, row: number | undefined, column: string): Promise<void> {
  const err = await t.throwsAsync(readFactors(path), { instanceOf: DataError });
  t.is(err.file, path);
  t.is(err.row, row);
  t.is(err.column, column);
  t.true(err.message.includes(path) && err.message.includes(`column ${column}`));
  if (row !== undefined) t.true(err.message.includes(`row ${row}`));
}

test('factors CSV reads factors per date with APEX as the default posture', async (t) => {
  const path = file(t, 'f.csv', 'date,funding_btc,dvol_btc,fng,taker\n2026-01-01,-0.0002,60.0,20.0,0.95\n2026-01-02,0.0001,45,55,1.02\n');
  const m = await readFactors(path);
  t.deepEqual(m.get('2026-01-01'), { factors: { funding_btc: -0.0002, dvol_btc: 60, fng: 20, taker: 0.95 }, posture: 'APEX' });
  t.is(m.get('2026-01-02')!.posture, 'APEX');
});

test('factors CSV reads a posture column; an empty posture is APEX and case does not matter', async (t) => {
  const path = file(t, 'f.csv', 'date,funding_btc,dvol_btc,fng,taker,posture\n2026-01-01,0,50,50,1,TURTLE\n2026-01-02,0,50,50,1,\n2026-01-03,0,50,50,1,stalker\n');
  const m = await readFactors(path);
  t.deepEqual([...m.values()].map((d) => d.posture), ['TURTLE', 'APEX', 'STALKER']);
});

test('a missing factor reads as NaN, whether the cell is blank or the column absent', async (t) => {
  const m = await readFactors(file(t, 'f.csv', 'date,fng,taker\n2026-01-01,,0.9\n'));
  const f = m.get('2026-01-01')!.factors;
  t.true(Number.isNaN(f.funding_btc) && Number.isNaN(f.dvol_btc) && Number.isNaN(f.fng));
  t.is(f.taker, 0.9);
});

test('factors JSON as an array of objects reads like the CSV', async (t) => {
  const path = file(t, 'f.json', JSON.stringify([{ date: '2026-01-01', funding_btc: 0.0001, dvol_btc: 45, fng: 55, taker: 1.02, posture: 'HIBERNATE' }, { date: '2026-01-02', fng: null }]));
  const m = await readFactors(path);
  t.deepEqual(m.get('2026-01-01'), { factors: { funding_btc: 0.0001, dvol_btc: 45, fng: 55, taker: 1.02 }, posture: 'HIBERNATE' });
  t.true(Number.isNaN(m.get('2026-01-02')!.factors.fng));
  t.is(m.get('2026-01-02')!.posture, 'APEX');
});

test('factors JSON as an object keyed by date reads like the CSV', async (t) => {
  const path = file(t, 'f.json', JSON.stringify({ '2026-01-02': { funding_btc: -5e-5, dvol_btc: 85, fng: 35, taker: 0.85 }, '2026-01-01': { fng: 20 } }));
  const m = await readFactors(path);
  t.deepEqual(m.get('2026-01-02'), { factors: { funding_btc: -5e-5, dvol_btc: 85, fng: 35, taker: 0.85 }, posture: 'APEX' });
  t.is(m.get('2026-01-01')!.factors.fng, 20);
});

test('an invalid posture is a DataError naming file, row and column', async (t) => {
  await expectError(t, file(t, 'f.csv', 'date,fng,posture\n2026-01-01,20,APEX\n2026-01-02,20,YOLO\n'), 2, 'posture');
  await expectError(t, file(t, 'f.json', JSON.stringify([{ date: '2026-01-01', posture: 3 }])), 1, 'posture');
});

test('a bad date is a DataError naming file, row and column', async (t) => {
  await expectError(t, file(t, 'f.csv', 'date,fng\n2026-01-01,20\n2026-02-30,20\n'), 2, 'date');
  await expectError(t, file(t, 'f.json', JSON.stringify({ yesterday: { fng: 1 } })), 1, 'date');
});

test('a duplicate date is a DataError naming file, row and column', async (t) => {
  await expectError(t, file(t, 'f.csv', 'date,fng\n2026-01-01,20\n2026-01-02,20\n2026-01-01,30\n'), 3, 'date');
});

test('a non-numeric factor is a DataError naming file, row and column', async (t) => {
  await expectError(t, file(t, 'f.csv', 'date,funding_btc,dvol_btc\n2026-01-01,0.1,high\n'), 1, 'dvol_btc');
  await expectError(t, file(t, 'f.json', JSON.stringify([{ date: '2026-01-01', taker: true }])), 1, 'taker');
});

test('an unknown column is a DataError naming it (a misspelt factor must not read as missing)', async (t) => {
  await expectError(t, file(t, 'f.csv', 'date,fundng_btc\n2026-01-01,0.1\n'), undefined, 'fundng_btc');
});

test('factors written by writeFactorsCsv read back equal', async (t) => {
  const path = join(tempDir(t), 'factors.csv');
  const days = new Map([
    ['2026-01-02', { factors: { funding_btc: -1.5e-5, dvol_btc: NaN, fng: 12, taker: 0.913 }, posture: 'STALKER' as const }],
    ['2026-01-01', { factors: { funding_btc: 0.0001, dvol_btc: 61.2, fng: 50, taker: 1 }, posture: 'APEX' as const }],
  ]);
  await writeFactorsCsv(path, days);
  const back = await readFactors(path);
  t.deepEqual([...back.keys()], ['2026-01-01', '2026-01-02']);
  t.deepEqual(back.get('2026-01-02'), days.get('2026-01-02'));
});
