// The seed's DeltaFlowClassifier: the strike alerts of one scan (per expiry, or per underlying) are
// one volume shock; its strikes, concentration, response time and exposure decide the flow type.
//   INSTITUTIONAL_SWEEP: >= 3 strikes, concentration < 0.6, response time >= 5 min
//   GAMMA_EMERGENCY:     concentration > 0.8, response time < 5 min, |exposure| > 3000
//   otherwise AMBIGUOUS_SIGNAL
// The seed writes "response time > 5" for sweeps while its own response model gives sweeps exactly
// 5 minutes and their range as (5, 15): we read it as >= (docs/volume-shock.md).
import type { ClassifierParams, DetectorParams, FlowType, ResponseTimeParams } from './params.ts';
import { estimateResponseTime, pressure } from './response-time.ts';
import type { ChainUpdate, ShockEvent, StrikeAlert } from './types.ts';

export interface FlowFeatures {
  strikesAffected: number;
  concentrationRatio: number;
  responseMinutes: number;
  /** net delta of the event (its absolute value is compared) */
  exposure: number;
}

export function classifyFlow(f: FlowFeatures, p: ClassifierParams): FlowType {
  if (f.strikesAffected >= p.sweep_min_strikes && f.concentrationRatio < p.sweep_max_concentration && f.responseMinutes >= p.sweep_min_response_minutes) {
    return 'INSTITUTIONAL_SWEEP';
  }
  if (f.concentrationRatio > p.gamma_min_concentration && f.responseMinutes < p.gamma_max_response_minutes && Math.abs(f.exposure) > p.gamma_min_exposure) {
    return 'GAMMA_EMERGENCY';
  }
  return 'AMBIGUOUS_SIGNAL';
}

/** max single-strike volume / total volume of the event's strikes */
export function concentrationRatio(alerts: readonly Pick<StrikeAlert, 'recentVolume'>[]): number {
  let max = 0;
  let total = 0;
  for (const a of alerts) {
    max = Math.max(max, a.recentVolume);
    total += a.recentVolume;
  }
  return total > 0 ? max / total : 0;
}

export interface EventContext {
  detector: DetectorParams;
  classifier: ClassifierParams;
  responseTime: ResponseTimeParams;
  /** average daily option volume of the chain over the baseline days */
  dailyOptionVolume: number;
}

/** Groups one scan's alerts into events and classifies each; events come out highest pressure first. */
export function buildEvents(alerts: readonly StrikeAlert[], u: ChainUpdate, c: EventContext): ShockEvent[] {
  const groups = new Map<string, StrikeAlert[]>();
  for (const a of alerts) {
    const g = c.detector.event_grouping === 'expiry' ? a.expiry : u.underlying;
    const list = groups.get(g);
    if (list === undefined) groups.set(g, [a]);
    else list.push(a);
  }
  const events: ShockEvent[] = [];
  for (const [group, list] of groups) {
    const netDelta = list.reduce((s, a) => s + a.netDelta, 0);
    const totalVolume = list.reduce((s, a) => s + a.recentVolume, 0);
    const normal = list.reduce((s, a) => s + a.normalVolume, 0);
    const rt = estimateResponseTime(netDelta, c.responseTime);
    const conc = concentrationRatio(list);
    const flowType = classifyFlow({ strikesAffected: list.length, concentrationRatio: conc, responseMinutes: rt.minutes, exposure: netDelta }, c.classifier);
    events.push({
      id: `${u.underlying}:${group}:${new Date(u.time).toISOString()}`,
      time: u.time,
      underlying: u.underlying,
      group,
      alerts: list,
      strikesAffected: list.length,
      totalVolume,
      concentrationRatio: conc,
      netDelta,
      responseMinutes: rt.minutes,
      pressure: pressure(netDelta, rt.minutes),
      volumeRatio: totalVolume / Math.max(normal, c.detector.baseline_floor),
      flowType,
      onsetTime: Math.min(...list.map((a) => a.onsetTime)),
      atmIv: atmIv(u, c.detector.event_grouping === 'expiry' ? group : null),
      dailyOptionVolume: c.dailyOptionVolume,
    });
  }
  events.sort((a, b) => b.pressure - a.pressure || (a.group < b.group ? -1 : 1));
  return events;
}

/** Mean IV of the call and put at the strike nearest the underlying (within one expiry when given). */
export function atmIv(u: ChainUpdate, expiry: string | null): number | null {
  let best = Infinity;
  for (const q of u.contracts) {
    if ((expiry === null || q.expiry === expiry) && q.iv !== null) best = Math.min(best, Math.abs(q.strike - u.price));
  }
  if (!Number.isFinite(best)) return null;
  const ivs = u.contracts.filter((q) => (expiry === null || q.expiry === expiry) && q.iv !== null && Math.abs(q.strike - u.price) === best).map((q) => q.iv!);
  return ivs.reduce((s, x) => s + x, 0) / ivs.length;
}
