// The live feed through the whole node: bars arriving one by one (as from an exchange) end in exactly
// the batch backtest's days and trades — live and replay share one path — also when Dolphin is killed
// mid-day and the feed re-sends the uncommitted bars.
import test from 'ava';
import { runLiveFeed, type SignalBar } from '../../actors/live-feed.ts';
import type { DayFrame } from '../../engine/types.ts';
import { batchRun, memoryRun, startNode, type MemoryRun } from '../helpers/node-run.ts';

async function* barsOf(r: MemoryRun, onBar?: (i: number) => void): AsyncGenerator<SignalBar> {
  let i = 0;
  for (const date of r.plan.dates) {
    const f: DayFrame = r.frames.get(date)!;
    for (let row = 0; row < f.rows; row++) {
      onBar?.(i++);
      yield { date, ts: f.timestamps?.[row] ?? NaN, assets: f.assets, prices: Float64Array.from(f.prices, (col) => col[row]), velDiv: f.velDiv[row], v50: f.v50[row], v750: f.v750[row] };
      await Promise.resolve();
    }
  }
}

async function live(r: MemoryRun, onBar?: (node: Awaited<ReturnType<typeof startNode>>['node'], i: number) => void) {
  const { node } = await startNode(r, { mode: 'streaming', supervision: { backoff_initial_ms: 2, backoff_max_ms: 20 } });
  try {
    const names = { dolphin: 'dolphin', acb: 'acb', watchdog: 'watchdog', forewarner: 'forewarner', features: 'features' };
    const opts = { names, askTimeoutMs: 10_000, forewarner: true, forewarnerBlocks: false, maxLeverage: r.cfg.sizing.max_leverage, batchRows: 50, maxRetries: 100 };
    const report = await runLiveFeed(node.tree, barsOf(r, (i) => onBar?.(node, i)), opts, node.setup.log);
    // the last date is committed by the date change that has not come yet: end of data closes it
    await node.tree.get('dolphin').ask({ type: 'EndOfData' }, 10_000);
    return { report, result: await node.results() };
  } finally {
    await node.stop();
  }
}

test('bars fed one by one through the live feed give exactly the batch backtest’s days and trades', async (t) => {
  const r = memoryRun({ seed: 31, days: 4, assets: 6, bars: 300 });
  const [{ report, result }, batch] = await Promise.all([live(r), batchRun(r)]);
  t.like(report, { bars: 1200, dates: 4, resumes: 0, late: 0 });
  t.true(batch.trades.length > 0);
  t.deepEqual(result.days, batch.days);
  t.deepEqual(result.trades, batch.trades);
});

test('Dolphin killed mid-day under the live feed: the uncommitted bars are re-sent and the results equal the batch run', async (t) => {
  const r = memoryRun({ seed: 32, days: 4, assets: 6, bars: 300 });
  const kills = new Set([150, 450, 700, 1_050]);
  const [{ report, result }, batch] = await Promise.all([
    live(r, (node, i) => {
      if (kills.has(i)) node.tree.kill('dolphin', 'test: killed mid-day');
    }),
    batchRun(r),
  ]);
  t.true(report.resumes >= 1, `resumes ${report.resumes}`);
  t.true(report.resent > 0, 'bars were re-sent');
  t.deepEqual(result.days, batch.days);
  t.deepEqual(result.trades, batch.trades);
});
