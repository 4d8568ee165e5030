import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { DataError } from '../../market/errors.ts';
import { listNg3Dates, readNg3Inputs } from '../../market/ng3-files.ts';
import { NpyError } from '../../market/npy.ts';
import { rawNpyBytes, npzBytes, writeNpz, type ArraySpec } from '../helpers/npy-writer.ts';
import { tempDir } from './helpers.ts';

const scalar = (x: number): ArraySpec => ({ descr: '<f8', shape: [], values: [x] });

/** An NG3 tree root (the bible's correlation_arb512) with an empty eigenvalues folder. */
function ng3Root(t: ExecutionContext): { root: string; eigen: string } {
  const root = tempDir(t);
  const eigen = join(root, 'eigenvalues');
  mkdirSync(eigen);
  return { root, eigen };
}

/** Writes eigenvalues/<date>/scan_<NNNNNN>__<kind>.npz; `width` 0 writes the number unpadded. */
async function scan(eigen: string, date: string, n: number, kind: 'Indicators' | 'scan_global', arrays: Record<string, ArraySpec>, width = 6): Promise<string> {
  const dir = join(eigen, date);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `scan_${String(n).padStart(width, '0')}__${kind}.npz`);
  await writeNpz(path, arrays);
  return path;
}

const factors = (funding: number, dvol: number, fng: number, taker: number): Record<string, ArraySpec> => ({
  funding_btc: scalar(funding),
  dvol_btc: scalar(dvol),
  fng: scalar(fng),
  taker: scalar(taker),
});

test('factors are the median of the first 10 scans; scans 11 and 12 do not count', async (t) => {
  const { root, eigen } = ng3Root(t);
  // fng 10..19 on scans 1..10 (median 14.5); scans 11-12 at 100 would make it 15.5
  for (let i = 1; i <= 12; i++) await scan(eigen, '2026-01-05', i, 'Indicators', factors(-0.0001 * i, 50 + i, i <= 10 ? 9 + i : 100, 0.9));
  const { factors: f } = await readNg3Inputs(root);
  const day = f.get('2026-01-05')!.factors;
  t.is(day.fng, 14.5);
  t.is(day.dvol_btc, 55.5);
  t.is(day.funding_btc, (-0.0001 * 5 + -0.0001 * 6) / 2);
  t.is(day.taker, 0.9);
});

test('the first 10 scans are chosen by scan number, not by file-name order', async (t) => {
  const { root, eigen } = ng3Root(t);
  // unpadded numbers 95..106: name order puts scan_100..scan_106 before scan_95
  // by number: fng 10..19 on 95..104 → median 14.5; by name: 100..106, 95..97 → 16.5
  for (let n = 95; n <= 106; n++) await scan(eigen, '2026-01-05', n, 'Indicators', { fng: scalar(n <= 104 ? n - 85 : 100) }, 0);
  const { factors: f } = await readNg3Inputs(root);
  t.is(f.get('2026-01-05')!.factors.fng, 14.5);
});

test('listNg3Dates sorts scans numerically', async (t) => {
  const { root, eigen } = ng3Root(t);
  for (const n of [100, 9, 10]) await scan(eigen, '2026-01-05', n, 'scan_global', { lambda_vel_w750: scalar(n) }, 0);
  const [day] = await listNg3Dates(root);
  t.deepEqual(day.scanGlobal.map((s) => s.scan), [9, 10, 100]);
});

test('a factor missing or non-finite in some scans is the median of the scans that have it', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'Indicators', { fng: scalar(20), taker: scalar(0.8) });
  await scan(eigen, '2026-01-05', 2, 'Indicators', { fng: scalar(NaN), taker: scalar(0.9) });
  await scan(eigen, '2026-01-05', 3, 'Indicators', { taker: scalar(Infinity) });
  const day = (await readNg3Inputs(root)).factors.get('2026-01-05')!.factors;
  t.is(day.fng, 20);
  t.is(day.taker, (0.8 + 0.9) / 2);
});

test('a factor absent from every scan is NaN, with one warning for all such dates', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'Indicators', { fng: scalar(20) });
  await scan(eigen, '2026-01-06', 1, 'Indicators', { fng: scalar(30) });
  const { factors: f, warnings } = await readNg3Inputs(root);
  t.true(Number.isNaN(f.get('2026-01-05')!.factors.dvol_btc));
  t.true(warnings.includes('no finite dvol_btc in the first 10 Indicators scans (names tried: dvol_btc): 2 date(s) (2026-01-05, 2026-01-06)'));
});

