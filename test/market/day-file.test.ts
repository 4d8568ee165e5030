import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readDayColumn, readDayFile, readDayRowCount, writeDayFile } from '../../market/day-file.ts';
import { DataError } from '../../market/errors.ts';
import { generateDays } from '../../market/synthetic.ts';
import { assertSameFrame, tempDir, tinyFrame } from './helpers.ts';

const HEADER = 'timestamp,vel_div,v50_lambda_max_velocity,v750_lambda_max_velocity,BTCUSDT,ETHUSDT';
const GOOD_ROWS = [
  '2026-01-01T00:00:00Z,0.001,0.002,0.001,60000,3000',
  '2026-01-01T00:01:00Z,-0.03,-0.031,-0.001,60010,3001',
  '2026-01-01T00:02:00Z,-0.06,-0.061,-0.001,59990,2999',
];

function writeCsv(t: ExecutionContext, lines: string[], name = '2026-01-01.csv'): string {
  const path = join(tempDir(t), name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function expectDataError(t: ExecutionContext, path: string, where: { row?: number; column: string }): Promise<DataError> {
  const err = await t.throwsAsync(readDayFile(path), { instanceOf: DataError });
  t.is(err.file, path);
  t.is(err.row, where.row);
  t.is(err.column, where.column);
  t.true(err.message.includes(path), 'message names the file');
  if (where.row !== undefined) t.true(err.message.includes(`row ${where.row}`), 'message names the row');
  t.true(err.message.includes(`column ${where.column}`), 'message names the column');
  return err;
}

for (const format of ['csv', 'parquet'] as const) {
  test(`${format} round trip keeps a hand-made frame bit for bit (NaN, -0, Infinity, subnormals)`, async (t) => {
    const frame = tinyFrame();
    const path = join(tempDir(t), `${frame.date}.${format}`);
    await writeDayFile(path, frame);
    assertSameFrame(t, await readDayFile(path), frame);
  });

  test(`${format} round trip keeps a synthetic day bit for bit`, async (t) => {
    const [frame] = generateDays({ seed: 11, startDate: '2026-02-01', days: 1, missingRate: 0.01 });
    const path = join(tempDir(t), `${frame.date}.${format}`);
    await writeDayFile(path, frame);
    assertSameFrame(t, await readDayFile(path), frame);
  });

  test(`${format} round trip keeps a day without timestamps`, async (t) => {
    const frame = { ...tinyFrame(), timestamps: null };
    const path = join(tempDir(t), `${frame.date}.${format}`);
    await writeDayFile(path, frame);
    assertSameFrame(t, await readDayFile(path), frame);
  });

  test(`${format} round trip keeps sub-millisecond timestamps`, async (t) => {
    const frame = tinyFrame();
    frame.timestamps = frame.timestamps!.map((x) => x + 0.123456);
    const path = join(tempDir(t), `${frame.date}.${format}`);
    await writeDayFile(path, frame);
    assertSameFrame(t, await readDayFile(path), frame);
  });

  test(`${format} row count and a single column are read without the full parse`, async (t) => {
    const frame = tinyFrame();
    const path = join(tempDir(t), `${frame.date}.${format}`);
    await writeDayFile(path, frame);
    t.is(await readDayRowCount(path), 4);
    const { rows, values } = await readDayColumn(path, 'v750_lambda_max_velocity');
    t.is(rows, 4);
    t.deepEqual(Array.from(values!), Array.from(frame.v750));
    t.is((await readDayColumn(path, 'no_such_column')).values, null);
  });
}

test('writeDayFile refuses a file name whose date differs from the frame', async (t) => {
  const path = join(tempDir(t), '2026-03-02.csv');
  await t.throwsAsync(writeDayFile(path, tinyFrame('2026-03-01')), { instanceOf: RangeError });
});

test('missing vel_div column is a DataError naming file and column', async (t) => {
  const path = writeCsv(t, ['timestamp,v50_lambda_max_velocity,BTCUSDT', '2026-01-01T00:00:00Z,0.1,60000']);
  await expectDataError(t, path, { column: 'vel_div' });
});

test('non-numeric price cell is a DataError naming file, row and column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[1] = '2026-01-01T00:01:00Z,-0.03,-0.031,-0.001,60010,abc';
  const err = await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 2, column: 'ETHUSDT' });
  t.regex(err.message, /not a number \("abc"\)/);
});

test('non-numeric signal cell is a DataError naming file, row and column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[2] = '2026-01-01T00:02:00Z,-0.06,x1,-0.001,59990,2999';
  await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 3, column: 'v50_lambda_max_velocity' });
});

test('NaN vel_div is a DataError naming file, row and column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[1] = '2026-01-01T00:01:00Z,NaN,-0.031,-0.001,60010,3001';
  await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 2, column: 'vel_div' });
});

test('blank vel_div is a DataError naming file, row and column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[2] = '2026-01-01T00:02:00Z,,-0.061,-0.001,59990,2999';
  await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 3, column: 'vel_div' });
});

