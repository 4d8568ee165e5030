// VolumeShockActor (seed 002, live paper trading): every cycle pulls the latest option chain and
// underlying observation from its source, hands both to the trader (detector → classifier → sizing
// → paper book: research/volume-shock/live-trader.ts, composed by the caller — actors/ does not
// import research/) and reports detection-to-decision latency through a hook, for a prom-client
// histogram on /metrics (suggested: `dolphin_volume_shock_decision_latency_seconds`, labels
// flow_type and outcome; and `dolphin_volume_shock_signal_age_seconds`).
//
// The cycle is a timer message; it reuses the OB stream's `ObCycle { now }` (protocol/messages.ts is
// unchanged). A failing source skips the cycle and is counted; it never crashes the actor. The paper
// book lives in memory: a restart starts a fresh book (its trades were logged as they closed).
import { performance } from 'node:perf_hooks';
import { type ObMessage, ObMsg } from '../protocol/messages.ts';
import type { ActorDef } from '../supervision/actor-def.ts';
import type { NodeContext } from './context.ts';

/** What one poll of a live source gives: the chain update and the underlying at that time. */
export interface ShockPoll<U, T> {
  update: U;
  tick: T;
}

export interface ShockSource<U, T> {
  readonly name: string;
  poll(now: number): Promise<ShockPoll<U, T>>;
}

/** What the actor reads of a trader's cycle (LiveTrader's CycleReport satisfies it). */
export interface ShockCycle {
  alerts: number;
  events: readonly { id: string; flowType: string; detectedAt: number; onsetAt: number; outcome: string }[];
  opened: readonly { eventId: string; flowType: string; direction: number; size: number; price: number }[];
  refused: readonly { eventId: string; reason: string }[];
  closed: readonly { eventId: string; flowType: string; points: number; pnl: number; reason: string; win: boolean }[];
}

export interface ShockTrader<U, T> {
  cycle(update: U, tick: T): ShockCycle;
  status(): Record<string, unknown>;
}

/** One decision's timing, for the metrics hook. */
export interface DecisionLatency {
  eventId: string;
  flowType: string;
  /** opened, refused or pending */
  outcome: string;
  /** chain in hand → decision made (detection, classification, sizing, risk), seconds of wall time */
  decisionSeconds: number;
  /** shock onset → decision, seconds: the data's detection time − onset (the polling interval) + decisionSeconds */
  signalAgeSeconds: number;
}

export interface VolumeShockActorOptions<U, T> {
  source: ShockSource<U, T>;
  trader: ShockTrader<U, T>;
  cycleMs: number;
  /** called once per detected event, after the decision */
  onDecision?: (d: DecisionLatency) => void;
  /** a monotonic clock in ms (default performance.now); tests inject one */
  clock?: () => number;
}

export interface VolumeShockState {
  cycles: number;
  sourceErrors: number;
  lastError: string | null;
  events: number;
  lastDecisionMs: number | null;
}

export function volumeShockActor<U, T>(ctx: Pick<NodeContext, 'now'>, o: VolumeShockActorOptions<U, T>, name = 'volume-shock'): ActorDef<VolumeShockState, ObMessage> {
  const clock = o.clock ?? (() => performance.now());
  return {
    name,
    schema: ObMsg,
    init: () => ({ cycles: 0, sourceErrors: 0, lastError: null, events: 0, lastDecisionMs: null }),
    timers: [{ everyMs: o.cycleMs, message: () => ({ type: 'ObCycle', now: ctx.now() }) }],
    async receive(s, msg, rc) {
      if (msg.type !== 'ObCycle') return s;
      s.cycles += 1;
      let poll: ShockPoll<U, T>;
      try {
        poll = await o.source.poll(msg.now);
      } catch (e) {
        s.sourceErrors += 1;
        s.lastError = (e as Error).message;
        rc.env.log.warn({ err: s.lastError, source: o.source.name }, 'volume-shock source failed; cycle skipped');
        rc.reply({ type: 'Ack', ok: false, error: s.lastError });
        return s;
      }
      const t0 = clock();
      const c = o.trader.cycle(poll.update, poll.tick);
      const decisionMs = clock() - t0;
      s.events += c.events.length;
      if (c.events.length > 0) s.lastDecisionMs = decisionMs;
      for (const e of c.events) {
        o.onDecision?.({ eventId: e.id, flowType: e.flowType, outcome: e.outcome, decisionSeconds: decisionMs / 1000, signalAgeSeconds: (e.detectedAt - e.onsetAt + decisionMs) / 1000 });
      }
      for (const t of c.opened) rc.env.log.info({ event: t.eventId, flowType: t.flowType, direction: t.direction, size: t.size, price: t.price }, 'volume-shock paper entry');
      for (const r of c.refused) rc.env.log.info({ event: r.eventId, reason: r.reason }, 'volume-shock entry refused by the risk framework');
      for (const t of c.closed) rc.env.log.info({ event: t.eventId, flowType: t.flowType, points: t.points, pnl: t.pnl, reason: t.reason }, 'volume-shock paper exit');
      rc.reply({ type: 'Ack', ok: true, detail: { alerts: c.alerts, events: c.events.length, opened: c.opened.length, refused: c.refused.length, closed: c.closed.length, decisionMs } });
      return s;
    },
    status: (s) => ({ source: o.source.name, cycles: s.cycles, sourceErrors: s.sourceErrors, lastError: s.lastError, events: s.events, lastDecisionMs: s.lastDecisionMs, paper: o.trader.status() }),
  };
}
