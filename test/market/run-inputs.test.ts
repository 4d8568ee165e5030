import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { readDayFile, writeDayFile } from '../../market/day-file.ts';
import { DataError } from '../../market/errors.ts';
import { dayFrames, loadRunInputs } from '../../market/run-inputs.ts';
import { generateDays, writeSyntheticDataset } from '../../market/synthetic.ts';
import { tempDir } from './helpers.ts';

const synth = { seed: 5, startDate: '2026-02-20', days: 6, assets: 4, barsPerDay: 200 };

test('loadRunInputs plans every date with its w750 median, factors and posture', async (t) => {
  const dir = tempDir(t);
  const { factorsPath } = await writeSyntheticDataset(dir, synth);
  const inputs = await loadRunInputs({ dataDir: dir, factorsPath, strict: false, capital: 25_000, from: '2026-02-21' });
  t.deepEqual(inputs.plan.dates, ['2026-02-21', '2026-02-22', '2026-02-23', '2026-02-24', '2026-02-25']);
  t.deepEqual(inputs.warnings, []);
  t.is(inputs.plan.capital, 25_000);
  for (const date of inputs.plan.dates) {
    t.true(Number.isFinite(inputs.plan.w750ByDate.get(date)));
    t.true(inputs.plan.factorsByDate.has(date));
    t.is(inputs.plan.postureByDate.get(date), 'APEX');
  }
});

test('loadRunInputs warns about a partial day, and refuses it when strict', async (t) => {
  const dir = tempDir(t);
  await writeSyntheticDataset(dir, synth);
  const full = await readDayFile(join(dir, '2026-02-24.csv'));
  const cut = 50;
  await writeDayFile(join(dir, '2026-02-24.csv'), {
    ...full,
    rows: cut,
    timestamps: full.timestamps!.subarray(0, cut),
    velDiv: full.velDiv.subarray(0, cut),
    v50: full.v50.subarray(0, cut),
    v150: full.v150.subarray(0, cut),
    v300: full.v300.subarray(0, cut),
    v750: full.v750.subarray(0, cut),
    instability50: full.instability50.subarray(0, cut),
    instability150: full.instability150.subarray(0, cut),
    prices: full.prices.map((p) => p.subarray(0, cut)),
  });
  const inputs = await loadRunInputs({ dataDir: dir, strict: false, capital: 1 });
  t.is(inputs.warnings.length, 1);
  t.regex(inputs.warnings[0], /2026-02-24: possibly partial day \(50 rows/);
  await t.throwsAsync(loadRunInputs({ dataDir: dir, strict: true, capital: 1 }), { instanceOf: DataError });
});

test('loadRunInputs warns about dates missing from the factors file and about shadowed CSVs', async (t) => {
  const dir = tempDir(t);
  await writeSyntheticDataset(dir, { ...synth, days: 2 });
  await writeDayFile(join(dir, '2026-02-20.parquet'), generateDays({ ...synth, days: 1 })[0]);
  const factorsPath = join(tempDir(t), 'factors.csv');
  writeFileSync(factorsPath, 'date,fng\n2026-02-20,20\n');
  const inputs = await loadRunInputs({ dataDir: dir, factorsPath, strict: false, capital: 1 });
  t.is(inputs.warnings.length, 2);
  t.regex(inputs.warnings.join('\n'), /ignoring .*2026-02-20\.csv/);
  t.regex(inputs.warnings.join('\n'), /no factors for 1 date\(s\) \(2026-02-21\)/);
});

test('dayFrames yields the days in order', async (t) => {
  const dir = tempDir(t);
  const { days } = await writeSyntheticDataset(dir, synth);
  const dates: string[] = [];
  for await (const frame of dayFrames(days)) dates.push(frame.date);
  t.deepEqual(dates, days.map((d) => d.date));
});
