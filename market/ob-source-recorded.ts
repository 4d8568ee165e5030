// Record a session's order books as JSONL (one snapshot per line) and replay them by time, so a live
// session can be re-run through the same features offline. A bad line is an ObDataError naming the
// file and its line number: a recording is never replayed with holes.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ObSourceError, type ObSource } from './ob-source.ts';
import { ObDataError, validateSnapshot, type ObSnapshot } from './ob-snapshot.ts';

/** Replays a JSONL recording: for each symbol, the latest snapshot at or before nowMs. */
export class RecordedObSource implements ObSource {
  readonly name: string;
  private readonly bySymbol: ReadonlyMap<string, ObSnapshot[]>;

  private constructor(readonly file: string, bySymbol: Map<string, ObSnapshot[]>) {
    this.name = `recorded:${file}`;
    this.bySymbol = bySymbol;
  }

  /**
   * Reads and validates the whole file. Blank lines are skipped; anything else must be a valid
   * snapshot (ObDataError with file and 1-based line otherwise). Lines need not be in time order.
   */
  static async open(file: string): Promise<RecordedObSource> {
    const bySymbol = new Map<string, ObSnapshot[]>();
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let line = 0;
    try {
      for await (const text of lines) {
        line++;
        if (text.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          throw new ObDataError({ file, line }, `not JSON: ${(e as Error).message}`, { cause: e });
        }
        const s = validateSnapshot(value, { file, line });
        let list = bySymbol.get(s.symbol);
        if (list === undefined) bySymbol.set(s.symbol, (list = []));
        list.push(s);
      }
    } catch (e) {
      if (e instanceof ObDataError) throw e;
      throw new ObSourceError(`recorded:${file}`, null, false, `cannot read: ${(e as Error).message}`, { cause: e });
    } finally {
      lines.close();
    }
    // stable: equal timestamps keep file order, so the later line wins at that time
    for (const list of bySymbol.values()) list.sort((a, b) => a.ts - b.ts);
    return new RecordedObSource(file, bySymbol);
  }

  /** symbols in the recording, sorted */
  symbols(): string[] {
    return [...this.bySymbol.keys()].sort();
  }

  /** first and last ts in the recording; null when it is empty */
  span(): { startMs: number; endMs: number } | null {
    let startMs = Infinity;
    let endMs = -Infinity;
    for (const list of this.bySymbol.values()) {
      startMs = Math.min(startMs, list[0].ts);
      endMs = Math.max(endMs, list[list.length - 1].ts);
    }
    return startMs === Infinity ? null : { startMs, endMs };
  }

  async snapshots(symbols: readonly string[], nowMs: number): Promise<ObSnapshot[]> {
    const out: ObSnapshot[] = [];
    for (const sym of symbols) {
      const list = this.bySymbol.get(sym);
      if (list === undefined) continue;
      const i = lastAtOrBefore(list, nowMs);
      if (i >= 0) out.push(list[i]);
    }
    return out;
  }
}

/** index of the last snapshot with ts <= t (the last of equal ones), −1 if none */
function lastAtOrBefore(list: ObSnapshot[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].ts <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Appends snapshots to a JSONL file, one per line, in call order. Appends never interleave. */
export class ObRecorder {
  private handle: FileHandle | null = null;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(readonly file: string) {}

  /**
   * Validates the whole batch first (ObDataError: nothing of the batch is written), then appends it
   * in one write, so a replay never meets a batch half written by this process.
   */
  append(snapshots: readonly ObSnapshot[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`ObRecorder ${this.file}: append after close`));
    let text = '';
    try {
      for (const s of snapshots) {
        validateSnapshot(s);
        text += JSON.stringify({ symbol: s.symbol, ts: s.ts, bids: s.bids, asks: s.asks }) + '\n';
      }
    } catch (e) {
      return Promise.reject(e);
    }
    if (text === '') return this.queue;
    // queued, so one open and one write at a time; a failed open is retried by the next append
    const write = this.queue.then(async () => {
      this.handle ??= await open(this.file, 'a');
      await this.handle.appendFile(text, 'utf8');
    });
    // a failed write rejects its own caller; later appends still run
    this.queue = write.catch(() => {});
    return write;
  }

  /** Waits for pending appends and closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    if (this.handle !== null) await this.handle.close();
    this.handle = null;
  }
}

/**
 * A source that records every batch it returns (e.g. a live feed during a paper session). A failed
 * recording rejects the call unless `onRecordError` is given; then the batch is still returned.
 */
export function recordingSource(inner: ObSource, recorder: ObRecorder, onRecordError?: (e: unknown) => void): ObSource {
  return {
    name: `${inner.name}+recorded`,
    async snapshots(symbols, nowMs) {
      const snaps = await inner.snapshots(symbols, nowMs);
      try {
        await recorder.append(snaps);
      } catch (e) {
        if (onRecordError === undefined) throw e;
        onRecordError(e);
      }
      return snaps;
    },
    async close() {
      await inner.close?.();
      await recorder.close();
    },
  };
}
