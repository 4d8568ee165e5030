// The run's results read back from the store: the PnL map's days and the trades map, in date order,
// summarised exactly as the batch backtest summarises its own (so the two reports can be compared).
import { summarise } from '../engine/metrics.ts';
import type { DayResult, OpenPositionRecord, RunResult, TradeRecord } from '../engine/types.ts';
import { DOLPHIN_FEATURES } from '../store/names.ts';
import { parsePnlDay } from '../store/payloads.ts';
import { parseAcbDay } from './acb-day.ts';
import { decodeTrades } from './checkpoint.ts';
import type { NodeContext } from './context.ts';
import { dolphinMaps } from './dolphin-store.ts';
import { acbDayKey } from './keys.ts';

export async function readRunResult(ctx: NodeContext, openPosition: OpenPositionRecord | null): Promise<RunResult> {
  const maps = dolphinMaps(ctx);
  const features = ctx.store.map(DOLPHIN_FEATURES);
  const entries = (await maps.pnl.entries()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const days: DayResult[] = [];
  const trades: TradeRecord[] = [];
  for (const [date, json] of entries) {
    const p = parsePnlDay(json, { map: maps.pnl.name, key: date });
    const acb = await features.get(acbDayKey(date));
    days.push({
      date,
      pnl: p.pnl,
      capital: p.capital,
      boost: p.boost,
      beta: p.beta,
      mcStatus: p.mcStatus,
      posture: p.posture ?? 'APEX',
      trades: p.trades,
      bars: p.bars ?? 0,
      signals: ctx.cfg.acb.use_acb && acb !== null ? parseAcbDay(acb, date).signals : null,
    });
    const t = await maps.trades.get(date);
    if (t !== null) trades.push(...decodeTrades(t, `${maps.trades.name}[${date}]`));
  }
  return { summary: summarise(ctx.options.capital, days, trades), days, trades, openPosition, inputs: ctx.options.inputs };
}
