import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { DayFrame } from '../../engine/types.ts';
import { readDayFile } from '../../market/day-file.ts';
import { DataError } from '../../market/errors.ts';
import { Prng } from '../../market/prng.ts';
import { computeColumns } from '../../ng3/columns.ts';
import { Ng3Kernel } from '../../ng3/kernel.ts';
import { backtest } from '../../scripts/commands/backtest.ts';
import { MANIFEST, runBuildDays, type BuildDaysManifest, type BuildDaysOptions } from '../../scripts/commands/build-days.ts';
import { UsageError } from '../../scripts/cli-errors.ts';
import { sharedDir, tempDir } from '../market/helpers.ts';

const MIN = 60_000;
const START = Date.UTC(2026, 2, 1, 20, 0); // 2026-03-01 20:00: 240 bars, then a whole day, then 320 bars
const BARS = 2000;
const ASSETS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
const SIGNALS = ['velDiv', 'v50', 'v150', 'v300', 'v750', 'instability50', 'instability150'] as const;
const NG3_NAMES = ['vel_div', 'v50_lambda_max_velocity', 'v150_lambda_max_velocity', 'v300_lambda_max_velocity', 'v750_lambda_max_velocity', 'instability_50', 'instability_150'];

/**
 * Seeded 1-minute OHLCV files: a common market factor plus noise, about a quarter of the minutes missing
 * per asset (like the real Bittrex files), FFF listing late and EEE going quiet before the end.
 * Returns the files' directory and the aligned closes computed here independently of market/.
 */
function syntheticOhlcv(t: ExecutionContext): { dir: string; closes: Float64Array[] } {
  const dir = tempDir(t);
  const rng = new Prng(11, 3);
  const logp = ASSETS.map((_, a) => Math.log(0.001 * (a + 1)));
  const rows: number[][][] = ASSETS.map(() => []);
  for (let k = 0; k < BARS; k++) {
    const market = 0.001 * rng.normal();
    ASSETS.forEach((_, a) => {
      logp[a] += (0.5 + 0.2 * a) * market + 0.0008 * rng.normal();
      const listed = !(a === 5 && k < 300) && !(a === 4 && k > 1900);
      if (listed && rng.next() > 0.25) {
        const c = Math.exp(logp[a]);
        rows[a].push([START + k * MIN, c * 1.001, c * 1.002, c * 0.998, c, 100 * rng.next()]);
      }
    });
  }
  ASSETS.forEach((name, a) => writeFileSync(join(dir, `${name}_BTC-1m.json`), JSON.stringify(rows[a])));
  // the alignment rules, restated: a close on bars with a row, the last close carried forward, NaN before
  const closes = rows.map((rs) => {
    const byTs = new Map(rs.map((r) => [r[0], r[4]]));
    const first = Math.min(...rs.map((r) => r[0]));
    const out = new Float64Array(BARS).fill(NaN);
    let last = NaN;
    for (let k = 0; k < BARS; k++) {
      last = byTs.get(START + k * MIN) ?? last;
      out[k] = START + k * MIN >= first ? last : NaN;
    }
    return out;
  });
  return { dir, closes };
}

async function build(t: ExecutionContext, prices: string, o: Partial<BuildDaysOptions> = {}) {
  const out = join(tempDir(t), 'days');
  // the full series by default here, warm-up rows included, to compare columns with NG3's
  const r = await runBuildDays({ prices, out, threads: '1', format: 'csv', keepWarmup: true, ...o }, false);
  const frames: DayFrame[] = [];
  for (const d of r.manifest.days) frames.push(await readDayFile(join(out, d.file), { allowNaNVelDiv: true }));
  return { ...r, out, frames };
}

function concat(frames: DayFrame[], pick: (f: DayFrame) => Float64Array): Float64Array {
  const out = new Float64Array(frames.reduce((n, f) => n + f.rows, 0));
  let at = 0;
  for (const f of frames) {
    out.set(pick(f), at);
    at += f.rows;
  }
  return out;
}

/** Same values bit for bit (Object.is: the sign of zero counts, NaN equals NaN); reports the first difference. */
function assertSame(t: ExecutionContext, actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  t.is(actual.length, expected.length, `${what}: length`);
  let first = -1;
  for (let i = 0; i < expected.length && first < 0; i++) if (!Object.is(actual[i], expected[i])) first = i;
  t.is(first, -1, first < 0 ? what : `${what}: first difference at bar ${first}: ${actual[first]} vs ${expected[first]}`);
}

