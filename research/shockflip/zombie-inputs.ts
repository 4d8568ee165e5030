// Adapters from the files the event study writes to the simulation's plain inputs: a bars CSV
// (one row per bar: start time, open, high, low, close) and events_annotated.csv rows, whose
// entry_ts is the END of the signal bar (bar start + bar size, see event-study.ts).
import { parseNumberCell, splitLines, unquote } from '../../market/cells.ts';
import { DataError, quoteCell } from '../../market/errors.ts';
import { parseTimestampCell } from '../../market/time.ts';
import type { EventRow } from './events.ts';
import type { PriceBars, TradeEvent } from './zombie-sim.ts';

/** Accepted names of the bar-start column, first match wins. */
export const BAR_TIME_COLUMNS = ['start', 'ts', 'timestamp', 'open_time', 'date', 'time'] as const;

/**
 * Parses a bars CSV: a start-time column (ISO or epoch) and open, high, low, close; other columns are
 * ignored. Times must increase; each bar must have low ≤ open, close ≤ high. Errors name file, row
 * and column.
 */
export function parsePriceBarsCsv(text: string, file: string): PriceBars {
  const lines = splitLines(text);
  if (lines.length === 0) throw new DataError({ file }, 'empty file: no header row');
  const header = lines[0].split(',').map(unquote);
  const timeCol = BAR_TIME_COLUMNS.find((c) => header.includes(c));
  if (timeCol === undefined) throw new DataError({ file }, `no bar time column (one of ${BAR_TIME_COLUMNS.join(', ')}) in header ${quoteCell(lines[0])}`);
  const cols = { time: header.indexOf(timeCol), open: header.indexOf('open'), high: header.indexOf('high'), low: header.indexOf('low'), close: header.indexOf('close') };
  for (const [k, v] of Object.entries(cols)) if (v < 0) throw new DataError({ file, column: k }, 'missing column');
  const n = lines.length - 1;
  const bars = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n) };
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1].split(',');
    if (cells.length !== header.length) throw new DataError({ file, row: r + 1 }, `expected ${header.length} cells, found ${cells.length}`);
    const t = parseTimestampCell(cells[cols.time]);
    if (!Number.isFinite(t)) throw new DataError({ file, row: r + 1, column: timeCol }, `not a timestamp (${quoteCell(cells[cols.time])})`);
    if (r > 0 && !(t > bars.ts[r - 1])) throw new DataError({ file, row: r + 1, column: timeCol }, 'bar times must increase');
    bars.ts[r] = t;
    for (const k of ['open', 'high', 'low', 'close'] as const) {
      const x = parseNumberCell(cells[cols[k]]);
      if (x === null || !Number.isFinite(x)) throw new DataError({ file, row: r + 1, column: k }, `not a finite number (${quoteCell(cells[cols[k]])})`);
      bars[k][r] = x;
    }
    if (!(bars.low[r] <= Math.min(bars.open[r], bars.close[r]) && bars.high[r] >= Math.max(bars.open[r], bars.close[r]))) {
      throw new DataError({ file, row: r + 1 }, `inconsistent bar: open ${bars.open[r]} high ${bars.high[r]} low ${bars.low[r]} close ${bars.close[r]}`);
    }
  }
  return bars;
}

/**
 * Each event row's signal bar: the bar that starts at entry_ts − barMs. The bar's close must equal
 * the row's entry_close (relative 1e-9), which catches bars and events from different runs or a
 * different time convention before any trade is simulated.
 */
export function tradeEventsFromRows(rows: readonly EventRow[], bars: PriceBars, barMs: number, file = 'events_annotated.csv'): TradeEvent[] {
  const index = new Map<number, number>();
  for (let i = 0; i < bars.ts.length; i++) index.set(bars.ts[i], i);
  return rows.map((e, r) => {
    const i = index.get(e.entry_ts - barMs);
    if (i === undefined) {
      throw new DataError({ file, row: r + 1, column: 'entry_ts' }, `no bar starts at entry_ts − ${barMs} ms (${new Date(e.entry_ts - barMs).toISOString()}): bars and events do not match`);
    }
    const c = bars.close[i];
    if (Math.abs(c - e.entry_close) > 1e-9 * Math.abs(c)) {
      throw new DataError({ file, row: r + 1, column: 'entry_close' }, `entry_close ${e.entry_close} differs from the signal bar's close ${c}`);
    }
    return { barIndex: i, ts: e.entry_ts, side: e.side === 'long' ? 1 : -1, rel_vol: e.rel_vol, atr: e.atr };
  });
}
