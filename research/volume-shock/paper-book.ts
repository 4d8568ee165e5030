// Paper trading of the hedge flow: intents wait for their entry time, pass the risk framework at the
// first observation at or after it, fill at that price and leave by exit-rule.ts. Equity, the day's
// realised PnL and open risk feed the risk checks. Used by the study (backtest) and the actor (live).
import { exitReason, legPoints, type ExitReason, type OpenLeg } from './exit-rule.ts';
import type { FlowType, VolumeShockParams } from './params.ts';
import { admit, type Refusal } from './risk.ts';
import type { Direction, TradeIntent, UnderlyingTick } from './types.ts';

export interface BookSettings {
  params: VolumeShockParams;
  pointValue: number;
  /** round-trip cost in points at the reference price (scaled to the entry price) */
  costPoints: number;
  /** the exit-before-close rule applies (sessions with a close) */
  sessionClose: boolean;
}

interface Position extends OpenLeg {
  intent: TradeIntent;
  size: number;
  risk: number;
}

export interface ClosedTrade {
  id: number;
  eventId: string;
  flowType: FlowType;
  direction: Direction;
  onsetTime: number;
  detectionTime: number;
  entryTime: number;
  exitTime: number;
  /** the session date of the exit: the trade's PnL counts on this day */
  exitDay: string;
  entryPrice: number;
  exitPrice: number;
  size: number;
  /** per contract, net of costs, in the underlying's price units */
  points: number;
  pnl: number;
  reason: ExitReason;
  holdMinutes: number;
  /** entry − onset of the shock (detector.ts onset): the signal's age when we traded (the latency buckets) */
  latencyMinutes: number;
  /** entry − detection: our own latency (the 5-minute limit) */
  executionLatencyMinutes: number;
  netDelta: number;
  predictedMagnitude: number;
  predictedTimingMinutes: number;
  confidence: number;
  stopDistance: number;
  targetDistance: number;
  maxHoldMinutes: number;
  equityAfter: number;
  win: boolean;
}

export interface TickResult {
  closed: ClosedTrade[];
  opened: { intent: TradeIntent; size: number; price: number }[];
  refused: { intent: TradeIntent; reason: Refusal }[];
}

export class PaperBook {
  equity: number;
  private dayStartEquity: number;
  private realizedToday = 0;
  private day: string | null = null;
  private readonly pending: TradeIntent[] = [];
  private readonly open: Position[] = [];
  private nextId = 1;
  readonly trades: ClosedTrade[] = [];
  readonly refusals: Record<Refusal, number> = { LATENCY: 0, MAX_CONCURRENT: 0, ILLIQUID: 0, NEAR_CLOSE: 0, RISK_BUDGET: 0 };

  constructor(private readonly s: BookSettings) {
    this.equity = s.params.risk.account;
    this.dayStartEquity = this.equity;
  }

  get openCount(): number {
    return this.open.length;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  submit(intent: TradeIntent): void {
    this.pending.push(intent);
  }

  /** Exits first, then entries whose time has come (exit before entry). */
  onTick(tick: UnderlyingTick): TickResult {
    if (tick.day !== this.day) {
      this.day = tick.day;
      this.dayStartEquity = this.equity;
      this.realizedToday = 0;
    }
    const out: TickResult = { closed: [], opened: [], refused: [] };
    const buffer = this.s.sessionClose ? this.s.params.risk.exit_before_close_minutes * 60_000 : null;
    for (const pos of [...this.open]) {
      const reason = exitReason(pos, tick, buffer);
      if (reason !== null) out.closed.push(this.close(pos, tick, reason));
    }
    const due = this.pending.filter((i) => i.entryAfter <= tick.time);
    for (const intent of due) {
      this.pending.splice(this.pending.indexOf(intent), 1);
      const ft = this.s.params.flow_types[intent.event.flowType];
      const a = admit(intent, tick.time, this.s.sessionClose ? tick.sessionEnd : undefined, {
        equity: this.equity,
        dayStartEquity: this.dayStartEquity,
        realizedToday: this.realizedToday,
        openRisks: this.open.map((p) => p.risk),
      }, { risk: this.s.params.risk, flowType: ft, pointValue: this.s.pointValue, minContracts: this.s.params.sizing.min_contracts });
      if (!a.ok) {
        this.refusals[a.reason] += 1;
        out.refused.push({ intent, reason: a.reason });
        continue;
      }
      this.open.push({
        intent,
        size: a.size,
        risk: a.risk,
        direction: intent.prediction.direction,
        entryTime: tick.time,
        entryPrice: tick.price,
        stopDistance: intent.stopDistance,
        targetDistance: intent.targetDistance,
        maxHoldMinutes: intent.maxHoldMinutes,
      });
      out.opened.push({ intent, size: a.size, price: tick.price });
    }
    return out;
  }

  /**
   * End of data: closes what is open at the last observation. Pending intents, and positions opened
   * at that very observation (no exit could be seen), are dropped: they never traded.
   */
  closeAll(tick: UnderlyingTick): ClosedTrade[] {
    this.pending.length = 0;
    const unseen = this.open.filter((p) => p.entryTime >= tick.time);
    for (const p of unseen) this.open.splice(this.open.indexOf(p), 1);
    return [...this.open].map((p) => this.close(p, tick, 'END'));
  }

  private close(pos: Position, tick: UnderlyingTick, reason: ExitReason): ClosedTrade {
    this.open.splice(this.open.indexOf(pos), 1);
    const ref = this.s.params.exposure.reference_price;
    const points = legPoints(pos.direction, pos.entryPrice, tick.price, (this.s.costPoints * pos.entryPrice) / ref);
    const pnl = points * pos.size * this.s.pointValue;
    this.equity += pnl;
    this.realizedToday += pnl;
    const i = pos.intent;
    const trade: ClosedTrade = {
      id: this.nextId++,
      eventId: i.event.id,
      flowType: i.event.flowType,
      direction: pos.direction,
      onsetTime: i.event.onsetTime,
      detectionTime: i.event.time,
      entryTime: pos.entryTime,
      exitTime: tick.time,
      exitDay: tick.day,
      entryPrice: pos.entryPrice,
      exitPrice: tick.price,
      size: pos.size,
      points,
      pnl,
      reason,
      holdMinutes: (tick.time - pos.entryTime) / 60_000,
      latencyMinutes: (pos.entryTime - i.event.onsetTime) / 60_000,
      executionLatencyMinutes: (pos.entryTime - i.event.time) / 60_000,
      netDelta: i.event.netDelta,
      predictedMagnitude: i.prediction.magnitude,
      predictedTimingMinutes: i.prediction.timingMinutes,
      confidence: i.prediction.confidence,
      stopDistance: pos.stopDistance,
      targetDistance: pos.targetDistance,
      maxHoldMinutes: pos.maxHoldMinutes,
      equityAfter: this.equity,
      win: pnl > 0,
    };
    this.trades.push(trade);
    return trade;
  }
}
