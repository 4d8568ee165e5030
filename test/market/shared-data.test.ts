import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { listDays, readW750Median } from '../../market/dataset.ts';
import { readDayColumn, readDayFile } from '../../market/day-file.ts';
import { DataError } from '../../market/errors.ts';
import { readFactors } from '../../market/factors.ts';
import { SYNTHETIC_ASSETS } from '../../market/synthetic.ts';
import { goldenDays, goldenFactors, hasShared, sharedDir, sharedSkipReason, tempDir } from './helpers.ts';

// Without ../shared the golden tests show as skipped, each saying why.
const sharedTest = (title: string, fn: (t: ExecutionContext) => Promise<void> | void): void =>
  hasShared ? test(title, fn) : test.skip(`${title} [skipped: ${sharedSkipReason}]`, fn);

sharedTest('golden CSV day reads as 1440 rows, 48 assets, first bar 2026-01-01T00:00:00Z', async (t) => {
  const frame = await readDayFile(join(goldenDays, '2026-01-01.csv'));
  t.is(frame.date, '2026-01-01');
  t.is(frame.rows, 1440);
  t.is(frame.assets.length, 48);
  t.is(frame.assets[0], 'BTCUSDT');
  t.is(frame.assets[47], 'STXUSDT');
  t.is(new Date(frame.timestamps![0]).toISOString(), '2026-01-01T00:00:00.000Z');
  t.is(frame.prices[0][0], 60007.54243701235);
  // STXUSDT lists late on the first day: its first 200 cells are empty
  t.true(Number.isNaN(frame.prices[47][0]) && Number.isNaN(frame.prices[47][199]));
  t.true(frame.prices[47][200] > 0);
});

sharedTest('the synthetic universe is the golden files\' 48 assets in their column order', async (t) => {
  const frame = await readDayFile(join(goldenDays, '2026-01-02.csv'));
  t.deepEqual(SYNTHETIC_ASSETS.map(([name]) => name), frame.assets);
});

sharedTest('golden directory lists three dates with finite w750 medians', async (t) => {
  const refs = listDays(goldenDays);
  t.deepEqual(refs.map((r) => r.date), ['2026-01-01', '2026-01-02', '2026-01-03']);
  for (const ref of refs) t.true(Number.isFinite(await readW750Median(ref)));
});

sharedTest('golden factors.csv reads all three dates with APEX posture', async (t) => {
  const factors = await readFactors(goldenFactors);
  t.deepEqual([...factors.keys()], ['2026-01-01', '2026-01-02', '2026-01-03']);
  t.deepEqual(factors.get('2026-01-03'), { factors: { funding_btc: -5e-5, dvol_btc: 85, fng: 35, taker: 0.85 }, posture: 'APEX' });
});

sharedTest('a pyarrow-written parquet (snappy, optional columns, several pages) reads column for column', async (t) => {
  const source = join(sharedDir, 'data', 'trades-binance-xrpeth-2019', 'XRP_ETH-trades.parquet');
  const path = join(tempDir(t), '2019-10-11.parquet');
  copyFileSync(source, path);
  const expected = await parquetReadObjects({ file: await asyncBufferFromFile(source), columns: ['price', 'timestamp'] });
  const price = await readDayColumn(path, 'price');
  t.is(price.rows, 12_477);
  t.deepEqual(Array.from(price.values!), expected.map((r) => r.price as number));
  const ts = await readDayColumn(path, 'timestamp');
  t.deepEqual(Array.from(ts.values!), expected.map((r) => Number(r.timestamp as bigint)));
});

sharedTest('a BROTLI parquet is a DataError naming the file and saying what to do', async (t) => {
  const path = join(tempDir(t), '2022-01-01.parquet');
  copyFileSync(join(sharedDir, 'data', 'nautilus-fixtures', 'btcusdt-quotes.parquet'), path);
  const err = await t.throwsAsync(readDayColumn(path, 'bid'), { instanceOf: DataError });
  t.is(err.file, path);
  t.regex(err.message, /BROTLI.*snappy/);
});
