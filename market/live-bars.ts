// One row of closes for all assets per bar interval, from each asset's trades: the multi-asset bar a
// live feed needs (NG3's correlation and the engine both read every asset at the same bar). An asset
// that did not trade in an interval carries its last close (the builder's 'fill'); an asset that never
// traded is NaN (the engine's "no price"). Pure: time moves only with the `nowMs` it is given.
import { BarBuilder } from './bar-builder.ts';
import type { Trade } from './trade.ts';

export interface BarRow {
  /** the interval's start, epoch ms (a multiple of barMs) */
  start: number;
  /** close of each asset, in `assets` order */
  closes: Float64Array;
  /** base volume of each asset in the interval (0 for a filled bar) */
  volumes: Float64Array;
}

export class MultiAssetBars {
  readonly barMs: number;
  private readonly builders: BarBuilder[];
  private readonly index: Map<string, number>;
  /** per asset: start → [close, volume] of closed bars not yet emitted */
  private readonly closed: Array<Map<number, [number, number]>>;
  private readonly last: Float64Array;
  /** start of the next row to emit */
  private next: number;

  /** Rows start at the interval holding `startMs`; earlier trades only seed each asset's last close. */
  constructor(
    readonly assets: readonly string[],
    barMs: number,
    startMs: number,
  ) {
    this.barMs = barMs;
    this.builders = assets.map(() => new BarBuilder({ barMs, emptyBars: 'fill' }));
    this.index = new Map(assets.map((a, i) => [a, i]));
    this.closed = assets.map(() => new Map());
    this.last = new Float64Array(assets.length).fill(NaN);
    this.next = startMs - (((startMs % barMs) + barMs) % barMs);
  }

  /** Adds an asset's trades (in time order); trades of an unknown asset are an error. Returns late trades. */
  push(asset: string, trades: readonly Trade[]): number {
    const a = this.index.get(asset);
    if (a === undefined) throw new RangeError(`live bars: ${asset} is not one of the ${this.assets.length} assets`);
    const b = this.builders[a];
    const late = b.stats.late;
    for (const t of trades) for (const bar of b.push(t)) this.keep(a, bar.start, bar.close, bar.volume);
    return b.stats.late - late;
  }

  /** Every interval that ended at or before `nowMs`, as rows in time order (each row once). */
  advance(nowMs: number): BarRow[] {
    this.builders.forEach((b, a) => {
      for (const bar of b.flush(nowMs)) this.keep(a, bar.start, bar.close, bar.volume);
    });
    const out: BarRow[] = [];
    for (; this.next + this.barMs <= nowMs; this.next += this.barMs) {
      const closes = new Float64Array(this.assets.length);
      const volumes = new Float64Array(this.assets.length);
      for (let a = 0; a < this.assets.length; a++) {
        const bar = this.closed[a].get(this.next);
        if (bar !== undefined) {
          this.last[a] = bar[0];
          volumes[a] = bar[1];
          this.closed[a].delete(this.next);
        }
        closes[a] = this.last[a];
      }
      out.push({ start: this.next, closes, volumes });
    }
    return out;
  }

  private keep(a: number, start: number, close: number, volume: number): void {
    if (start < this.next) this.last[a] = close; // before the first row: only its close matters
    else this.closed[a].set(start, [close, volume]);
  }
}
