// Reads a raw Binance websocket capture: gzip text, one message per line, `<local_ns> <json>`, where
// local_ns is the recorder's receive time in ns and the JSON is a combined-stream message
// `{"stream": "btcusdt@depth@100ms", "data": {…}}` or, once per session, the bare REST depth
// snapshot `{"lastUpdateId": …, "bids": …, "asks": …}` the recorder fetched. Lines come out as typed
// events in file order (= receive order, which is what the book's sequencing needs). A session may
// span several files (a recorder rotating at midnight): pass them in order and the events continue.
// A bad line is an error naming the file, its 1-based line and the field.
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import {
  BinanceMessageError, parseBookTicker, parseDepthSnapshot, parseDepthUpdate,
  type BinanceBookTicker, type BinanceDepthSnapshot, type BinanceDepthUpdate,
} from './binance-messages.ts';
import { TradeDataError, tradeFromBinanceWs, type Trade } from './trade.ts';

interface At {
  file: string;
  /** 1-based line in `file` */
  line: number;
  /** the recorder's receive time, ns since the epoch (its clock, not the exchange's) */
  localNs: bigint;
}

export type CaptureEvent =
  | (At & { kind: 'depthSnapshot'; snapshot: BinanceDepthSnapshot })
  | (At & { kind: 'depthUpdate'; stream: string; update: BinanceDepthUpdate })
  /** `eventTime` is E; `execType` is the futures trade stream's X (e.g. MARKET), absent on spot */
  | (At & { kind: 'trade'; stream: string; symbol: string; eventTime: number; trade: Trade; execType?: string })
  | (At & { kind: 'bookTicker'; stream: string; ticker: BinanceBookTicker })
  /** a stream this reader does not model; passed on so nothing disappears unseen */
  | (At & { kind: 'other'; stream: string; data: unknown });

export type CaptureEventKind = CaptureEvent['kind'];

/** Parses one capture line. `file` and `line` go into the event and into any error. */
export function parseCaptureLine(text: string, file: string, line: number): CaptureEvent {
  const where = { source: file, line };
  const sp = text.indexOf(' ');
  const stamp = sp < 0 ? text : text.slice(0, sp);
  if (!/^\d{1,20}$/.test(stamp)) {
    throw new BinanceMessageError({ ...where, field: 'local_ns' }, `line must start with the receive time in ns and a space, got ${JSON.stringify(stamp.slice(0, 30))}`);
  }
  const localNs = BigInt(stamp);
  let msg: unknown;
  try {
    msg = JSON.parse(text.slice(sp + 1));
  } catch (e) {
    throw new BinanceMessageError(where, `not JSON after the time stamp: ${(e as Error).message}`, { cause: e });
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    throw new BinanceMessageError(where, `message must be a JSON object`);
  }
  const m = msg as Record<string, unknown>;
  const at: At = { file, line, localNs };
  if (m.stream === undefined && m.lastUpdateId !== undefined) {
    return { ...at, kind: 'depthSnapshot', snapshot: parseDepthSnapshot(m, where) };
  }
  if (typeof m.stream !== 'string') throw new BinanceMessageError({ ...where, field: 'stream' }, `must be a string (combined-stream message) or the line a REST depth snapshot`);
  const stream = m.stream;
  const inData = { ...where, path: 'data.' };
  // the stream name says what the payload is; spot book tickers carry no `e`
  const channel = stream.slice(stream.indexOf('@') + 1);
  if (channel.startsWith('depth')) {
    return { ...at, kind: 'depthUpdate', stream, update: parseDepthUpdate(m.data, inData) };
  }
  if (channel === 'trade' || channel === 'aggTrade') {
    const trade = tradeFromBinanceWs(m, where);
    const d = m.data as Record<string, unknown>;
    if (typeof d.s !== 'string' || d.s.length === 0) throw new TradeDataError({ ...where, field: 'data.s' }, `must be a non-empty string, got ${JSON.stringify(d.s)}`);
    if (typeof d.E !== 'number' || !Number.isSafeInteger(d.E)) throw new TradeDataError({ ...where, field: 'data.E' }, `must be an integer epoch-ms time, got ${JSON.stringify(d.E)}`);
    const ex = typeof d.X === 'string' ? { execType: d.X } : {};
    return { ...at, kind: 'trade', stream, symbol: d.s, eventTime: d.E, trade, ...ex };
  }
  if (channel === 'bookTicker') {
    return { ...at, kind: 'bookTicker', stream, ticker: parseBookTicker(m.data, inData) };
  }
  return { ...at, kind: 'other', stream, data: m.data };
}

/**
 * Events of the capture files in order. Blank lines are skipped (they carry nothing); every other
 * line parses or throws (BinanceMessageError, TradeDataError; ObDataError never: levels are
 * checked later by the book). A file that cannot be read or un-gzipped is a BinanceMessageError
 * naming it and the last line read.
 */
export async function* readBinanceCapture(files: string | readonly string[]): AsyncGenerator<CaptureEvent> {
  for (const file of typeof files === 'string' ? [files] : files) {
    const raw = createReadStream(file);
    const input = createGunzip();
    // pipe() does not pass a read error on; destroying the gunzip with it ends the line loop with it
    raw.on('error', (e) => input.destroy(e));
    raw.pipe(input);
    const lines = createInterface({ input, crlfDelay: Infinity });
    let line = 0;
    try {
      for await (const text of lines) {
        line++;
        if (text.trim() === '') continue;
        yield parseCaptureLine(text, file, line);
      }
    } catch (e) {
      if (e instanceof BinanceMessageError || e instanceof TradeDataError) throw e;
      throw new BinanceMessageError({ source: file, line: line + 1 }, `cannot read: ${(e as Error).message}`, { cause: e });
    } finally {
      lines.close();
      raw.destroy();
      input.destroy();
    }
  }
}

/** Capture files to read, or events already read (a test replays one reading several ways). */
export type CaptureInput = string | readonly string[] | Iterable<CaptureEvent> | AsyncIterable<CaptureEvent>;

/** The events of a CaptureInput: files are read with readBinanceCapture, events passed through. */
export function captureEvents(input: CaptureInput): AsyncIterable<CaptureEvent> | Iterable<CaptureEvent> {
  if (typeof input === 'string') return readBinanceCapture(input);
  if (Array.isArray(input) && input.every((x) => typeof x === 'string')) return readBinanceCapture(input as string[]);
  return input as Iterable<CaptureEvent> | AsyncIterable<CaptureEvent>;
}

/** The trades of a capture, in file order, each with where it came from. */
export async function* captureTrades(input: CaptureInput): AsyncGenerator<Extract<CaptureEvent, { kind: 'trade' }>> {
  for await (const ev of captureEvents(input)) if (ev.kind === 'trade') yield ev;
}

/**
 * The capture files in `dir` whose names start with `prefix` (e.g. `spot_btcusdt_`) and end in
 * `.gz`, sorted by name: the recorder names files by date, so name order is time order.
 */
export function captureFiles(dir: string, prefix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.gz'))
    .sort()
    .map((f) => join(dir, f));
}
