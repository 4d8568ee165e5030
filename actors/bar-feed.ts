// The replay feed: drives the tree through dates the way the daemons of §16 would in real time —
// for each date the ACB writes the day's boost, the watchdog the day's posture, the forewarner its
// report, then the bars go to Dolphin. Not an actor: it is the outside world, and chaos never kills it.
// Every step is an ask, so the feed knows what was delivered. When an answer is lost (an actor died),
// it waits for the actor to come back and resumes from the first date missing from the PnL map.
import type { DayFrame, ExternalFactors } from '../engine/types.ts';
import type { Message, Of, ReplyMessage } from '../protocol/messages.ts';
import { ACB_BOOST_KEY, DOLPHIN_FEATURES } from '../store/names.ts';
import type { Directory } from '../supervision/actor-def.ts';
import { ActorUnavailableError, AskTimeoutError } from '../supervision/errors.ts';
import type { Logger } from 'pino';
import type { NodeInputs } from './context.ts';

export interface ActorNames {
  dolphin: string;
  acb: string;
  watchdog: string;
  forewarner: string;
  features: string;
}

/** New factor data during a date (a fresh NG3 batch, §16.1): applied before the bar at `row`. */
export interface SubdayUpdate {
  row: number;
  factors: ExternalFactors;
}

export interface FeedOptions {
  mode: 'day-file' | 'streaming';
  /** bars per BarBatch in streaming mode */
  batchRows: number;
  /** 0 = as fast as the tree answers; x > 0 = x times the bar interval's real time */
  speed: number;
  barMs: number;
  askTimeoutMs: number;
  forewarner: boolean;
  /**
   * The engine's gate reads the report (forewarner_gate): the day's bars wait for it. Otherwise the
   * assessment runs alongside the day's bars (on the worker pool when it has threads) and is awaited
   * before the next date starts, so every sensor still sees the same reports in the same order.
   */
  forewarnerBlocks: boolean;
  /** the champion's base leverage ceiling; the forewarner assesses it × the day's boost (§12) */
  maxLeverage: number;
  subday?: ReadonlyMap<string, readonly SubdayUpdate[]>;
  names: ActorNames;
  /** the feed gives up after this many consecutive failed attempts at one date */
  maxRetriesPerDate: number;
  /** once per distinct date fed to the end */
  onDay?(date: string): void;
  onBatch?(rows: number, latencyMs: number): void;
  /** the last bar Dolphin has taken: row of the date, and its timestamp when the day file has one */
  onBar?(bar: LastBar): void;
  signal?: AbortSignal;
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

/** The feed lost an answer it cannot do without: the actor named refused or failed the step. */
export class FeedStepError extends Error {
  override readonly name = 'FeedStepError';
  constructor(
    readonly actor: string,
    message: string,
  ) {
    super(message);
  }
}

export class FeedAbortedError extends Error {
  override readonly name = 'FeedAbortedError';
}

const recoverable = (e: unknown): e is ActorUnavailableError | AskTimeoutError | FeedStepError =>
  e instanceof ActorUnavailableError || e instanceof AskTimeoutError || e instanceof FeedStepError;

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

type EpochCheck = (ack: Of<'Ack'>) => void;

/**
 * A Dolphin restarted between two answers lost its open day without the feed seeing an error (its
 * mailbox was empty): every answer carries Dolphin's epoch, and a new one sends the feed back to the
 * resume point.
 */
function sameDolphin(actor: string, epoch: string | undefined): EpochCheck {
  return (ack) => {
    const now = ack.detail?.epoch;
    if (epoch !== undefined && now !== epoch) throw new FeedStepError(actor, `${actor} restarted between answers (epoch ${epoch} → ${String(now)})`);
  };
}

/** At most one ask running alongside the feed; its failure surfaces when the feed settles it. */
class InFlight {
  private running: Promise<unknown> | null = null;

  start(p: Promise<unknown>): void {
    // caught at once: a rejection must wait for settle(), not become an unhandled rejection
    this.running = p.then(
      () => null,
      (e: unknown) => ({ failed: e }),
    );
  }

  async settle(): Promise<void> {
    const r = this.running;
    this.running = null;
    const outcome = r === null ? null : ((await r) as { failed: unknown } | null);
    if (outcome !== null) throw outcome.failed;
  }
}

async function feedDate(tree: Directory, inputs: NodeInputs, o: FeedOptions, date: string, report: FeedReport, pace: Pacer, dolphin: EpochCheck, assessing: InFlight): Promise<void> {
  const acb = await ackOf(tree, o.names.acb, { type: 'AcbDayStart', date }, o);
  await awaitForwarded(tree, o, acb);
  await ackOf(tree, o.names.watchdog, { type: 'WatchdogDayStart', date, now: Date.now() }, o);
  if (o.forewarner) {
    const boost = typeof acb.detail?.boost === 'number' ? acb.detail.boost : 1;
    const assessed = ask(tree, o.names.forewarner, { type: 'ForewarnerAssess', date, maxLeverage: o.maxLeverage * boost }, o);
    assessing.start(assessed);
    if (o.forewarnerBlocks) await assessing.settle();
  }
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
      const w = await ackOf(tree, o.names.acb, { type: 'FactorsUpdate', date, factors: updates[u].factors }, o);
      await awaitForwarded(tree, o, w);
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

/** Waits until the features actor has handed the value the ACB just wrote to Dolphin's mailbox. */
async function awaitForwarded(tree: Directory, o: FeedOptions, acbAck: Of<'Ack'>): Promise<void> {
  const value = acbAck.detail?.value;
  if (typeof value !== 'string') throw new FeedStepError(o.names.acb, 'ACB answer carries no written value');
  await ackOf(tree, o.names.features, { type: 'AwaitStoreValue', map: DOLPHIN_FEATURES, key: ACB_BOOST_KEY, value }, o);
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

function checkAbort(o: FeedOptions): void {
  if (o.signal?.aborted) throw new FeedAbortedError('feed stopped');
}

async function ask(tree: Directory, actor: string, body: Message, o: FeedOptions): Promise<ReplyMessage> {
  checkAbort(o);
  return tree.get(actor).ask(body, o.askTimeoutMs);
}

/** An ask whose answer must be a positive Ack. */
async function ackOf(tree: Directory, actor: string, body: Message, o: FeedOptions): Promise<Of<'Ack'>> {
  const r = await ask(tree, actor, body, o);
  if (r.type !== 'Ack' || !r.ok) throw new FeedStepError(actor, `${actor} refused ${body.type}: ${r.type === 'Ack' ? (r.error ?? '') : r.type}`);
  return r;
}
