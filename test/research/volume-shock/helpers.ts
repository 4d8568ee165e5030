// Shared builders of the Volume Shock tests: the shipped config (with overrides), hand-made chains
// and prints, and a small simulator setting that still gives the verdict its 50 trades.
import { loadVolumeShockConfig, mergeOver } from '../../../config/volume-shock-schema.ts';
import type { VolumeShockParams } from '../../../research/volume-shock/params.ts';
import type { ChainUpdate, ContractQuote, OptionPrint, UnderlyingTick } from '../../../research/volume-shock/types.ts';

const SHIPPED = loadVolumeShockConfig();

/** The shipped config with `over` merged in (same rule as --config). */
export function paramsWith(over: unknown = {}): VolumeShockParams {
  return mergeOver(structuredClone(SHIPPED), over) as VolumeShockParams;
}

export const DAY_MS = 86_400_000;
export const MIN = 60_000;
export const T0 = Date.parse('2025-03-03T15:00:00Z');

export const dayOf = (i: number): string => new Date(Date.parse('2025-03-03T00:00:00Z') + i * DAY_MS).toISOString().slice(0, 10);

export function call(strike: number, delta: number, expiry = '2025-04-17'): ContractQuote {
  return { id: `C${strike}`, expiry, strike, type: 'call', delta, iv: 0.15 };
}

export function put(strike: number, delta: number, expiry = '2025-04-17'): ContractQuote {
  return { id: `P${strike}`, expiry, strike, type: 'put', delta, iv: 0.15 };
}

export function print(contractId: string, amount: number, time: number, side: 1 | -1 | 0 = 1): OptionPrint {
  return { time, contractId, amount, side };
}

export function update(time: number, day: string, contracts: ContractQuote[], prints: OptionPrint[], price = 2700): ChainUpdate {
  return { time, day, underlying: 'SPX', price, contracts, prints };
}

export function tick(time: number, price: number, day = dayOf(0), extra: Partial<UnderlyingTick> = {}): UnderlyingTick {
  return { time, day, price, ...extra };
}

/** Enough simulated days for the verdict's 50 trades, and no more: the tests stay fast. */
export const SMALL_SIM = { simulator: { days: 18, warmup_days: 5 } };

/** |actual − expected| <= tol (relative to max(1, |expected|)), with a message showing both. */
export function near(t: { true(v: boolean, m?: string): void }, actual: number, expected: number, tol = 1e-9, what = ''): void {
  t.true(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what} ${actual} ≉ ${expected} (tol ${tol})`);
}
