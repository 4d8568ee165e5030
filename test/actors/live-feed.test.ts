// The live feed through the whole node: bars arriving one by one (as from an exchange) end in exactly
// the batch backtest's days and trades — live and replay share one path — also when Dolphin is killed
// mid-day and the feed re-sends the uncommitted bars.
import test from 'ava';
import { liveBarsMapName } from '../../actors/keys.ts';
import { runLiveFeed, type SignalBar } from '../../actors/live-feed.ts';
import { LiveJournal } from '../../actors/live-journal.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
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

test('a live node stopped mid-day and started again on the same store re-sends the journaled bars: the results equal the batch run', async (t) => {
  const r = memoryRun({ seed: 33, days: 3, assets: 6, bars: 300 });
  const cluster = new EmbeddedCluster();
  const all: SignalBar[] = [];
  for await (const b of barsOf(r)) all.push(b);
  const names = { dolphin: 'dolphin', acb: 'acb', watchdog: 'watchdog', forewarner: 'forewarner', features: 'features' };
  const runOn = async (bars: SignalBar[]) => {
    const { node } = await startNode(r, { mode: 'streaming' }, cluster);
    try {
      const journal = new LiveJournal(node.ctx.store.map(liveBarsMapName(r.cfg.direction)));
      const opts = { names, askTimeoutMs: 10_000, forewarner: true, forewarnerBlocks: false, maxLeverage: r.cfg.sizing.max_leverage, batchRows: 50, maxRetries: 100, journal };
      const report = await runLiveFeed(node.tree, (async function* () { yield* bars; })(), opts, node.setup.log);
      return { node, report };
    } catch (e) {
      await node.stop();
      throw e;
    }
  };
  // first process: 1.5 days of bars, then it stops (the open date, day 2, is not committed)
  const first = await runOn(all.slice(0, 450));
  await first.node.stop();
  // second process: the journal gives back day 2's first 150 bars before the new ones
  const second = await runOn(all.slice(450));
  t.is(second.report.recovered, 150);
  await second.node.tree.get('dolphin').ask({ type: 'EndOfData' }, 10_000);
  const result = await second.node.results();
  await second.node.stop();
  const batch = await batchRun(r);
  t.deepEqual(result.days, batch.days);
  t.deepEqual(result.trades, batch.trades);
  t.deepEqual(await cluster.connect('reader').map(liveBarsMapName(r.cfg.direction)).keys().then((k) => k.filter((x) => !x.startsWith(r.plan.dates[2]))), [], 'committed dates leave the journal');
});
