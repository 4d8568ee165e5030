// Builders of synthetic DayFrames and small drivers for the engine tests. Pure, no I/O.
import type { ExecutionContext } from 'ava';
import { assert as fcAssert } from 'fast-check';
import { AlphaEngine, type BarInput, type EngineProviders } from '../../engine/alpha-engine.ts';
import { CHAMPION, type EngineConfig } from '../../engine/config.ts';
import type { ObMacro, ObPlacement, ObProvider, ObSignal } from '../../engine/ob.ts';
import type { DayFrame, DayResult, Posture, TradeRecord } from '../../engine/types.ts';

/** A deep copy of the champion configuration, edited by `edit`. */
export function config(edit: (c: EngineConfig) => void = () => {}): EngineConfig {
  const c = structuredClone(CHAMPION);
  edit(c);
  return c;
}

export const DAY0 = '2026-01-01';

/** `YYYY-MM-DD` n days after 2026-01-01. */
export function dateN(n: number): string {
  return new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
}

export interface FrameSpec {
  date: string;
  rows: number;
  assets: readonly string[];
  /** close of asset a on this row; NaN (or ≤ 0) = no price */
  price: (a: number, row: number) => number;
  velDiv: (row: number) => number;
  v750?: (row: number) => number;
  /** epoch ms of row 0; rows are 60 s apart. null = no timestamp column. Default: midnight of `date`. */
  startMs?: number | null;
}

export function makeFrame(spec: FrameSpec): DayFrame {
  const { rows } = spec;
  const col = (f: (r: number) => number): Float64Array => Float64Array.from({ length: rows }, (_, r) => f(r));
  const startMs = spec.startMs === undefined ? Date.parse(`${spec.date}T00:00:00Z`) : spec.startMs;
  return {
    date: spec.date,
    rows,
    timestamps: startMs === null ? null : col((r) => startMs + r * 60_000),
    velDiv: col(spec.velDiv),
    v50: col(() => 0),
    v150: col(() => 0),
    v300: col(() => 0),
    v750: col(spec.v750 ?? (() => 0)),
    instability50: col(() => 0),
    instability150: col(() => 0),
    assets: [...spec.assets],
    prices: spec.assets.map((_, a) => col((r) => spec.price(a, r))),
  };
}

export interface DaysSpec {
  days: number;
  rows: number;
  assets: readonly string[];
  /** price of asset a at the global bar g (row r of day d) */
  price: (a: number, g: number, d: number, r: number) => number;
  velDiv: (g: number, d: number, r: number) => number;
  v750?: (g: number, d: number, r: number) => number;
}

/** Consecutive days of `rows` rows each; functions see the global bar index g = d·rows + r. */
export function makeDays(spec: DaysSpec): DayFrame[] {
  return Array.from({ length: spec.days }, (_, d) =>
    makeFrame({
      date: dateN(d),
      rows: spec.rows,
      assets: spec.assets,
      price: (a, r) => spec.price(a, d * spec.rows + r, d, r),
      velDiv: (r) => spec.velDiv(d * spec.rows + r, d, r),
      v750: spec.v750 === undefined ? undefined : (r) => spec.v750!(d * spec.rows + r, d, r),
    }),
  );
}

/** A price falling 1 bp per bar geometrically: 100 · 0.9999^g. A SHORT gains 0.95 % after 96 bars. */
export const falling = (g: number): number => 100 * Math.pow(0.9999, g);
/** The mirror image: rising 1 bp per bar (its inverse IRP profile wins for a SHORT regime). */
export const rising = (g: number): number => 100 * Math.pow(1.0001, g);

/** Prices p[0..n] whose directional returns (p[i+1] − p[i])·direction are `returns`. */
export function pricesFromReturns(start: number, returns: readonly number[], direction: -1 | 1): Float64Array {
  const out = new Float64Array(returns.length + 1);
  out[0] = start;
  for (let i = 0; i < returns.length; i++) out[i + 1] = out[i] + returns[i] * direction;
  return out;
}

