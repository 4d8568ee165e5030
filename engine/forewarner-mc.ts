// MC-Forewarner Monte-Carlo envelope model. The bible (§12) specifies only the gate that reads the
// report; the model that produces it is our design, documented in docs/forewarner.md.
// Pure: no I/O, no clock. Work splits into chunks of paths whose merge is independent of the split,
// so the worker pool (workers/forewarner-pool.ts) gives the same report for any thread count.
import { percentile } from './acb.ts';
import { CHAMPION } from './config.ts';
import { resolveMcParams, type McParams } from './forewarner-params.ts';
import { ShortMT19937 } from './rng-short.ts';
import type { ForewarnerReport, TradeRecord } from './types.ts';

export { MC_DEFAULTS, resolveMcParams, type McParams } from './forewarner-params.ts';

/** One day's request: recent trade outcomes, the day's configuration (§12's mc_cfg) and a seed. */
export interface McInput {
  date: string;
  /** returns on capital of closed trades (net_pnl / capital_at_entry), most recent last */
  outcomes: ArrayLike<number>;
  /** §12 mc_cfg: max_leverage = base max_leverage × the day's ACB boost */
  cfg: { max_leverage: number };
  /** integer in [0, 2^32); path i draws from MT19937(seed + i) */
  seed: number;
  params?: Partial<McParams>;
}

/** The §12 report plus what a reader needs to judge it. Final returns are over one simulated day. */
export interface McReport extends ForewarnerReport {
  date: string;
  /** fewer than min_outcomes outcomes: the neutral report, which never gates */
  insufficient: boolean;
  paths: number;
  outcomesUsed: number;
  /** max_leverage / base_max_leverage, applied to every resampled outcome */
  leverageScale: number;
  ruinProbability: number;
  p5: number;
  p50: number;
  p95: number;
  iqr: number;
}

/** Partial statistics of the paths [firstPath, firstPath + count): plain data, safe to post across threads. */
export interface McChunk {
  firstPath: number;
  count: number;
  /** final return (equity − 1) of each path, in path order */
  finals: Float64Array;
  /** paths whose drawdown from their running peak reached catastrophic_drawdown */
  catastrophic: number;
  /** paths whose equity reached ≤ 0 */
  ruined: number;
}

/** Outcomes in the model's sense, from closed trades in the order they closed. */
export function outcomesFromTrades(trades: readonly TradeRecord[]): number[] {
  return trades.map((tr) => tr.netPnl / tr.entry.capitalAtEntry);
}

/** Validated parameters of one request; throws a RangeError naming the bad field. */
interface Prepared {
  p: McParams;
  scale: number;
  insufficient: boolean;
  outcomesUsed: number;
}

function prepare(input: McInput): Prepared {
  const p = resolveMcParams(input.params);
  const { date, seed, outcomes } = input;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`forewarner ${date}: seed must be an integer in [0, 2^32), got ${seed}`);
  const lev = input.cfg.max_leverage;
  if (!Number.isFinite(lev) || lev <= 0) throw new RangeError(`forewarner ${date}: cfg.max_leverage must be > 0, got ${lev}`);
  for (let i = 0; i < outcomes.length; i++) {
    if (!Number.isFinite(outcomes[i])) throw new RangeError(`forewarner ${date}: outcomes[${i}] is ${outcomes[i]}, not a finite number`);
  }
  return {
    p,
    scale: lev / p.base_max_leverage,
    insufficient: outcomes.length < p.min_outcomes,
    outcomesUsed: Math.min(p.window, outcomes.length),
  };
}

/** The outcomes actually resampled: the `window` most recent, scaled to the day's leverage ceiling. */
function scaledWindow(outcomes: ArrayLike<number>, { scale, outcomesUsed: n }: Prepared): Float64Array {
  const start = outcomes.length - n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = outcomes[start + i] * scale;
  return out;
}

/**
 * Simulates paths [firstPath, firstPath + count). Each path owns its random stream, MT19937(seed + index),
 * so a path's result does not depend on which chunk or thread ran it.
 */
