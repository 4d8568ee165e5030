// Aligned bars plus their signal columns, cut into UTC days: one DayFrame per date, in the engine's
// day-file schema. The signal was computed over the whole series first, so a day's first bar already
// has the previous day's history behind it (NG3 state carries over midnight).

import { SIGNAL_COLUMNS, type DayFrame } from '../engine/types.ts';
import type { AlignedBars } from './ohlcv-align.ts';

export type SignalName = (typeof SIGNAL_COLUMNS)[number];
/** One value per aligned bar for each day-file signal column. */
export type SignalColumns = Record<SignalName, Float64Array>;

/** Bars [from, to) of the aligned series that open on `date` (UTC). */
export interface DaySpan {
  date: string;
  from: number;
  to: number;
}

/** The UTC dates the bars from `fromBar` on fall into; the first and last may be partial days. */
export function daySpans(a: AlignedBars, fromBar = 0): DaySpan[] {
  const spans: DaySpan[] = [];
  for (let t = fromBar; t < a.bars; ) {
    const date = isoDate(a.start + t * a.barMs);
    const midnight = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
    const to = Math.min(a.bars, (midnight - a.start) / a.barMs);
    spans.push({ date, from: t, to });
    t = to;
  }
  return spans;
}

/** The day's frame: open-time timestamps, the signal columns, then one close column per asset (copies). */
export function dayFrame(a: AlignedBars, signals: SignalColumns, span: DaySpan): DayFrame {
  for (const name of SIGNAL_COLUMNS) {
    if (signals[name].length !== a.bars) throw new RangeError(`signal ${name} has ${signals[name].length} values for ${a.bars} bars`);
  }
  const cut = (x: Float64Array) => x.slice(span.from, span.to);
  const rows = span.to - span.from;
  const timestamps = new Float64Array(rows);
  for (let i = 0; i < rows; i++) timestamps[i] = a.start + (span.from + i) * a.barMs;
  return {
    date: span.date,
    rows,
    timestamps,
    velDiv: cut(signals.vel_div),
    v50: cut(signals.v50_lambda_max_velocity),
    v150: cut(signals.v150_lambda_max_velocity),
    v300: cut(signals.v300_lambda_max_velocity),
    v750: cut(signals.v750_lambda_max_velocity),
    instability50: cut(signals.instability_50),
    instability150: cut(signals.instability_150),
    assets: [...a.assets],
    prices: a.closes.map(cut),
  };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
