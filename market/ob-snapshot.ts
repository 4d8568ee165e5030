// One order-book snapshot per symbol per 500 ms cycle (bible §16.2), and the checks every source's
// output passes before features are computed from it: a bad book is reported by symbol and level,
// never averaged into a feature.

/** [price, size]; price in quote currency (USDT), size in base units. */
export type ObLevel = readonly [price: number, size: number];

export interface ObSnapshot {
  /** the engine's asset name, e.g. BTCUSDT */
  readonly symbol: string;
  /** exchange time of the book, epoch ms */
  readonly ts: number;
  /** best (highest) first, strictly decreasing prices */
  readonly bids: readonly ObLevel[];
  /** best (lowest) first, strictly increasing prices */
  readonly asks: readonly ObLevel[];
}

export type ObSide = 'bids' | 'asks';

export interface ObDataLocation {
  /** the file a recorded snapshot came from */
  file?: string;
  /** 1-based line in that file */
  line?: number;
  symbol?: string;
  side?: ObSide;
  /** 0-based index into `side` */
  level?: number;
}

/** A snapshot that is not a valid book. The message names file:line (when recorded), symbol and level. */
export class ObDataError extends Error {
  override readonly name = 'ObDataError';
  readonly file?: string;
  readonly line?: number;
  readonly symbol?: string;
  readonly side?: ObSide;
  readonly level?: number;
  /** the problem without its location */
  readonly detail: string;

  constructor(where: ObDataLocation, detail: string, options?: { cause?: unknown }) {
    super(formatLocation(where) + detail, options);
    if (where.file !== undefined) this.file = where.file;
    if (where.line !== undefined) this.line = where.line;
    if (where.symbol !== undefined) this.symbol = where.symbol;
    if (where.side !== undefined) this.side = where.side;
    if (where.level !== undefined) this.level = where.level;
    this.detail = detail;
  }
}

function formatLocation(w: ObDataLocation): string {
  const parts: string[] = [];
  if (w.file !== undefined) parts.push(w.line !== undefined ? `${w.file} line ${w.line}` : w.file);
  else if (w.line !== undefined) parts.push(`line ${w.line}`);
  if (w.symbol !== undefined) parts.push(w.symbol);
  if (w.side !== undefined) parts.push(w.level !== undefined ? `${w.side}[${w.level}]` : w.side);
  return parts.length > 0 ? parts.join(' ') + ': ' : '';
}

/**
 * Checks that `value` is a well-formed, uncrossed book and returns it typed. Throws ObDataError naming
 * the symbol and the first bad level. Empty sides are allowed (a fully withdrawn side is a real book
 * state; features treat it as zero depth). A locked book (best bid = best ask) counts as crossed.
 * `where` adds file and line for recorded data.
 */
export function validateSnapshot(value: unknown, where: { file?: string; line?: number } = {}): ObSnapshot {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ObDataError(where, `snapshot must be an object, got ${describe(value)}`);
  }
  const v = value as Record<string, unknown>;
  if (typeof v.symbol !== 'string' || v.symbol.length === 0) {
    throw new ObDataError(where, `symbol must be a non-empty string, got ${describe(v.symbol)}`);
  }
  const at: ObDataLocation = { ...where, symbol: v.symbol };
  if (typeof v.ts !== 'number' || !Number.isFinite(v.ts) || v.ts < 0) {
    throw new ObDataError(at, `ts must be a finite epoch-ms number >= 0, got ${describe(v.ts)}`);
  }
  checkSide(v.bids, 'bids', at);
  checkSide(v.asks, 'asks', at);
  const bids = v.bids as ObLevel[];
  const asks = v.asks as ObLevel[];
  if (bids.length > 0 && asks.length > 0 && bids[0][0] >= asks[0][0]) {
    throw new ObDataError(
      { ...at, side: 'bids', level: 0 },
      `crossed book: best bid ${bids[0][0]} >= best ask ${asks[0][0]}`,
    );
  }
  return value as ObSnapshot;
}

function checkSide(levels: unknown, side: ObSide, at: ObDataLocation): void {
  if (!Array.isArray(levels)) throw new ObDataError({ ...at, side }, `must be an array of [price, size], got ${describe(levels)}`);
  // bids fall, asks rise, strictly: equal prices would be one level reported twice
  const dir = side === 'bids' ? -1 : 1;
  for (let i = 0; i < levels.length; i++) {
    // the location object is built only on failure: this runs for every level of every book
    const l: unknown = levels[i];
    if (!Array.isArray(l) || l.length !== 2) throw new ObDataError({ ...at, side, level: i }, `level must be [price, size], got ${describe(l)}`);
    const price: unknown = l[0];
    const size: unknown = l[1];
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
      throw new ObDataError({ ...at, side, level: i }, `price must be a finite number > 0, got ${describe(price)}`);
    }
    if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) {
      throw new ObDataError({ ...at, side, level: i }, `size must be a finite number > 0, got ${describe(size)}`);
    }
    if (i > 0) {
      const prev = (levels[i - 1] as number[])[0];
      if ((price - prev) * dir <= 0) {
        const order = side === 'bids' ? 'below' : 'above';
        throw new ObDataError({ ...at, side, level: i }, `unsorted: price ${price} not strictly ${order} ${side}[${i - 1}] price ${prev} (best first)`);
      }
    }
  }
}

function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'undefined') return String(v); // JSON would print NaN as null
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? s.slice(0, 60) + '…' : s;
}
