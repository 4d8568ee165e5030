// Research bars: the columnar twin of market/bar-builder.ts for whole files of time-ordered trades.
// Same bar semantics as BarBuilder with emptyBars 'fill' (UTC-aligned [start, start + barMs), open /
// close = first / last trade, empty intervals carry the previous close with zero volume), plus what
// ShockFlip needs and a Bar does not carry: buy/sell notional (the aggressor spread) and the sum of
// squared trade sizes (trade concentration). One pass over typed arrays, no object per trade.
import { DataError } from '../../market/errors.ts';
import type { TradeColumns } from './trade-columns.ts';

export interface ResearchBars {
  readonly length: number;
  readonly barMs: number;
  /** epoch ms, start + k·barMs: a regular grid without gaps */
  readonly start: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Q⁺ + Q⁻ */
  readonly volume: Float64Array;
  /** Q⁺: base units bought by aggressive buyers */
  readonly buyVolume: Float64Array;
  /** Q⁻: base units sold by aggressive sellers */
  readonly sellVolume: Float64Array;
  /** Σ price·amount over the bar (quote) */
  readonly notional: Float64Array;
  readonly buyNotional: Float64Array;
  readonly sellNotional: Float64Array;
  /** Σ amount² over the bar's trades (trade concentration = this / volume²) */
  readonly sumSqAmount: Float64Array;
  readonly trades: Int32Array;
  readonly buyTrades: Int32Array;
  /** notional / volume; an empty bar has its close */
  readonly vwap: Float64Array;
}

export interface ResearchBarOptions {
  barMs: number;
  /** refuse to allocate more bars than this (a bad timestamp would otherwise ask for billions) */
  maxBars?: number;
  /** name for errors */
  source?: string;
}

/**
 * Bars from time-ordered trades, from the bar of the first trade to the bar of the last (the last
 * bar ends the data; it may be partial). Out-of-order input is a DataError naming the trade row:
 * sort with `sortByTime` first.
 */
export function buildResearchBars(t: TradeColumns, options: ResearchBarOptions): ResearchBars {
  const { barMs, maxBars = 50_000_000, source = 'trades' } = options;
  if (!Number.isSafeInteger(barMs) || barMs <= 0) throw new RangeError(`barMs must be a positive integer, got ${barMs}`);
  const n = t.length;
  if (n === 0) return allocate(0, barMs);
  const { ts, price, amount, side } = t;
  const first = ts[0] - (ts[0] % barMs);
  const last = ts[n - 1] - (ts[n - 1] % barMs);
  const count = (last - first) / barMs + 1;
  if (!(count >= 1) || count > maxBars) {
    throw new DataError({ file: source }, `trades span ${count} bars of ${barMs} ms (first ts ${ts[0]}, last ${ts[n - 1]}): more than maxBars ${maxBars}, or not time-ordered`);
  }
  const b = allocate(count, barMs);
  const { start, open, high, low, close, volume, buyVolume, sellVolume, notional, buyNotional, sellNotional, sumSqAmount, trades, buyTrades, vwap } = b;
  for (let k = 0; k < count; k++) start[k] = first + k * barMs;

  let k = 0;
  let end = first + barMs;
  let prevTs = ts[0];
  // the open bar's running values live in locals: typed-array writes only when a bar closes
  let o = price[0], h = o, l = o, c = o;
  let bv = 0, sv = 0, bn = 0, sn = 0, sq = 0, nt = 0, nb = 0;
  for (let i = 0; i < n; i++) {
    const time = ts[i];
    if (time >= end) {
      // close bar k, fill the empty ones up to the new trade's bar
      store(k, o, h, l, c, bv, sv, bn, sn, sq, nt, nb);
      const next = (time - (time % barMs) - first) / barMs;
      for (let e = k + 1; e < next; e++) store(e, c, c, c, c, 0, 0, 0, 0, 0, 0, 0);
      k = next;
      end = start[k] + barMs;
      o = h = l = c = price[i];
      bv = sv = bn = sn = sq = 0;
      nt = nb = 0;
    } else if (time < prevTs) {
      throw new DataError({ file: source, row: i + 1, column: 'ts' }, `trade at ${time} is earlier than the one before (${prevTs}): sort the trades by time first`);
    }
    prevTs = time;
    const p = price[i], q = amount[i];
    if (p > h) h = p;
    if (p < l) l = p;
    c = p;
    if (side[i] > 0) {
      bv += q;
      bn += p * q;
      nb++;
    } else {
      sv += q;
      sn += p * q;
    }
    sq += q * q;
    nt++;
  }
  store(k, o, h, l, c, bv, sv, bn, sn, sq, nt, nb);
  return b;

  function store(j: number, o: number, h: number, l: number, c: number, bv: number, sv: number, bn: number, sn: number, sq: number, nt: number, nb: number): void {
    open[j] = o;
    high[j] = h;
    low[j] = l;
    close[j] = c;
    buyVolume[j] = bv;
    sellVolume[j] = sv;
    const v = bv + sv;
    volume[j] = v;
    buyNotional[j] = bn;
    sellNotional[j] = sn;
    const nn = bn + sn;
    notional[j] = nn;
    sumSqAmount[j] = sq;
    trades[j] = nt;
    buyTrades[j] = nb;
    vwap[j] = v > 0 ? nn / v : c;
  }
}

function allocate(n: number, barMs: number): ResearchBars {
  const f = (): Float64Array => new Float64Array(n);
  return {
    length: n, barMs,
    start: f(), open: f(), high: f(), low: f(), close: f(), volume: f(), buyVolume: f(), sellVolume: f(),
    notional: f(), buyNotional: f(), sellNotional: f(), sumSqAmount: f(),
    trades: new Int32Array(n), buyTrades: new Int32Array(n), vwap: f(),
  };
}

/** The bars whose index is in [from, to) as a new set (tests compare prefixes). */
export function sliceBars(b: ResearchBars, from: number, to: number): ResearchBars {
  return {
    length: Math.max(0, Math.min(to, b.length) - from), barMs: b.barMs,
    start: b.start.slice(from, to), open: b.open.slice(from, to), high: b.high.slice(from, to), low: b.low.slice(from, to),
    close: b.close.slice(from, to), volume: b.volume.slice(from, to), buyVolume: b.buyVolume.slice(from, to),
    sellVolume: b.sellVolume.slice(from, to), notional: b.notional.slice(from, to), buyNotional: b.buyNotional.slice(from, to),
    sellNotional: b.sellNotional.slice(from, to), sumSqAmount: b.sumSqAmount.slice(from, to), trades: b.trades.slice(from, to),
    buyTrades: b.buyTrades.slice(from, to), vwap: b.vwap.slice(from, to),
  };
}
