// dolphin synth: a seeded synthetic dataset (day files + factors.csv) to try the engine without data.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeSyntheticDataset } from '../../market/synthetic.ts';
import { guarded, UsageError } from '../cli-errors.ts';

export interface SynthOptions {
  out: string;
  seed: string;
  start: string;
  days: string;
  assets: string;
  format: string;
}

export async function synth(o: SynthOptions): Promise<{ dir: string; factorsPath: string; days: number }> {
  const format = o.format === 'parquet' ? 'parquet' : o.format === 'csv' ? 'csv' : null;
  if (format === null) throw new UsageError(`--format must be csv or parquet, got "${o.format}"`);
  const dir = resolve(o.out);
  const res = await writeSyntheticDataset(dir, {
    seed: positiveInt(o.seed, '--seed', 0),
    startDate: o.start,
    days: positiveInt(o.days, '--days', 1),
    assets: positiveInt(o.assets, '--assets', 1),
    format,
  });
  return { dir, factorsPath: res.factorsPath, days: res.days.length };
}

function positiveInt(text: string, flag: string, min: number): number {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min) throw new UsageError(`${flag} must be an integer ≥ ${min}, got "${text}"`);
  return x;
}

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('write a seeded synthetic dataset: day files plus factors.csv')
    .requiredOption('--out <dir>', 'folder to write to')
    .option('--seed <n>', 'random seed', '7')
    .option('--start <date>', 'first date', '2026-01-01')
    .option('--days <n>', 'number of days', '5')
    .option('--assets <n>', 'number of assets', '48')
    .option('--format <csv|parquet>', 'day file format', 'parquet')
    .action(
      guarded(async (o: SynthOptions) => {
        const r = await synth(o);
        console.log(`wrote ${r.days} day files and ${r.factorsPath} to ${r.dir}`);
      }),
    );
}
