// An ObSource over a raw Binance websocket capture: the book is rebuilt from the recorded REST
// snapshot and diff-depth events (order-book.ts) and sampled on the OB stream's 500 ms grid, so a
// recorded session feeds the OB features exactly as the live feed would have. The whole capture is
// replayed when the source opens; `snapshots` then answers by time.
import { BinanceMessageError } from './binance-messages.ts';
import { captureEvents, type CaptureEvent, type CaptureInput } from './binance-ws-capture.ts';
import type { ObSnapshot } from './ob-snapshot.ts';
import { ObSourceError, type ObSource } from './ob-source.ts';
import { BookGapError, OrderBook, type BinanceMarket, type OrderBookStats } from './order-book.ts';

export interface CaptureObSourceOptions {
  /** the symbol the snapshots carry; default the capture's own (`s`, e.g. BTCUSDT) */
  symbol?: string;
  /** default: usdm when the diff events carry `pu`, else spot */
  market?: BinanceMarket;
  /** levels per side kept in each sample (default 20) */
  depth?: number;
  /** sampling grid, ms (default 500: the OB stream's cycle, bible §16.2) */
  stepMs?: number;
  /**
   * On a sequence gap: 'throw' (default) rejects `open` with the BookGapError; 'resync' records it
   * and takes no samples until the capture's next REST snapshot (the staleness tracker then sees the
   * symbol go stale, as it would live).
   */
  onGap?: 'throw' | 'resync';
}

export interface CaptureBookReport {
  market: BinanceMarket;
  symbol: string;
  depthUpdates: number;
  book: OrderBookStats;
  gaps: BookGapError[];
  samples: number;
  /** exchange time (E) of the first and last diff events */
  firstEventMs: number | null;
  lastEventMs: number | null;
}

interface Sample {
  /** grid time the sample answers for */
  at: number;
  snap: ObSnapshot;
}

export class BinanceCaptureObSource implements ObSource {
  private constructor(
    readonly name: string,
    readonly report: Readonly<CaptureBookReport>,
    private readonly samples: readonly Sample[],
  ) {}

  /**
   * Replays the capture. Sample at grid time g (a multiple of stepMs) = the book after every diff
   * event with exchange time E <= g, stamped with the E of the last one applied (the book's time);
   * grid times before the book first syncs, or while it is out of sync, have no sample. Errors: a
   * bad line (BinanceMessageError, TradeDataError), a crossed book or bad level (ObDataError with
   * file and line), a gap (BookGapError, with onGap 'throw').
   */
  static async open(input: CaptureInput, options: CaptureObSourceOptions = {}): Promise<BinanceCaptureObSource> {
    const name = `binance-capture:${typeof input === 'string' ? input : Array.isArray(input) && typeof input[0] === 'string' ? input.join(',') : 'events'}`;
    const { depth = 20, stepMs = 500, onGap = 'throw' } = options;
    if (!Number.isSafeInteger(stepMs) || stepMs <= 0) throw new RangeError(`stepMs must be a positive integer, got ${stepMs}`);
    let book: OrderBook | null = null;
    let symbol = options.symbol;
    let captureSymbol: string | null = null;
    const samples: Sample[] = [];
    const gaps: BookGapError[] = [];
    let depthUpdates = 0;
    let firstEventMs: number | null = null;
    let lastEventMs: number | null = null;
    let next: number | null = null;
    let pendingSnapshot: Extract<CaptureEvent, { kind: 'depthSnapshot' }> | null = null;
    let lastWhere: { file?: string; line?: number } = {};

    const bookFor = (market: BinanceMarket): OrderBook => (book ??= new OrderBook({ market }));
    const sample = (g: number): void => {
      if (book === null || !book.synced || book.eventTime === null) return;
      samples.push({ at: g, snap: book.snapshot(symbol!, book.eventTime, depth, lastWhere) });
    };
    const guard = (fn: () => void): void => {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof BookGapError) || onGap === 'throw') throw e;
        gaps.push(e);
      }
    };

    for await (const ev of captureEvents(input)) {
      if (ev.kind === 'depthSnapshot') {
        const where = { file: ev.file, line: ev.line };
        // the market is known from the first diff event; a snapshot before any waits for it
        if (book === null && options.market === undefined) pendingSnapshot = ev;
        else guard(() => bookFor(options.market!).loadSnapshot(ev.snapshot, where));
        continue;
      }
      if (ev.kind !== 'depthUpdate') continue;
      const u = ev.update;
      const where = { file: ev.file, line: ev.line };
      if (captureSymbol === null) {
        captureSymbol = u.symbol;
        symbol ??= u.symbol;
      } else if (u.symbol !== captureSymbol) {
        throw new BinanceMessageError({ source: ev.file, line: ev.line, field: 'data.s' }, `symbol ${u.symbol} in a capture of ${captureSymbol}`);
      }
      depthUpdates++;
      firstEventMs ??= u.E;
      lastEventMs = u.E;
      while (next !== null && u.E > next) {
        sample(next);
        next += stepMs;
      }
      const b = bookFor(options.market ?? (u.pu !== undefined ? 'usdm' : 'spot'));
      guard(() => b.apply(u, where));
      lastWhere = where;
      if (pendingSnapshot !== null) {
        const s = pendingSnapshot;
        pendingSnapshot = null;
        guard(() => b.loadSnapshot(s.snapshot, { file: s.file, line: s.line }));
      }
      if (next === null && b.synced && b.eventTime !== null) next = Math.ceil(b.eventTime / stepMs) * stepMs;
    }
    // the grid time at the last event is still known; later ones are not
    if (next !== null && lastEventMs !== null && next <= lastEventMs) sample(next);
    // assigned inside closures, which TypeScript's narrowing does not follow
    const built = book as OrderBook | null;
    if (built === null || symbol === undefined) {
      throw new ObSourceError(name, null, false, 'no diff-depth events in the capture');
    }
    const report: CaptureBookReport = {
      market: built.market, symbol, depthUpdates, book: built.stats, gaps, samples: samples.length, firstEventMs, lastEventMs,
    };
    return new BinanceCaptureObSource(name, report, samples);
  }

  /** first and last sample times; null when there is none */
  span(): { startMs: number; endMs: number } | null {
    return this.samples.length === 0 ? null : { startMs: this.samples[0].at, endMs: this.samples[this.samples.length - 1].at };
  }

  /** every sample in grid order, with the grid time it answers for */
  allSamples(): readonly { at: number; snap: ObSnapshot }[] {
    return this.samples;
  }

  async snapshots(symbols: readonly string[], nowMs: number): Promise<ObSnapshot[]> {
    if (!symbols.includes(this.report.symbol)) return [];
    let lo = 0;
    let hi = this.samples.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.samples[mid].at <= nowMs) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? [this.samples[lo - 1].snap] : [];
  }
}
