// The engine's state between days as plain data (bible §13 run state, for the actor's restarts):
// AlphaEngine.snapshot() writes it, AlphaEngine.restore() checks it here and rebuilds the engine.
// Plain data only — numbers, strings, booleans, null, arrays, Float64Array / Int32Array and plain
// objects — so msgpackr can carry it; encode with `new Packr({ moreTypes: true, useRecords: false })`
// (without moreTypes msgpackr 2.x turns a Float64Array into a Buffer of the wrong bytes).
// msgpackr writes a plain-number −0 as the integer 0. No state the engine computes with depends on
// the sign of a zero, so the run continues exactly; only a diagnostic copied into a trade record
// could read 0 for −0. The typed arrays (prices, vel_div history) keep every bit.
import type { EngineConfig } from './config.ts';
import type { PriceBookState } from './price-book.ts';
import type { RngState } from './rng.ts';
import type { SizerStatsState } from './sizer-stats.ts';
import { POSTURES, type EntryDiagnostics, type TradeRecord } from './types.ts';

export const ENGINE_SNAPSHOT_VERSION = 1;

/** The position held over the snapshot (it may have been open over midnight). */
export interface PositionSnapshot {
  tradeId: number;
  asset: string; // one of EngineSnapshot.assets
  direction: -1 | 1;
  entryPrice: number;
  entryBar: number; // global bar index
  entryDate: string;
  entryTs: number; // epoch ms, NaN when the frame had no timestamps
  notional: number;
  leverage: number;
  fraction: number;
  bucket: number; // the sizer bucket its outcome will be recorded under
  entry: EntryDiagnostics;
}

/** Everything of an AlphaEngine that carries from one day to the next. */
export interface EngineSnapshot {
  version: 1;
  /** cfg.seed of the engine it was taken from; restore refuses another seed */
  seed: number;
  /** date of the last day the engine ended (endDay), null before the first */
  lastDate: string | null;
  capital: number;
  rng: RngState;
  stats: SizerStatsState;
  /** every asset seen so far, in first-seen order: asset g of the price book is assets[g] */
  assets: string[];
  book: PriceBookState;
  /** the vel_div history ring: `ring` has vel_div_history_cap slots, `head` is the next write slot */
  velDiv: { ring: Float64Array; count: number; head: number };
  barCount: number;
  globalBarIdx: number;
  lastExitBar: number;
  position: PositionSnapshot | null;
  nextTradeId: number;
  /** closed trades in order, or null for snapshot({ withTrades: false }) (the caller keeps them) */
  trades: TradeRecord[] | null;
}

export interface SnapshotOptions {
  /** include the closed trades (default true); without them restore starts an empty trade list */
  withTrades?: boolean;
}

/** A snapshot that cannot be restored: `field` is the path of the offending value, e.g. `book.heads[3]`. */
export class EngineSnapshotError extends Error {
  override readonly name = 'EngineSnapshotError';
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`engine snapshot: ${field} ${problem}`);
    this.field = field;
  }
}

// ---- copies (no aliasing between a snapshot and an engine) ----

export function copyEntry(e: EntryDiagnostics): EntryDiagnostics {
  return { ...e };
}

export function copyTrade(t: TradeRecord): TradeRecord {
  return { ...t, entry: { ...t.entry } };
}

// ---- validation ----

type Check = (v: unknown, path: string) => void;

const fail = (path: string, problem: string): never => {
  throw new EngineSnapshotError(path, problem);
};
const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `${/^[AEIOU]/.test(v.constructor.name) ? 'an' : 'a'} ${v.constructor.name}`;
  return 'an object';
};

const anyNumber: Check = (v, p) => {
  if (typeof v !== 'number') fail(p, `must be a number, got ${show(v)}`);
};
const finite: Check = (v, p) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(p, `must be a finite number, got ${show(v)}`);
};
const intIn =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (v, p) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail(p, `must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], got ${show(v)}`);
    }
  };
const string: Check = (v, p) => {
  if (typeof v !== 'string') fail(p, `must be a string, got ${show(v)}`);
};
const nullable =
  (c: Check): Check =>
  (v, p) => {
    if (v !== null) c(v, p);
  };
