// Small actors and tools for the supervisor tests: a counter, a relay, a log capture, a poller.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import { Barrier, Drain, FeaturePut, ObCycle, Status, Tick } from '../../protocol/messages.ts';
import type { ActorDef, ActorEnv } from '../../supervision/actor-def.ts';
import type { RestartPolicy } from '../../supervision/policy.ts';

/** Small delays so every test stays well under a second. */
export const FAST: RestartPolicy = { maxRestarts: 5, periodMs: 10_000, backoffInitialMs: 5, backoffFactor: 2, backoffMaxMs: 40 };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a condition every millisecond; resolves to the ms waited, rejects (naming what was awaited) after timeoutMs. */
export async function until(what: string, cond: () => boolean, timeoutMs = 2_000): Promise<number> {
  const start = performance.now();
  while (!cond()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(1);
  }
  return performance.now() - start;
}

/** A pino logger whose JSON lines are kept for the test to read. */
export function captureLogger(level = 'info'): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}

export const silent = (): Logger => pino({ level: 'silent' });

/** A gate a test opens by hand (an init or a handler waits on it). */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

// ---- the counter ----

export const CounterMsg = z.union([Tick, ObCycle, Status, Barrier, Drain]);
export type CounterMessage = z.infer<typeof CounterMsg>;

export interface CounterState {
  count: number;
  seen: number[];
  cycles: number;
}

/** What a test observes from outside, and the counter's "durable storage" its init reads. */
export interface Probe {
  events: string[];
  durable: { count: number };
  inits: number;
  cycles: number;
}

export const probe = (): Probe => ({ events: [], durable: { count: 0 }, inits: 0, cycles: 0 });

export interface CounterOptions {
  /** runs before a Tick is counted; may throw or wait */
  onTick?: (row: number, env: ActorEnv) => void | Promise<void>;
  /** runs at the start of init; may throw or wait */
  onInit?: (incarnation: number, env: ActorEnv) => void | Promise<void>;
  /** runs inside drain */
  onDrain?: (state: CounterState) => void | Promise<void>;
  timers?: ActorDef<CounterState, CounterMessage>['timers'];
  policy?: Partial<RestartPolicy>;
}

/** Counts Ticks (recording their rows in order) and ObCycles; state starts from probe.durable. */
export function counter(name: string, p: Probe, opts: CounterOptions = {}): ActorDef<CounterState, CounterMessage> {
  return {
    name,
    schema: CounterMsg,
    policy: opts.policy ?? FAST,
    async init(env) {
      const incarnation = env.self.incarnation;
      p.events.push(`${name}:init:start:${incarnation}`);
      await opts.onInit?.(incarnation, env);
      p.inits += 1;
      p.events.push(`${name}:init:end:${incarnation}`);
      return { count: p.durable.count, seen: [], cycles: 0 };
    },
    async receive(state, msg, ctx) {
      switch (msg.type) {
        case 'Tick':
          await opts.onTick?.(msg.row, ctx.env);
          state.count += 1;
          state.seen.push(msg.row);
          return state;
        case 'ObCycle':
          state.cycles += 1;
          p.cycles += 1;
          return state;
        default:
          return state;
      }
    },
    async drain(state) {
      p.events.push(`${name}:drain`);
      await opts.onDrain?.(state);
      return state;
    },
    status: (s) => ({ count: s.count, seen: s.seen, cycles: s.cycles }),
    ...(opts.timers ? { timers: opts.timers } : {}),
  };
}

// ---- a relay and a recorder, for per-sender order between actors ----

export const RelayMsg = z.union([Tick, Status, Barrier, Drain]);
export type RelayMessage = z.infer<typeof RelayMsg>;

/** Forwards each Tick's row to `target` as a FeaturePut from `name`, after `pause(row)` setImmediate turns. */
export function relay(name: string, target: string, pause: (row: number) => number): ActorDef<null, RelayMessage> {
  return {
    name,
    schema: RelayMsg,
    policy: FAST,
    init: () => null,
    async receive(state, msg, ctx) {
      if (msg.type === 'Tick') {
        for (let i = pause(msg.row); i > 0; i -= 1) await new Promise((resolve) => setImmediate(resolve));
        ctx.env.tree.get(target).send({ type: 'FeaturePut', values: [{ symbol: name, feature: 'seq', value: msg.row }] });
      }
      return state;
    },
  };
}

export const RecorderMsg = z.union([FeaturePut, Status, Barrier, Drain]);
export type RecorderMessage = z.infer<typeof RecorderMsg>;

/** Records (sender, seq) of each FeaturePut in arrival order. */
export function recorder(name: string): ActorDef<Array<[string, number]>, RecorderMessage> {
  return {
    name,
    schema: RecorderMsg,
    policy: FAST,
    init: () => [],
    receive(state, msg) {
      if (msg.type === 'FeaturePut') for (const v of msg.values) state.push([v.symbol, v.value]);
      return state;
    },
    status: (s) => ({ arrivals: s }),
  };
}
