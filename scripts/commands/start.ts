// dolphin start (npm start): the main job on the embedded default, needing nothing from outside —
// the node (six supervised actors on the embedded store) replays the seeded sample dataset, writes
// the results and report, and checks them against the batch backtest.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { guarded } from '../cli-errors.ts';
import { runNode } from './node.ts';

export async function start(o: { out: string }): Promise<void> {
  const { parity } = await runNode({ out: o.out, exitWhenDone: true, parity: true, port: 'none', logLevel: process.env.LOG_LEVEL ?? 'warn' });
  console.log(`Open the report: ${join(resolve(o.out), 'node', 'report.html')}`);
  if (parity === false) process.exitCode = 1;
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('replay the bundled seeded sample through the actor node and compare with the batch backtest (what `npm start` runs)')
    .option('--out <dir>', 'folder for the sample data and the results', 'out')
    .action(guarded(start));
}