test('build-days: one file per UTC date; signal columns equal computeColumns over the aligned closes bit for bit; closes forward-filled', async (t) => {
  const { dir, closes } = syntheticOhlcv(t);
  const { frames, manifest } = await build(t, dir);
  t.deepEqual(frames.map((f) => [f.date, f.rows]), [['2026-03-01', 240], ['2026-03-02', 1440], ['2026-03-03', 320]]);
  t.deepEqual(frames[0].assets, ['AAABTC', 'BBBBTC', 'CCCBTC', 'DDDBTC', 'EEEBTC', 'FFFBTC']);
  assertSame(t, concat(frames, (f) => f.timestamps!), Float64Array.from({ length: BARS }, (_, k) => START + k * MIN), 'timestamps');
  ASSETS.forEach((name, a) => assertSame(t, concat(frames, (f) => f.prices[a]), closes[a], `${name} closes`));
  const expected = computeColumns(closes);
  SIGNALS.forEach((key, i) => assertSame(t, concat(frames, (f) => f[key]), expected[NG3_NAMES[i]], NG3_NAMES[i]));
  t.is(manifest.warmupRows, 751);
});

test('NG3 state carries over midnight: the last day\'s first bar has the whole history behind it, and a kernel fed bar by bar agrees', async (t) => {
  const { dir, closes } = syntheticOhlcv(t);
  const { frames } = await build(t, dir);
  const day3 = frames[2];
  const first = 240 + 1440; // bar index of 2026-03-03 00:00
  t.true(Number.isFinite(day3.velDiv[0]));
  // the same day computed on its own would still be warming up
  const alone = computeColumns(closes.map((c) => c.subarray(first)));
  t.true(Number.isNaN(alone.vel_div[0]));

  const kernel = new Ng3Kernel({ assets: ASSETS.length });
  const bar = new Float64Array(ASSETS.length);
  const rows: number[][] = [];
  for (let k = 0; k < BARS; k++) {
    closes.forEach((c, a) => (bar[a] = c[k]));
    rows.push(Array.from(kernel.push(bar).values));
  }
  SIGNALS.forEach((key, i) => assertSame(t, concat(frames, (f) => f[key]), rows.map((r) => r[i]), `${NG3_NAMES[i]} bar by bar`));
  t.is(rows[first][0], day3.velDiv[0]);
});

test('a pool of 2 threads writes byte-identical day files and manifest (but for the thread count)', async (t) => {
  const { dir } = syntheticOhlcv(t);
  const one = await build(t, dir, { format: 'parquet' });
  const two = await build(t, dir, { format: 'parquet', threads: '2' });
  const files = readdirSync(one.out).filter((f) => f !== MANIFEST).sort();
  t.deepEqual(readdirSync(two.out).filter((f) => f !== MANIFEST).sort(), files);
  for (const f of files) t.true(readFileSync(join(one.out, f)).equals(readFileSync(join(two.out, f))), f);
  const strip = (m: BuildDaysManifest) => ({ ...m, options: { ...m.options, threads: 0 } });
  t.deepEqual(strip(two.manifest), strip(one.manifest));
  t.is(two.manifest.options.threads, 2);
});

test('build-days.json: inputs, options, rows per day, crossings, warm-up, per-asset fill counts', async (t) => {
  const { dir, closes } = syntheticOhlcv(t);
  const { manifest: m, manifestPath, frames } = await build(t, dir);
  t.deepEqual(JSON.parse(readFileSync(manifestPath, 'utf8')), JSON.parse(JSON.stringify(m)));
  t.like(m.options, { bar: '1m', barSource: 'inferred', format: 'csv', windows: [50, 150, 300, 750], skipWarmup: false });
  t.deepEqual(m.grid, { start: '2026-03-01T20:00:00.000Z', end: '2026-03-03T05:19:00.000Z', bars: BARS });
  t.deepEqual(m.days.map((d) => d.rows), [240, 1440, 320]);
  t.deepEqual(m.days.map((d) => d.nanVelDiv), [240, 511, 0]);
  const vd = concat(frames, (f) => f.velDiv);
  t.is(m.signal.finite, BARS - 751);
  t.is(m.signal.below002, vd.filter((x) => x < -0.02).length);
  t.is(m.signal.fractionBelow002, m.signal.below002 / m.signal.finite);
  t.is(m.days.reduce((n, d) => n + d.below005, 0), m.signal.below005);
  m.inputs.files.forEach((f, a) => {
    const none = closes[a].filter((x) => Number.isNaN(x)).length;
    t.is(f.none, none, `${f.asset} bars before its first row`);
    t.is(f.traded, f.rows, `${f.asset} one bar per row`);
    t.is(f.traded + f.filled + none, BARS);
  });
  t.is(m.inputs.files[5].none, (Date.parse(m.inputs.files[5].first) - START) / MIN); // FFF lists late
  t.true(m.inputs.files[4].filled >= BARS - 1901); // EEE's last close carried to the end
});

test('by default the days start at the first finite vel_div; the engine\'s reader and dolphin backtest take the files as they are', async (t) => {
  const { dir } = syntheticOhlcv(t);
  const { out, manifest, frames } = await build(t, dir, { keepWarmup: false });
  t.deepEqual(frames.map((f) => [f.date, f.rows]), [['2026-03-02', 1440 - 511], ['2026-03-03', 320]]);
  t.is(manifest.warmupRows, 751);
  for (const d of manifest.days) await t.notThrowsAsync(readDayFile(join(out, d.file)));
  const res = join(tempDir(t), 'results');
  const { result } = await backtest({ data: out, capital: '25000', out: res }, false);
  t.is(result.summary.bars, BARS - 751);
  t.true(existsSync(join(res, 'report.html')));
});

