// The bundled seeded sample dataset (what `npm start` runs on), generated on first use.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { synth } from './synth.ts';

export const SAMPLE = { seed: '7', start: '2026-01-01', days: '5', assets: '48', format: 'parquet' } as const;

/** Generates the sample into <out>/sample-days unless a sample of these very parameters is there. */
export async function ensureSample(out: string): Promise<string> {
  const data = join(resolve(out), 'sample-days');
  const stamp = join(data, 'sample.json');
  const want = JSON.stringify(SAMPLE);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== want) {
    console.error(`Generating the sample dataset (seed ${SAMPLE.seed}, ${SAMPLE.days} days × ${SAMPLE.assets} assets) in ${data}`);
    await synth({ out: data, ...SAMPLE });
    writeFileSync(stamp, want);
  }
  return data;
}
