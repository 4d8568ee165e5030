// ACBActor (bible §10, §16.1): the day's boost and beta from the factors and the w750 velocity,
// written to DOLPHIN_FEATURES['acb_boost'] as {"boost", "beta"} under the CP FencedLock (single
// writer, DESIGN invariant 6). A FactorsUpdate (new NG3 batch mid-day) recomputes and rewrites it.
import { baseBoost, dynamicBeta, factorSignals, type AcbDay } from '../engine/acb.ts';
import type { ExternalFactors } from '../engine/types.ts';
import { type AcbMessage, AcbMsg } from '../protocol/messages.ts';
import { ACB_BOOST_KEY, ACB_WRITER_LOCK, DOLPHIN_FEATURES } from '../store/names.ts';
import { acbBoostJson } from '../store/payloads.ts';
import type { ActorDef } from '../supervision/actor-def.ts';
import { acbDayJson } from './acb-day.ts';
import type { NodeContext } from './context.ts';
import { acbDayKey } from './keys.ts';

export interface AcbState {
  last: { date: string; boost: number; beta: number; fence: string | null } | null;
  writes: number;
  /** requests left to the elected writer on another node */
  skipped: number;
}

export class AcbLockBusyError extends Error {
  override readonly name = 'AcbLockBusyError';
}

export function acbActor(ctx: NodeContext, opts: { lockTimeoutMs: number }, name = 'acb'): ActorDef<AcbState, AcbMessage> {
  return {
    name,
    schema: AcbMsg,
    init: () => ({ last: null, writes: 0, skipped: 0 }),
    async receive(s, msg, rc) {
      let json: string;
      if ((msg.type === 'AcbDayStart' || msg.type === 'FactorsUpdate') && !ctx.cluster.leads('acb')) {
        // another node is the cluster's ACB writer (DESIGN invariant 6)
        s.skipped += 1;
        rc.reply({ type: 'Ack', ok: true, detail: { skipped: 'not the cluster ACB writer' } });
        return s;
      }
      if (msg.type === 'AcbDayStart') {
        const day = msg.factors !== undefined ? acbFromFactors(ctx, msg.date, msg.factors) : acbForDate(ctx, msg.date);
        json = acbBoostJson(day);
        const fence = await writeLocked(ctx, opts.lockTimeoutMs, [
          [ACB_BOOST_KEY, json],
          [acbDayKey(msg.date), acbDayJson(day, ctx.inputs.w750Threshold)],
        ]);
        s.last = { date: msg.date, boost: day.boost, beta: day.beta, fence: fence === null ? null : String(fence) };
      } else if (msg.type === 'FactorsUpdate') {
        const day = acbFromFactors(ctx, msg.date, msg.factors);
        json = acbBoostJson(day);
        const fence = await writeLocked(ctx, opts.lockTimeoutMs, [[ACB_BOOST_KEY, json]]);
        s.last = { date: msg.date, boost: day.boost, beta: day.beta, fence: fence === null ? null : String(fence) };
      } else {
        return s;
      }
      s.writes += 1;
      rc.reply({ type: 'Ack', ok: true, detail: { ...s.last, value: json } });
      return s;
    },
    status: (s) => ({ last: s.last, writes: s.writes, skipped: s.skipped }),
  };
}

/** The preloaded day (as the backtest computes it), else the factors alone with the run's threshold. */
function acbForDate(ctx: NodeContext, date: string): AcbDay {
  const day = ctx.inputs.acbDays?.get(date);
  if (day !== undefined) return day;
  const f = ctx.inputs.factorsByDate.get(date);
  return f === undefined ? { date, signals: 0, boost: baseBoost(0), beta: ctx.cfg.acb.beta_low, w750: NaN } : acbFromFactors(ctx, date, f);
}

function acbFromFactors(ctx: NodeContext, date: string, f: ExternalFactors): AcbDay {
  const p = ctx.cfg.acb;
  const signals = factorSignals(f, p);
  const w750 = ctx.inputs.acbDays?.get(date)?.w750 ?? NaN;
  return { date, signals, boost: baseBoost(signals), beta: dynamicBeta(w750, ctx.inputs.w750Threshold, p), w750 };
}

/**
 * Writes under the writer lock; the lock is always released, also when a write fails. In a cluster the
 * election holds the lock for as long as this node leads, so the writes go ahead under its fence.
 */
async function writeLocked(ctx: NodeContext, timeoutMs: number, entries: ReadonlyArray<[string, string]>): Promise<bigint | null> {
  if (ctx.cluster.holdsAcbLock()) {
    const features = ctx.store.map(DOLPHIN_FEATURES);
    for (const [k, v] of entries) await features.put(k, v);
    return null;
  }
  const lock = ctx.store.lock(ACB_WRITER_LOCK);
  const fence = await lock.tryLock(timeoutMs);
  if (fence === null) throw new AcbLockBusyError(`ACB writer lock ${ACB_WRITER_LOCK} is held by another writer (waited ${timeoutMs} ms)`);
  try {
    const features = ctx.store.map(DOLPHIN_FEATURES);
    for (const [k, v] of entries) await features.put(k, v);
  } finally {
    await lock.unlock(fence);
  }
  return fence;
}
