import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { writeSyntheticDataset } from '../../market/synthetic.ts';
import { DataError } from '../../market/errors.ts';
import { backtest } from '../../scripts/commands/backtest.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'dolphin-bt-'));

async function dataset(days = 3): Promise<{ dir: string; factors: string }> {
  const dir = tmp();
  const r = await writeSyntheticDataset(dir, { seed: 3, startDate: '2026-02-01', days, assets: 12, format: 'csv' });
  return { dir, factors: r.factorsPath };
}

test('running the backtest twice on the same inputs writes byte-identical files', async (t) => {
  const { dir, factors } = await dataset();
  const a = join(tmp(), 'a');
  const b = join(tmp(), 'b');
  await backtest({ data: dir, factors, capital: '25000', out: a }, false);
  await backtest({ data: dir, factors, capital: '25000', out: b }, false);
  const files = readdirSync(a).sort();
  t.deepEqual(files, readdirSync(b).sort());
  t.true(['summary.json', 'trades.csv', 'daily.csv', 'report.html'].every((f) => files.includes(f)));
  for (const f of files) t.true(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
});

test('summary.json carries the metrics and the run inputs', async (t) => {
  const { dir, factors } = await dataset(2);
  const out = join(tmp(), 'o');
  const { result } = await backtest({ data: dir, factors, capital: '10000', out }, false);
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  for (const k of ['roi', 'profit_factor', 'sharpe', 'max_drawdown', 'win_rate', 'trades', 'final_capital', 'inputs']) t.true(k in s, k);
  t.is(s.trades, result.trades.length);
  t.is(s.inputs.capital, 10000);
  t.is(s.inputs.days, 2);
});

test('a bad cell stops the backtest with a DataError naming file, row and column, and writes nothing', async (t) => {
  const { dir, factors } = await dataset(2);
  const file = join(dir, '2026-02-02.csv');
  const lines = readFileSync(file, 'utf8').split('\n');
  const cells = lines[5].split(',');
  cells[1] = 'oops';
  lines[5] = cells.join(',');
  writeFileSync(file, lines.join('\n'));
  const out = join(tmp(), 'o');
  const err = await t.throwsAsync(backtest({ data: dir, factors, capital: '25000', out }, false), { instanceOf: DataError });
  t.regex(err!.message, /2026-02-02\.csv row 5 column vel_div/);
  t.false(existsSync(out));
});

test('--strict refuses a day that looks partial; without it the run goes on', async (t) => {
  const { dir, factors } = await dataset(5);
  const file = join(dir, '2026-02-03.csv');
  const lines = readFileSync(file, 'utf8').split('\n');
  writeFileSync(file, lines.slice(0, 200).join('\n') + '\n');
  await t.throwsAsync(backtest({ data: dir, factors, capital: '25000', out: join(tmp(), 's'), strict: true }, false), {
    message: /2026-02-03/,
  });
  const { result } = await backtest({ data: dir, factors, capital: '25000', out: join(tmp(), 'l') }, false);
  t.is(result.days.length, 5);
});
