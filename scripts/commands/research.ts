// `dolphin research <pipeline>`: the research pipelines of research/ (ShockFlip, Volume Shock), each
// registering its own subcommands here.
import type { Command } from 'commander';
import { registerShockflipCommands } from './research-shockflip.ts';
import { registerShockflipTradeCommands } from './research-shockflip-trade.ts';
import { registerVolumeShockCommand } from './research-volume-shock.ts';

export function registerResearch(program: Command): void {
  const research = program.command('research').description('research pipelines: ShockFlip (divergence-map, diamond-hunter, …) and Volume Shock');
  registerShockflipCommands(research);
  registerShockflipTradeCommands(research);
  registerVolumeShockCommand(research);
}
