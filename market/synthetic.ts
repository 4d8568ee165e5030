// Seeded synthetic market days in the day-file layout, for tests, demos and benchmarks.
//
// The model, per bar t (one market, many assets):
//   vel_div  = base + episode            base: mean-reverting noise around 0 (sd ≈ 0.008)
//   v750     = day level + fast noise     (small, ≈ 5e-4), so each date has its own w750 median
//   v50      = vel_div + v750             (the bible's vel_div = v50 − v750)
//   v150/v300 lie between v50 and v750; instability_50/150 are |noise| that rises in episodes.
//   log-return of asset a = beta_a · (market shock + episode drift) + idiosyncratic shock.
// Episodes are the tradable part: a few per day vel_div dips below −0.02 (at least one below −0.05)
// for a few to tens of bars; prices start to fall a little after the signal, then recover fully and
// more slowly, so the market has no built-in trend and a SHORT edge exists only in the timing.
// (Champion engine over 10 synthetic days, seeds 1–4: PF 0.9–5, i.e. an edge, not a sure thing.)
//
// Every day draws from its own streams, so the first k days of a run do not depend on how many days
// follow (a 3-day and a 30-day dataset with one seed share their first 3 days).

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DayFrame } from '../engine/types.ts';
import { writeDayFile } from './day-file.ts';
import type { DayFileRef } from './dataset.ts';
import { writeFactorsCsv, type DayFactors } from './factors.ts';
import { Prng } from './prng.ts';
import { addDays, dateToMs, isIsoDate } from './time.ts';

export interface SyntheticOptions {
  seed: number;
  startDate: string; // YYYY-MM-DD
  days: number;
  assets?: number; // default 48: the golden files' universe; more get names SYN049USDT, …
  barsPerDay?: number; // default 1440
  barSeconds?: number; // default 60
  /** share of price cells left empty (a venue hiccup), default 0.0002 */
  missingRate?: number;
}

/** The 48 assets of the golden day files, in their column order, with a plausible price level each. */
export const SYNTHETIC_ASSETS: readonly (readonly [string, number])[] = [
  ['BTCUSDT', 60000], ['ETHUSDT', 3000], ['BNBUSDT', 580], ['SOLUSDT', 150], ['XRPUSDT', 0.55],
  ['ADAUSDT', 0.45], ['DOGEUSDT', 0.12], ['TRXUSDT', 0.12], ['DOTUSDT', 6.5], ['LINKUSDT', 14],
  ['LTCUSDT', 75], ['BCHUSDT', 380], ['AVAXUSDT', 30], ['XLMUSDT', 0.11], ['ATOMUSDT', 8],
  ['ETCUSDT', 24], ['FILUSDT', 5], ['APTUSDT', 8], ['NEARUSDT', 5.5], ['ARBUSDT', 0.8],
  ['OPUSDT', 1.8], ['INJUSDT', 25], ['SUIUSDT', 1], ['SEIUSDT', 0.4], ['AAVEUSDT', 110],
  ['UNIUSDT', 8], ['MKRUSDT', 2500], ['LDOUSDT', 2], ['RNDRUSDT', 7], ['IMXUSDT', 1.6],
  ['HBARUSDT', 0.07], ['ALGOUSDT', 0.17], ['VETUSDT', 0.03], ['ICPUSDT', 10], ['SANDUSDT', 0.4],
  ['MANAUSDT', 0.4], ['AXSUSDT', 6.5], ['GRTUSDT', 0.2], ['FTMUSDT', 0.6], ['EGLDUSDT', 35],
  ['THETAUSDT', 1.5], ['XTZUSDT', 0.9], ['EOSUSDT', 0.6], ['FLOWUSDT', 0.7], ['CHZUSDT', 0.08],
  ['CRVUSDT', 0.35], ['ZECUSDT', 30], ['STXUSDT', 1.8],
];

// Model constants (per 60-second bar; volatilities scale with √(barSeconds/60)).
const MARKET_SD = 0.0007;
const BASE_PHI = 0.97;
const BASE_SD = 0.008;
const V750_PHI = 0.9;
const V750_SD = 0.00035;
const V750_DAY_SD = 0.00025;
const EXTRA_EPISODES_MEAN = 3;
const SELL_OFF_LAG = 0.3; // share of an episode's length before prices start to fall
const RECOVERY_STRETCH = 3; // the recovery takes this many times the episode's length
const REVERT_SHARE = 1; // share of the sell-off that the recovery gives back

interface Episode {
  start: number; // global bar index
  length: number;
  depth: number; // vel_div reaches −depth at the peak (before base noise)
}

interface Asset {
  name: string;
  logPrice: number;
  beta: number;
  idioSd: number;
}

