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
import type { NodeContext } from './context.ts';
import { tradesMapName } from './keys.ts';

export interface ForewarnerState {
  last: (McReport & { status: string }) | null;
  assessments: number;
}

export function forewarnerActor(ctx: NodeContext, name = 'forewarner'): ActorDef<ForewarnerState, ForewarnerMessage> {
  return {
    name,
    schema: ForewarnerMsg,
    init: () => ({ last: null, assessments: 0 }),
    async receive(s, msg, rc) {
      if (msg.type !== 'ForewarnerAssess') return s;
      const outcomes = outcomesFromTrades(await tradesBefore(ctx, msg.date));
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
async function tradesBefore(ctx: NodeContext, date: string): Promise<TradeRecord[]> {
  const map = ctx.store.map(tradesMapName(ctx.cfg.direction));
  const entries = (await map.entries()).filter(([d]) => d < date).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.flatMap(([d, text]) => decodeTrades(text, `${map.name}[${d}]`));
}

/** One seed per date, so a re-assessment after a restart reproduces the same report. */
export function daySeed(seed: number, date: string): number {
  const day = Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  return (Math.imul(seed >>> 0, 2_654_435_761) + day) >>> 0;
}
