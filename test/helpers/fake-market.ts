// A seeded market behind the fake exchange (fake-exchange.ts) for end-to-end paper runs: N perpetual
// symbols listed in exchangeInfo, one aggTrade per symbol per simulated second and a 20-level book
// around each price. Prices follow a common factor (highly correlated assets) with, every
// `shockEveryMs`, a stretch of large independent moves — the decorrelation that drives NG3's λmax
// down fast in its short window and so gives vel_div dips the engine trades on.
import { Prng } from '../../market/prng.ts';
import type { FakeExchange } from './fake-exchange.ts';

export interface FakeMarketOptions {
  symbols: readonly string[];
  seed: number;
  /** simulated time of the first trade */
  startMs: number;
  clock: () => number;
  shockEveryMs?: number;
  shockLengthMs?: number;
}

export class FakeMarket {
  private readonly prices: number[];
  private readonly rows: Record<string, unknown>[][];
  private next: number;
  private aggId = 1_000_000;
  private readonly prng: Prng;

  constructor(
    private readonly fake: FakeExchange,
    private readonly o: FakeMarketOptions,
  ) {
    this.prng = new Prng(o.seed);
    this.prices = o.symbols.map((_, i) => 10 * (i + 1));
    this.rows = o.symbols.map(() => []);
    this.next = o.startMs;
    listSymbols(fake, o.symbols);
    o.symbols.forEach((s, i) => fake.aggTrades.set(s, this.rows[i]));
  }

  /** Trades up to the clock's now; the books at the latest prices. */
  advance(): void {
    const now = this.o.clock();
    const every = this.o.shockEveryMs ?? 120_000;
    const length = this.o.shockLengthMs ?? 30_000;
    for (; this.next <= now; this.next += 1_000) {
      const inShock = (this.next - this.o.startMs) % every >= every - length;
      const common = inShock ? 0 : this.normal() * 0.0015;
      this.o.symbols.forEach((_, i) => {
        const r = common + this.normal() * (inShock ? 0.006 : 0.0002);
        this.prices[i] *= Math.exp(r);
        const rows = this.rows[i];
        rows.push({ a: this.aggId++, p: this.prices[i].toFixed(6), q: (0.1 + 2 * this.prng.next()).toFixed(3), f: 1, l: 1, T: this.next, m: r < 0 });
        if (rows.length > 2_000) rows.splice(0, rows.length - 2_000);
      });
    }
    this.o.symbols.forEach((s, i) => this.fake.depth.set(s, book(this.prices[i], now)));
  }

  private normal(): number {
    return this.prng.normal();
  }
}

/** exchangeInfo lists the symbols as USDT-M perpetuals, shaped like the fixture's BTCUSDT entry. */
function listSymbols(fake: FakeExchange, symbols: readonly string[]): void {
  const info = fake.exchangeInfo as { symbols: Record<string, unknown>[] };
  const template = info.symbols.find((s) => s.symbol === 'BTCUSDT')!;
  const known = new Set(info.symbols.map((s) => s.symbol));
  for (const symbol of symbols) {
    if (known.has(symbol)) continue;
    info.symbols.push({ ...template, symbol, pair: symbol, baseAsset: symbol.replace(/USDT$/, '') });
  }
}

function book(price: number, ts: number): Record<string, unknown> {
  // $50k at the touch, $25k more per level: deep enough that the engine's orders fill (§9 fill probability)
  const level = (k: number, side: 1 | -1) => [(price * (1 + side * 0.0001 * (k + 1))).toFixed(6), ((50_000 + 25_000 * k) / price).toFixed(3)];
  return { lastUpdateId: ts, E: ts, T: ts, bids: Array.from({ length: 20 }, (_, k) => level(k, -1)), asks: Array.from({ length: 20 }, (_, k) => level(k, 1)) };
}
