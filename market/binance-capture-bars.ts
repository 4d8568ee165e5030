// Bars from the trades of a raw Binance websocket capture (binance-ws-capture.ts): the node's 5 s
// bars with buyer/seller aggressor volume, from a recorded session instead of the live feed.
import { BarBuilder, type Bar, type BarBuilderStats, type EmptyBarPolicy } from './bar-builder.ts';
import { captureEvents, type CaptureInput } from './binance-ws-capture.ts';
import type { Trade } from './trade.ts';

export interface CaptureBarsOptions {
  /** default 5000 (the node's bar) */
  barMs?: number;
  /** default 'fill' (bar-builder.ts) */
  emptyBars?: EmptyBarPolicy;
}

export interface CaptureTradeTotals {
  trades: number;
  volume: number;
  buyVolume: number;
  sellVolume: number;
  notional: number;
  firstTradeMs: number | null;
  lastTradeMs: number | null;
  /** trades per futures execution type (X); spot trades have none and count under '' */
  execTypes: Record<string, number>;
}

export interface CaptureBars {
  /** closed bars, in time order */
  bars: Bar[];
  /** the bar still open when the capture ended (its interval was not over), or null */
  open: Bar | null;
  builder: BarBuilderStats;
  /** straight sums over the capture's trades, for checking the bars against */
  totals: CaptureTradeTotals;
  /**
   * The earliest exchange time seen on any stream: the bar holding it is partial (the recording
   * began inside it, so trades before this time are missing).
   */
  startMs: number | null;
  /** the latest exchange time seen on any stream: bars ending by then are closed */
  endMs: number | null;
}

/**
 * Every trade of the capture, in file order, into a BarBuilder; at the end the builder is flushed at
 * the latest exchange time seen on any stream (depth events keep the clock going through a quiet
 * end). Every trade is counted, whatever its execution type; late trades are in `builder.late`.
 */
export async function barsFromCapture(input: CaptureInput, options: CaptureBarsOptions = {}): Promise<CaptureBars> {
  const builder = new BarBuilder({ barMs: options.barMs ?? 5000, emptyBars: options.emptyBars ?? 'fill' });
  const bars: Bar[] = [];
  const totals: CaptureTradeTotals = {
    trades: 0, volume: 0, buyVolume: 0, sellVolume: 0, notional: 0, firstTradeMs: null, lastTradeMs: null, execTypes: {},
  };
  let startMs: number | null = null;
  let endMs: number | null = null;
  const seen = (t: number): void => {
    if (startMs === null || t < startMs) startMs = t;
    if (endMs === null || t > endMs) endMs = t;
  };
  for await (const ev of captureEvents(input)) {
    if (ev.kind === 'trade') {
      count(totals, ev.trade, ev.execType ?? '');
      seen(ev.trade.ts);
      for (const b of builder.push(ev.trade)) bars.push(b);
    } else if (ev.kind === 'depthUpdate') {
      seen(ev.update.E);
    } else if (ev.kind === 'bookTicker' && ev.ticker.E !== undefined) {
      seen(ev.ticker.E);
    }
  }
  if (endMs !== null) for (const b of builder.flush(endMs)) bars.push(b);
  return { bars, open: builder.current(), builder: builder.stats, totals, startMs, endMs };
}

function count(s: CaptureTradeTotals, t: Trade, execType: string): void {
  s.trades++;
  s.volume += t.amount;
  if (t.side === 'buy') s.buyVolume += t.amount;
  else s.sellVolume += t.amount;
  s.notional += t.price * t.amount;
  if (s.firstTradeMs === null || t.ts < s.firstTradeMs) s.firstTradeMs = t.ts;
  if (s.lastTradeMs === null || t.ts > s.lastTradeMs) s.lastTradeMs = t.ts;
  s.execTypes[execType] = (s.execTypes[execType] ?? 0) + 1;
}
