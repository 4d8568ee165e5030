// A seeded order-book source for tests, demos and soak runs without an exchange. Each symbol is its
// own stream (Prng stream = hash of the symbol), stepped on a fixed time grid, so a symbol's books do
// not depend on which other symbols are asked for, nor on how often: same seed ⇒ same snapshots.
// The books move enough for every feature to: a random-walk mid, slowly varying liquidity and
// bid/ask tilt, occasional withdrawals (both sides thin, then recover) and cascades (one side swept,
// price runs through it).
import { ObSourceError, type ObSource } from './ob-source.ts';
import type { ObLevel, ObSnapshot } from './ob-snapshot.ts';
import { Prng } from './prng.ts';

export interface SyntheticBookParams {
  /** levels per side */
  levels: number;
  /** st. dev. of the mid's log step, bps */
  mid_vol_bps: number;
  /** best bid/ask distance from mid, bps */
  half_spread_bps: number;
  /** distance between adjacent levels, bps */
  level_step_bps: number;
  /** typical USDT notional resting at one level */
  level_notional_usd: number;
  /** log-normal sigma of each level's size */
  size_noise: number;
  /** AR(1) coefficient and innovation sigma of log liquidity (whole-book depth) */
  liquidity_phi: number;
  liquidity_sigma: number;
  /** AR(1) of the latent bid/ask tilt; sizes scale by 1 ± amp · tanh(latent) */
  tilt_phi: number;
  tilt_sigma: number;
  tilt_amp: number;
  /** chance per step that a withdrawal starts (when no episode runs) */
  withdrawal_rate: number;
  /** share of depth withdrawn at the trough, both sides */
  withdrawal_depth: number;
  /** cascade: chance per step, share of the swept side removed, share of the other side removed */
  cascade_rate: number;
  cascade_depth: number;
  cascade_other_depth: number;
  /** mid move per step (bps) through the swept side during the attack */
  cascade_move_bps: number;
  /** episode: steps to the trough, then total length in steps */
  episode_attack: number;
  episode_length: number;
}

export const SYNTHETIC_BOOK_PARAMS: Readonly<SyntheticBookParams> = Object.freeze({
  levels: 10,
  mid_vol_bps: 2,
  half_spread_bps: 1,
  level_step_bps: 1,
  level_notional_usd: 50_000,
  size_noise: 0.2,
  liquidity_phi: 0.98,
  liquidity_sigma: 0.03,
  tilt_phi: 0.9,
  tilt_sigma: 0.25,
  tilt_amp: 0.6,
  withdrawal_rate: 0.003,
  withdrawal_depth: 0.7,
  cascade_rate: 0.001,
  cascade_depth: 0.9,
  cascade_other_depth: 0.3,
  cascade_move_bps: 15,
  episode_attack: 3,
  episode_length: 40,
});

export interface SyntheticObSourceOptions {
  seed: number;
  /** grid step, ms (the bible's 500 ms cycle, §16.2) */
  stepMs?: number;
  /** grid origin, epoch ms; default: the first call's nowMs rounded down to the step */
  startMs?: number;
  params?: Partial<SyntheticBookParams>;
}

interface Episode {
  kind: 'withdrawal' | 'cascade';
  /** cascade: −1 sweeps the bids (price falls), +1 the asks */
  side: -1 | 1;
  age: number;
}

interface SymbolStream {
  rng: Prng;
  step: number;
  logMid: number;
  logLiq: number;
  tilt: number;
  episode: Episode | null;
  book: ObSnapshot;
}

export class SyntheticObSource implements ObSource {
  readonly name: string;
  private readonly p: Readonly<SyntheticBookParams>;
  private readonly stepMs: number;
  private origin: number | undefined;
  private readonly streams = new Map<string, SymbolStream>();

  constructor(private readonly o: SyntheticObSourceOptions) {
    this.name = `synthetic:${o.seed}`;
    this.p = { ...SYNTHETIC_BOOK_PARAMS, ...o.params };
    this.stepMs = o.stepMs ?? 500;
    this.origin = o.startMs;
    if (!(this.stepMs > 0)) throw new RangeError(`SyntheticObSource stepMs must be > 0, got ${this.stepMs}`);
    if (!Number.isInteger(this.p.levels) || this.p.levels < 1) throw new RangeError(`SyntheticObSource levels must be an integer >= 1, got ${this.p.levels}`);
  }