export interface DayPlan {
  posture?: Posture;
  acb?: { boost: number; beta: number; signals?: number } | null;
}

export interface RunOpts {
  cfg?: EngineConfig;
  capital?: number;
  providers?: EngineProviders;
  plan?: readonly DayPlan[];
}

/** Runs frames through processDay with per-day posture/ACB (default APEX, no ACB). */
export function runFrames(
  frames: readonly DayFrame[],
  opts: RunOpts = {},
): { engine: AlphaEngine; days: DayResult[]; trades: readonly TradeRecord[] } {
  const engine = new AlphaEngine(opts.cfg ?? CHAMPION, opts.capital ?? 25_000, opts.providers ?? {});
  const days = frames.map((f, i) => {
    const p = opts.plan?.[i] ?? {};
    return engine.processDay(f, p.posture ?? 'APEX', p.acb ?? null);
  });
  return { engine, days, trades: engine.trades };
}

/** The same run fed bar by bar through beginDay / processBar / endDay, with a fresh BarInput per bar. */
export function runStreaming(
  frames: readonly DayFrame[],
  opts: RunOpts = {},
): { engine: AlphaEngine; days: DayResult[]; trades: readonly TradeRecord[] } {
  const engine = new AlphaEngine(opts.cfg ?? CHAMPION, opts.capital ?? 25_000, opts.providers ?? {});
  const days = frames.map((f, i) => {
    const p = opts.plan?.[i] ?? {};
    engine.beginDay({ date: f.date, assets: f.assets, posture: p.posture ?? 'APEX', acb: p.acb ?? null });
    for (let r = 0; r < f.rows; r++) engine.processBar(barOf(f, r));
    return engine.endDay();
  });
  return { engine, days, trades: engine.trades };
}

/** Row r of a frame as a BarInput (prices copied into a new array). */
export function barOf(f: DayFrame, r: number): BarInput {
  return {
    row: r,
    ts: f.timestamps !== null ? f.timestamps[r] : NaN,
    velDiv: f.velDiv[r],
    v50: f.v50[r],
    v750: f.v750[r],
    prices: f.prices.map((col) => col[r]),
  };
}

/** Deterministic 32-bit PRNG (mulberry32) for generating synthetic frames from a fast-check seed. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A pure OB provider whose readings are a hash of (asset, bar, salt): deterministic, varied. */
export function hashedObProvider(salt: number): ObProvider {
  const h = (s: string, bar: number, k: number): number => {
    let x = (salt * 2654435761 + bar * 40503 + k * 9973) >>> 0;
    for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619) >>> 0;
    return mulberry32(x)();
  };
  return {
    signal: (asset, bar): ObSignal => ({
      imbalanceMa5: h(asset, bar, 1) * 2 - 1,
      persistence: h(asset, bar, 2),
      withdrawalVelocity: h(asset, bar, 3) - 0.6,
    }),
    placement: (asset, bar): ObPlacement => ({ depthQuality: h(asset, bar, 4) * 2, fillProbability: h(asset, bar, 5) }),
    macro: (bar): ObMacro => {
      const u = h('', bar, 6);
      return { cascadeCount: u < 0.1 ? 1 : 0, regimeSignal: u < 0.3 ? 1 : u < 0.6 ? -1 : 0 };
    },
    marketMultiplier: (_dir, bar) => 0.85 + h('', bar, 7) * 0.35,
  };
}

/** |actual − expected| ≤ tol, with both values in the failure message. */
export function approx(t: ExecutionContext, actual: number, expected: number, tol = 1e-12, what = ''): void {
  t.true(
    Math.abs(actual - expected) <= tol,
    `${what ? `${what}: ` : ''}expected ${expected} ± ${tol}, got ${actual} (diff ${actual - expected})`,
  );
}

/** fc.assert inside t.notThrows, so a counterexample fails the test with fast-check's report. */
export function holds<Ts>(
  t: ExecutionContext,
  property: import('fast-check').IRawProperty<Ts>,
  params?: import('fast-check').Parameters<Ts>,
): void {
  t.notThrows(() => fcAssert(property, params));
}
