// One chain update in, the seed's whole decision chain out: detect → group and classify → predict the
// hedge → size, stop, target, max hold. Pure apart from the detector's volume book; the study and the
// actor both call this, so the live path re-implements nothing.
import { buildEvents } from './classifier.ts';
import { VolumeShockDetector, type Scan } from './detector.ts';
import { detectorFor, type SourceName, type VolumeShockParams } from './params.ts';
import { predictHedge } from './prediction.ts';
import { flowBasedExits, flowBasedSize } from './sizing.ts';
import type { ChainUpdate, ShockEvent, TradeIntent } from './types.ts';

export interface Decision {
  scan: Scan;
  events: ShockEvent[];
  /** one per event with a prediction; the paper book's risk checks decide which open */
  intents: TradeIntent[];
}

export class VolumeShockStrategy {
  readonly detector: VolumeShockDetector;

  constructor(readonly params: VolumeShockParams, readonly source: SourceName) {
    const src = params.sources[source];
    this.detector = new VolumeShockDetector({
      detector: detectorFor(params, source),
      responseTime: params.response_time,
      sessionMinutes: src.session_minutes,
      contractMultiplier: src.contract_multiplier,
      referencePrice: params.exposure.reference_price,
      assumeSide: params.exposure.assume_customer_side === 'buy' ? 1 : -1,
    });
  }

  /** `latencyMinutes`: how long after the update the order reaches the market. */
  onUpdate(u: ChainUpdate, latencyMinutes = 0): Decision {
    const p = this.params;
    const scan = this.detector.scan(u);
    if (scan.alerts.length === 0) return { scan, events: [], intents: [] };
    const events = buildEvents(scan.alerts, u, {
      detector: detectorFor(p, this.source),
      classifier: p.classifier,
      responseTime: p.response_time,
      dailyOptionVolume: this.detector.book.dailyVolume(u.day),
    });
    const intents: TradeIntent[] = [];
    for (const event of events) {
      const ft = p.flow_types[event.flowType];
      const prediction = predictHedge(event, u.price, { flowType: ft, confidence: p.confidence, minRatio: p.detector.min_ratio, referencePrice: p.exposure.reference_price });
      if (prediction === null) continue;
      const exits = flowBasedExits(prediction, ft, p.exits);
      intents.push({
        event,
        prediction,
        size: flowBasedSize(ft.size_multiplier, prediction.confidence, event.netDelta, p.sizing),
        ...exits,
        entryAfter: u.time + latencyMinutes * 60_000,
      });
    }
    return { scan, events, intents };
  }
}
