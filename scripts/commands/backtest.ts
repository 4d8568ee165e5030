// dolphin backtest: day files → engine → summary.json, trades.csv, daily.csv, report.html.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { championConfig, loadEngineConfig } from '../../config/engine-schema.ts';
import { runDays } from '../../engine/run.ts';
import type { RunResult } from '../../engine/types.ts';
import { dayFrames, loadRunInputs } from '../../market/run-inputs.ts';
import { writeResults } from '../../report/write-results.ts';
import { guarded, UsageError } from '../cli-errors.ts';
import { printSummary } from '../print-summary.ts';
import { progress } from '../progress.ts';

export interface BacktestOptions {
  data: string;
  from?: string;
  to?: string;
  config?: string;
  factors?: string;
  ng3?: string;
  capital: string;
  out: string;
  strict?: boolean;
}

export async function backtest(o: BacktestOptions, showProgress = true): Promise<{ result: RunResult; outDir: string }> {
  const cfg = o.config ? loadEngineConfig(o.config) : championConfig();
  const capital = parseCapital(o.capital);
  const inputs = await loadRunInputs({
    dataDir: o.data,
    from: o.from,
    to: o.to,
    factorsPath: o.factors,
    ng3Dir: o.ng3,
    strict: o.strict ?? false,
    capital,
  });
  if (showProgress) for (const w of inputs.warnings) console.error(`warning: ${w}`);
  const bar = showProgress ? progress(inputs.refs.length, 'backtest') : null;
  const result = await runDays(dayFrames(inputs.refs), inputs.plan, cfg, {}, {
    onDay: (d) => bar?.tick(d.date),
  });
  bar?.stop();
  result.inputs = { ...result.inputs, config: o.config ? resolve(o.config) : 'champion (config/champion.yaml)', seed: cfg.seed };
  const outDir = resolve(o.out);
  await writeResults(outDir, result);
  return { result, outDir };
}

export function parseCapital(text: string): number {
  const x = Number(text);
  if (!Number.isFinite(x) || x <= 0) throw new UsageError(`--capital must be a positive number, got "${text}"`);
  return x;
}

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description('run the engine over day files and write the results and an HTML report')
    .requiredOption('--data <dir>', 'folder of YYYY-MM-DD.parquet or .csv day files')
    .option('--from <date>', 'first date (inclusive)')
    .option('--to <date>', 'last date (inclusive)')
    .option('--config <file>', 'engine config YAML (default: config/champion.yaml)')
    .option('--factors <file>', 'per-date ACB factors (and optional posture), CSV or JSON')
    .option('--ng3 <dir>', 'an NG3 eigenvalues folder: scan_global w750 per date, Indicators factors where --factors has none')
    .option('--capital <x>', 'initial capital', '25000')
    .option('--strict', 'refuse days that look partial instead of warning')
    .requiredOption('--out <dir>', 'folder for the results')
    .action(
      guarded(async (o: BacktestOptions) => {
        const { result, outDir } = await backtest(o);
        printSummary(result, outDir);
      }),
    );
}