  /** The book at the last grid step at or before nowMs; symbols are omitted before the origin. */
  async snapshots(symbols: readonly string[], nowMs: number): Promise<ObSnapshot[]> {
    if (this.origin === undefined) this.origin = Math.floor(nowMs / this.stepMs) * this.stepMs;
    if (nowMs < this.origin) return [];
    const target = Math.floor((nowMs - this.origin) / this.stepMs);
    const out: ObSnapshot[] = [];
    for (const sym of symbols) {
      const s = this.stream(sym);
      if (target < s.step) {
        throw new ObSourceError(this.name, sym, false, `time went backwards: asked for ${nowMs}, already at ${s.book.ts}`);
      }
      while (s.step < target) this.advance(sym, s);
      out.push(s.book);
    }
    return out;
  }

  private stream(sym: string): SymbolStream {
    let s = this.streams.get(sym);
    if (s === undefined) {
      const rng = new Prng(this.o.seed, fnv1a(sym));
      // mids from 1 to 10 000 so books of different price scales are exercised
      const logMid = Math.log(10) * 4 * rng.next();
      s = { rng, step: 0, logMid, logLiq: 0, tilt: 0, episode: null, book: undefined as unknown as ObSnapshot };
      s.book = this.build(sym, s);
      this.streams.set(sym, s);
    }
    return s;
  }

  private advance(sym: string, s: SymbolStream): void {
    const p = this.p;
    const r = s.rng;
    s.step++;
    // Fixed draws per step (event, side) whether used or not, so the stream stays aligned.
    const uEvent = r.next();
    const uSide = r.next();
    if (s.episode !== null && ++s.episode.age >= p.episode_length) s.episode = null;
    if (s.episode === null) {
      if (uEvent < p.cascade_rate) s.episode = { kind: 'cascade', side: uSide < 0.5 ? -1 : 1, age: 0 };
      else if (uEvent < p.cascade_rate + p.withdrawal_rate) s.episode = { kind: 'withdrawal', side: 1, age: 0 };
    }
    let drift = 0;
    if (s.episode?.kind === 'cascade' && s.episode.age < p.episode_attack) drift = s.episode.side * p.cascade_move_bps * 1e-4;
    s.logMid += drift + p.mid_vol_bps * 1e-4 * r.normal();
    s.logLiq = p.liquidity_phi * s.logLiq + p.liquidity_sigma * r.normal();
    s.tilt = p.tilt_phi * s.tilt + p.tilt_sigma * r.normal();
    s.book = this.build(sym, s);
  }

  private build(sym: string, s: SymbolStream): ObSnapshot {
    const p = this.p;
    let bidMult = 1;
    let askMult = 1;
    const e = s.episode;
    if (e !== null) {
      // rises to 1 over `episode_attack` steps, then decays back over the rest of the episode
      const shape = e.age < p.episode_attack ? (e.age + 1) / p.episode_attack : Math.exp(-(e.age - p.episode_attack + 1) / (p.episode_length / 4));
      if (e.kind === 'withdrawal') {
        bidMult = askMult = 1 - p.withdrawal_depth * shape;
      } else {
        const swept = 1 - p.cascade_depth * shape;
        const other = 1 - p.cascade_other_depth * shape;
        if (e.side === -1) [bidMult, askMult] = [swept, other];
        else [bidMult, askMult] = [other, swept];
      }
    }
    const mid = Math.exp(s.logMid);
    const tilt = p.tilt_amp * Math.tanh(s.tilt);
    const base = (p.level_notional_usd / mid) * Math.exp(s.logLiq);
    const side = (sign: -1 | 1, mult: number): ObLevel[] => {
      const levels: ObLevel[] = [];
      const tiltMult = sign === -1 ? 1 + tilt : 1 - tilt;
      for (let i = 0; i < p.levels; i++) {
        const price = mid * (1 + sign * (p.half_spread_bps + i * p.level_step_bps) * 1e-4);
        const noise = Math.exp(p.size_noise * s.rng.normal() - (p.size_noise * p.size_noise) / 2);
        levels.push([price, base * tiltMult * mult * noise]);
      }
      return levels;
    };
    const bids = side(-1, bidMult);
    const asks = side(1, askMult);
    return { symbol: sym, ts: this.origin! + s.step * this.stepMs, bids, asks };
  }
}

/** 32-bit FNV-1a of a symbol: its Prng stream number. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
