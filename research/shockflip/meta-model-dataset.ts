// The meta-model's samples: the diamond events, each traded on its own (no cooldown or one-position
// limit: the model judges every event, the portfolio rules come after) with the Step-2 exit rules,
// its PnL the weight and sign of the label, its exit time the end of the label.
import type { EventRow } from './events.ts';
import { MetaModelInputError } from './meta-model-booster.ts';
import type { MetaSample } from './meta-model.ts';
import type { ZombieOptions } from './zombie-options.ts';
import { rulesFor, runTrade, type PriceBars, type SimRules, type TradeEvent } from './zombie-sim.ts';

export interface DatasetResult {
  samples: MetaSample[];
  /** diamond events left out because the data ended before the trade did (label unknown) */
  openAtEnd: number;
}

/** A feature's value from an event row; a name the row does not carry is an error naming the columns. */
export function featureValue(row: EventRow, name: string): number {
  const v = (row as unknown as Record<string, unknown>)[name];
  if (typeof v !== 'number') {
    throw new MetaModelInputError(`feature ${name} is not a column of the events (${Object.keys(row).join(', ')})`);
  }
  return v;
}

export function metaSamples(
  rows: readonly EventRow[],
  events: readonly TradeEvent[],
  bars: PriceBars,
  barMs: number,
  zo: ZombieOptions,
  rules: SimRules,
  features: readonly string[],
): DatasetResult {
  if (rows.length !== events.length) throw new MetaModelInputError(`rows (${rows.length}) and events (${events.length}) differ in length`);
  const samples: MetaSample[] = [];
  let openAtEnd = 0;
  rows.forEach((row, i) => {
    const e = events[i];
    if (!(e.rel_vol >= zo.relVolThreshold) || !(e.atr > 0)) return;
    if (e.barIndex + 1 >= bars.close.length) { openAtEnd++; return; }
    const t = runTrade(bars, e, i, true, zo, rulesFor(zo, rules, true));
    if (t.exitReason === 'end') { openAtEnd++; return; }
    samples.push({ ts: e.ts, labelEnd: t.exitTs + barMs, x: features.map((f) => featureValue(row, f)), pnl: t.netReturn });
  });
  return { samples, openAtEnd };
}