const oneOf =
  (...allowed: readonly unknown[]): Check =>
  (v, p) => {
    if (!allowed.includes(v)) fail(p, `must be one of ${allowed.map(show).join(', ')}, got ${show(v)}`);
  };
const direction = oneOf(-1, 1);
const bucket = intIn(0, 3);

function plainObject(v: unknown, p: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) fail(p, `must be an object, got ${show(v)}`);
  return v as Record<string, unknown>;
}

/** An object with exactly the fields of `shape`, each passing its check. */
function record<T>(shape: { [K in keyof T]-?: Check }): Check {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return (v, p) => {
    const o = plainObject(v, p);
    for (const k of keys) {
      if (!(k in o)) fail(`${p}.${k}`, 'is missing');
      shape[k](o[k], `${p}.${k}`);
    }
    for (const k of Object.keys(o)) if (!(k in shape)) fail(`${p}.${k}`, 'is not a field of this snapshot version');
  };
}

function arrayOf(v: unknown, p: string, length?: number): unknown[] {
  if (!Array.isArray(v)) fail(p, `must be an array, got ${show(v)}`);
  const a = v as unknown[];
  if (length !== undefined && a.length !== length) fail(p, `must have ${length} entries, got ${a.length}`);
  return a;
}

function typed<T extends Float64Array | Int32Array>(
  kind: new (n: number) => T,
  v: unknown,
  p: string,
  length: number,
): T {
  if (!(v instanceof kind)) {
    fail(p, `must be ${/^[AEIOU]/.test(kind.name) ? 'an' : 'a'} ${kind.name}, got ${show(v)} (encode snapshots with msgpackr moreTypes: true)`);
  }
  const a = v as T;
  if (a.length !== length) fail(p, `must have ${length} entries, got ${a.length}`);
  return a;
}

const entryShape: { [K in keyof EntryDiagnostics]-?: Check } = {
  capitalAtEntry: anyNumber,
  velDiv: anyNumber,
  velDivTrend: anyNumber,
  bucket,
  bucketBoost: anyNumber,
  streakMult: anyNumber,
  trendMult: anyNumber,
  strengthScore: anyNumber,
  sizeLeverage: anyNumber,
  regimeSizeMult: anyNumber,
  marketObMult: anyNumber,
  clampedMaxLeverage: anyNumber,
  rawLeverage: anyNumber,
  dc: oneOf('CONFIRM', 'NEUTRAL', 'CONTRADICT'),
  signalConfidence: anyNumber,
  ars: anyNumber,
  irpAlignment: anyNumber,
  posture: oneOf(...POSTURES),
};
const entry = record<EntryDiagnostics>(entryShape);

const trade = record<TradeRecord>({
  tradeId: intIn(1),
  date: string,
  entryDate: string,
  entryBar: intIn(0),
  exitBar: intIn(0),
  entryTs: nullable(string),
  exitTs: nullable(string),
  asset: string,
  direction,
  entryPrice: anyNumber,
  exitPrice: anyNumber,
  exitTriggerPrice: anyNumber,
  leverage: anyNumber,
  notional: anyNumber,
  fraction: anyNumber,
  exitReason: oneOf('FIXED_TP', 'STOP_LOSS', 'MAX_HOLD', 'HIBERNATE_HALT', 'SUBDAY_ACB_NORMALIZATION'),
  barsHeld: intIn(0),
  pnlPctPrice: anyNumber,
  pnlPctRaw: anyNumber,
  rngEntryDraw: nullable(anyNumber),
  rngExitDraw: nullable(anyNumber),
  rngObDraw: nullable(anyNumber),
  entryFee: anyNumber,
  exitFee: anyNumber,
  grossPnl: anyNumber,
  netPnl: anyNumber,
  capitalAfter: anyNumber,
  entry,
});

const position = record<PositionSnapshot>({
  tradeId: intIn(1),
  asset: string,
  direction,
  entryPrice: finite,
  entryBar: intIn(0),
  entryDate: string,
  entryTs: anyNumber,
  notional: finite,
  leverage: finite,
  fraction: finite,
  bucket,
  entry,
});