test('Inf vel_div is a DataError naming file, row and column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[0] = '2026-01-01T00:00:00Z,-inf,0.002,0.001,60000,3000';
  await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 1, column: 'vel_div' });
});

test('allowNaNVelDiv accepts NaN and blank vel_div but still refuses Infinity', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[0] = '2026-01-01T00:00:00Z,,0.002,0.001,60000,3000';
  rows[1] = '2026-01-01T00:01:00Z,nan,-0.031,-0.001,60010,3001';
  const frame = await readDayFile(writeCsv(t, [HEADER, ...rows]), { allowNaNVelDiv: true });
  t.true(Number.isNaN(frame.velDiv[0]) && Number.isNaN(frame.velDiv[1]));
  rows[2] = '2026-01-01T00:02:00Z,Infinity,-0.061,-0.001,59990,2999';
  const path = writeCsv(t, [HEADER, ...rows]);
  const err = await t.throwsAsync(readDayFile(path, { allowNaNVelDiv: true }), { instanceOf: DataError });
  t.is(err.row, 3);
});

test('duplicate timestamp is a DataError naming file, row and column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[2] = '2026-01-01T00:01:00Z,-0.06,-0.061,-0.001,59990,2999';
  const err = await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 3, column: 'timestamp' });
  t.regex(err.message, /duplicate/);
});

test('out-of-order timestamp is a DataError naming file, row and column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[1] = '2026-01-01T00:03:00Z,-0.03,-0.031,-0.001,60010,3001';
  const err = await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 3, column: 'timestamp' });
  t.regex(err.message, /out of order/);
});

test('unreadable timestamp is a DataError naming file, row and column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[1] = '2026-01-01X00:01:00Z,-0.03,-0.031,-0.001,60010,3001';
  await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 2, column: 'timestamp' });
});

test('a row with too few cells is a DataError naming file, row and the first missing column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[1] = '2026-01-01T00:01:00Z,-0.03,-0.031,-0.001,60010';
  await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 2, column: 'ETHUSDT' });
});

test('an infinite price is a DataError naming file, row and column', async (t) => {
  const rows = [...GOOD_ROWS];
  rows[2] = '2026-01-01T00:02:00Z,-0.06,-0.061,-0.001,inf,2999';
  await expectDataError(t, writeCsv(t, [HEADER, ...rows]), { row: 3, column: 'BTCUSDT' });
});

test('empty, NaN, zero and negative prices all read as NaN', async (t) => {
  const frame = await readDayFile(
    writeCsv(t, [
      HEADER,
      '2026-01-01T00:00:00Z,0.001,0.002,0.001,,0',
      '2026-01-01T00:01:00Z,-0.03,-0.031,-0.001,NaN,-5',
      '2026-01-01T00:02:00Z,-0.06,-0.061,-0.001,  ,2999',
    ]),
  );
  t.deepEqual(Array.from(frame.prices[0]), [NaN, NaN, NaN]);
  t.deepEqual(Array.from(frame.prices[1]), [NaN, NaN, 2999]);
});

test('missing optional signal columns read as NaN and missing timestamp column as null', async (t) => {
  const frame = await readDayFile(writeCsv(t, ['vel_div,BTCUSDT', '0.01,100', '-0.02,101']));
  t.is(frame.timestamps, null);
  t.deepEqual(Array.from(frame.velDiv), [0.01, -0.02]);
  for (const key of ['v50', 'v150', 'v300', 'v750', 'instability50', 'instability150'] as const) {
    t.true(frame[key].every(Number.isNaN), key);
  }
  t.deepEqual(frame.assets, ['BTCUSDT']);
});

test('assets are the non-meta columns in file order, scan_number excluded', async (t) => {
  const frame = await readDayFile(writeCsv(t, ['ZECUSDT,scan_number,vel_div,AAVEUSDT,instability_50', '1,7,0,2,0.1']));
  t.deepEqual(frame.assets, ['ZECUSDT', 'AAVEUSDT']);
  t.deepEqual(Array.from(frame.instability50), [0.1]);
});

test('CSV reader accepts CRLF, a BOM and a quoted header', async (t) => {
  const path = join(tempDir(t), '2026-01-01.csv');
  writeFileSync(path, '\ufeff"timestamp","vel_div","BTCUSDT"\r\n2026-01-01T00:00:00Z,0.5,10\r\n2026-01-01T00:01:00Z,0.25,11\r\n');
  const frame = await readDayFile(path);
  t.deepEqual(frame.assets, ['BTCUSDT']);
  t.deepEqual(Array.from(frame.velDiv), [0.5, 0.25]);
  t.is(frame.timestamps![1], Date.parse('2026-01-01T00:01:00Z'));
});

