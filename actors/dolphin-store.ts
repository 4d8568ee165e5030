// DolphinActor's reads and writes: the day's ACB, the forewarner report, and the day's result with
// its checkpoint and trades. Write order makes the PnL entry the commit point of a date.
import type { DayStart } from '../engine/alpha-engine.ts';
import type { DayResult, ForewarnerReport, TradeRecord } from '../engine/types.ts';
import { ACB_BOOST_KEY, colorOfDirection, DOLPHIN_FEATURES, FOREWARNER_STATUS_KEY, pnlMapName } from '../store/names.ts';
import { parseAcbBoost, parseForewarnerStatus, pnlDayJson } from '../store/payloads.ts';
import type { StoreMap } from '../store/port.ts';
import { parseAcbDay } from './acb-day.ts';
import { encodeValue } from './checkpoint.ts';
import type { NodeContext } from './context.ts';
import { acbDayKey, stateMapName, tradesMapName } from './keys.ts';

export interface DolphinMaps {
  pnl: StoreMap;
  state: StoreMap;
  trades: StoreMap;
}

export function dolphinMaps(ctx: NodeContext): DolphinMaps {
  const d = ctx.cfg.direction;
  return { pnl: ctx.store.map(pnlMapName(colorOfDirection(d))), state: ctx.store.map(stateMapName(d)), trades: ctx.store.map(tradesMapName(d)) };
}

/** The ACB the ACB actor wrote for this date; `acb_boost` when a Python ACB service wrote only that. */
export async function readDayAcb(ctx: NodeContext, date: string): Promise<DayStart['acb']> {
  const features = ctx.store.map(DOLPHIN_FEATURES);
  const day = await features.get(acbDayKey(date));
  if (day !== null) {
    const d = parseAcbDay(day, date);
    return { boost: d.boost, beta: d.beta, signals: d.signals };
  }
  const latest = await features.get(ACB_BOOST_KEY);
  return latest === null ? null : parseAcbBoost(latest);
}

/** The forewarner report for this date; neutral (never gates) when there is none for it. */
export async function readMcReport(ctx: NodeContext, date: string): Promise<ForewarnerReport> {
  const text = await ctx.store.map(DOLPHIN_FEATURES).get(FOREWARNER_STATUS_KEY);
  const st = text === null ? null : parseForewarnerStatus(text);
  if (st === null || st.date !== date) return { catastrophicProbability: 0, envelopeScore: 0 };
  return { catastrophicProbability: st.catastrophicProbability, envelopeScore: st.envelopeScore };
}

/**
 * Checkpoint, trades, then the PnL entry (§14.5). A crash before the last write leaves the date
 * unprocessed, and it is re-run from the previous checkpoint. A PnL entry is never overwritten.
 */
export async function writeDayResult(ctx: NodeContext, r: DayResult, trades: readonly TradeRecord[], snapshot: string): Promise<{ kept: string | null }> {
  const maps = dolphinMaps(ctx);
  await maps.state.put(r.date, snapshot);
  await maps.trades.put(r.date, encodeValue(trades));
  const kept = await maps.pnl.putIfAbsent(r.date, pnlDayJson(r, maps.pnl.name));
  await pruneCheckpoints(maps.state, r.date, ctx.options.checkpointsKept);
  return { kept };
}

/** Only the latest checkpoints are needed (a restart restores the last processed date's). */
async function pruneCheckpoints(state: StoreMap, latest: string, keep: number): Promise<void> {
  const old = (await state.keys()).filter((d) => d <= latest).sort().slice(0, -keep);
  for (const d of old) await state.delete(d);
}
