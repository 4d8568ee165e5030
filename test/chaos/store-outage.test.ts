// The store goes away in the middle of a replay and comes back (issue 4: connection loss). While it is
// unreachable /health says so and the watchdog reads Cat1 = 0 (HIBERNATE, fail closed); when it returns
// the node resumes and ends with exactly the batch backtest's days, each date written once.
import test from 'ava';
import { readSensors } from '../../actors/watchdog.ts';
import { survivalStep, INITIAL_SURVIVAL, SURVIVAL_DEFAULTS } from '../../engine/survival.ts';
import { pnlMapName } from '../../store/names.ts';
import { healthOf } from '../../supervision/http-server.ts';
import { batchRun, memoryRun, startNode } from '../helpers/node-run.ts';

test('a store outage mid-replay: /health degraded and Cat1 = 0 while it lasts, then the replay resumes and equals the batch run with no date written twice', async (t) => {
  t.timeout(60_000);
  const r = memoryRun({ seed: 12, days: 30, assets: 6, bars: 240 });
  const batch = await batchRun(r);
  const { node, cluster } = await startNode(r, {
    mode: 'streaming',
    feed: { batch_rows: 20, speed: 20_000, ask_timeout_ms: 2_000 },
    supervision: { max_restarts: 1_000_000, period_ms: 1_000, backoff_initial_ms: 5, backoff_max_ms: 50 },
  });
  t.teardown(() => node.stop());
  const writes = new Map<string, string[]>();
  const watcher = cluster.connect('watcher');
  await watcher.map(pnlMapName('BLUE')).addEntryListener((e) => writes.set(e.key, [...(writes.get(e.key) ?? []), e.kind]));

  let seen: { health: string; cat1: number; posture: string } | null = null;
  const outage = (async () => {
    await new Promise((res) => setTimeout(res, 400));
    cluster.setReachable(false);
    await new Promise((res) => setTimeout(res, 300));
    const sensors = await readSensors(node.ctx, Date.now());
    const step = survivalStep(INITIAL_SURVIVAL, sensors, 0, SURVIVAL_DEFAULTS);
    seen = { health: (await healthOf(node)).status, cat1: step.breakdown.cat1, posture: step.posture };
    cluster.setReachable(true);
  })();
  const feed = await node.replay();
  await outage;
  const result = await node.results();

  t.deepEqual(seen, { health: 'degraded', cat1: 0, posture: 'HIBERNATE' });
  t.true(feed.resumes > 0, 'the feed lost answers during the outage and resumed');
  t.deepEqual(result.days, batch.days);
  t.deepEqual(result.trades, batch.trades);
  t.is(writes.size, r.plan.dates.length);
  for (const [date, kinds] of writes) t.deepEqual(kinds, ['added'], `${date} written ${kinds.join(', ')}`);
});
