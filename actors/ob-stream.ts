// OBStreamActor (bible §9, §16.2): every 500 ms asks its order-book source for the latest books,
// computes the per-asset and macro OB features, hands them to the feature actor for the shards and
// publishes the book's quality (stale or not) for the watchdog's Cat3. A failing source makes the
// book stale; it never crashes the actor (DESIGN invariant 7: stale OB ⇒ Cat3 = 0.5).
import { featureValues, ObFeatureEngine } from '../market/ob-features.ts';
import type { ObSource } from '../market/ob-source.ts';
import { ObStaleness } from '../market/ob-staleness.ts';
import { type ObMessage, ObMsg } from '../protocol/messages.ts';
import { DOLPHIN_FEATURES } from '../store/names.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import type { ActorDef } from '../supervision/actor-def.ts';
import type { NodeContext } from './context.ts';
import { obQualityKey } from './keys.ts';
import { obQualityJson } from './ob-quality.ts';
import { sameStrings } from './same-strings.ts';

export interface ObStreamOptions {
  source: ObSource;
  symbols: readonly string[];
  cycleMs: number;
  features: string;
  /** a symbol's book older than this (ms of the node's clock) is stale */
  staleAfterMs?: number;
}

export interface ObStreamState {
  engine: ObFeatureEngine;
  /** the symbols this node streams (all of them on a lone node; its shard share in a cluster) */
  symbols: readonly string[];
  staleness: ObStaleness;
  cycles: number;
  sourceErrors: number;
  lastQuality: { stale: boolean; freshFraction: number; ageMs: number | null } | null;
}

export function obStreamActor(ctx: NodeContext, o: ObStreamOptions, name = 'ob'): ActorDef<ObStreamState, ObMessage> {
  return {
    name,
    schema: ObMsg,
    // rolling windows start empty in a new incarnation: the features warm up again within 5 cycles
    init: () => {
      const symbols = ctx.cluster.ownSymbols(o.symbols);
      return { engine: new ObFeatureEngine(), symbols, staleness: new ObStaleness(symbols, stalenessOf(o)), cycles: 0, sourceErrors: 0, lastQuality: null };
    },
    timers: [{ everyMs: o.cycleMs, message: () => ({ type: 'ObCycle', now: ctx.now() }) }],
    async receive(s, msg, rc) {
      if (msg.type !== 'ObCycle') return s;
      const owned = ctx.cluster.ownSymbols(o.symbols);
      if (!sameStrings(owned, s.symbols)) {
        // the cluster's membership moved shards: track the new share from scratch
        rc.env.log.info({ from: s.symbols.length, to: owned.length }, 'order-book symbols re-split across the cluster');
        s = { ...s, symbols: owned, staleness: new ObStaleness(owned, stalenessOf(o)) };
      }
      let snapshots: Awaited<ReturnType<ObSource['snapshots']>> = [];
      try {
        snapshots = await o.source.snapshots(s.symbols, msg.now);
      } catch (e) {
        s.sourceErrors += 1;
        s.staleness.recordError(e);
        rc.env.log.warn({ err: (e as Error).message, source: o.source.name }, 'order-book source failed; the book goes stale');
      }
      const cycle = s.engine.update(snapshots, msg.now);
      s.staleness.recordCycle(cycle);
      const q = s.staleness.quality(msg.now);
      s.cycles += 1;
      s.lastQuality = { stale: q.stale, freshFraction: q.freshFraction, ageMs: q.ageMs };
      rc.env.tree.get(o.features).send({ type: 'FeaturePut', values: featureValues(cycle).map(({ feature, symbol, value }) => ({ feature, symbol, value })) });
      const json = obQualityJson({ stale: q.stale, freshFraction: q.freshFraction, depthQuality: orZero(cycle.macro.depthQuality), fillProbability: orZero(cycle.macro.fillProbability), timestampMs: msg.now });
      try {
        await ctx.store.map(DOLPHIN_FEATURES).put(obQualityKey(ctx.cluster.nodeId), json);
      } catch (e) {
        if (!(e instanceof StoreUnavailableError)) throw e;
      }
      rc.reply({ type: 'Ack', ok: true, detail: { stale: q.stale, snapshots: snapshots.length } });
      return s;
    },
    status: (s) => ({ source: o.source.name, symbols: s.symbols.length, cycles: s.cycles, sourceErrors: s.sourceErrors, quality: s.lastQuality }),
  };
}

const stalenessOf = (o: ObStreamOptions) => (o.staleAfterMs === undefined ? {} : { staleAfterMs: o.staleAfterMs });

/** No live book has no quality: 0, the worst reading (and JSON without NaN for the Python readers). */
const orZero = (x: number) => (Number.isFinite(x) ? x : 0);
