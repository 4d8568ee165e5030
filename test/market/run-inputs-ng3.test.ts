// --ng3 DIR: a run takes each date's w750 from NG3's scan_global files (SPEC-NOTES) and its factors
// from the Indicators files where the factors file has none.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { loadRunInputs } from '../../market/run-inputs.ts';
import { writeSyntheticDataset } from '../../market/synthetic.ts';
import { writeNpz, type ArraySpec } from '../helpers/npy-writer.ts';
import { tempDir } from './helpers.ts';

const scalar = (x: number): ArraySpec => ({ descr: '<f8', shape: [], values: [x] });

async function scan(eigen: string, date: string, n: number, kind: 'Indicators' | 'scan_global', arrays: Record<string, ArraySpec>): Promise<void> {
  mkdirSync(join(eigen, date), { recursive: true });
  await writeNpz(join(eigen, date, `scan_${String(n).padStart(6, '0')}__${kind}.npz`), arrays);
}

test('--ng3: scan_global w750 replaces the day file median; Indicators factors fill the dates the factors file lacks', async (t) => {
  const dir = tempDir(t);
  const data = join(dir, 'days');
  const { factorsPath } = await writeSyntheticDataset(data, { seed: 3, startDate: '2026-02-01', days: 3, assets: 6, barsPerDay: 120, format: 'csv' });
  const eigen = join(dir, 'ng3', 'eigenvalues');
  await scan(eigen, '2026-02-01', 1, 'scan_global', { lambda_vel_w750: scalar(0.25) });
  await scan(eigen, '2026-02-01', 2, 'scan_global', { lambda_vel_w750: scalar(0.75) });
  await scan(eigen, '2026-02-02', 1, 'Indicators', { funding_btc: scalar(-0.0002), dvol_btc: scalar(90), fng: scalar(10), taker: scalar(0.7) });

  const plain = await loadRunInputs({ dataDir: data, strict: false, capital: 25_000 });
  const withNg3 = await loadRunInputs({ dataDir: data, ng3Dir: join(dir, 'ng3'), strict: false, capital: 25_000 });
  t.is(withNg3.plan.w750ByDate.get('2026-02-01'), 0.5, 'the median of the date’s scan_global values');
  t.is(withNg3.plan.w750ByDate.get('2026-02-02'), plain.plan.w750ByDate.get('2026-02-02'), 'no NG3 w750: the day file median stays');
  t.deepEqual(withNg3.plan.factorsByDate.get('2026-02-02'), { funding_btc: -0.0002, dvol_btc: 90, fng: 10, taker: 0.7 });
  t.regex(withNg3.warnings.join('\n'), /no scan_global w750 for 2 date\(s\)/);

  const both = await loadRunInputs({ dataDir: data, factorsPath, ng3Dir: join(dir, 'ng3'), strict: false, capital: 25_000 });
  const fromFile = await loadRunInputs({ dataDir: data, factorsPath, strict: false, capital: 25_000 });
  t.deepEqual(both.plan.factorsByDate.get('2026-02-02'), fromFile.plan.factorsByDate.get('2026-02-02'), 'the factors file wins where it has the date');
});
