// Shared test fixtures for market/: temp dirs outside the repo, the shared golden data, frame equality.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import type { DayFrame } from '../../engine/types.ts';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const goldenDays = join(sharedDir, 'golden', 'engine-synth-3d', 'days');
export const goldenFactors = join(sharedDir, 'golden', 'engine-synth-3d', 'factors.csv');
export const hasShared = existsSync(goldenDays);
export const sharedSkipReason = `shared data not found at ${goldenDays} (expected ../shared next to the repo)`;

/** A fresh directory under the OS temp dir, removed when the test ends. */
export function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'dolphin-market-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function bytes(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Bit-for-bit equality of two frames (NaN payloads and the sign of zero included). */
export function assertSameFrame(t: ExecutionContext, actual: DayFrame, expected: DayFrame): void {
  t.is(actual.date, expected.date);
  t.is(actual.rows, expected.rows);
  t.deepEqual(actual.assets, expected.assets);
  if (expected.timestamps === null) t.is(actual.timestamps, null);
  else t.true(actual.timestamps !== null && bytes(actual.timestamps).equals(bytes(expected.timestamps)), 'timestamps differ');
  for (const key of ['velDiv', 'v50', 'v150', 'v300', 'v750', 'instability50', 'instability150'] as const) {
    t.true(bytes(actual[key]).equals(bytes(expected[key])), `${key} differs`);
  }
  t.is(actual.prices.length, expected.prices.length);
  expected.prices.forEach((p, i) => t.true(bytes(actual.prices[i]).equals(bytes(p)), `prices of ${expected.assets[i]} differ`));
}

/** A tiny hand-made day: 4 rows, 2 assets, every special value the writers must keep. */
export function tinyFrame(date = '2026-03-01'): DayFrame {
  const t0 = Date.parse(`${date}T00:00:00Z`);
  const f = (...xs: number[]): Float64Array => Float64Array.from(xs);
  return {
    date,
    rows: 4,
    timestamps: f(t0, t0 + 5000, t0 + 10000, t0 + 15000),
    velDiv: f(0, -0.021, -0.0512345678901234, 1e-300),
    v50: f(-0, 0.1, NaN, -1.5e-17),
    v150: f(NaN, NaN, NaN, NaN),
    v300: f(1, 2, 3, Infinity),
    v750: f(0.1 + 0.2, 1 / 3, -2 / 3, 5e-324),
    instability50: f(0.5, 0.25, 0.125, 0.0625),
    instability150: f(1e21, 1e-7, 123456789.123456789, 0),
    assets: ['BTCUSDT', 'ETHUSDT'],
    prices: [f(60000.123456789, NaN, 60001, 59999.99999999999), f(NaN, 3000.5, 2999.25, 1e-9)],
  };
}
