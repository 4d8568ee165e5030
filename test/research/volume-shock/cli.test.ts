// `dolphin research volume-shock`: each source writes evidence.json, trades.csv and report.html; a
// Deribit session (against the loopback fake) is recorded and can be studied again from the file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { researchVolumeShock } from '../../../scripts/commands/research-volume-shock.ts';
import { UsageError } from '../../../scripts/cli-errors.ts';
import { FakeDeribit } from '../../helpers/fake-deribit.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'vs-cli-'));

function config(text: string): string {
  const file = join(tmp(), 'vs.yaml');
  writeFileSync(file, text);
  return file;
}

test('--source sim writes the evidence package, the trades and a report with its four charts', async (t) => {
  const out = tmp();
  const run = await researchVolumeShock({ source: 'sim', seed: '4', out, config: config('simulator:\n  days: 8\n  warmup_days: 5\nvalidation:\n  permutations: 100\n') });
  const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8'));
  t.is(evidence.experimental_validity, run.evidence.experimental_validity);
  t.like(evidence.inputs, { source: 'sim', seed: 4, mode: 'planted' });
  const csv = readFileSync(join(out, 'trades.csv'), 'utf8').trim().split('\n');
  t.true(csv[0].startsWith('id,event_id,flow_type,direction,onset,detection,entry_time'));
  t.is(csv.length - 1, evidence.statistical_measures.sample_size);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  t.is(html.match(/<svg/g)?.length, 4);
  t.true(html.includes('Win rate by flow type') && html.includes('Win rate by latency') && html.includes('Equity after each closed trade'));
});

test('the same seed writes the same files', async (t) => {
  const cfg = config('simulator:\n  days: 6\n  warmup_days: 5\nvalidation:\n  permutations: 50\n');
  const [a, b] = [tmp(), tmp()];
  await researchVolumeShock({ source: 'sim', seed: '2', out: a, config: cfg });
  await researchVolumeShock({ source: 'sim', seed: '2', out: b, config: cfg });
  for (const f of ['trades.csv', 'report.html']) t.is(readFileSync(join(a, f), 'utf8'), readFileSync(join(b, f), 'utf8'), f);
  const strip = (dir: string) => ({ ...JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')), inputs: null });
  t.deepEqual(strip(a), strip(b));
});

test('--source deribit records a session through ccxt into the out folder, and --data studies the recording again', async (t) => {
  const fake = await FakeDeribit.start();
  t.teardown(() => fake.close());
  const cfg = config(`deribit:\n  api_origin: ${fake.origin}\n  record_minutes: 0.0001\n  poll_seconds: 0.01\nvalidation:\n  permutations: 50\n`);
  const out = tmp();
  const live = await researchVolumeShock({ source: 'deribit', out, config: cfg });
  t.is(live.evidence.experimental_validity, 'INSUFFICIENT_DATA');
  const recording = join(out, 'deribit-recording.jsonl');
  t.is(readFileSync(recording, 'utf8').trim().split('\n').length, 1);
  const again = await researchVolumeShock({ source: 'deribit', data: recording, out: tmp(), config: cfg });
  t.deepEqual({ ...again.evidence, inputs: null }, { ...live.evidence, inputs: null });
});

test('a source that does not exist is a usage error (exit code 2)', async (t) => {
  await t.throwsAsync(researchVolumeShock({ source: 'cboe', out: tmp() }), { instanceOf: UsageError, message: /--source must be one of spx, sim, deribit/ });
});

test('a bad seed is a usage error', async (t) => {
  await t.throwsAsync(researchVolumeShock({ source: 'sim', seed: '-3', out: tmp() }), { instanceOf: UsageError, message: /--seed must be a non-negative integer/ });
});
