import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { barsFromCapture } from '../../market/binance-capture-bars.ts';
import { BinanceCaptureObSource } from '../../market/binance-capture-ob-source.ts';
import { BinanceMessageError } from '../../market/binance-messages.ts';
import { parseCaptureLine, readBinanceCapture, type CaptureEvent } from '../../market/binance-ws-capture.ts';
import { ObFeatureEngine } from '../../market/ob-features.ts';
import { BookGapError, OrderBook } from '../../market/order-book.ts';
import { TradeDataError } from '../../market/trade.ts';
import {
  captureEventsOf, depthLine, E0, hasCapture, line, snapshotLine, tradeLine, writeCapture, type CaptureMarket,
} from './binance-capture-helpers.ts';
import { tempDir } from './helpers.ts';

/** A test over the real capture; without ../shared/data it is listed as skipped with the reason. */
function captureTest(title: string, fn: (t: ExecutionContext) => Promise<void> | void): void {
  if (hasCapture) test(title, fn);
  else test.skip(`${title} (skipped: ../shared/data not present)`, fn);
}

async function collect(files: string | string[]): Promise<CaptureEvent[]> {
  const out: CaptureEvent[] = [];
  for await (const ev of readBinanceCapture(files)) out.push(ev);
  return out;
}

// ---- one line ----

test('a capture line parses to its kind: snapshot, diff depth, trade, book ticker, other', (t) => {
  const kinds = [
    snapshotLine(112, [['100.00', '1.0']], [['101.00', '1.0']]),
    depthLine(111, 115, E0, [['100.00', '3.0']], [], { pu: 110, T: E0 - 1 }),
    line(1, { stream: 'btcusdt@trade', data: { e: 'trade', E: E0, T: E0, s: 'BTCUSDT', t: 5, p: '61800.30', q: '0.006', X: 'MARKET', m: false } }),
    line(1, { stream: 'btcusdt@bookTicker', data: { u: 9, s: 'BTCUSDT', b: '100.0', B: '1.5', a: '101.0', A: '0' } }),
    line(1, { stream: 'btcusdt@markPrice', data: { e: 'markPriceUpdate' } }),
  ].map((text, i) => parseCaptureLine(text, 'cap.gz', i + 1));
  t.deepEqual(kinds.map((e) => e.kind), ['depthSnapshot', 'depthUpdate', 'trade', 'bookTicker', 'other']);
  t.like(kinds[1], { line: 2, update: { U: 111, u: 115, pu: 110, T: E0 - 1, bids: [[100, 3]], asks: [] } });
  t.like(kinds[2], { execType: 'MARKET', trade: { side: 'buy', price: 61800.3, amount: 0.006 } });
  t.like(kinds[3], { ticker: { u: 9, bidPrice: 100, bidQty: 1.5, askPrice: 101, askQty: 0 } });
});

test('the receive time is kept exactly as ns (it does not fit a double)', (t) => {
  const ev = parseCaptureLine(snapshotLine(1, [], []).replace(/^\d+/, '1723161254206652067'), 'cap.gz', 1);
  t.is(ev.localNs, 1723161254206652067n);
});

test('a line without the ns time stamp is an error naming the file, line and field', (t) => {
  const e = t.throws(() => parseCaptureLine('{"lastUpdateId":1}', 'cap.gz', 4), { instanceOf: BinanceMessageError });
  t.like(e, { source: 'cap.gz', line: 4, field: 'local_ns' });
});

test('a line that is not JSON after its time stamp is an error naming the line', (t) => {
  const e = t.throws(() => parseCaptureLine('123 {"stream":', 'cap.gz', 9), { instanceOf: BinanceMessageError });
  t.regex(e.message, /^cap\.gz line 9: not JSON/);
});

test('a depth level with a bad quantity names its path inside the message', (t) => {
  const e = t.throws(() => parseCaptureLine(depthLine(1, 2, E0, [['100.0', '1'], ['99.0', 'x']]), 'cap.gz', 2), { instanceOf: BinanceMessageError });
  t.is(e.field, 'data.b[1][1]');
});

// ---- files ----

test('reading a capture file: a bad trade on line 3 is a TradeDataError naming the file, line 3 and data.p', async (t) => {
  const file = writeCapture(t, [depthLine(1, 2, E0), tradeLine(1, E0, '100.0', '1.0', true), tradeLine(2, E0, 'NaN', '1.0', true)]);
  const e = await t.throwsAsync(collect(file), { instanceOf: TradeDataError });
  t.like(e, { source: file, line: 3, field: 'data.p' });
});

test('a session in several files reads on in order, with line numbers per file; blank lines are skipped', async (t) => {
  const dir = tempDir(t);
  const a = writeCapture(t, [depthLine(1, 2, E0), '', depthLine(3, 4, E0 + 100)], 'a.gz', dir);
  const b = writeCapture(t, [depthLine(5, 6, E0 + 200)], 'b.gz', dir);
  const evs = await collect([a, b]);
  t.deepEqual(evs.map((e) => [e.file, e.line]), [[a, 1], [a, 3], [b, 1]]);
});