test('NG3 factors carry the APEX posture', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'Indicators', factors(0, 50, 50, 1));
  t.is((await readNg3Inputs(root)).factors.get('2026-01-05')!.posture, 'APEX');
});

test('a 1-element array reads like a 0-d scalar', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'Indicators', { fng: { descr: '<f4', shape: [1], values: [22] }, taker: { descr: '<i8', shape: [1, 1], values: [1n] } });
  const day = (await readNg3Inputs(root)).factors.get('2026-01-05')!.factors;
  t.is(day.fng, 22);
  t.is(day.taker, 1);
});

test('a factor with several values is an error naming the file and the array', async (t) => {
  const { root, eigen } = ng3Root(t);
  const path = await scan(eigen, '2026-01-05', 1, 'Indicators', { fng: { descr: '<f8', values: [20, 21] } });
  const err = await t.throwsAsync(readNg3Inputs(root), { instanceOf: NpyError });
  t.is(err.message, `${path}: array "fng": expected a scalar or a 1-element array, found shape (2,)`);
});

test('an indicator_names / indicator_values pair is read', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'Indicators', {
    indicator_names: { descr: '<U11', values: ['taker', 'fng', 'funding_btc', 'dvol_btc'] },
    indicator_values: { descr: '<f8', values: [0.95, 18, -0.0002, 85] },
  });
  t.deepEqual((await readNg3Inputs(root)).factors.get('2026-01-05')!.factors, { funding_btc: -0.0002, dvol_btc: 85, fng: 18, taker: 0.95 });
});

test('in an api_names / api_indicators pair an entry with api_success false counts as missing', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'Indicators', {
    api_names: { descr: '<U3', values: ['fng', 'x'] },
    api_indicators: { descr: '<f8', values: [18, 1] },
    api_success: { descr: '|b1', values: [false, true] },
  });
  await scan(eigen, '2026-01-05', 2, 'Indicators', {
    api_names: { descr: '<U3', values: ['fng'] },
    api_indicators: { descr: '<f8', values: [30] },
    api_success: { descr: '|b1', values: [true] },
  });
  t.is((await readNg3Inputs(root)).factors.get('2026-01-05')!.factors.fng, 30);
});

test('a names array with a different length from its values is an error naming the file', async (t) => {
  const { root, eigen } = ng3Root(t);
  const path = await scan(eigen, '2026-01-05', 1, 'Indicators', {
    indicator_names: { descr: '<U3', values: ['fng', 'x'] },
    indicator_values: { descr: '<f8', values: [18] },
  });
  const err = await t.throwsAsync(readNg3Inputs(root), { instanceOf: NpyError });
  t.true(err.message.startsWith(`${path}: array "indicator_values": 1 values for 2 names`));
});

test('an object (pickled) names array is refused, naming the file and the array', async (t) => {
  const { root, eigen } = ng3Root(t);
  const dir = join(eigen, '2026-01-05');
  mkdirSync(dir);
  const path = join(dir, 'scan_000001__Indicators.npz');
  writeFileSync(path, npzBytes({ api_names: rawNpyBytes('|O', [1], Uint8Array.from([0x80, 0x03, 0x4e, 0x2e])) }));
  const err = await t.throwsAsync(readNg3Inputs(root), { instanceOf: NpyError });
  t.is(err.file, path);
  t.is(err.array, 'api_names');
});

test('configured names replace the defaults', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'Indicators', { fear_greed: scalar(12), fng: scalar(99) });
  await scan(eigen, '2026-01-05', 1, 'scan_global', { w750_vel: scalar(0.3) });
  const r = await readNg3Inputs(root, { names: { factors: { fng: ['fear_greed'] }, w750: 'w750_vel' } });
  t.is(r.factors.get('2026-01-05')!.factors.fng, 12);
  t.is(r.w750.get('2026-01-05'), 0.3);
});

test('w750 is the median over all of the date\'s scan_global files, not only the first 10', async (t) => {
  const { root, eigen } = ng3Root(t);
  // 0.01..0.10 on scans 1..10 (median 0.055); 1.0 on scans 11-13 moves the median to 0.07
  for (let i = 1; i <= 13; i++) await scan(eigen, '2026-01-05', i, 'scan_global', { lambda_vel_w750: scalar(i <= 10 ? i / 100 : 1) });
  t.is((await readNg3Inputs(root)).w750.get('2026-01-05'), 0.07);
});

