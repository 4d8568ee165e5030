// dolphin start (npm start): the main job on the embedded default, needing nothing from outside:
// generate the seeded sample dataset, backtest it, and say where the report is.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { guarded } from '../cli-errors.ts';
import { printSummary } from '../print-summary.ts';
import { backtest } from './backtest.ts';
import { synth } from './synth.ts';

export const SAMPLE = { seed: '7', start: '2026-01-01', days: '5', assets: '48', format: 'parquet' } as const;

export async function start(o: { out: string }): Promise<void> {
  const out = resolve(o.out);
  const data = join(out, 'sample-days');
  if (!existsSync(join(data, 'factors.csv'))) {
    console.log(`Generating the sample dataset (seed ${SAMPLE.seed}, ${SAMPLE.days} days × ${SAMPLE.assets} assets) in ${data}`);
    await synth({ out: data, ...SAMPLE });
  }
  const results = join(out, 'backtest');
  const { result, outDir } = await backtest({ data, factors: join(data, 'factors.csv'), capital: '25000', out: results });
  printSummary(result, outDir);
  console.log(`Open the report: ${join(results, 'report.html')}`);
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('backtest the bundled seeded sample dataset (what `npm start` runs)')
    .option('--out <dir>', 'folder for the sample data and the results', 'out')
    .action(guarded(start));
}
