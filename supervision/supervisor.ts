// The root supervisor: one-for-one restarts with exponential backoff, restart intensity (at most N
// in T, else escalate), start in a given order, graceful shutdown in reverse order. Each actor's
// state is rebuilt by its def's init from durable storage, never from the mailbox nact loses.
import { dispatch, spawn, start, stop } from 'nact';
import type { Logger } from 'pino';
import { DeadLetterLog } from '../protocol/dead-letters.ts';
import { envelope, type Envelope } from '../protocol/envelope.ts';
import type { ReplyMessage } from '../protocol/messages.ts';
import { accept } from '../protocol/validate.ts';
import type { ActorEnv, AnyActorDef, Directory } from './actor-def.ts';
import { ChaosError, EscalationError, Rejected } from './errors.ts';
import { ActorHandle, type ReplyTo } from './handle.ts';
import { DEFAULT_POLICY, RestartWindow, type RestartPolicy } from './policy.ts';

const INIT = Symbol('init');

/**
 * The nact name of one incarnation. nact accepts only [a-z0-9-$_.+!*'(),] in a name (a `#` throws),
 * so any other character (and `$` itself) is escaped as `$<hex>,`; `$<n>` ends it: injective per name.
 */
function incarnationName(actor: string, incarnation: number): string {
  const safe = actor.replace(/[^a-z0-9\-_.+!*'(),]/gi, (c) => `$${c.codePointAt(0)!.toString(16)},`);
  return `${safe}$${incarnation}`;
}

interface Slot {
  def: AnyActorDef;
  handle: ActorHandle;
  window: RestartWindow;
  /** cleanup of the current incarnation (each incarnation gets its own list) */
  disposers: Array<() => void | Promise<void>>;
  throwNext: boolean;
  /** chaos: the next handler waits this long first (the mailbox is serial, so nothing is reordered) */
  delayNextMs: number;
  restartTimer: NodeJS.Timeout | null;
  /** the previous incarnation's cleanup; the next incarnation starts only once it has finished */
  cleanup: Promise<void>;
}

export interface ActorHealth {
  state: string;
  incarnation: number;
  restarts: number;
  mailboxDepth: number;
  lostInMailbox: number;
  lastError: string | null;
}

export class Supervisor implements Directory {
  readonly deadLetters: DeadLetterLog;
  private readonly system = start();
  private readonly slots = new Map<string, Slot>();
  private order: string[] = [];
  private stopping = false;
  private escalated: EscalationError | null = null;
  /** onEscalation listeners: told of every escalation */
  private readonly escalationListeners: Array<(e: EscalationError) => void> = [];
  /** startInOrder waiting on one actor: told once, then dropped */
  private readonly startWaiters = new Set<(e: EscalationError) => void>();

  constructor(
    private readonly log: Logger,
    private readonly defaultPolicy: RestartPolicy = DEFAULT_POLICY,
    deadLetters?: DeadLetterLog,
  ) {
    this.deadLetters = deadLetters ?? new DeadLetterLog(log.child({ component: 'dead-letters' }));
  }

  add(def: AnyActorDef): ActorHandle {
    if (this.slots.has(def.name)) throw new Error(`actor ${def.name} is already supervised`);
    const policy = { ...this.defaultPolicy, ...def.policy };
    const handle = new ActorHandle(def.name, this.deadLetters);
    this.slots.set(def.name, { def, handle, window: new RestartWindow(policy), disposers: [], throwNext: false, delayNextMs: 0, restartTimer: null, cleanup: Promise.resolve() });
    return handle;
  }

  get(name: string): ActorHandle {
    const slot = this.slots.get(name);
    if (slot === undefined) throw new Error(`no actor named ${name} in the tree`);
    return slot.handle;
  }

  names(): string[] {
    return [...this.slots.keys()];
  }

  /** Starts the actors one by one in this order, each running (initialised) before the next. */
  async startInOrder(order: readonly string[]): Promise<void> {
    this.order = [...order];
    for (const name of order) {
      const slot = this.requireSlot(name);
      if (this.escalated) throw this.escalated;
      this.spawnIncarnation(slot);
      await new Promise<void>((resolve, reject) => {
        this.startWaiters.add(reject);
        slot.handle.whenRunning().then(
          () => {
            this.startWaiters.delete(reject);
            resolve();
          },
          (e: Error) => {
            this.startWaiters.delete(reject);
            reject(this.escalated ?? e);
          },
        );
      });
    }
  }

  onEscalation(listener: (e: EscalationError) => void): void {
    this.escalationListeners.push(listener);
  }

  /** Stops an actor as a crash would (chaos, operator): its policy decides the restart. */
  kill(name: string, why = 'killed'): void {
    const slot = this.requireSlot(name);
    if (slot.handle.ref === null) return;
    const ref = slot.handle.ref;
    this.onFailure(slot, new Error(why));
    stop(ref);
  }

  /** The next message this actor handles throws inside its handler. */
  throwInNextHandler(name: string): void {
    this.requireSlot(name).throwNext = true;
  }

  /** The next message this actor handles waits `ms` first; the messages behind it wait in order. */
  delayNextHandler(name: string, ms: number): void {
    this.requireSlot(name).delayNextMs = ms;
  }

  health(): Record<string, ActorHealth> {
    const out: Record<string, ActorHealth> = {};
    for (const [name, { handle: h }] of this.slots) {
      out[name] = { state: h.state, incarnation: h.incarnation, restarts: h.restarts, mailboxDepth: h.mailboxDepth, lostInMailbox: h.lostInMailbox, lastError: h.lastError };
    }
    return out;
  }

  /** Graceful shutdown: each actor (reverse start order) drains and flushes, then the system stops. */
  async shutdown(drainTimeoutMs = 10_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const order = [...this.order, ...[...this.slots.keys()].filter((n) => !this.order.includes(n))].reverse();
    for (const name of order) {
      const slot = this.requireSlot(name);
      if (slot.restartTimer !== null) clearTimeout(slot.restartTimer);
      if (slot.handle.running) {
        try {
          await slot.handle.ask({ type: 'Drain' }, drainTimeoutMs);
        } catch (e) {
          this.log.warn({ actor: name, err: (e as Error).message }, 'drain failed');
        }
      }
      await this.dispose(slot);
      const ref = slot.handle.ref;
      slot.handle.detach('stopped', 'shutdown');
      if (ref !== null) stop(ref);
    }
    stop(this.system);
  }

  private requireSlot(name: string): Slot {
    const slot = this.slots.get(name);
    if (slot === undefined) throw new Error(`no actor named ${name} in the tree`);
    return slot;
  }

  private spawnIncarnation(slot: Slot): void {
    const { def, handle } = slot;
    const incarnation = handle.incarnation + 1;
    const disposers: Array<() => void | Promise<void>> = [];
    slot.disposers = disposers;
    const env = this.envFor(slot, disposers);
    const current = (): boolean => handle.ref === ref;
    const ref = spawn(this.system, (state: unknown, raw: unknown) => this.handle(slot, env, current, disposers, state, raw), incarnationName(def.name, incarnation), {
      onCrash: (msg, error, ctx) => {
        if (current()) {
          const err = error instanceof Error ? error : new Error(String(error ?? 'crashed'));
          // the message being handled is lost with the incarnation: say so (invariant 8, nothing lost silently)
          if (msg !== INIT) this.deadLetters.record(def.name, `crashed: ${err.name === 'Error' ? '' : err.name + ': '}${err.message}`, msg);
          this.onFailure(slot, err);
        }
        return ctx.stop;
      },
    });
    handle.attach(ref);
    dispatch(ref, INIT);
  }

  private async handle(
    slot: Slot,
    env: ActorEnv,
    current: () => boolean,
    disposers: Array<() => void | Promise<void>>,
    state: unknown,
    raw: unknown,
  ): Promise<unknown> {
    const { def, handle } = slot;
    if (raw === INIT) {
      const s = await def.init(env);
      if (!current()) {
        // killed while initialising: this incarnation is gone; undo what its init set up, never mark it running
        await this.runDisposers(def.name, disposers.splice(0));
        return s;
      }
      for (const t of def.timers ?? []) {
        const timer = setInterval(() => current() && handle.running && handle.send(t.message(Date.now())), t.everyMs);
        timer.unref();
        disposers.push(() => clearInterval(timer));
      }
      handle.markRunning();
      this.log.info({ actor: def.name, incarnation: handle.incarnation }, 'actor running');
      return s;
    }
    if (slot.delayNextMs > 0) {
      const ms = slot.delayNextMs;
      slot.delayNextMs = 0;
      await new Promise((r) => setTimeout(r, ms));
    }
    handle.handled += 1;
    if (slot.throwNext) {
      slot.throwNext = false;
      throw new ChaosError(def.name);
    }
    const acc = accept(def.schema, raw);
    const replyTo = (raw as { replyTo?: unknown } | null)?.replyTo;
    const reply = (body: ReplyMessage): void => {
      if (typeof replyTo === 'function') (replyTo as ReplyTo)(envelope(body, { corr: (raw as Envelope).id }));
    };
    if (!acc.ok) {
      this.deadLetters.record(def.name, `refused: ${acc.reason}`, raw);
      reply({ type: 'Ack', ok: false, error: acc.reason });
      return state;
    }
    const body = acc.env.body as { type: string };
    try {
      switch (body.type) {
        case 'Status':
          reply({ type: 'StatusReply', actor: def.name, detail: def.status?.(state) ?? {} });
          return state;
        case 'Barrier':
          reply({ type: 'Ack', ok: true });
          return state;
        case 'Drain': {
          const next = def.drain ? await def.drain(state, env) : state;
          reply({ type: 'Ack', ok: true });
          return next;
        }
        default:
          return await def.receive(state, body, { env, envelope: acc.env, reply });
      }
    } catch (e) {
      if (!(e instanceof Rejected)) throw e;
      this.deadLetters.record(def.name, `rejected: ${e.message}`, raw);
      reply({ type: 'Ack', ok: false, error: e.message });
      return state;
    }
  }

  private envFor(slot: Slot, disposers: Array<() => void | Promise<void>>): ActorEnv {
    return {
      name: slot.def.name,
      log: this.log.child({ actor: slot.def.name }),
      self: slot.handle,
      tree: this,
      deadLetters: this.deadLetters,
      own: (dispose) => void disposers.push(dispose),
    };
  }

  private dispose(slot: Slot): Promise<void> {
    return this.runDisposers(slot.def.name, slot.disposers.splice(0));
  }

  private async runDisposers(actor: string, ds: Array<() => void | Promise<void>>): Promise<void> {
    for (const d of ds.reverse()) {
      try {
        await d();
      } catch (e) {
        this.log.warn({ actor, err: (e as Error).message }, 'cleanup failed');
      }
    }
  }

  private onFailure(slot: Slot, error: Error): void {
    const { def, handle } = slot;
    if (this.stopping || handle.ref === null) return;
    handle.lastError = error.message;
    const decision = slot.window.onFailure(Date.now());
    handle.detach(decision.action === 'escalate' ? 'failed' : 'restarting', `${error.name === 'Error' ? '' : error.name + ': '}${error.message}`);
    slot.cleanup = this.dispose(slot);
    if (decision.action === 'escalate') {
      const policy = { ...this.defaultPolicy, ...def.policy };
      const err = new EscalationError(def.name, decision.recent, policy.periodMs, error.message);
      this.log.error({ actor: def.name, err: err.message }, 'restart intensity exceeded');
      this.escalated ??= err;
      for (const l of [...this.escalationListeners]) {
        try {
          l(err);
        } catch (e) {
          this.log.error({ err: (e as Error).message }, 'escalation listener failed');
        }
      }
      for (const reject of this.startWaiters) reject(err);
      this.startWaiters.clear();
      return;
    }
    handle.restarts += 1;
    this.log.warn({ actor: def.name, err: error.message, restartInMs: decision.delayMs, recent: decision.recent }, 'actor failed; restarting');
    slot.restartTimer = setTimeout(() => {
      // the next incarnation starts after the backoff and after the previous one's cleanup has finished
      void slot.cleanup.then(() => {
        slot.restartTimer = null;
        if (!this.stopping) this.spawnIncarnation(slot);
      });
    }, decision.delayMs);
  }
}
