// Fixtures for the ShockFlip research tests: the shipped config, a small-window variant for property
// tests on short series, the shared real data (tests skip, saying why, when it is absent), temp dirs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { loadShockflipConfig, type ShockflipConfig } from '../../../config/shockflip-schema.ts';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..');
export const configPath = join(repoRoot, 'config', 'strategies_shockflip_only.yaml');
export const dataDir = resolve(repoRoot, '..', 'shared', 'data');
export const xrpDir = join(dataDir, 'trades-binance-xrpeth-2019');
export const captureDir = join(dataDir, 'binance-ws-btcusdt-2024-08-08');
export const hasData = existsSync(xrpDir);
const skipReason = `shared data not found at ${xrpDir} (expected ../shared/data next to the repo)`;

/** A test that needs ../shared/data: skipped with the reason in its title when the data is absent. */
export const dataTest = Object.assign(
  (title: string, fn: (t: ExecutionContext) => Promise<void> | void): void =>
    hasData ? test(title, fn) : test.skip(`${title} [skipped: ${skipReason}]`, fn),
  {
    /** for tests that swap globals (console) and must not overlap others */
    serial: (title: string, fn: (t: ExecutionContext) => Promise<void> | void): void =>
      hasData ? test.serial(title, fn) : test.skip(`${title} [skipped: ${skipReason}]`, fn),
  },
);

export function shippedConfig(): ShockflipConfig {
  return loadShockflipConfig(configPath);
}

/** The shipped config with windows small enough for series of a few hundred bars. */
export function smallConfig(): ShockflipConfig {
  const c = structuredClone(shippedConfig());
  c.shock_flip.detector.z_window = 20;
  c.shock_flip.detector.donchian_window = 15;
  c.shock_flip.diamond_filter.rel_vol_window = 8;
  c.risk.atr_window = 6;
  c.shock_flip.features.div_window = 4;
  c.shock_flip.features.vwap_window = 6;
  c.shock_flip.features.spread_window = 3;
  c.shock_flip.features.atr_pctile_window = 12;
  c.shock_flip.features.z_velocity_lag = 2;
  return c;
}

export function tempDir(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'dolphin-shockflip-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Bit-level equality of two numbers (NaN equals NaN). */
export function same(a: number, b: number): boolean {
  return Object.is(a, b) || (a !== a && b !== b);
}

export interface BarSpec {
  close: number[];
  high?: number[];
  low?: number[];
  buy?: number[];
  sell?: number[];
}

/** Research bars from per-bar arrays (1-minute grid from 2024-01-01; vwap = close; one trade per side with volume). */
export function makeBars(s: BarSpec): import('../../../research/shockflip/research-bars.ts').ResearchBars {
  const n = s.close.length;
  const f = (a?: number[], d = 0): Float64Array => Float64Array.from({ length: n }, (_, i) => a?.[i] ?? d);
  const close = f(s.close);
  const high = s.high ? f(s.high) : close.slice();
  const low = s.low ? f(s.low) : close.slice();
  const buyVolume = f(s.buy, 1), sellVolume = f(s.sell, 1);
  const volume = Float64Array.from(buyVolume, (b, i) => b + sellVolume[i]);
  const buyNotional = Float64Array.from(buyVolume, (b, i) => b * close[i]);
  const sellNotional = Float64Array.from(sellVolume, (v, i) => v * close[i]);
  const notional = Float64Array.from(buyNotional, (b, i) => b + sellNotional[i]);
  const trades = Int32Array.from(volume, (v, i) => (buyVolume[i] > 0 ? 1 : 0) + (sellVolume[i] > 0 ? 1 : 0));
  const buyTrades = Int32Array.from(buyVolume, (b) => (b > 0 ? 1 : 0));
  const sumSqAmount = Float64Array.from(buyVolume, (b, i) => b * b + sellVolume[i] * sellVolume[i]);
  const start = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 60_000);
  return {
    length: n, barMs: 60_000, start, open: close.slice(), high, low, close, volume, buyVolume, sellVolume,
    notional, buyNotional, sellNotional, sumSqAmount, trades, buyTrades, vwap: close.slice(),
  };
}
