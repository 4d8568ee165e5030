// Live bars with their signal: poll each asset's trades, close a multi-asset bar row every bar
// interval (market/live-bars.ts), and compute the NG3-lite columns from the closes bar by bar with
// the kernel `build-days` uses (ng3/), so live vel_div is the replayed vel_div. Yields SignalBars for
// the live feed. Time comes from the caller's clock and sleep, so a test can run it faster than life.
import type { Logger } from 'pino';
import { MultiAssetBars } from '../market/live-bars.ts';
import type { Trade } from '../market/trade.ts';
import { Ng3Kernel } from '../ng3/kernel.ts';
import type { SignalBar } from './live-feed.ts';

/** What the signal needs from a trade source: new trades per asset since the last poll. */
export interface TradePoller {
  poll(nowMs: number): Promise<Map<string, { trades: readonly Trade[]; gap: boolean }>>;
}

export interface LiveSignalOptions {
  assets: readonly string[];
  barMs: number;
  pollMs: number;
  graceMs: number;
  windows: readonly number[];
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  /** stop at this time of `clock` (null: until aborted) */
  untilMs: number | null;
  signal?: AbortSignal;
  log: Logger;
}

export interface LiveSignalStats {
  polls: number;
  trades: number;
  late: number;
  gaps: number;
  bars: number;
  /** bars with vel_div below the bible's thresholds (§4.1: −0.02 signal, −0.05 extreme) */
  below002: number;
  below005: number;
  lastBar: { ts: number; velDiv: number } | null;
}

export async function* liveSignalBars(source: TradePoller, o: LiveSignalOptions, stats: LiveSignalStats): AsyncGenerator<SignalBar> {
  const rows = new MultiAssetBars(o.assets, o.barMs, o.clock());
  const kernel = new Ng3Kernel({ assets: o.assets.length, windows: o.windows, instabilityWindows: [] });
  const last = o.windows.length - 1;
  for (;;) {
    const now = o.clock();
    if (o.signal?.aborted || (o.untilMs !== null && now >= o.untilMs)) return;
    const polled = await source.poll(now);
    stats.polls += 1;
    for (const [asset, batch] of polled) {
      stats.trades += batch.trades.length;
      if (batch.gap) {
        stats.gaps += 1;
        o.log.warn({ asset }, 'trades may be missing between two polls (page full, no overlap): poll more often');
      }
      stats.late += rows.push(asset, batch.trades);
    }
    // trades up to `now` are in: close the bars that ended `graceMs` before it (later trades may be in flight)
    for (const row of rows.advance(now - o.graceMs)) {
      const k = kernel.push(row.closes);
      stats.bars += 1;
      if (k.vel_div < -0.02) stats.below002 += 1;
      if (k.vel_div < -0.05) stats.below005 += 1;
      stats.lastBar = { ts: row.start, velDiv: k.vel_div };
      yield { date: new Date(row.start).toISOString().slice(0, 10), ts: row.start, assets: o.assets, prices: row.closes, velDiv: k.vel_div, v50: k.velocity[0], v750: k.velocity[last] };
    }
    await o.sleep(o.pollMs);
  }
}
