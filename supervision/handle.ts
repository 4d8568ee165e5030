// A stable address for a supervised actor across its incarnations. nact drops a message sent to a
// stopped actor without a word; the handle instead records it as a dead letter with the reason, and
// fails pending asks at once when the incarnation dies (instead of letting them run into timeouts).
import { dispatch } from 'nact';
import type { DeadLetterLog } from '../protocol/dead-letters.ts';
import { envelope, type Envelope } from '../protocol/envelope.ts';
import type { Message, ReplyMessage } from '../protocol/messages.ts';
import { ActorUnavailableError, AskTimeoutError } from './errors.ts';

/** How an answer gets back to an ask: called by the supervisor with the reply's envelope. */
export type ReplyTo = (reply: Envelope<ReplyMessage>) => void;

export type ActorState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

// nact's reference type is not exported in a useful form.
type NactRef = Parameters<typeof dispatch>[0];

export class ActorHandle {
  state: ActorState = 'idle';
  ref: NactRef | null = null;
  incarnation = 0;
  restarts = 0;
  lastError: string | null = null;
  sent = 0;
  handled = 0;
  lostInMailbox = 0;
  private readonly pending = new Set<(e: Error) => void>();
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(
    readonly name: string,
    private readonly deadLetters: DeadLetterLog,
  ) {}

  /** Messages sent to this incarnation and not yet handled. */
  get mailboxDepth(): number {
    return Math.max(0, this.sent - this.handled);
  }

  get running(): boolean {
    return this.state === 'running' && this.ref !== null;
  }

  /** Fire-and-forget; returns false (and records a dead letter) when nobody is there to receive. */
  send(body: Message | Envelope, corr?: string): boolean {
    const env = isEnvelope(body) ? body : envelope(body, corr === undefined ? {} : { corr });
    if (!this.running) {
      this.deadLetters.record(this.name, `undeliverable: ${this.name} is ${this.state}`, env);
      return false;
    }
    this.sent += 1;
    dispatch(this.ref!, env);
    return true;
  }

  /** Request/response with an explicit timeout; rejects at once if the actor is down or dies meanwhile. */
  ask(body: Message, timeoutMs: number): Promise<ReplyMessage> {
    const env = envelope(body);
    if (!this.running) {
      this.deadLetters.record(this.name, `undeliverable: ${this.name} is ${this.state}`, env);
      return Promise.reject(new ActorUnavailableError(this.name, this.state));
    }
    this.sent += 1;
    return new Promise<ReplyMessage>((resolve, reject) => {
      // our own reply callback and timer instead of nact's query: nact keeps a query's timer (and
      // the process) alive until its timeout even after the asker has given up on a dead actor
      let settled = false;
      const settle = (error: Error | null, reply?: ReplyMessage): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pending.delete(fail);
        if (error) reject(error);
        else resolve(reply!);
      };
      const fail = (e: Error) => settle(e);
      const timer = setTimeout(() => settle(new AskTimeoutError(this.name, body.type, timeoutMs)), timeoutMs);
      this.pending.add(fail);
      const replyTo: ReplyTo = (reply) => settle(null, reply.body);
      dispatch(this.ref!, { ...env, replyTo });
    });
  }

  /**
   * Resolves when an incarnation is running (immediately if one is); rejects once none ever will
   * (the actor escalated or was shut down) instead of leaving the caller waiting forever.
   */
  whenRunning(): Promise<void> {
    if (this.running) return Promise.resolve();
    if (this.state === 'failed' || this.state === 'stopped') return Promise.reject(new ActorUnavailableError(this.name, this.state));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  // ---- used by the supervisor ----

  attach(ref: NactRef): void {
    this.ref = ref;
    this.incarnation += 1;
    this.sent = 0;
    this.handled = 0;
    this.state = 'starting';
  }

  markRunning(): void {
    this.state = 'running';
    const w = this.waiters;
    this.waiters = [];
    for (const { resolve } of w) resolve();
  }

  /** The incarnation is gone: fail its pending asks and account for what its mailbox held. */
  detach(next: ActorState, why: string): void {
    const lost = this.mailboxDepth;
    if (lost > 0) {
      this.lostInMailbox += lost;
      this.deadLetters.record(this.name, `lost: ${lost} message(s) in the mailbox of ${this.name} (${why})`);
    }
    this.ref = null;
    this.state = next;
    for (const fail of this.pending) fail(new ActorUnavailableError(this.name, why));
    this.pending.clear();
    if (next === 'failed' || next === 'stopped') {
      const w = this.waiters;
      this.waiters = [];
      for (const { reject } of w) reject(new ActorUnavailableError(this.name, next));
    }
  }
}

function isEnvelope(x: Message | Envelope): x is Envelope {
  return 'body' in x && 'v' in x;
}
