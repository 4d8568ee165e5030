import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { Command } from 'commander';
import { registerShockflipCommands } from '../../../scripts/commands/research-shockflip.ts';
import { configPath, dataTest, tempDir, xrpDir } from './shockflip-test-helpers.ts';

async function run(args: string[]): Promise<{ code: number | undefined; out: string; err: string }> {
  const program = new Command().exitOverride();
  registerShockflipCommands(program.command('research'));
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error, write = process.stderr.write;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  // the progress lines go straight to stderr
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'dolphin', 'research', ...args]);
    return { code: process.exitCode === undefined ? undefined : Number(process.exitCode), out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.exitCode = before;
    console.log = log;
    console.error = error;
    process.stderr.write = write;
  }
}

test('registers divergence-map and diamond-hunter under research', (t) => {
  const research = new Command('research');
  registerShockflipCommands(research);
  t.deepEqual(research.commands.map((c) => c.name()), ['divergence-map', 'diamond-hunter']);
});

test.serial('bad input exits 2 with one line: neither or both inputs, a bad seed, a bad file, a bad config', async (t) => {
  const out = tempDir(t);
  const r1 = await run(['diamond-hunter', '--out', out, '--config', configPath]);
  t.is(r1.code, 2);
  t.regex(r1.err, /give either --trades/);
  t.is((await run(['diamond-hunter', '--out', out, '--synthetic', 'x'])).code, 2);
  const bad = join(out, 'bad.csv');
  writeFileSync(bad, `timestamp,side,price,amount\n${Date.UTC(2024, 0, 1)},hold,1,1\n`);
  const r3 = await run(['divergence-map', '--out', out, '--trades', bad]);
  t.is(r3.code, 2);
  t.regex(r3.err, /bad\.csv row 1 column side/);
  const cfg = join(out, 'cfg.yaml');
  writeFileSync(cfg, 'shock_flip: {}\n');
  const r4 = await run(['diamond-hunter', '--out', out, '--trades', bad, '--config', cfg]);
  t.is(r4.code, 2);
  t.regex(r4.err, /cfg\.yaml: shock_flip\.bars: missing/);
});

dataTest.serial('both commands run on the real trade directory and write the blueprint\'s files', async (t) => {
  const out = tempDir(t);
  const dh = await run(['diamond-hunter', '--trades', xrpDir, '--config', configPath, '--out', out]);
  t.is(dh.code, undefined);
  t.regex(dh.out, /physics check: INCONCLUSIVE/);
  t.regex(dh.err, /skipped .*XRP_ETH-trades\.json\.gz/);
  const dm = await run(['divergence-map', '--trades', xrpDir, '--config', configPath, '--out', out]);
  t.is(dm.code, undefined);
  t.regex(dm.out, /divergence episodes: 54/);
  for (const f of ['events_annotated.csv', 'diamond_candidates.csv', 'bootstrap_snap_ci.json', 'events_FULL.csv', 'heatmap_report.csv']) {
    t.true(existsSync(join(out, f)), f);
  }
});