test('a file that is not gzip is a BinanceMessageError naming it', async (t) => {
  const file = join(tempDir(t), 'plain.gz');
  writeFileSync(file, 'not gzip\n');
  const e = await t.throwsAsync(collect(file), { instanceOf: BinanceMessageError });
  t.is(e.source, file);
  t.regex(e.message, /cannot read/);
});

// ---- the recorded ObSource over a hand-made capture ----

const small = [
  depthLine(100, 110, E0 + 100, [['100.00', '9.0']]),
  snapshotLine(112, [['100.00', '1.0'], ['99.00', '2.0']], [['101.00', '1.0'], ['102.00', '2.0']]),
  depthLine(111, 115, E0 + 300, [['100.00', '3.0']]),
  tradeLine(1, E0 + 350, '100.50', '0.5', false),
  depthLine(116, 118, E0 + 700, [], [['101.00', '0']]),
  tradeLine(2, E0 + 900, '100.00', '0.25', true),
  depthLine(119, 120, E0 + 1200, [['100.50', '1.5']]),
  tradeLine(3, E0 + 5200, '102.00', '1.0', false),
  depthLine(121, 121, E0 + 5300),
];

test('capture source: the book at a cycle time is the one after every diff event up to it, stamped with its event time', async (t) => {
  const src = await BinanceCaptureObSource.open(writeCapture(t, small));
  t.deepEqual(await src.snapshots(['BTCUSDT'], E0 + 999), [{ symbol: 'BTCUSDT', ts: E0 + 300, bids: [[100, 3], [99, 2]], asks: [[101, 1], [102, 2]] }]);
  t.deepEqual(await src.snapshots(['BTCUSDT'], E0 + 1000), [{ symbol: 'BTCUSDT', ts: E0 + 700, bids: [[100, 3], [99, 2]], asks: [[102, 2]] }]);
  t.deepEqual((await src.snapshots(['BTCUSDT'], E0 + 60_000))[0].bids[0], [100.5, 1.5]);
});

