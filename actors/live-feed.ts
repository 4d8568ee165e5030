// The live feed: bars as they arrive (ccxt, paper trading) go through the same steps as a replay —
// §16's day start at each date change, then each bar to Dolphin in streaming mode. The outside world
// cannot re-send a bar, so the feed keeps every bar of each date Dolphin has not yet committed to the
// PnL map; when Dolphin restarts (a lost answer, a new epoch) it re-sends those dates from their first
// bar, and the new Dolphin — restored from its last checkpoint — ends exactly where it would have.
import type { Logger } from 'pino';
import type { ExternalFactors } from '../engine/types.ts';
import type { Of } from '../protocol/messages.ts';
import type { Directory } from '../supervision/actor-def.ts';
import type { LastBar } from './bar-feed.ts';
import type { LiveJournal } from './live-journal.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import { ackOf, ask, FeedStepError, InFlight, recoverable, sameDolphin, startDay, updateFactors, type EpochCheck, type StepOptions } from './feed-steps.ts';

/** One bar of every asset with its signal columns, as the live source computes them. */
export interface SignalBar {
  /** UTC date of `ts` */
  date: string;
  /** the bar's close time, epoch ms */
  ts: number;
  assets: readonly string[];
  /** close of each asset (NaN: no price yet) */
  prices: Float64Array;
  velDiv: number;
  v50: number;
  v750: number;
}

export interface LiveFeedOptions extends StepOptions {
  /** the latest external factors, read at each date change and then every factorsEveryMs (§16.1) */
  factors?: () => Promise<ExternalFactors | null>;
  factorsEveryMs?: number;
  /** bars per BarBatch when dates are re-sent after a restart */
  batchRows: number;
  /** the feed gives up after this many consecutive lost answers */
  maxRetries: number;
  onBar?(bar: LastBar): void;
  onBatch?(rows: number, latencyMs: number): void;
  /** the bars of uncommitted dates kept in the store, so a restarted feed re-sends them */
  journal?: LiveJournal;
}

export interface LiveFeedReport {
  bars: number;
  dates: number;
  resumes: number;
  /** bars sent again after Dolphin restarted */
  resent: number;
  /** bars older than the open date, dropped */
  late: number;
  /** bars of uncommitted dates read back from the journal at start */
  recovered: number;
}

/** The bars of one date Dolphin has not committed yet. */
class DayBars {
  readonly ts: number[] = [];
  readonly velDiv: number[] = [];
  readonly v50: number[] = [];
  readonly v750: number[] = [];
  readonly prices: Float64Array[] = [];
  /** rows Dolphin's current incarnation has taken */
  delivered = 0;
  /** the day start (ACB, watchdog, forewarner) ran for Dolphin's current incarnation */
  started = false;
  /** the factors the day started with, kept so a re-sent day starts the same way */
  factors: ExternalFactors | null | undefined = undefined;

  constructor(
    readonly date: string,
    readonly assets: readonly string[],
  ) {}

  get rows(): number {
    return this.ts.length;
  }

  push(b: SignalBar): void {
    this.ts.push(b.ts);
    this.velDiv.push(b.velDiv);
    this.v50.push(b.v50);
    this.v750.push(b.v750);
    this.prices.push(b.prices);
  }

  batch(start: number, end: number): Of<'BarBatch'> {
    const width = this.assets.length;
    const prices = new Float64Array((end - start) * width);
    for (let i = start; i < end; i++) prices.set(this.prices[i], (i - start) * width);
    return {
      type: 'BarBatch',
      date: this.date,
      assets: [...this.assets],
      startRow: start,
      ts: Float64Array.from(this.ts.slice(start, end)),
      velDiv: Float64Array.from(this.velDiv.slice(start, end)),
      v50: Float64Array.from(this.v50.slice(start, end)),
      v750: Float64Array.from(this.v750.slice(start, end)),
      prices,
      sentAt: performance.now(),
    };
  }
}

