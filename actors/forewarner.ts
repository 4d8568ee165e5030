// ForewarnerActor (bible §12, §16.4): once per date, the Monte-Carlo envelope of the day's
// configuration (leverage ceiling × ACB boost) over the recent closed trades, computed on the worker
// pool, written to DOLPHIN_FEATURES as OK / ORANGE / RED for the engine's gate and the watchdog's Cat2.
import { mcStatus } from '../engine/forewarner.ts';
import { outcomesFromTrades, type McReport } from '../engine/forewarner-mc.ts';
import type { TradeRecord } from '../engine/types.ts';
import { type ForewarnerMessage, ForewarnerMsg } from '../protocol/messages.ts';
import { DOLPHIN_FEATURES, FOREWARNER_STATUS_KEY } from '../store/names.ts';
import { forewarnerStatusJson } from '../store/payloads.ts';
import type { ActorDef } from '../supervision/actor-def.ts';
import { decodeTrades } from './checkpoint.ts';
import { ParsedEntries } from './entry-cache.ts';
import type { NodeContext } from './context.ts';
import { tradesMapName } from './keys.ts';

export interface ForewarnerState {
  last: (McReport & { status: string }) | null;
  assessments: number;
  /** the trades map decoded once per date (the history grows for the life of the node) */
  history: ParsedEntries<TradeRecord[]>;
}

export function forewarnerActor(ctx: NodeContext, name = 'forewarner'): ActorDef<ForewarnerState, ForewarnerMessage> {
  return {
    name,
    schema: ForewarnerMsg,
    init: () => {
      const map = tradesMapName(ctx.cfg.direction);
      return { last: null, assessments: 0, history: new ParsedEntries((d, text) => decodeTrades(text, `${map}[${d}]`)) };
    },
    async receive(s, msg, rc) {
      if (msg.type !== 'ForewarnerAssess') return s;
      if (!ctx.cluster.leads('forewarner')) {
        rc.reply({ type: 'Ack', ok: true, detail: { skipped: 'not the cluster forewarner' } });
        return s;
      }
      const outcomes = outcomesFromTrades(await tradesBefore(ctx, s.history, msg.date));
      const report = await ctx.assess({ date: msg.date, outcomes, cfg: { max_leverage: msg.maxLeverage }, seed: daySeed(ctx.cfg.seed, msg.date) });
      const status = mcStatus(report, ctx.cfg.forewarner);
      await ctx.store.map(DOLPHIN_FEATURES).put(
        FOREWARNER_STATUS_KEY,
        forewarnerStatusJson({ date: msg.date, status, catastrophicProbability: report.catastrophicProbability, envelopeScore: report.envelopeScore, timestampMs: ctx.now() }),
      );
      s.last = { ...report, status };
      s.assessments += 1;
      rc.reply({ type: 'ForewarnerResult', date: msg.date, status, catastrophicProbability: report.catastrophicProbability, envelopeScore: report.envelopeScore });
      return s;
    },
    status: (s) => ({ assessments: s.assessments, last: s.last }),
  };
}

/** Closed trades of the dates before `date`, oldest first (the model keeps the most recent window). */
async function tradesBefore(ctx: NodeContext, history: ParsedEntries<TradeRecord[]>, date: string): Promise<TradeRecord[]> {
  const entries = await ctx.store.map(tradesMapName(ctx.cfg.direction)).entries();
  return history.update(entries).flatMap(([d, trades]) => (d < date ? trades : []));
}

/** One seed per date, so a re-assessment after a restart reproduces the same report. */
export function daySeed(seed: number, date: string): number {
  const day = Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  return (Math.imul(seed >>> 0, 2_654_435_761) + day) >>> 0;
}