export function generateDays(options: SyntheticOptions): DayFrame[] {
  const o = resolveOptions(options);
  const { seed, days, barsPerDay } = o;
  const total = days * barsPerDay;
  const volScale = Math.sqrt(o.barSeconds / 60);

  const assets = makeAssets(seed, o.assets, volScale);
  // Episode effects are laid out first on one timeline so an episode late in a day carries on
  // past midnight into the next day.
  const dip = new Float64Array(total); // ≤ 0, added to vel_div
  const drift = new Float64Array(total); // added to the market log-return
  const shape = new Float64Array(total); // 0..1, episode intensity (vol and instability rise)
  for (let d = 0; d < days; d++) {
    for (const e of scheduleDay(new Prng(seed, 2 * d + 1), d * barsPerDay, barsPerDay)) {
      layEpisode(e, dip, drift, shape);
    }
  }

  const state = { base: 0, v750: 0, inst50: 0, inst150: 0 };
  const frames: DayFrame[] = [];
  for (let d = 0; d < days; d++) {
    const rng = new Prng(seed, 2 * d + 2);
    const date = addDays(o.startDate, d);
    frames.push(makeDay(rng, date, d * barsPerDay, o, assets, state, { dip, drift, shape }, volScale));
  }
  return frames;
}

/** Writes the days as `YYYY-MM-DD.<format>` plus a matching `factors.csv` (factors vary by day). */
export async function writeSyntheticDataset(
  dir: string,
  options: SyntheticOptions & { format?: 'csv' | 'parquet' },
): Promise<{ days: DayFileRef[]; factorsPath: string }> {
  const format = options.format ?? 'csv';
  await mkdir(dir, { recursive: true });
  const refs: DayFileRef[] = [];
  for (const frame of generateDays(options)) {
    const path = join(dir, `${frame.date}.${format}`);
    await writeDayFile(path, frame);
    refs.push({ date: frame.date, path, format });
  }
  const factorsPath = join(dir, 'factors.csv');
  await writeFactorsCsv(factorsPath, syntheticFactors(options.seed, refs.map((r) => r.date)));
  return { days: refs, factorsPath };
}

/**
 * Per-date ACB factors spread over calm and stressed values, so the days get different boosts.
 * Values are rounded like published figures.
 */
export function syntheticFactors(seed: number, dates: readonly string[]): Map<string, DayFactors> {
  const rng = new Prng(seed, 0xfac7);
  const out = new Map<string, DayFactors>();
  for (const date of dates) {
    out.set(date, {
      factors: {
        funding_btc: round(-0.00002 + 0.0001 * rng.normal(), 6),
        dvol_btc: round(35 + 55 * rng.next(), 1),
        fng: Math.round(10 + 75 * rng.next()),
        taker: round(0.75 + 0.35 * rng.next(), 3),
      },
      posture: 'APEX',
    });
  }
  return out;
}

function resolveOptions(options: SyntheticOptions): Required<SyntheticOptions> {
  const o = { assets: 48, barsPerDay: 1440, barSeconds: 60, missingRate: 0.0002, ...options };
  if (!isIsoDate(o.startDate)) throw new RangeError(`startDate must be YYYY-MM-DD, got ${o.startDate}`);
  for (const key of ['days', 'assets', 'barsPerDay'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`${key} must be a positive integer, got ${o[key]}`);
  }
  if (!(o.barSeconds > 0) || o.barsPerDay * o.barSeconds > 86_400) {
    throw new RangeError(`barsPerDay × barSeconds must fit in one day (${o.barsPerDay} × ${o.barSeconds})`);
  }
  if (!(o.missingRate >= 0 && o.missingRate < 1)) throw new RangeError(`missingRate must be in [0, 1), got ${o.missingRate}`);
  return o;
}

function makeAssets(seed: number, count: number, volScale: number): Asset[] {
  const rng = new Prng(seed, 0);
  const assets: Asset[] = [];
  for (let a = 0; a < count; a++) {
    const known = SYNTHETIC_ASSETS[a];
    const name = known?.[0] ?? `SYN${String(a + 1).padStart(3, '0')}USDT`;
    const level = known?.[1] ?? Math.exp(Math.log(0.01) + rng.next() * Math.log(50_000));
    assets.push({
      name,
      logPrice: Math.log(level) + 0.15 * rng.normal(),
      // BTC is the market; alts move more with it and more on their own
      beta: a === 0 ? 1 : 0.8 + 0.6 * rng.next(),
      idioSd: (a === 0 ? 0.0004 : 0.0006 + 0.0005 * rng.next()) * volScale,
    });
  }
  return assets;
}

function scheduleDay(rng: Prng, dayStart: number, bars: number): Episode[] {
  const episodes: Episode[] = [];
  const count = 2 + rng.poisson(EXTRA_EPISODES_MEAN);
  for (let k = 0; k < count; k++) {
    // the first episode of each day is a deep one, so every day has a signal beyond −0.05
    const depth = k === 0 ? 0.055 + 0.045 * rng.next() : Math.min(0.02 + 0.022 * -Math.log(1 - rng.next()), 0.14);
    const length = Math.max(4, Math.min(120, Math.round(Math.exp(Math.log(24) + 0.7 * rng.normal()))));
    episodes.push({ start: dayStart + rng.int(bars), length, depth });
  }
  return episodes;
}