const TOP_LEVEL: readonly (keyof EngineSnapshot)[] = [
  'version', 'seed', 'lastDate', 'capital', 'rng', 'stats', 'assets', 'book', 'velDiv',
  'barCount', 'globalBarIdx', 'lastExitBar', 'position', 'nextTradeId', 'trades',
];

/** The ring slots per asset a PriceBook built from `cfg` has (PriceBook's constructor rule). */
export function bookMinCapacity(cfg: EngineConfig): number {
  return Math.max(cfg.irp.irp_window, cfg.dc.dc_lookback_bars + 1);
}

function ringSlots(cfg: EngineConfig): number {
  let size = 1;
  while (size < Math.min(bookMinCapacity(cfg), cfg.bar_loop.price_history_cap)) size <<= 1;
  return size;
}

/**
 * `v` as an EngineSnapshot an engine with configuration `cfg` can continue from, or an
 * EngineSnapshotError naming the first field that is wrong: the version, then the seed, then the
 * shape of every field, then the invariants that tie the fields together.
 */
export function checkSnapshot(cfg: EngineConfig, v: unknown): EngineSnapshot {
  const o = plainObject(v, 'snapshot');
  if (o.version !== ENGINE_SNAPSHOT_VERSION) fail('version', `must be ${ENGINE_SNAPSHOT_VERSION}, got ${show(o.version)}`);
  if (o.seed !== cfg.seed) fail('seed', `is ${show(o.seed)} but the configuration's seed is ${cfg.seed}: the random stream would not continue`);
  for (const k of TOP_LEVEL) if (!(k in o)) fail(k, 'is missing');
  for (const k of Object.keys(o)) if (!(TOP_LEVEL as readonly string[]).includes(k)) fail(k, 'is not a field of this snapshot version');

  nullable(string)(o.lastDate, 'lastDate');
  anyNumber(o.capital, 'capital');
  intIn(0)(o.barCount, 'barCount');
  intIn(0)(o.globalBarIdx, 'globalBarIdx');
  const bars = o.globalBarIdx as number;
  intIn(-1, bars - 1)(o.lastExitBar, 'lastExitBar');
  intIn(1)(o.nextTradeId, 'nextTradeId');

  // rng
  const rng = plainObject(o.rng, 'rng');
  const mt = arrayOf(rng.mt, 'rng.mt', 624);
  mt.forEach((w, i) => intIn(0, 0xffffffff)(w, `rng.mt[${i}]`));
  intIn(0, 624)(rng.mti, 'rng.mti');
  for (const k of Object.keys(rng)) if (k !== 'mt' && k !== 'mti') fail(`rng.${k}`, 'is not a field of this snapshot version');

  // assets
  const assets = arrayOf(o.assets, 'assets');
  const seen = new Set<string>();
  assets.forEach((a, i) => {
    string(a, `assets[${i}]`);
    if (seen.has(a as string)) fail(`assets[${i}]`, `repeats ${show(a)}`);
    seen.add(a as string);
  });
  const n = assets.length;

  // price book
  const book = plainObject(o.book, 'book');
  const bl = cfg.bar_loop;
  if (book.cap !== bl.price_history_cap) fail('book.cap', `is ${show(book.cap)} but the configuration's price_history_cap is ${bl.price_history_cap}`);
  if (book.keep !== bl.price_history_keep) fail('book.keep', `is ${show(book.keep)} but the configuration's price_history_keep is ${bl.price_history_keep}`);
  const slots = ringSlots(cfg);
  if (book.slots !== slots) fail('book.slots', `is ${show(book.slots)} but this configuration gives ${slots} ring slots per asset`);
  typed(Float64Array, book.ring, 'book.ring', n * slots);
  const heads = typed(Int32Array, book.heads, 'book.heads', n);
  const lengths = typed(Int32Array, book.lengths, 'book.lengths', n);
  const pricedAt = typed(Float64Array, book.pricedAt, 'book.pricedAt', n);
  for (let g = 0; g < n; g++) {
    intIn(0, slots - 1)(heads[g], `book.heads[${g}]`);
    intIn(0, bl.price_history_cap)(lengths[g], `book.lengths[${g}]`);
    intIn(lengths[g] > 0 ? 0 : -1, bars - 1)(pricedAt[g], `book.pricedAt[${g}]`); // −1: never priced
  }
  for (const k of Object.keys(book)) {
    if (!['cap', 'keep', 'slots', 'ring', 'heads', 'lengths', 'pricedAt'].includes(k)) fail(`book.${k}`, 'is not a field of this snapshot version');
  }

  // vel_div history
  const vd = plainObject(o.velDiv, 'velDiv');
  const cap = bl.vel_div_history_cap;
  typed(Float64Array, vd.ring, 'velDiv.ring', cap);
  intIn(0, Math.min(cap, o.barCount as number))(vd.count, 'velDiv.count');
  intIn(0, cap - 1)(vd.head, 'velDiv.head');
  if ((vd.count as number) < cap && vd.head !== vd.count) fail('velDiv.head', `must equal velDiv.count (${show(vd.count)}) until the ring is full, got ${show(vd.head)}`);
  for (const k of Object.keys(vd)) if (!['ring', 'count', 'head'].includes(k)) fail(`velDiv.${k}`, 'is not a field of this snapshot version');

  // position
  const nextId = o.nextTradeId as number;
  if (o.position !== null) {
    position(o.position, 'position');
    const p = o.position as PositionSnapshot;
    if (!seen.has(p.asset)) fail('position.asset', `${show(p.asset)} is not among the snapshot's assets`);
    if (p.tradeId !== nextId - 1) fail('position.tradeId', `must be nextTradeId − 1 = ${nextId - 1}, got ${p.tradeId}`);
    if (!(p.entryBar > (o.lastExitBar as number) && p.entryBar < bars)) {
      fail('position.entryBar', `must lie after lastExitBar (${show(o.lastExitBar)}) and before globalBarIdx (${bars}), got ${p.entryBar}`);
    }
  }
  const closedCount = nextId - 1 - (o.position === null ? 0 : 1);
  if (closedCount < 0) fail('nextTradeId', `is ${nextId} with a position open: no trade id was issued for it`);

  // sizer stats
  const stats = plainObject(o.stats, 'stats');
  const wins = arrayOf(stats.bucketWins, 'stats.bucketWins', 4);
  const total = arrayOf(stats.bucketTotal, 'stats.bucketTotal', 4);
  for (let b = 0; b < 4; b++) {
    intIn(0)(total[b], `stats.bucketTotal[${b}]`);
    intIn(0, total[b] as number)(wins[b], `stats.bucketWins[${b}]`);
  }
  const recent = arrayOf(stats.recent, 'stats.recent');
  if (recent.length > 5) fail('stats.recent', `must hold at most 5 outcomes, got ${recent.length}`);
  recent.forEach((x, i) => {
    if (typeof x !== 'boolean') fail(`stats.recent[${i}]`, `must be a boolean, got ${show(x)}`);
  });
  for (const k of Object.keys(stats)) if (!['bucketWins', 'bucketTotal', 'recent'].includes(k)) fail(`stats.${k}`, 'is not a field of this snapshot version');
  const recorded = (total as number[]).reduce((s, x) => s + x, 0);
  if (recorded !== closedCount) {
    fail('stats.bucketTotal', `counts ${recorded} closed trades but nextTradeId ${nextId} and ${o.position === null ? 'no' : 'an'} open position imply ${closedCount}`);
  }
  if (recent.length !== Math.min(5, closedCount)) fail('stats.recent', `must hold the last min(5, ${closedCount}) outcomes, got ${recent.length}`);

  // closed trades
  if (o.trades !== null) {
    const trades = arrayOf(o.trades, 'trades');
    if (trades.length > closedCount) fail('trades', `holds ${trades.length} trades but only ${closedCount} were closed`);
    let prevId = 0;
    trades.forEach((x, i) => {
      trade(x, `trades[${i}]`);
      const id = (x as TradeRecord).tradeId;
      if (id <= prevId || id >= nextId) fail(`trades[${i}].tradeId`, `must rise and stay below nextTradeId ${nextId}, got ${id} after ${prevId}`);
      prevId = id;
    });
  }
  return o as unknown as EngineSnapshot;
}
