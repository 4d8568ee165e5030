#!/usr/bin/env -S npx tsx
// `dolphin <command>`: thin CLI over the project's folders. Exit codes: 0 ok, 1 failure, 2 bad input.
import { Command } from 'commander';
import { registerBacktest } from './commands/backtest.ts';
import { registerBuildDays } from './commands/build-days.ts';
import { registerNode } from './commands/node.ts';
import { registerPaper } from './commands/paper.ts';
import { registerResearch } from './commands/research.ts';
import { registerStart } from './commands/start.ts';
import { registerSynth } from './commands/synth.ts';

const program = new Command()
  .name('dolphin')
  .description('DOLPHIN node: the DOLPHIN-NAUTILUS alpha engine in TypeScript')
  .showHelpAfterError();

registerBacktest(program);
registerSynth(program);
registerBuildDays(program);
registerStart(program);
registerNode(program);
registerPaper(program);
registerResearch(program);

await program.parseAsync(process.argv);
