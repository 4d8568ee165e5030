// Ordering: a posture change reaches the engine before the next day. The watchdog writes each date's
// posture before the date's first bar (the feed's order, §16.3 before §14.1 step 3), and Dolphin re-reads
// it at the date change, so every day runs under the posture written for it — never a day late.
import test from 'ava';
import type { Posture } from '../../engine/types.ts';
import { readPosture } from '../../store/posture.ts';
import { batchRun, memoryRun, planOf, startNode, type MemoryRun } from '../helpers/node-run.ts';

const SCHEDULE: Posture[] = ['APEX', 'TURTLE', 'HIBERNATE', 'STALKER', 'APEX'];

function scheduled(): MemoryRun {
  const r = memoryRun({ seed: 21, days: SCHEDULE.length, assets: 8, bars: 300 });
  const frames = r.plan.dates.map((d) => r.frames.get(d)!);
  return { ...r, plan: planOf(frames, 21, r.plan.capital, new Map(r.plan.dates.map((d, i) => [d, SCHEDULE[i]]))) };
}

for (const mode of ['streaming', 'day-file'] as const) {
  test(`${mode}: each date runs under the posture the watchdog wrote for it, changes taking effect on that date's first bar`, async (t) => {
    const r = scheduled();
    const { node } = await startNode(r, { mode, hibernate_path: 'engine', feed: { batch_rows: 40 } });
    // the posture in the store when Dolphin answered for each date's first batch (day-file: the whole day)
    const atFirstBar = new Map<string, Posture>();
    try {
      await node.replay({
        onBar: (bar) => {
          if (!atFirstBar.has(bar.date)) void readPosture(node.ctx.store).then((p) => atFirstBar.set(bar.date, p.posture));
        },
      });
      const result = await node.results();
      t.deepEqual(result.days.map((d) => d.posture), SCHEDULE);
      t.deepEqual([...atFirstBar.values()], SCHEDULE);
      const batch = await batchRun(r);
      t.deepEqual(result.days, batch.days, 'the same days as the batch backtest under the same schedule');
    } finally {
      await node.stop();
    }
  });
}
