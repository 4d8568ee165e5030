// The ShockFlip pipeline bar by bar, for a live node: trades in, a signal out at each bar close. Each
// closed bar is built by the research bar kernel from that bar's own trades (so its values are the
// research file's, bit for bit), and the causal features are recomputed over the last `historyBars`
// bars — enough that every window (and the ATR's exponential memory) sees what it sees on the whole
// file. The research-vs-live parity test holds the two to identical decisions.
import { shockAt, type Signal } from './detector.ts';
import { computeFeatures } from './features.ts';
import { featureWindows, type ShockflipParams } from './params.ts';
import { buildResearchBars, type ResearchBars } from './research-bars.ts';
import { TradeColumnsBuilder } from './trade-columns.ts';

const FIELDS = ['start', 'open', 'high', 'low', 'close', 'volume', 'buyVolume', 'sellVolume', 'notional', 'buyNotional', 'sellNotional', 'sumSqAmount', 'vwap'] as const;

export interface LiveSignal extends Signal {
  /** the signal bar's start, epoch ms */
  ts: number;
  /** close of the signal bar: the entry price */
  price: number;
}

export class LiveShockflip {
  readonly barMs: number;
  private readonly historyBars: number;
  private open: { start: number; trades: TradeColumnsBuilder } | null = null;
  private bars: Record<(typeof FIELDS)[number], number[]> & { trades: number[]; buyTrades: number[] };
  /** absolute index of bars[0] since the first bar */
  private offset = 0;
  private lastSignal = -Infinity;

  /** bars kept for `recentBars` (monitoring), beyond what the features need */
  private readonly keepBars: number;

  constructor(
    private readonly p: ShockflipParams,
    options: { historyBars?: number; keepBars?: number } = {},
  ) {
    this.barMs = p.shock_flip.bars.bar_ms;
    const w = featureWindows(p);
    // the longest window plus the ATR's memory (≈ 40 time constants leave nothing a double can see)
    this.historyBars = options.historyBars ?? Math.max(w.z_window, w.rel_vol_window, w.donchian_window, w.vwap_window, w.spread_window, w.div_window) + 40 * w.atr_window;
    this.keepBars = Math.max(this.historyBars, options.keepBars ?? 0);
    this.bars = { ...Object.fromEntries(FIELDS.map((f) => [f, []])), trades: [], buyTrades: [] } as unknown as LiveShockflip['bars'];
  }

  /** Closed bars seen so far. */
  get barCount(): number {
    return this.offset + this.bars.start.length;
  }

  /** One trade (in time order); returns the signals of the bars it closed. */
  push(ts: number, price: number, amount: number, side: 1 | -1): LiveSignal[] {
    const out = this.advance(ts);
    if (this.open === null) this.open = { start: ts - (ts % this.barMs), trades: new TradeColumnsBuilder(64) };
    this.open.trades.push(ts, price, amount, side);
    return out;
  }

  /** The clock says `nowMs`: bars that ended at or before it close (quiet ones carry the last close). */
  advance(nowMs: number): LiveSignal[] {
    const out: LiveSignal[] = [];
    while (this.open !== null && nowMs >= this.open.start + this.barMs) {
      this.closeOpen();
      const s = this.detect();
      if (s !== null) out.push(s);
      const next = this.open.start + this.barMs;
      // a quiet interval before `nowMs` is a filled bar, as the research kernel writes it
      if (nowMs >= next + this.barMs) this.open = { start: next, trades: new TradeColumnsBuilder(1) };
      else this.open = null;
    }
    return out;
  }

  private closeOpen(): void {
    const { start, trades } = this.open!;
    const b = this.bars;
    if (trades.length === 0) {
      const c = b.close[b.close.length - 1];
      const row = { start, open: c, high: c, low: c, close: c, volume: 0, buyVolume: 0, sellVolume: 0, notional: 0, buyNotional: 0, sellNotional: 0, sumSqAmount: 0, vwap: c };
      for (const f of FIELDS) b[f].push(row[f]);
      b.trades.push(0);
      b.buyTrades.push(0);
    } else {
      const one = buildResearchBars(trades.finish(), { barMs: this.barMs, source: 'live' });
      for (const f of FIELDS) b[f].push(one[f][0]);
      b.trades.push(one.trades[0]);
      b.buyTrades.push(one.buyTrades[0]);
    }
    if (b.start.length > 2 * this.keepBars) this.trim();
  }

  private trim(): void {
    const drop = this.bars.start.length - this.keepBars;
    for (const f of [...FIELDS, 'trades', 'buyTrades'] as const) this.bars[f].splice(0, drop);
    this.offset += drop;
  }

  /** The last closed bars spanning `ms` (at most what is kept) as research bars. */
  recentBars(ms: number): ResearchBars {
    const n = this.bars.start.length;
    return this.view(Math.max(0, n - Math.ceil(ms / this.barMs)), n);
  }

  /** The detector on the newest bar, over the features of the retained history. */
  private detect(): LiveSignal | null {
    const n = this.bars.start.length;
    const from = Math.max(0, n - this.historyBars);
    const f = computeFeatures(this.view(from, n), featureWindows(this.p));
    const i = n - 1 - from;
    const abs = this.offset + n - 1;
    if (abs - this.lastSignal <= this.p.shock_flip.detector.cooldown_bars) return null;
    const side = shockAt(f, i, this.p.shock_flip.detector);
    if (side === 0) return null;
    this.lastSignal = abs;
    return { bar: abs, side, ts: this.bars.start[n - 1], price: this.bars.close[n - 1] };
  }

  /** The retained bars [from, to) as research bars. */
  private view(from: number, to: number): ResearchBars {
    const b = this.bars;
    const f64 = (x: number[]) => Float64Array.from(x.slice(from, to));
    return {
      length: to - from, barMs: this.barMs,
      start: f64(b.start), open: f64(b.open), high: f64(b.high), low: f64(b.low), close: f64(b.close),
      volume: f64(b.volume), buyVolume: f64(b.buyVolume), sellVolume: f64(b.sellVolume), notional: f64(b.notional),
      buyNotional: f64(b.buyNotional), sellNotional: f64(b.sellNotional), sumSqAmount: f64(b.sumSqAmount),
      trades: Int32Array.from(b.trades.slice(from, to)), buyTrades: Int32Array.from(b.buyTrades.slice(from, to)), vwap: f64(b.vwap),
    };
  }
}
