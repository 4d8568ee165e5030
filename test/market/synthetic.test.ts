import test from 'ava';
import { listDays } from '../../market/dataset.ts';
import { readDayFile } from '../../market/day-file.ts';
import { readFactors } from '../../market/factors.ts';
import { Prng } from '../../market/prng.ts';
import { generateDays, writeSyntheticDataset } from '../../market/synthetic.ts';
import { assertSameFrame, tempDir } from './helpers.ts';

const opts = { seed: 42, startDate: '2026-01-01', days: 3 };

test('same seed gives identical days, bit for bit', (t) => {
  const a = generateDays(opts);
  const b = generateDays(opts);
  a.forEach((frame, i) => assertSameFrame(t, b[i], frame));
});

test('a different seed gives different days', (t) => {
  const [a] = generateDays(opts);
  const [b] = generateDays({ ...opts, seed: 43 });
  t.not(a.velDiv[500], b.velDiv[500]);
  t.not(a.prices[0][500], b.prices[0][500]);
});

test('the first days do not depend on how many days follow', (t) => {
  const short = generateDays({ ...opts, days: 2 });
  const long = generateDays({ ...opts, days: 4 });
  short.forEach((frame, i) => assertSameFrame(t, long[i], frame));
});

test('every day has vel_div episodes below -0.02 and at least one below -0.05', (t) => {
  for (const day of generateDays({ ...opts, days: 5 })) {
    let episodes = 0;
    for (let i = 0; i < day.rows; i++) if (day.velDiv[i] < -0.02 && !(day.velDiv[i - 1] < -0.02)) episodes++;
    t.true(episodes >= 2, `${day.date}: ${episodes} episodes below -0.02`);
    t.true(day.velDiv.some((v) => v < -0.05), `${day.date}: nothing below -0.05`);
    // and outside episodes the signal sits near zero
    const sorted = Float64Array.from(day.velDiv).sort();
    t.true(Math.abs(sorted[day.rows >> 1]) < 0.01, `${day.date}: median vel_div ${sorted[day.rows >> 1]}`);
  }
});

test('days have the golden layout: 48 named assets, 1440 one-minute bars from midnight UTC', (t) => {
  const [day] = generateDays(opts);
  t.is(day.rows, 1440);
  t.is(day.assets.length, 48);
  t.is(day.assets[0], 'BTCUSDT');
  t.is(new Date(day.timestamps![0]).toISOString(), '2026-01-01T00:00:00.000Z');
  t.is(day.timestamps![1439] - day.timestamps![0], 1439 * 60_000);
  t.true(day.prices[0][0] > 10_000 && day.prices[0][0] < 200_000, 'BTC at a BTC-like level');
});

test('vel_div is v50 minus v750 on every bar', (t) => {
  const [day] = generateDays(opts);
  const firstMismatch = day.velDiv.findIndex((v, i) => v !== day.v50[i] - day.v750[i]);
  t.is(firstMismatch, -1, `vel_div differs from v50 − v750 at row ${firstMismatch}`);
});

test('returns are correlated and about 0.1% per minute', (t) => {
  const [day] = generateDays({ ...opts, missingRate: 0 });
  const ret = (p: Float64Array): number[] => Array.from(p.subarray(1), (x, i) => Math.log(x / p[i]));
  const btc = ret(day.prices[0]);
  const eth = ret(day.prices[1]);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = (xs: number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
  const corr = mean(btc.map((x, i) => (x - mean(btc)) * (eth[i] - mean(eth)))) / (sd(btc) * sd(eth));
  t.true(sd(btc) > 0.0005 && sd(btc) < 0.002, `btc sd ${sd(btc)}`);
  t.true(corr > 0.3 && corr < 0.8, `corr ${corr}`);
});

test('more assets, 5-second bars: names stay unique and the day still fits in 24h', (t) => {
  const [day] = generateDays({ ...opts, days: 1, assets: 60, barsPerDay: 17_280, barSeconds: 5 });
  t.is(new Set(day.assets).size, 60);
  t.is(day.assets[48], 'SYN049USDT');
  t.is(day.timestamps![17_279], Date.parse('2026-01-01T23:59:55Z'));
  t.throws(() => generateDays({ ...opts, barsPerDay: 1441 }), { instanceOf: RangeError });
});

test('Prng is deterministic per seed and stream, uniform in [0, 1)', (t) => {
  const draw = (seed: number, stream?: number): number[] => {
    const r = new Prng(seed, stream);
    return Array.from({ length: 5 }, () => r.next());
  };
  t.deepEqual(draw(1), draw(1));
  t.notDeepEqual(draw(1), draw(2));
  t.notDeepEqual(draw(1, 0), draw(1, 1));
  t.notDeepEqual(draw(1), draw(1 + 2 ** 32));
  const r = new Prng(9);
  let sum = 0;
  for (let i = 0; i < 10_000; i++) {
    const u = r.next();
    if (u < 0 || u >= 1) return t.fail(`draw ${u}`);
    sum += u;
  }
  t.true(Math.abs(sum / 10_000 - 0.5) < 0.02);
});

for (const format of ['csv', 'parquet'] as const) {
  test(`writeSyntheticDataset writes readable ${format} days and factors that vary by day`, async (t) => {
    const dir = tempDir(t);
    const { days, factorsPath } = await writeSyntheticDataset(dir, { ...opts, days: 4, format });
    t.deepEqual(listDays(dir).map((r) => r.path), days.map((r) => r.path));
    assertSameFrame(t, await readDayFile(days[3].path), generateDays({ ...opts, days: 4 })[3]);
    const factors = await readFactors(factorsPath);
    t.deepEqual([...factors.keys()], days.map((r) => r.date));
    const fng = new Set([...factors.values()].map((f) => f.factors.fng));
    t.true(fng.size > 1, 'fng differs across days');
  });
}
