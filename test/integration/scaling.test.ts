// The bible's test_16_scaling (§17) through the node: memory at 50 assets, and 400 assets replayed
// through the actor tree with asset selection (IRP) off and on, in both modes, equal to the batch
// backtest. Shard routing of 400 symbols is test/store/names.test.ts.
import test from 'ava';
import { batchRun, memoryRun, startNode, type MemoryRun } from '../helpers/node-run.ts';

function withIrp(r: MemoryRun, on: boolean): MemoryRun {
  return { ...r, cfg: { ...r.cfg, irp: { ...r.cfg.irp, use_asset_selection: on } } };
}

async function replay(r: MemoryRun, mode: 'streaming' | 'day-file') {
  const { node } = await startNode(r, { mode, feed: { batch_rows: 50 } });
  try {
    const feed = await node.replay();
    return { feed, result: await node.results(), health: node.tree.health() };
  } finally {
    await node.stop();
  }
}

const r400 = memoryRun({ seed: 16, days: 3, assets: 400, bars: 360 });

for (const irp of [false, true]) {
  for (const mode of ['streaming', 'day-file'] as const) {
    test(`§17 test_16: 400 assets with IRP ${irp ? 'on' : 'off'} go through the node in ${mode} mode without a restart and equal the batch backtest`, async (t) => {
      const r = withIrp(r400, irp);
      const [node, batch] = await Promise.all([replay(r, mode), batchRun(r)]);
      t.is(node.feed.dates, 3);
      t.true(Object.values(node.health).every((h) => h.restarts === 0 && h.state === 'running'));
      t.deepEqual(node.result.days, batch.days);
      t.deepEqual(node.result.trades, batch.trades);
      t.true(batch.trades.length > 0, 'the data trades');
      if (irp) t.true(batch.trades.some((x) => r.frames.get(r.plan.dates[0])!.assets.indexOf(x.asset) >= 48), 'IRP picks assets beyond the first 48');
      else t.true(batch.trades.every((x) => x.asset === r.cfg.irp.fallback_asset), 'IRP off trades the fallback asset only');
    });
  }
}

test('§17 test_16: the node replaying 50 assets stays under the bible’s 4 GB memory bound', async (t) => {
  const r = memoryRun({ seed: 17, days: 3, assets: 50, bars: 720 });
  const { result } = await replay(r, 'streaming');
  t.is(result.days.length, 3);
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  t.log(`rss after the replay: ${rssMb.toFixed(0)} MB`);
  t.true(rssMb < 4096);
});
