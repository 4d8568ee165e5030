// The bible's invariants under chaos: every actor killed at least 50 times while a replay runs, and
// the PnL map ends exactly as the batch backtest's days (once per date, nothing overwritten, nothing lost).
import test from 'ava';
import { pnlMapName } from '../../store/names.ts';
import { parsePnlDay } from '../../store/payloads.ts';
import { batchRun, memoryRun, startNode, type MemoryRun } from '../helpers/node-run.ts';

const FAST_RESTARTS = { max_restarts: 1_000_000, period_ms: 1_000, backoff_initial_ms: 1, backoff_factor: 2, backoff_max_ms: 4 };

async function chaosReplay(t: import('ava').ExecutionContext, r: MemoryRun, config: Record<string, unknown>) {
  const batch = await batchRun(r);
  t.true(batch.trades.length >= 10, `the data must trade to make parity meaningful (${batch.trades.length} trades)`);
  const { node, cluster } = await startNode(r, { supervision: FAST_RESTARTS, ...config });
  // every write to the PnL map, seen from another client: each date must be added once, never updated
  const writes = new Map<string, string[]>();
  const watcher = cluster.connect('watcher');
  await watcher.map(pnlMapName('BLUE')).addEntryListener((e) => writes.set(e.key, [...(writes.get(e.key) ?? []), e.kind]));
  node.chaos.start();
  const feed = await node.replay();
  node.chaos.stop();
  const result = await node.results();
  const chaos = node.chaos.summary();
  const health = node.tree.health();
  await node.stop();
  return { batch, result, chaos, feed, writes, health, pnl: await watcher.map(pnlMapName('BLUE')).entries() };
}

test('streaming replay with every actor killed ≥ 50 times ends with the batch backtest’s PnL, trades and days exactly', async (t) => {
  t.timeout(120_000);
  const r = memoryRun({ seed: 5, days: 240, assets: 8, bars: 240 });
  // paced so the replay lasts ≥ 240·240·5000/30000 ms ≈ 9.6 s: long enough for 50 round-robin kills each
  const out = await chaosReplay(t, r, {
    mode: 'streaming',
    feed: { batch_rows: 20, speed: 30_000 },
    chaos: { rate: 1, interval_ms: 20, seed: 3, mode: 'kill', pick: 'round-robin' },
  });
  for (const [actor, c] of Object.entries(out.chaos)) t.true(c.kills >= 50, `${actor} was killed ${c.kills} times`);
  t.true(out.feed.resumes > 0, 'the feed had to resume at least once');
  t.deepEqual(out.result.days, out.batch.days);
  t.deepEqual(out.result.trades, out.batch.trades);
  t.is(out.pnl.length, r.plan.dates.length);
  for (const [date, kinds] of out.writes) t.deepEqual(kinds, ['added'], `${date} written ${kinds.join(', ')}`);
  for (const [key, json] of out.pnl) t.is(parsePnlDay(json, { map: pnlMapName('BLUE'), key }).date, key);
});

test('day-file replay with kills, handler throws and handler delays in every actor ends with the batch backtest’s results exactly', async (t) => {
  t.timeout(120_000);
  const r = memoryRun({ seed: 9, days: 60, assets: 8, bars: 240 });
  const out = await chaosReplay(t, r, {
    mode: 'day-file',
    chaos: { rate: 1, interval_ms: 4, seed: 4, mode: 'any', pick: 'round-robin' },
  });
  for (const [actor, c] of Object.entries(out.chaos)) t.true(c.kills >= 1 && c.throws >= 1 && c.delays >= 1, `${actor}: ${c.kills} kills, ${c.throws} throws, ${c.delays} delays`);
  t.deepEqual(out.result.days, out.batch.days);
  t.deepEqual(out.result.trades, out.batch.trades);
  for (const [date, kinds] of out.writes) t.deepEqual(kinds, ['added'], `${date} written ${kinds.join(', ')}`);
});
