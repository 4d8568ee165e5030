// How a hedge is "observed" (the seed's _observe_actual_hedging_behavior, left open there):
// over the window (detection, detection + the flow type's max hold], extended to at least the first
// observation after detection (daily data), we read
//   - with a flow series (simulator; any source with signed underlying volume): the signed volume
//     traded — its sign is the observed direction, its size the observed quantity, and the minutes
//     until `completion_fraction` of it had traded are the observed response time;
//   - without one (SPX end of day): the price change only; no response time.
import type { FlowType } from './params.ts';
import type { ShockEvent, UnderlyingTick } from './types.ts';

export interface HedgeObservation {
  eventId: string;
  flowType: FlowType;
  time: number;
  kind: 'flow' | 'price';
  /** the customers' net delta, exposure units (the predicted hedge, signed) */
  predictedQuantity: number;
  predictedTimingMinutes: number;
  /** signed underlying volume in the window; null without a flow series */
  observedFlow: number | null;
  /** price change over the window */
  priceChange: number;
  /** +1 / −1 / 0 from the flow when there is one, else from the price */
  observedDirection: 1 | -1 | 0;
  /** minutes from detection to completion_fraction of the window's flow; null without flow */
  responseMinutes: number | null;
}

interface Watch {
  event: ShockEvent;
  horizonMs: number;
  startPrice: number;
  ticks: UnderlyingTick[];
}

export class HedgeObserver {
  private watches: Watch[] = [];

  constructor(private readonly completionFraction: number) {}

  get watching(): number {
    return this.watches.length;
  }

  /** Starts watching an event; `price` is the underlying at detection. */
  watch(event: ShockEvent, horizonMinutes: number, price: number): void {
    this.watches.push({ event, horizonMs: horizonMinutes * 60_000, startPrice: price, ticks: [] });
  }

  /** Feeds a tick; returns the observations whose window is complete. */
  onTick(tick: UnderlyingTick): HedgeObservation[] {
    const done: HedgeObservation[] = [];
    const still: Watch[] = [];
    for (const w of this.watches) {
      if (tick.time <= w.event.time) {
        still.push(w);
        continue;
      }
      const end = w.event.time + w.horizonMs;
      if (tick.time <= end || w.ticks.length === 0) w.ticks.push(tick);
      // complete once a tick reaches the horizon, or the first tick after detection already passed it
      if (tick.time >= end) done.push(observe(w, this.completionFraction));
      else still.push(w);
    }
    this.watches = still;
    return done;
  }
}

function observe(w: Watch, completionFraction: number): HedgeObservation {
  const e = w.event;
  const hasFlow = w.ticks.every((t) => t.flow !== undefined);
  const priceChange = w.ticks[w.ticks.length - 1].price - w.startPrice;
  let observedFlow: number | null = null;
  let responseMinutes: number | null = null;
  if (hasFlow) {
    observedFlow = w.ticks.reduce((s, t) => s + t.flow!, 0);
    const goal = completionFraction * Math.abs(observedFlow);
    let cum = 0;
    for (const t of w.ticks) {
      cum += Math.sign(observedFlow) * t.flow!;
      if (goal > 0 && cum >= goal) {
        responseMinutes = (t.time - e.time) / 60_000;
        break;
      }
    }
  }
  const basis = observedFlow ?? priceChange;
  return {
    eventId: e.id,
    flowType: e.flowType,
    time: e.time,
    kind: hasFlow ? 'flow' : 'price',
    predictedQuantity: e.netDelta,
    predictedTimingMinutes: e.responseMinutes,
    observedFlow,
    priceChange,
    observedDirection: basis > 0 ? 1 : basis < 0 ? -1 : 0,
    responseMinutes,
  };
}