test('epoch timestamps in seconds, ms, µs and ns all read as epoch ms', async (t) => {
  const ms = Date.parse('2026-01-01T00:00:00Z');
  const frame = await readDayFile(
    writeCsv(t, [
      'timestamp,vel_div,BTCUSDT',
      `${ms / 1000},0,1`,
      `${ms + 1000},0,1`,
      `${(ms + 2000) * 1000},0,1`,
      `${BigInt(ms + 3000) * 1_000_000n},0,1`,
      `2026-01-01 00:00:04,0,1`,
      `2026-01-01T01:00:05+01:00,0,1`,
    ]),
  );
  t.deepEqual(Array.from(frame.timestamps!), [ms, ms + 1000, ms + 2000, ms + 3000, ms + 4000, ms + 5000]);
});

test('a file not named YYYY-MM-DD.csv|parquet is a DataError naming the file', async (t) => {
  const path = writeCsv(t, [HEADER, ...GOOD_ROWS], 'day1.csv');
  const err = await t.throwsAsync(readDayFile(path), { instanceOf: DataError });
  t.is(err.file, path);
});

test('duplicate column names are a DataError naming the column', async (t) => {
  const err = await t.throwsAsync(readDayFile(writeCsv(t, ['vel_div,BTCUSDT,BTCUSDT', '0,1,2'])), { instanceOf: DataError });
  t.is(err.column, 'BTCUSDT');
});

test('parquet with FLOAT prices, nullable doubles and INT64 ns timestamps reads as a frame', async (t) => {
  const ms = Date.parse('2026-01-01T00:00:00Z');
  const path = join(tempDir(t), '2026-01-01.parquet');
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'scan_number', data: [1, 2, 3], type: 'INT32' },
      { name: 'timestamp', data: [0, 5, 10].map((s) => BigInt(ms + s * 1000) * 1_000_000n), type: 'INT64' },
      { name: 'vel_div', data: [0.01, null, -0.03], type: 'DOUBLE' },
      { name: 'BTCUSDT', data: new Float32Array([60000.5, 0, 60001]), type: 'FLOAT', nullable: false },
      { name: 'ETHUSDT', data: [3000, null, 3001], type: 'DOUBLE' },
    ],
  });
  writeFileSync(path, new Uint8Array(buf));
  const err = await t.throwsAsync(readDayFile(path), { instanceOf: DataError });
  t.is(err.row, 2);
  t.is(err.column, 'vel_div');
  const frame = await readDayFile(path, { allowNaNVelDiv: true });
  t.deepEqual(Array.from(frame.timestamps!), [ms, ms + 5000, ms + 10000]);
  t.deepEqual(frame.assets, ['BTCUSDT', 'ETHUSDT']);
  t.deepEqual(Array.from(frame.prices[0]), [60000.5, NaN, 60001]);
  t.deepEqual(Array.from(frame.prices[1]), [3000, NaN, 3001]);
});

test('parquet string timestamps are parsed and a bad one is a DataError naming row and column', async (t) => {
  const path = join(tempDir(t), '2026-01-01.parquet');
  const write = (ts: string[]): void =>
    writeFileSync(
      path,
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'timestamp', data: ts, type: 'STRING' },
            { name: 'vel_div', data: [0, 0], type: 'DOUBLE' },
            { name: 'BTCUSDT', data: [1, 2], type: 'DOUBLE' },
          ],
        }),
      ),
    );
  write(['2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z']);
  t.deepEqual(Array.from((await readDayFile(path)).timestamps!), [Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:05Z')]);
  write(['2026-01-01T00:00:00Z', 'later']);
  const err = await t.throwsAsync(readDayFile(path), { instanceOf: DataError });
  t.is(err.row, 2);
  t.is(err.column, 'timestamp');
});

test('a corrupt parquet file is a DataError naming the file', async (t) => {
  const path = join(tempDir(t), '2026-01-01.parquet');
  writeFileSync(path, 'not parquet at all');
  const err = await t.throwsAsync(readDayFile(path), { instanceOf: DataError });
  t.is(err.file, path);
});

test('an unnamed first CSV column (pandas\' row index) is not an asset', async (t) => {
  const frame = await readDayFile(writeCsv(t, [',timestamp,vel_div,BTCUSDT', '0,2026-01-01T00:00:00Z,0,5', '1,2026-01-01T00:01:00Z,0,6']));
  t.deepEqual(frame.assets, ['BTCUSDT']);
  t.deepEqual(Array.from(frame.prices[0]), [5, 6]);
});

test('a parquet __index_level_0__ column (pandas\' stored index) is not an asset', async (t) => {
  const path = join(tempDir(t), '2026-01-01.parquet');
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'vel_div', data: [0, 0], type: 'DOUBLE' },
      { name: 'BTCUSDT', data: [1, 2], type: 'DOUBLE' },
      { name: '__index_level_0__', data: [10n, 11n], type: 'INT64' },
    ],
  });
  writeFileSync(path, new Uint8Array(buf));
  t.deepEqual((await readDayFile(path)).assets, ['BTCUSDT']);
});