test('w750 is per date and skips non-finite scans', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'scan_global', { lambda_vel_w750: scalar(0.2) });
  await scan(eigen, '2026-01-05', 2, 'scan_global', { lambda_vel_w750: scalar(NaN) });
  await scan(eigen, '2026-01-06', 1, 'scan_global', { lambda_vel_w750: { descr: '<f8', shape: [1], values: [-0.4] } });
  const { w750 } = await readNg3Inputs(root);
  t.deepEqual([...w750], [['2026-01-05', 0.2], ['2026-01-06', -0.4]]);
});

test('from and to select dates inclusively', async (t) => {
  const { root, eigen } = ng3Root(t);
  for (const d of ['2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07']) {
    await scan(eigen, d, 1, 'Indicators', factors(0, 50, 50, 1));
    await scan(eigen, d, 1, 'scan_global', { lambda_vel_w750: scalar(0.1) });
  }
  const r = await readNg3Inputs(root, { from: '2026-01-05', to: '2026-01-06' });
  t.deepEqual([...r.factors.keys()], ['2026-01-05', '2026-01-06']);
  t.deepEqual([...r.w750.keys()], ['2026-01-05', '2026-01-06']);
});

test('a date folder without scan files is absent from both maps', async (t) => {
  const { root, eigen } = ng3Root(t);
  mkdirSync(join(eigen, '2026-01-04'));
  writeFileSync(join(eigen, '2026-01-04', 'notes.txt'), 'x');
  await scan(eigen, '2026-01-05', 1, 'Indicators', factors(0, 50, 50, 1));
  const r = await readNg3Inputs(root);
  t.false(r.factors.has('2026-01-04'));
  t.false(r.w750.has('2026-01-04'));
});

test('a date with Indicators but no scan_global has no w750 and a warning', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'Indicators', factors(0, 50, 50, 1));
  const r = await readNg3Inputs(root);
  t.true(r.factors.has('2026-01-05'));
  t.false(r.w750.has('2026-01-05'));
  t.deepEqual(r.warnings, ['no scan_global files (w750 unknown): 1 date(s) (2026-01-05)']);
});

test('a corrupt scan file is an error naming that file', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'Indicators', factors(0, 50, 50, 1));
  const dir = join(eigen, '2026-01-05');
  const bad = join(dir, 'scan_000002__Indicators.npz');
  writeFileSync(bad, 'PK\x03\x04 truncated');
  const err = await t.throwsAsync(readNg3Inputs(root), { instanceOf: DataError });
  t.is(err.file, bad);
});

test('the eigenvalues folder itself is accepted as the directory', async (t) => {
  const { eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'scan_global', { lambda_vel_w750: scalar(0.5) });
  t.is((await readNg3Inputs(eigen)).w750.get('2026-01-05'), 0.5);
});

test('other files in a date folder are ignored', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'scan_global', { lambda_vel_w750: scalar(0.5) });
  writeFileSync(join(eigen, '2026-01-05', 'scan_000002__scan_global.npz.tmp'), 'partial');
  writeFileSync(join(eigen, '2026-01-05', 'scan_000003__Other.npz'), 'x');
  t.is((await readNg3Inputs(root)).w750.get('2026-01-05'), 0.5);
});

test('no scan files in the range is an error', async (t) => {
  const { root, eigen } = ng3Root(t);
  await scan(eigen, '2026-01-05', 1, 'scan_global', { lambda_vel_w750: scalar(0.5) });
  const err = await t.throwsAsync(readNg3Inputs(root, { from: '2026-02-01' }), { instanceOf: DataError });
  t.regex(err.message, /no NG3 scan files .* between 2026-02-01 and the last date/);
});

test('a from date that is not YYYY-MM-DD is an error', async (t) => {
  const { root } = ng3Root(t);
  await t.throwsAsync(readNg3Inputs(root, { from: '2026-1-5' }), { instanceOf: DataError, message: /from date "2026-1-5" is not YYYY-MM-DD/ });
});

test('a missing directory is an error naming it', async (t) => {
  const dir = join(tempDir(t), 'nope');
  const err = await t.throwsAsync(readNg3Inputs(dir), { instanceOf: DataError });
  t.is(err.file, dir);
});
