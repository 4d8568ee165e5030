// The steps every bar feed takes through the tree — the replay feed (bar-feed.ts) and the live feed
// (live-feed.ts) alike, so backtest replays and live trading share one path: §16's day start (ACB,
// watchdog, forewarner), sub-day factor updates, and asks whose lost answers the feed recovers from.
import type { ExternalFactors } from '../engine/types.ts';
import type { Message, Of, ReplyMessage } from '../protocol/messages.ts';
import { ACB_BOOST_KEY, DOLPHIN_FEATURES } from '../store/names.ts';
import type { Directory } from '../supervision/actor-def.ts';
import { ActorUnavailableError, AskTimeoutError } from '../supervision/errors.ts';

export interface ActorNames {
  dolphin: string;
  acb: string;
  watchdog: string;
  forewarner: string;
  features: string;
}

export interface StepOptions {
  names: ActorNames;
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
  signal?: AbortSignal | undefined;
  /** wall clock for the watchdog's day start (replays pass Date.now; live feeds their clock) */
  now?: () => number;
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

/** Answers lost to a dead or restarted actor: the feed waits for it and resumes. */
export const recoverable = (e: unknown): e is ActorUnavailableError | AskTimeoutError | FeedStepError =>
  e instanceof ActorUnavailableError || e instanceof AskTimeoutError || e instanceof FeedStepError;

export type EpochCheck = (ack: Of<'Ack'>) => void;

/**
 * A Dolphin restarted between two answers lost its open day without the feed seeing an error (its
 * mailbox was empty): every answer carries Dolphin's epoch, and a new one sends the feed back to the
 * resume point.
 */
export function sameDolphin(actor: string, epoch: string | undefined): EpochCheck {
  return (ack) => {
    const now = ack.detail?.epoch;
    if (epoch !== undefined && now !== epoch) throw new FeedStepError(actor, `${actor} restarted between answers (epoch ${epoch} → ${String(now)})`);
  };
}

/** At most one ask running alongside the feed; its failure surfaces when the feed settles it. */
export class InFlight {
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

/** §16's order at a date change: the day's ACB (in Dolphin's mailbox before its first bar), the watchdog's posture, the forewarner's report. */
export async function startDay(tree: Directory, o: StepOptions, date: string, assessing: InFlight, factors?: ExternalFactors): Promise<void> {
  // the ACB's day and the watchdog's posture are independent: both must be in place before the
  // first bar, in no particular order between them (they write different keys)
  const [acb] = await Promise.all([
    ackOf(tree, o.names.acb, { type: 'AcbDayStart', date, ...(factors ? { factors } : {}) }, o).then(async (a) => {
      await awaitForwarded(tree, o, a);
      return a;
    }),
    ackOf(tree, o.names.watchdog, { type: 'WatchdogDayStart', date, now: (o.now ?? Date.now)() }, o),
  ]);
  if (o.forewarner) {
    const boost = typeof acb.detail?.boost === 'number' ? acb.detail.boost : 1;
    assessing.start(ask(tree, o.names.forewarner, { type: 'ForewarnerAssess', date, maxLeverage: o.maxLeverage * boost }, o));
    if (o.forewarnerBlocks) await assessing.settle();
  }
}

/** New factor data during a date (§16.1): the ACB rewrites the boost, which reaches Dolphin before the next bar. */
export async function updateFactors(tree: Directory, o: StepOptions, date: string, factors: ExternalFactors): Promise<void> {
  const w = await ackOf(tree, o.names.acb, { type: 'FactorsUpdate', date, factors }, o);
  await awaitForwarded(tree, o, w);
}

/**
 * Waits until the features actor has handed the value the ACB just wrote to Dolphin's mailbox. In a
 * cluster another node's ACB may be the writer: its value arrives through the listener, unawaited.
 */
async function awaitForwarded(tree: Directory, o: StepOptions, acbAck: Of<'Ack'>): Promise<void> {
  if (acbAck.detail?.skipped !== undefined) return;
  const value = acbAck.detail?.value;
  if (typeof value !== 'string') throw new FeedStepError(o.names.acb, 'ACB answer carries no written value');
  await ackOf(tree, o.names.features, { type: 'AwaitStoreValue', map: DOLPHIN_FEATURES, key: ACB_BOOST_KEY, value }, o);
}

export function checkAbort(o: { signal?: AbortSignal | undefined }): void {
  if (o.signal?.aborted) throw new FeedAbortedError('feed stopped');
}

export async function ask(tree: Directory, actor: string, body: Message, o: StepOptions): Promise<ReplyMessage> {
  checkAbort(o);
  return tree.get(actor).ask(body, o.askTimeoutMs);
}

/** An ask whose answer must be a positive Ack. */
export async function ackOf(tree: Directory, actor: string, body: Message, o: StepOptions): Promise<Of<'Ack'>> {
  const r = await ask(tree, actor, body, o);
  if (r.type !== 'Ack' || !r.ok) throw new FeedStepError(actor, `${actor} refused ${body.type}: ${r.type === 'Ack' ? (r.error ?? '') : r.type}`);
  return r;
}