export async function runLiveFeed(tree: Directory, bars: AsyncIterable<SignalBar>, o: LiveFeedOptions, log: Logger): Promise<LiveFeedReport> {
  const report: LiveFeedReport = { bars: 0, dates: 0, resumes: 0, resent: 0, late: 0, recovered: 0 };
  const pending: DayBars[] = []; // dates not yet in the PnL map, oldest first
  const assessing = new InFlight();
  const now = o.now ?? Date.now;
  let dolphin: EpochCheck | null = null;
  let lastFactorsAt = -Infinity;
  let failures = 0;

  /** Brings Dolphin up to date with every pending bar; on a new incarnation, from the resume point. */
  const deliver = async (): Promise<void> => {
    if (dolphin === null) {
      const resume = (await ask(tree, o.names.dolphin, { type: 'ResumePoint' }, o)) as Of<'ResumeAt'>;
      const done = new Set(resume.processed);
      while (pending.length > 0 && done.has(pending[0].date)) pending.shift();
      for (const d of pending) {
        // the new Dolphin restored the last committed date: re-run each pending date from its day start
        report.resent += d.delivered;
        d.delivered = 0;
        d.started = false;
      }
      dolphin = sameDolphin(o.names.dolphin, resume.epoch);
    }
    for (const d of pending) {
      if (!d.started) {
        await assessing.settle();
        if (d.factors === undefined) d.factors = await readFactors();
        await startDay(tree, o, d.date, assessing, d.factors ?? undefined);
        d.started = true;
      }
      while (d.delivered < d.rows) {
        const end = Math.min(d.rows, d.delivered + o.batchRows);
        const t0 = performance.now();
        dolphin(await ackOf(tree, o.names.dolphin, d.batch(d.delivered, end), o));
        o.onBatch?.(end - d.delivered, performance.now() - t0);
        d.delivered = end;
        o.onBar?.({ date: d.date, row: end - 1, ts: d.ts[end - 1] });
      }
    }
    // Dolphin commits a date when the next date's first bar reaches it
    while (pending.length > 1 && pending[1].delivered > 0) {
      const date = pending.shift()!.date;
      await journaled(() => o.journal?.drop(date));
    }
  };

  /** Adds a bar to its date (a new date opens a new DayBars); false for a bar older than the open date. */
  const take = (bar: SignalBar): boolean => {
    const open = pending.at(-1);
    if (open !== undefined && bar.date < open.date) {
      report.late += 1;
      log.warn({ date: bar.date, open: open.date }, 'bar older than the open date: dropped');
      return false;
    }
    if (open === undefined || open.date !== bar.date) {
      pending.push(new DayBars(bar.date, bar.assets));
      report.dates += 1;
    }
    pending.at(-1)!.push(bar);
    return true;
  };

  const readFactors = async (): Promise<ExternalFactors | null> => {
    if (!o.factors) return null;
    lastFactorsAt = now();
    return o.factors();
  };

  if (o.journal) {
    // a previous run's uncommitted bars come first, as if they had just arrived
    const resume = (await ask(tree, o.names.dolphin, { type: 'ResumePoint' }, o)) as Of<'ResumeAt'>;
    for (const bar of await o.journal.load(new Set(resume.processed))) if (take(bar)) report.recovered += 1;
    if (report.recovered > 0) {
      log.info({ bars: report.recovered, dates: pending.map((d) => d.date) }, 'live feed: re-sending the journaled bars of uncommitted dates');
      await deliverWithRetries();
    }
  }

  for await (const bar of bars) {
    if (!take(bar)) continue;
    const row = pending.at(-1)!.rows - 1;
    await journaled(() => o.journal?.append(bar, row));
    report.bars += 1;
    await deliverWithRetries();
  }
  await assessing.settle();
  return report;

  /** The journal only makes bars durable: a store outage costs that, never the bar or the feed. */
  async function journaled(step: () => Promise<void> | undefined): Promise<void> {
    try {
      await step();
    } catch (e) {
      if (!(e instanceof StoreUnavailableError)) throw e;
      log.warn({ err: e.message }, 'live journal not updated: store unavailable');
    }
  }

  async function deliverWithRetries(): Promise<void> {
    for (;;) {
      try {
        await maybeRefreshFactors(pending.at(-1)!);
        await deliver();
        failures = 0;
        break;
      } catch (e) {
        if (!recoverable(e)) throw e;
        failures += 1;
        if (failures > o.maxRetries) throw new FeedStepError(e.actor, `giving up after ${failures - 1} retries: ${e.message}`);
        report.resumes += 1;
        log.warn({ err: e.message, attempt: failures }, 'live feed lost an answer; re-sending the uncommitted bars');
        dolphin = null;
        await tree.get(e.actor).whenRunning();
      }
    }
  }

  /** §16.1: new factor data during the day rewrites the boost, applied at the next bar. */
  async function maybeRefreshFactors(day: DayBars): Promise<void> {
    if (!o.factors || !o.factorsEveryMs || !day.started || now() - lastFactorsAt < o.factorsEveryMs) return;
    const f = await readFactors();
    if (f !== null) await updateFactors(tree, o, day.date, f);
  }
}