test('capture source: samples sit on the 500 ms grid from the first synced event to the last event', async (t) => {
  const src = await BinanceCaptureObSource.open(writeCapture(t, small));
  t.deepEqual(src.allSamples().map((s) => s.at - E0), [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
  t.like(src.report, { market: 'spot', symbol: 'BTCUSDT', depthUpdates: 5, book: { applied: 4, stale: 1, gaps: 0 } });
});

test('capture source: nothing before the first sample, and nothing for other symbols', async (t) => {
  const src = await BinanceCaptureObSource.open(writeCapture(t, small));
  t.deepEqual(await src.snapshots(['BTCUSDT'], E0 + 499), []);
  t.deepEqual(await src.snapshots(['ETHUSDT'], E0 + 2000), []);
});

const gapped = [
  snapshotLine(112, [['100.00', '1.0']], [['101.00', '1.0']]),
  depthLine(111, 115, E0 + 300),
  depthLine(117, 118, E0 + 700),
  depthLine(119, 121, E0 + 1200, [['100.20', '1.0']]),
  snapshotLine(120, [['100.00', '1.0']], [['101.00', '1.0']]),
  depthLine(122, 122, E0 + 1700),
];

test('capture source: a sequence gap rejects open with a BookGapError naming the line', async (t) => {
  const file = writeCapture(t, gapped);
  const e = await t.throwsAsync(BinanceCaptureObSource.open(file), { instanceOf: BookGapError });
  t.like(e, { file, line: 3, expected: 116, got: 117 });
});

test('capture source, onGap resync: the gap is reported, no book is sampled until the next snapshot', async (t) => {
  const src = await BinanceCaptureObSource.open(writeCapture(t, gapped), { onGap: 'resync' });
  t.is(src.report.gaps.length, 1);
  t.is(src.report.gaps[0].line, 3);
  t.deepEqual(src.allSamples().map((s) => [s.at - E0, s.snap.ts - E0]), [[500, 300], [1500, 1200]]);
  t.deepEqual((await src.snapshots(['BTCUSDT'], E0 + 1500))[0].bids[0], [100.2, 1]);
});

test('capture bars: the trades make 5 s bars with buyer and seller volume; the bar still open at the end is apart', async (t) => {
  const r = await barsFromCapture(writeCapture(t, small));
  t.deepEqual(r.bars, [{
    start: E0, end: E0 + 5000, open: 100.5, high: 100.5, low: 100, close: 100,
    volume: 0.75, buyVolume: 0.5, sellVolume: 0.25, trades: 2, buyTrades: 1, sellTrades: 1, notional: 75.25, vwap: 75.25 / 0.75,
  }]);
  t.like(r.open, { start: E0 + 5000, volume: 1, buyVolume: 1 });
  t.like(r, { startMs: E0 + 100, endMs: E0 + 5300, totals: { trades: 3, volume: 1.75, execTypes: { '': 3 } } });
});

// ---- the real capture (../shared/data) ----

interface BookReplay {
  stats: OrderBook['stats'];
  /** lines of diff events after which best bid >= best ask */
  crossed: number[];
  /** applied events whose update id a book ticker also has */
  compared: number;
  /** lines where the book's best levels differ from that ticker's */
  differ: number[];
}

const replays = new Map<CaptureMarket, Promise<BookReplay>>();

/**
 * Replays a market's diff depth through an OrderBook once (the tests below read different parts),
 * checking after every applied event that the book is uncrossed and, when a book ticker carries
 * the same update id, that the best levels equal the ticker's.
 */
function replayOf(market: CaptureMarket): Promise<BookReplay> {
  let p = replays.get(market);
  if (p === undefined) {
    p = captureEventsOf(market).then((events) => {
      const tickers = new Map<number, [number, number, number, number]>();
      for (const ev of events) if (ev.kind === 'bookTicker') tickers.set(ev.ticker.u, [ev.ticker.bidPrice, ev.ticker.bidQty, ev.ticker.askPrice, ev.ticker.askQty]);
      const book = new OrderBook({ market });
      const r: Omit<BookReplay, 'stats'> = { crossed: [], compared: 0, differ: [] };
      for (const ev of events) {
        if (ev.kind === 'depthSnapshot') book.loadSnapshot(ev.snapshot, ev);
        if (ev.kind !== 'depthUpdate' || book.apply(ev.update, ev) !== 'applied') continue;
        const [bb, ba] = [book.bestBid()!, book.bestAsk()!];
        if (bb[0] >= ba[0]) r.crossed.push(ev.line);
        const want = tickers.get(book.updateId!);
        if (want === undefined) continue;
        r.compared++;
        if (bb[0] !== want[0] || bb[1] !== want[1] || ba[0] !== want[2] || ba[1] !== want[3]) r.differ.push(ev.line);
      }
      return { ...r, stats: book.stats };
    });
    replays.set(market, p);
  }
  return p;
}

const bars = new Map<CaptureMarket, ReturnType<typeof barsFromCapture>>();
const barsOf = (m: CaptureMarket): ReturnType<typeof barsFromCapture> => {
  let p = bars.get(m);
  if (p === undefined) bars.set(m, (p = captureEventsOf(m).then((evs) => barsFromCapture(evs))));
  return p;
};

captureTest('capture: the perpetual book rebuilt from snapshot + diffs is never crossed, and has no gap', async (t) => {
  const r = await replayOf('usdm');
  t.deepEqual(r.crossed, []);
  t.like(r.stats, { applied: 6547, stale: 4, gaps: 0, snapshots: 1, buffered: 0 });
});

captureTest('capture: the spot book runs across the midnight file boundary without a gap and is never crossed', async (t) => {
  const r = await replayOf('spot');
  t.deepEqual(r.crossed, []);
  t.like(r.stats, { applied: 6493, stale: 2, gaps: 0, snapshots: 1 });
});

for (const market of ['spot', 'usdm'] as const) {
  captureTest(`capture (${market}): wherever the book and a book ticker are at the same update id, their best levels agree`, async (t) => {
    const r = await replayOf(market);
    t.deepEqual(r.differ, []);
    t.true(r.compared > 500, `only ${r.compared} update ids shared with a ticker`);
  });

  captureTest(`capture (${market}): the 5 s bars’ counts and volumes add up to the capture’s trades`, async (t) => {
    const r = await barsOf(market);
    const all = r.open === null ? r.bars : [...r.bars, r.open];
    const sum = (f: (b: (typeof all)[number]) => number): number => all.reduce((s, b) => s + f(b), 0);
    t.is(r.builder.late, 0);
    t.is(sum((b) => b.trades), r.totals.trades);
    for (const k of ['volume', 'buyVolume', 'sellVolume', 'notional'] as const) {
      const got = sum((b) => b[k]);
      t.true(Math.abs(got - r.totals[k]) <= 1e-9 * r.totals[k], `${k}: bars ${got} vs trades ${r.totals[k]}`);
    }
    t.true(all.every((b, i) => b.start % 5000 === 0 && (i === 0 || b.start === all[i - 1].end)));
  });
}

captureTest('capture: figures of the recording (trades, bars) are the ones docs/bars-and-books.md cites', async (t) => {
  const [spot, usdm] = await Promise.all([barsOf('spot'), barsOf('usdm')]);
  t.like(spot, { totals: { trades: 19_904, execTypes: { '': 19_904 } }, builder: { bars: 130, emptyBars: 0 } });
  t.like(usdm, { totals: { trades: 21_313, execTypes: { MARKET: 21_313 } }, builder: { bars: 69, emptyBars: 0 } });
  t.not(spot.open, null);
  t.is(usdm.open, null);
});

captureTest('capture: the perpetual source gives a valid book every 500 ms that the OB features ingest without a rejection', async (t) => {
  const src = await BinanceCaptureObSource.open(await captureEventsOf('usdm'));
  const samples = src.allSamples();
  t.is(samples.length, 689);
  t.true(samples.every((s, i) => s.at % 500 === 0 && s.snap.ts <= s.at && (i === 0 || s.at === samples[i - 1].at + 500)));
  const engine = new ObFeatureEngine();
  let rejected = 0;
  for (const s of samples) rejected += engine.update(await src.snapshots(['BTCUSDT'], s.at), s.at).rejected.length;
  t.is(rejected, 0);
});