function layEpisode(e: Episode, dip: Float64Array, drift: Float64Array, shape: Float64Array): void {
  const n = dip.length;
  const s = Float64Array.from({ length: e.length }, (_, k) => bump((k + 0.5) / e.length));
  for (let k = 0; k < e.length && e.start + k < n; k++) {
    const t = e.start + k;
    dip[t] = Math.min(dip[t], -e.depth * s[k]);
    shape[t] = Math.max(shape[t], s[k]);
  }
  // The sell-off lags the signal (the bible's thesis: divergence first, then the instability shows in
  // prices) and deeper signals bring bigger, bounded moves. Prices then recover, slower than they fell.
  const drop = Math.min(0.0015 + 0.08 * (e.depth - 0.02), 0.008);
  spread(drift, e.start + Math.round(SELL_OFF_LAG * e.length), e.length, -drop);
  spread(drift, e.start + Math.round(SELL_OFF_LAG * e.length) + e.length, Math.ceil(RECOVERY_STRETCH * e.length), REVERT_SHARE * drop);
}

/** Adds `total` to drift[from .. from+length) along a half-sine, so moves start and end smoothly. */
function spread(drift: Float64Array, from: number, length: number, total: number): void {
  let sum = 0;
  for (let k = 0; k < length; k++) sum += Math.sin((Math.PI * (k + 0.5)) / length);
  for (let k = 0; k < length && from + k < drift.length; k++) {
    drift[from + k] += (total * Math.sin((Math.PI * (k + 0.5)) / length)) / sum;
  }
}

// A quick rise over the first 35% of the episode, then a slower fade; peaks at 1.
function bump(u: number): number {
  if (u < 0.35) return Math.sin((Math.PI / 2) * (u / 0.35)) ** 2;
  return Math.cos((Math.PI / 2) * ((u - 0.35) / 0.65)) ** 2;
}

function makeDay(
  rng: Prng,
  date: string,
  offset: number,
  o: Required<SyntheticOptions>,
  assets: Asset[],
  state: { base: number; v750: number; inst50: number; inst150: number },
  fx: { dip: Float64Array; drift: Float64Array; shape: Float64Array },
  volScale: number,
): DayFrame {
  const rows = o.barsPerDay;
  const col = (): Float64Array => new Float64Array(rows);
  const timestamps = col();
  const [velDiv, v50, v150, v300, v750, instability50, instability150] = [col(), col(), col(), col(), col(), col(), col()];
  const prices = assets.map(col);

  const t0 = dateToMs(date);
  const dayLevel = -0.0001 + V750_DAY_SD * rng.normal();
  const baseInnov = BASE_SD * Math.sqrt(1 - BASE_PHI * BASE_PHI);
  const v750Innov = V750_SD * Math.sqrt(1 - V750_PHI * V750_PHI);
  for (let i = 0; i < rows; i++) {
    const t = offset + i;
    timestamps[i] = t0 + i * o.barSeconds * 1000;

    state.base = BASE_PHI * state.base + baseInnov * rng.normal();
    state.v750 = V750_PHI * state.v750 + v750Innov * rng.normal();
    state.inst50 = 0.9 * state.inst50 + 0.05 * Math.sqrt(1 - 0.81) * rng.normal();
    state.inst150 = 0.97 * state.inst150 + 0.03 * Math.sqrt(1 - 0.9409) * rng.normal();
    const slow = dayLevel + state.v750;
    const fast = state.base + fx.dip[t] + slow;
    v750[i] = slow;
    v50[i] = fast;
    velDiv[i] = fast - slow;
    v150[i] = 0.6 * fast + 0.4 * slow + 0.0003 * rng.normal();
    v300[i] = 0.3 * fast + 0.7 * slow + 0.00015 * rng.normal();
    instability50[i] = Math.abs(state.inst50) + 0.8 * Math.abs(fx.dip[t]);
    instability150[i] = Math.abs(state.inst150) + 0.4 * Math.abs(fx.dip[t]);

    // stress shows up as volatility too
    const market = MARKET_SD * volScale * (1 + fx.shape[t]) * rng.normal() + fx.drift[t];
    for (let a = 0; a < assets.length; a++) {
      const asset = assets[a];
      asset.logPrice += asset.beta * market + asset.idioSd * rng.normal();
      prices[a][i] = Math.exp(asset.logPrice);
    }
  }

  // a few missing prices, as a real feed has
  for (const p of prices) {
    const gaps = rng.poisson(o.missingRate * rows);
    for (let g = 0; g < gaps; g++) p[rng.int(rows)] = NaN;
  }

  return {
    date,
    rows,
    timestamps,
    velDiv,
    v50,
    v150,
    v300,
    v750,
    instability50,
    instability150,
    assets: assets.map((a) => a.name),
    prices,
  };
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