export function simulateChunk(input: McInput, firstPath: number, count: number): McChunk {
  const pre = prepare(input);
  const { p } = pre;
  if (!Number.isInteger(firstPath) || !Number.isInteger(count) || firstPath < 0 || count < 0 || firstPath + count > p.paths) {
    throw new RangeError(`forewarner ${input.date}: chunk [${firstPath}, ${firstPath + count}) outside [0, ${p.paths})`);
  }
  const finals = new Float64Array(count);
  const chunk: McChunk = { firstPath, count, finals, catastrophic: 0, ruined: 0 };
  if (pre.insufficient) return chunk;
  const xs = scaledWindow(input.outcomes, pre);
  const n = xs.length;
  // "drawdown reaches d" ⇔ equity ≤ peak·(1 − d); comparing this way avoids 1 − 0.8/1 = 0.19999…
  const floorRatio = 1 - p.catastrophic_drawdown;
  const rng = new ShortMT19937();
  for (let j = 0; j < count; j++) {
    rng.reseed((input.seed + firstPath + j) >>> 0);
    let equity = 1;
    let peak = 1;
    let hit = false;
    for (let k = 0; k < p.horizon; k++) {
      equity *= 1 + xs[Math.floor(rng.random() * n)];
      if (equity <= 0) {
        equity = 0;
        hit = true;
        chunk.ruined++;
        break; // a ruined account takes no further trades
      }
      if (equity > peak) peak = equity;
      else if (equity <= peak * floorRatio) hit = true;
    }
    if (hit) chunk.catastrophic++;
    finals[j] = equity - 1;
  }
  return chunk;
}

/** Splits [0, paths) into at most `parts` contiguous chunks of near-equal size. */
export function planChunks(paths: number, parts: number): Array<{ firstPath: number; count: number }> {
  const k = Math.max(1, Math.min(paths, Math.floor(parts)));
  const out: Array<{ firstPath: number; count: number }> = [];
  for (let i = 0; i < k; i++) {
    const a = Math.floor((i * paths) / k);
    const b = Math.floor(((i + 1) * paths) / k);
    if (b > a) out.push({ firstPath: a, count: b - a });
  }
  return out;
}

/** True when the request has too little history to simulate (the report will be neutral). */
export function isInsufficient(input: McInput): boolean {
  return prepare(input).insufficient;
}

/** Combines chunks, in any order, that tile [0, paths) exactly into the day's report. */
export function mergeChunks(input: McInput, chunks: readonly McChunk[]): McReport {
  const { p, scale, insufficient, outcomesUsed } = prepare(input);
  const base = { date: input.date, outcomesUsed, leverageScale: scale };
  if (insufficient) {
    // a fresh node has no history: report nothing alarming, so the gate stays OK until it has
    return { ...base, catastrophicProbability: 0, envelopeScore: 0, insufficient: true, paths: 0, ruinProbability: 0, p5: 0, p50: 0, p95: 0, iqr: 0 };
  }
  const sorted = [...chunks].sort((a, b) => a.firstPath - b.firstPath);
  const finals: number[] = [];
  let catastrophic = 0;
  let ruined = 0;
  for (const c of sorted) {
    if (c.firstPath !== finals.length || c.finals.length !== c.count) {
      throw new RangeError(`forewarner ${input.date}: chunks do not tile the paths (gap or overlap at path ${finals.length})`);
    }
    for (let i = 0; i < c.count; i++) finals.push(c.finals[i]);
    catastrophic += c.catastrophic;
    ruined += c.ruined;
  }
  if (finals.length !== p.paths) throw new RangeError(`forewarner ${input.date}: chunks cover ${finals.length} of ${p.paths} paths`);
  finals.sort((a, b) => a - b); // percentile() sorts its own copy: already sorted, each of those is linear
  const q1 = percentile(finals, 25);
  const median = percentile(finals, 50);
  const iqr = percentile(finals, 75) - q1;
  return {
    ...base,
    catastrophicProbability: catastrophic / p.paths,
    envelopeScore: median / (iqr / p.iqr_per_sigma + p.score_epsilon),
    insufficient: false,
    paths: p.paths,
    ruinProbability: ruined / p.paths,
    p5: percentile(finals, 5),
    p50: median,
    p95: percentile(finals, 95),
    iqr,
  };
}

/** The whole simulation in one call, on this thread. */
export function assessEnvelope(input: McInput): McReport {
  return mergeChunks(input, [simulateChunk(input, 0, resolveMcParams(input.params).paths)]);
}

/** §12 mc_cfg for a day: the champion's base ceiling times the day's ACB boost. */
export function mcConfigForDay(dayBaseBoost: number, baseMaxLeverage = CHAMPION.sizing.max_leverage): { max_leverage: number } {
  return { max_leverage: baseMaxLeverage * dayBaseBoost };
}
