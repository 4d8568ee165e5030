// The Volume Shock strategy for live paper trading, one poll at a time: the same strategy, paper book
// and hedge observer as the study, fed an update and an observation per cycle. The actor
// (actors/volume-shock.ts) wraps this without knowing its insides: it only times the call.
import { HedgeObserver, type HedgeObservation } from './observation.ts';
import { PaperBook, type ClosedTrade } from './paper-book.ts';
import type { FlowType, SourceName, VolumeShockParams } from './params.ts';
import type { Refusal } from './risk.ts';
import { VolumeShockStrategy } from './strategy.ts';
import type { ChainUpdate, UnderlyingTick } from './types.ts';

export interface CycleEvent {
  id: string;
  flowType: FlowType;
  /** epoch ms of the update the shock was detected in */
  detectedAt: number;
  /** epoch ms the shock crossed the thresholds */
  onsetAt: number;
  netDelta: number;
  /** opened now, refused now, or waiting (an entry time in the future) */
  outcome: 'opened' | 'refused' | 'pending';
}

export interface CycleReport {
  alerts: number;
  events: CycleEvent[];
  opened: { eventId: string; flowType: FlowType; direction: 1 | -1; size: number; price: number }[];
  refused: { eventId: string; reason: Refusal }[];
  closed: ClosedTrade[];
  observations: HedgeObservation[];
}

export class LiveTrader {
  private readonly strategy: VolumeShockStrategy;
  private readonly book: PaperBook;
  private readonly observer: HedgeObserver;
  private cycles = 0;

  constructor(readonly params: VolumeShockParams, readonly source: SourceName) {
    const profile = params.sources[source];
    this.strategy = new VolumeShockStrategy(params, source);
    this.book = new PaperBook({ params, pointValue: profile.point_value, costPoints: profile.cost_points, sessionClose: profile.session_close });
    this.observer = new HedgeObserver(params.validation.completion_fraction);
  }

  /** Detect and decide on the update, then trade on the observation taken with it (exits first). */
  cycle(update: ChainUpdate, tick: UnderlyingTick): CycleReport {
    this.cycles += 1;
    const d = this.strategy.onUpdate(update);
    for (const intent of d.intents) {
      this.book.submit(intent);
      this.observer.watch(intent.event, intent.maxHoldMinutes, update.price);
    }
    const r = this.book.onTick(tick);
    const opened = new Set(r.opened.map((o) => o.intent.event.id));
    const refused = new Set(r.refused.map((o) => o.intent.event.id));
    return {
      alerts: d.scan.alerts.length,
      events: d.events.map((e) => ({
        id: e.id,
        flowType: e.flowType,
        detectedAt: e.time,
        onsetAt: e.onsetTime,
        netDelta: e.netDelta,
        outcome: opened.has(e.id) ? 'opened' : refused.has(e.id) ? 'refused' : 'pending',
      })),
      opened: r.opened.map((o) => ({ eventId: o.intent.event.id, flowType: o.intent.event.flowType, direction: o.intent.prediction.direction, size: o.size, price: o.price })),
      refused: r.refused.map((o) => ({ eventId: o.intent.event.id, reason: o.reason })),
      closed: r.closed,
      observations: this.observer.onTick(tick),
    };
  }

  status(): Record<string, unknown> {
    const trades = this.book.trades;
    const wins = trades.filter((t) => t.win).length;
    return {
      cycles: this.cycles,
      equity: this.book.equity,
      open: this.book.openCount,
      pending: this.book.pendingCount,
      trades: trades.length,
      winRate: trades.length > 0 ? wins / trades.length : null,
      refusals: { ...this.book.refusals },
      watching: this.observer.watching,
    };
  }

  get trades(): readonly ClosedTrade[] {
    return this.book.trades;
  }
}
