// A backtest of the Volume Shock strategy over recorded or simulated data: chain updates and
// underlying observations merged in time order (an update before an observation at the same time,
// so daily data can trade at the close it saw), the strategy's intents paper-traded by the book, and
// every detected event's hedge observed for the validator.
import { Prng } from '../../market/prng.ts';
import { HedgeObserver, type HedgeObservation } from './observation.ts';
import { PaperBook, type ClosedTrade } from './paper-book.ts';
import type { SourceName, VolumeShockParams } from './params.ts';
import type { Refusal } from './risk.ts';
import type { ScanSkips } from './detector.ts';
import { VolumeShockStrategy } from './strategy.ts';
import type { ChainUpdate, ShockEvent, UnderlyingTick } from './types.ts';

export interface StudyInput {
  source: SourceName;
  updates: readonly ChainUpdate[];
  ticks: readonly UnderlyingTick[];
}

export interface StudyResult {
  source: SourceName;
  trades: ClosedTrade[];
  events: ShockEvent[];
  observations: HedgeObservation[];
  refusals: Record<Refusal, number>;
  skips: ScanSkips;
  /** session days from the first detected event to the last observation (the Sharpe's periods) */
  days: string[];
  ticks: readonly UnderlyingTick[];
  finalEquity: number;
}

export function runStudy(input: StudyInput, params: VolumeShockParams): StudyResult {
  const profile = params.sources[input.source];
  const strategy = new VolumeShockStrategy(params, input.source);
  const book = new PaperBook({ params, pointValue: profile.point_value, costPoints: profile.cost_points, sessionClose: profile.session_close });
  const observer = new HedgeObserver(params.validation.completion_fraction);
  const rng = new Prng(params.study.seed);
  const [latLo, latHi] = profile.latency_minutes;
  const events: ShockEvent[] = [];
  const observations: HedgeObservation[] = [];
  const skips: ScanSkips = { noBaseline: 0, belowThreshold: 0, cooldown: 0, noDelta: 0, lowPressure: 0 };

  const { updates, ticks } = input;
  let i = 0;
  let j = 0;
  while (i < updates.length || j < ticks.length) {
    const updateFirst = i < updates.length && (j >= ticks.length || updates[i].time <= ticks[j].time);
    if (updateFirst) {
      const u = updates[i++];
      const d = strategy.onUpdate(u);
      for (const k of Object.keys(skips) as (keyof ScanSkips)[]) skips[k] += d.scan.skips[k];
      for (const intent of d.intents) {
        // one latency draw per intent, in the strategy's order: reproducible for a seed
        const latency = latLo + (latHi - latLo) * rng.next();
        book.submit({ ...intent, entryAfter: u.time + latency * 60_000 });
        observer.watch(intent.event, intent.maxHoldMinutes, u.price);
      }
      events.push(...d.events);
    } else {
      const t = ticks[j++];
      book.onTick(t);
      observations.push(...observer.onTick(t));
    }
  }
  if (ticks.length > 0) book.closeAll(ticks[ticks.length - 1]);

  const firstEventDay = events.length > 0 ? updates.find((u) => u.time === events[0].time)?.day : undefined;
  const days = [...new Set(ticks.map((t) => t.day))].filter((d) => firstEventDay !== undefined && d >= firstEventDay);
  return { source: input.source, trades: book.trades, events, observations, refusals: book.refusals, skips, days, ticks, finalEquity: book.equity };
}