test('--windows fill the schema\'s four velocity slots in order; --assets picks and orders the columns; --bar 5m resamples', async (t) => {
  const { dir, closes } = syntheticOhlcv(t);
  const w = await build(t, dir, { windows: '5,10,20,40', assets: 'CCC_BTC,aaabtc,EEE/BTC' });
  t.deepEqual(w.frames[0].assets, ['CCCBTC', 'AAABTC', 'EEEBTC']);
  const picked = [closes[2], closes[0], closes[4]];
  const expected = computeColumns(picked, { windows: [5, 10, 20, 40], instabilityWindows: [5, 10] });
  const names = ['vel_div', 'v5_lambda_max_velocity', 'v10_lambda_max_velocity', 'v20_lambda_max_velocity', 'v40_lambda_max_velocity', 'instability_5', 'instability_10'];
  SIGNALS.forEach((key, i) => assertSame(t, concat(w.frames, (f) => f[key]), expected[names[i]], `${key} ← ${names[i]}`));
  t.is(w.manifest.warmupRows, 41);

  const five = await build(t, dir, { bar: '5m', windows: '5,10,20,40' });
  t.deepEqual(five.frames.map((f) => f.rows), [48, 288, 64]);
  // a 5-minute bar closes with its last minute: the aligned 1-minute close of minute 4, 9, …
  assertSame(t, concat(five.frames, (f) => f.prices[1]), Float64Array.from({ length: 400 }, (_, k) => closes[1][5 * k + 4]), 'BBB 5m closes');
});

test('bad flags are UsageErrors; an output folder with other day files is refused before anything is written', async (t) => {
  const { dir } = syntheticOhlcv(t);
  const out = join(tempDir(t), 'o');
  const bad: [Partial<BuildDaysOptions>, RegExp][] = [
    [{ bar: '7m' }, /--bar must be a bar length that divides a day/],
    [{ bar: 'soon' }, /--bar/],
    [{ format: 'xlsx' }, /--format must be parquet or csv/],
    [{ windows: '50,150,300' }, /--windows must be four increasing integers/],
    [{ windows: '50,40,300,750' }, /--windows/],
    [{ threads: '0' }, /--threads must be a positive integer/],
    [{ assets: 'AAABTC,ZZZ' }, /--assets: no file for ZZZ \(have AAABTC, /],
    [{ assets: 'AAABTC,AAA_BTC' }, /names an asset twice/],
    [{ assets: 'AAA/BTC' }, /at least 2 assets/],
  ];
  for (const [o, message] of bad) await t.throwsAsync(runBuildDays({ prices: dir, out, ...o }, false), { instanceOf: UsageError, message });
  t.false(existsSync(out));

  const first = await build(t, dir);
  await t.notThrowsAsync(runBuildDays({ prices: dir, out: first.out, threads: '1', format: 'csv', keepWarmup: true }, false)); // same dates: overwritten
  writeFileSync(join(first.out, '2026-02-28.csv'), 'vel_div\n0\n');
  const err = await t.throwsAsync(runBuildDays({ prices: dir, out: first.out, threads: '1', format: 'parquet' }, false), { instanceOf: DataError });
  t.regex(err!.message, /holds 4 day file\(s\) this build does not write \(2026-02-28\.csv, 2026-03-01\.csv/);
  t.false(existsSync(join(first.out, '2026-03-01.parquet')));
});

const realDir = join(sharedDir, 'data', 'ohlcv-1m-2018-btc-pairs');
const realTest = existsSync(realDir) ? test : test.skip;
const realTitle = 'real data: the 1-minute BTC pairs build into 11 days with the fractions docs/ng3.md reports';
realTest(existsSync(realDir) ? realTitle : `${realTitle} [skipped: ${realDir} not found (expected ../shared/data next to the repo)]`, async (t) => {
  const { manifest: m, frames } = await build(t, realDir, { format: 'parquet' });
  t.is(m.options.assets.length, 10);
  t.deepEqual(m.grid, { start: '2018-01-20T04:52:00.000Z', end: '2018-01-30T04:51:00.000Z', bars: 14_400 });
  t.deepEqual(m.days.map((d) => d.rows), [1148, 1440, 1440, 1440, 1440, 1440, 1440, 1440, 1440, 1440, 292]);
  t.like(m.signal, { warmupRows: 751, nanAfterWarmup: 0, finite: 13_649, below002: 38, below005: 0 });
  // 7 % of the grid's cells are forward-filled minutes (most zero returns are traded minutes at an unchanged close)
  const sum = (k: 'traded' | 'filled' | 'none') => m.inputs.files.reduce((n, f) => n + f[k], 0);
  t.deepEqual([sum('traded'), sum('filled'), sum('none')], [133_902, 10_086, 12]);
  t.true(frames[1].prices.every((p) => p[0] > 0)); // every pair has a price by 01-21 00:00
  t.true(Number.isFinite(frames[1].velDiv[0]));
});
