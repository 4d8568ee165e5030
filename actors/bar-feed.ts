// The replay feed: drives the tree through dates the way the daemons of §16 would in real time —
// for each date the ACB writes the day's boost, the watchdog the day's posture, the forewarner its
// report, then the bars go to Dolphin. Not an actor: it is the outside world, and chaos never kills it.
// Every step is an ask, so the feed knows what was delivered. When an answer is lost (an actor died),
// it waits for the actor to come back and resumes from the first date missing from the PnL map.
import type { Logger } from 'pino';
import type { DayFrame, ExternalFactors } from '../engine/types.ts';
import type { Of } from '../protocol/messages.ts';
import type { Directory } from '../supervision/actor-def.ts';
import type { NodeInputs } from './context.ts';
import { ackOf, ask, checkAbort, FeedStepError, InFlight, recoverable, sameDolphin, startDay, updateFactors, type EpochCheck, type StepOptions } from './feed-steps.ts';

export { FeedAbortedError, FeedStepError, type ActorNames } from './feed-steps.ts';

/** New factor data during a date (a fresh NG3 batch, §16.1): applied before the bar at `row`. */
export interface SubdayUpdate {
  row: number;
  factors: ExternalFactors;
}

export interface FeedOptions extends StepOptions {
  mode: 'day-file' | 'streaming';
  /** bars per BarBatch in streaming mode */
  batchRows: number;
  /** 0 = as fast as the tree answers; x > 0 = x times the bar interval's real time */
  speed: number;
  barMs: number;
  subday?: ReadonlyMap<string, readonly SubdayUpdate[]>;
  /** the feed gives up after this many consecutive failed attempts at one date */
  maxRetriesPerDate: number;
  /** once per distinct date fed to the end */
  onDay?(date: string): void;
  onBatch?(rows: number, latencyMs: number): void;
  /** the last bar Dolphin has taken: row of the date, and its timestamp when the day file has one */
  onBar?(bar: LastBar): void;
}

export interface LastBar {
  date: string;
  row: number;
  ts: number | null;
}

export interface FeedReport {
  /** distinct dates fed to the end */
  dates: number;
  /** dates fed to the end again after a resume (Dolphin had not committed them) */
  refed: number;
  batches: number;
  bars: number;
  resumes: number;
  skipped: number;
}

export async function runFeed(tree: Directory, inputs: NodeInputs, o: FeedOptions, log: Logger): Promise<FeedReport> {
  const report: FeedReport = { dates: 0, refed: 0, batches: 0, bars: 0, resumes: 0, skipped: 0 };
  const fed = new Set<string>();
  const pace = pacer(o);
  let failing: { at: string | null; count: number } = { at: null, count: 0 };
  for (;;) {
    let current: string | null = null;
    const assessing = new InFlight();
    try {
      const resume = (await ask(tree, o.names.dolphin, { type: 'ResumePoint' }, o)) as Of<'ResumeAt'>;
      const done = new Set(resume.processed);
      const dolphin = sameDolphin(o.names.dolphin, resume.epoch);
      report.skipped = inputs.dates.filter((d) => done.has(d)).length;
      for (const date of inputs.dates) {
        if (done.has(date)) continue;
        current = date;
        await assessing.settle();
        await feedDate(tree, inputs, o, date, report, pace, dolphin, assessing);
        if (fed.has(date)) {
          report.refed += 1;
        } else {
          fed.add(date);
          report.dates += 1;
          o.onDay?.(date);
        }
      }
      await assessing.settle();
      dolphin(await ackOf(tree, o.names.dolphin, { type: 'EndOfData' }, o));
      return report;
    } catch (e) {
      if (!recoverable(e)) throw e;
      failing = { at: current, count: failing.at === current ? failing.count + 1 : 1 };
      const n = failing.count;
      if (n > o.maxRetriesPerDate) throw new FeedStepError(e.actor, `giving up on ${current ?? 'the resume point'} after ${n - 1} retries: ${e.message}`);
      report.resumes += 1;
      log.warn({ date: current, err: e.message, attempt: n }, 'feed lost an answer; resuming from the first unprocessed date');
      await tree.get(e.actor).whenRunning();
    }
  }
}

async function feedDate(tree: Directory, inputs: NodeInputs, o: FeedOptions, date: string, report: FeedReport, pace: Pacer, dolphin: EpochCheck, assessing: InFlight): Promise<void> {
  await startDay(tree, o, date, assessing);
  if (o.mode === 'day-file') {
    const ack = await ackOf(tree, o.names.dolphin, { type: 'Tick', date, row: 0, ts: Date.now() }, o);
    dolphin(ack);
    report.batches += 1;
    const bars = ack.detail?.bars;
    if (typeof bars === 'number' && bars > 0) o.onBar?.({ date, row: bars - 1, ts: null });
    return;
  }
  const frame = await inputs.loadDay(date);
  const updates = [...(o.subday?.get(date) ?? [])].sort((a, b) => a.row - b.row);
  let u = 0;
  for (let start = 0; start < frame.rows; ) {
    while (u < updates.length && updates[u].row <= start) {
      await updateFactors(tree, o, date, updates[u].factors);
      u += 1;
    }
    const nextUpdate = u < updates.length ? updates[u].row : frame.rows;
    const end = Math.min(frame.rows, start + o.batchRows, Math.max(nextUpdate, start + 1));
    await pace(start, end);
    const t0 = performance.now();
    dolphin(await ackOf(tree, o.names.dolphin, batchOf(frame, start, end), o));
    o.onBatch?.(end - start, performance.now() - t0);
    const ts = frame.timestamps?.[end - 1];
    o.onBar?.({ date, row: end - 1, ts: ts !== undefined && Number.isFinite(ts) ? ts : null });
    report.batches += 1;
    report.bars += end - start;
    start = end;
  }
}

/** Rows [start, end) of a day as one BarBatch (prices row-major). */
export function batchOf(frame: DayFrame, start: number, end: number): Of<'BarBatch'> {
  const n = end - start;
  const width = frame.assets.length;
  const prices = new Float64Array(n * width);
  for (let a = 0; a < width; a++) {
    const col = frame.prices[a];
    for (let i = 0; i < n; i++) prices[i * width + a] = col[start + i];
  }
  const ts = frame.timestamps === null ? new Float64Array(n).fill(NaN) : frame.timestamps.slice(start, end);
  return {
    type: 'BarBatch',
    date: frame.date,
    assets: frame.assets,
    startRow: start,
    ts,
    velDiv: frame.velDiv.slice(start, end),
    v50: frame.v50.slice(start, end),
    v750: frame.v750.slice(start, end),
    prices,
    sentAt: performance.now(),
  };
}

type Pacer = (start: number, end: number) => Promise<void>;

/** At speed x, bar k of the replay is due x-times faster than real time after the feed started. */
function pacer(o: FeedOptions): Pacer {
  if (!(o.speed > 0)) return async () => checkAbort(o);
  const t0 = performance.now();
  let sent = 0;
  return async (start, end) => {
    checkAbort(o);
    const due = t0 + (sent * o.barMs) / o.speed;
    sent += end - start;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  };
}

