// The replay feed through the whole node (invariant 5, parity): days replayed through the actor tree
// give exactly the batch backtest's trades and days, in both modes, also when Dolphin is killed
// between two feed steps (invariant 1 across a restart).
import { deepStrictEqual } from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { parseNodeConfig } from '../../config/node-schema.ts';
import { championConfig } from '../../config/engine-schema.ts';
import { runDays } from '../../engine/run.ts';
import type { DayFrame, RunResult } from '../../engine/types.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { DolphinNode } from '../../supervision/node.ts';
import { days, inputsOf, planOf, silent } from './helpers.ts';

type Mode = 'day-file' | 'streaming';

interface Replay {
  result: RunResult;
  resumes: number;
  dolphinIncarnation: number;
}

/** Starts a node over in-memory days, replays them, reads the results back and stops the node. */
async function replay(frames: readonly DayFrame[], seed: number, mode: Mode, batchRows: number, chaos: { killAfterBatch?: number; killAfterDay?: number } = {}): Promise<Replay> {
  const engine = championConfig();
  const config = parseNodeConfig(
    {
      mode,
      http: { port: null },
      forewarner: { threads: 0 },
      feed: { batch_rows: batchRows, ask_timeout_ms: 10_000 },
      supervision: { backoff_initial_ms: 2, backoff_max_ms: 20 },
    },
    'test',
  );
  const node = await DolphinNode.start({ config, engine, inputs: inputsOf(frames, planOf(frames, seed), engine), store: new EmbeddedCluster().connect('node'), log: silent() });
  try {
    let batches = 0;
    let dates = 0;
    const report = await node.replay({
      onBatch: () => {
        batches += 1;
        if (batches === chaos.killAfterBatch) node.tree.kill('dolphin', 'test: killed between two batches');
      },
      onDay: () => {
        dates += 1;
        if (dates === chaos.killAfterDay) node.tree.kill('dolphin', 'test: killed between two dates');
      },
    });
    return { result: await node.results(), resumes: report.resumes, dolphinIncarnation: node.tree.get('dolphin').incarnation };
  } finally {
    await node.stop();
  }
}

async function batch(frames: readonly DayFrame[], seed: number): Promise<RunResult> {
  return runDays(frames, planOf(frames, seed), championConfig());
}

/** The parts of a run both paths must agree on exactly. */
const essence = (r: RunResult) => ({ days: r.days, trades: r.trades, openPosition: r.openPosition });

for (const mode of ['day-file', 'streaming'] as const) {
  test(`${mode}: the node's replay equals runDays exactly (trades and days), over seeded synthetic data`, async (t) => {
    let traded = 0;
    await t.notThrowsAsync(
      fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 7, max: 120 }), async (seed, batchRows) => {
          const frames = days(seed, 3, 300, 6);
          const [node, ref] = await Promise.all([replay(frames, seed, mode, batchRows), batch(frames, seed)]);
          traded += ref.trades.length;
          deepStrictEqual(essence(node.result), essence(ref));
        }),
        { numRuns: 3, seed: mode === 'streaming' ? 101 : 202 },
      ),
    );
    t.true(traded > 0, 'the runs trade');
  });
}

test('streaming: Dolphin killed between two feed batches mid-date still ends equal to the batch run', async (t) => {
  const frames = days(11, 3, 300, 6);
  const ref = await batch(frames, 11);
  // 12 batches of 25 rows per date: batch 17 ends at row 125 of the second date, so its open day is lost
  const got = await replay(frames, 11, 'streaming', 25, { killAfterBatch: 17 });
  t.is(got.dolphinIncarnation, 2, 'Dolphin was restarted once');
  t.true(got.resumes >= 1, 'the feed resumed');
  t.true(ref.trades.length > 0);
  t.deepEqual(essence(got.result), essence(ref));
});

test('day-file: Dolphin killed between two dates still ends equal to the batch run', async (t) => {
  const frames = days(12, 3, 300, 6);
  const ref = await batch(frames, 12);
  const got = await replay(frames, 12, 'day-file', 60, { killAfterDay: 1 });
  t.is(got.dolphinIncarnation, 2);
  t.true(got.resumes >= 1, 'the feed noticed and resumed');
  t.deepEqual(essence(got.result), essence(ref));
});
