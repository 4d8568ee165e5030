// DolphinActor (bible §14, §17.1–17.2): the pending-flag pattern, once per date (also across a
// restart), streaming = processDay, results written once and never overwritten, HIBERNATE (§14.1
// step 5), and malformed messages as dead letters. Messages go straight to a lone dolphin actor.
import { deepStrictEqual } from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { batchOf } from '../../actors/bar-feed.ts';
import { decodeTrades } from '../../actors/checkpoint.ts';
import type { NodeInputs } from '../../actors/context.ts';
import { dolphinActor } from '../../actors/dolphin.ts';
import { dolphinMaps } from '../../actors/dolphin-store.ts';
import { AlphaEngine, type BarInput } from '../../engine/alpha-engine.ts';
import { CHAMPION } from '../../engine/config.ts';
import type { DayFrame, DayResult, TradeRecord } from '../../engine/types.ts';
import { envelope } from '../../protocol/envelope.ts';
import type { Message } from '../../protocol/messages.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { DOLPHIN_PNL_BLUE } from '../../store/names.ts';
import { parsePnlDay, pnlDayJson } from '../../store/payloads.ts';
import { writePosture } from '../../store/posture.ts';
import { Supervisor } from '../../supervision/supervisor.ts';
import { runFrames } from '../helpers/frames.ts';
import { bareInputs, ctxOf, days, FAST, otherClient, silent, status, treeOf } from './helpers.ts';

const FRAMES = days(2, 3, 300, 6);
const [D0, D1, D2] = FRAMES.map((f) => f.date);
const ASK = 5_000;

async function lone(t: Parameters<typeof treeOf>[0], mode: 'streaming' | 'day-file', o: { inputs?: NodeInputs; hibernatePath?: 'empty-day' | 'engine' } = {}) {
  const cluster = new EmbeddedCluster();
  const ctx = ctxOf(cluster, { inputs: o.inputs ?? bareInputs(FRAMES), options: { mode, hibernatePath: o.hibernatePath ?? 'empty-day' } });
  const sup = await treeOf(t, [dolphinActor(ctx)]);
  return { cluster, ctx, sup, h: sup.get('dolphin'), maps: dolphinMaps(ctx) };
}

const ok = async (p: Promise<unknown>) => {
  const r = (await p) as { type: string; ok?: boolean; error?: string };
  if (r.type !== 'Ack' || r.ok !== true) throw new Error(`expected a positive Ack, got ${JSON.stringify(r)}`);
  return r as { type: 'Ack'; ok: true; detail?: Record<string, unknown> };
};

/** Spies on the engine's prototype: which of updateAcbBoost / processBar ran, in order. */
function spyEngine(t: Parameters<typeof treeOf>[0]): string[] {
  const calls: string[] = [];
  const proto = AlphaEngine.prototype;
  const update = proto.updateAcbBoost;
  const bar = proto.processBar;
  proto.updateAcbBoost = function (this: AlphaEngine, boost: number, beta: number) {
    calls.push(`update:${boost}:${beta}`);
    return update.call(this, boost, beta);
  };
  proto.processBar = function (this: AlphaEngine, b: BarInput) {
    calls.push(`bar:${b.row}`);
    return bar.call(this, b);
  };
  t.teardown(() => {
    proto.updateAcbBoost = update;
    proto.processBar = bar;
  });
  return calls;
}

// ---- pending flag (§14.2, §17.1) ----

// serial: the spy patches the engine's prototype, and serial tests run before the concurrent ones
test.serial('§17.1: an AcbEvent only sets pending; the engine is called at the start of the next bar', async (t) => {
  const { h } = await lone(t, 'streaming');
  const calls = spyEngine(t);
  await ok(h.ask(batchOf(FRAMES[0], 0, 10), ASK));
  calls.length = 0;
  h.send({ type: 'AcbEvent', boost: 1.35, beta: 0.5 });
  const s = await status(h);
  t.deepEqual(s.pendingAcb, { boost: 1.35, beta: 0.5 });
  t.is(s.acbReceived, 1);
  t.is(s.acbApplied, 0);
  t.deepEqual(calls, [], 'no engine call on receipt');
  await ok(h.ask(batchOf(FRAMES[0], 10, 13), ASK));
  t.deepEqual(calls, ['update:1.35:0.5', 'bar:10', 'bar:11', 'bar:12'], 'applied before the first bar of the next batch, then never again');
  const after = await status(h);
  t.is(after.pendingAcb, null);
  t.is(after.acbApplied, 1);
});

test('the latest of several pending AcbEvents wins and is applied exactly once', async (t) => {
  const { h } = await lone(t, 'streaming');
  await ok(h.ask(batchOf(FRAMES[0], 0, 5), ASK));
  h.send({ type: 'AcbEvent', boost: 1.6, beta: 0.8 });
  h.send({ type: 'AcbEvent', boost: 1.3, beta: 0.2 });
  h.send({ type: 'AcbEvent', boost: 1.2, beta: 0.4 });
  t.deepEqual((await status(h)).pendingAcb, { boost: 1.2, beta: 0.4 });
  await ok(h.ask(batchOf(FRAMES[0], 5, FRAMES[0].rows), ASK));
  await ok(h.ask({ type: 'EndOfData' }, ASK));
  const s = await status(h);
  t.like(s, { acbReceived: 3, acbApplied: 1, acbSuperseded: 0, pendingAcb: null });
  t.like(s.lastResult as DayResult, { date: D0, boost: 1.2, beta: 0.4 }, 'the day ends with the latest value');
});

test('a pending AcbEvent is superseded, not applied, at a date change', async (t) => {
  const { h } = await lone(t, 'streaming');
  await ok(h.ask(batchOf(FRAMES[0], 0, FRAMES[0].rows), ASK));
  h.send({ type: 'AcbEvent', boost: 1.5, beta: 0.8 });
  await ok(h.ask(batchOf(FRAMES[1], 0, 5), ASK));
  const s = await status(h);
  t.like(s, { acbReceived: 1, acbApplied: 0, acbSuperseded: 1, pendingAcb: null, openDay: D1 });
  t.like(s.lastResult as DayResult, { date: D0, boost: 1.0, beta: 0.0 }, 'the closed day never saw the pending value');
});

// ---- once per date (§17.2, invariant 1) ----

test('§17.2: three Ticks of one date run processDay once; the next date runs it a second time', async (t) => {
  const { h, maps } = await lone(t, 'day-file');
  for (let i = 0; i < 3; i++) await ok(h.ask({ type: 'Tick', date: D0, row: i, ts: 0 }, ASK));
  t.like(await status(h), { days: 1, skipped: 2, processed: 1 });
  t.deepEqual(await maps.pnl.keys(), [D0]);
  await ok(h.ask({ type: 'Tick', date: D1, row: 0, ts: 0 }, ASK));
  t.like(await status(h), { days: 2, processed: 2 });
  t.deepEqual((await maps.pnl.keys()).sort(), [D0, D1]);
});

test('after a kill and restart, processed dates come back from the PnL map and the engine continues from the checkpoint', async (t) => {
  const { sup, h, maps } = await lone(t, 'day-file');
  await ok(h.ask({ type: 'Tick', date: D0, row: 0, ts: 0 }, ASK));
  await ok(h.ask({ type: 'Tick', date: D1, row: 0, ts: 0 }, ASK));
  sup.kill('dolphin', 'test: killed');
  await h.whenRunning();
  t.is(h.incarnation, 2);
  const s = await status(h);
  const last = parsePnlDay((await maps.pnl.get(D1))!, { map: DOLPHIN_PNL_BLUE, key: D1 });
  t.like(s, { processed: 2, restoredFrom: D1, days: 0 });
  t.is(s.capital, last.capital, 'the restored engine holds the capital of the last PnL entry');

  const again = await ok(h.ask({ type: 'Tick', date: D1, row: 0, ts: 0 }, ASK));
  t.is(again.detail?.skipped, 'already processed');
  await ok(h.ask({ type: 'Tick', date: D2, row: 0, ts: 0 }, ASK));
  t.like(await status(h), { days: 1, skipped: 1, processed: 3 });

  // the interrupted run ends exactly where an uninterrupted one does
  const ref = runFrames(FRAMES);
  const trades: TradeRecord[] = [];
  for (const d of [D0, D1, D2]) {
    const p = parsePnlDay((await maps.pnl.get(d))!, { map: DOLPHIN_PNL_BLUE, key: d });
    const r = ref.days.find((x) => x.date === d)!;
    t.deepEqual([p.pnl, p.capital, p.trades, p.bars], [r.pnl, r.capital, r.trades, r.bars], d);
    trades.push(...decodeTrades((await maps.trades.get(d))!, d));
  }
  t.true(ref.trades.length > 0, 'the data trades');
  t.deepEqual(trades, [...ref.trades]);
});

// ---- streaming mode ----

/** One date fed in batches cut at `cuts`, closed with EndOfData; returns the actor's DayResult and trades. */
async function streamed(frame: DayFrame, cuts: readonly number[]): Promise<{ result: DayResult; trades: TradeRecord[] }> {
  const cluster = new EmbeddedCluster();
  const ctx = ctxOf(cluster, { inputs: bareInputs([frame]) });
  const sup = new Supervisor(silent(), FAST);
  try {
    sup.add({ ...dolphinActor(ctx), policy: FAST });
    await sup.startInOrder(['dolphin']);
    const h = sup.get('dolphin');
    const edges = [0, ...[...new Set(cuts)].sort((a, b) => a - b), frame.rows];
    for (let i = 0; i + 1 < edges.length; i++) await ok(h.ask(batchOf(frame, edges[i], edges[i + 1]), ASK));
    await ok(h.ask({ type: 'EndOfData' }, ASK));
    const s = await status(h);
    return { result: s.lastResult as DayResult, trades: decodeTrades((await dolphinMaps(ctx).trades.get(frame.date))!, frame.date) };
  } finally {
    await sup.shutdown(500);
  }
}

test('bars of one date split over any BarBatches give the DayResult and trades of processDay on the whole frame', async (t) => {
  const frame = FRAMES[0];
  const engine = new AlphaEngine(CHAMPION, 25_000);
  const expected = engine.processDay(frame, 'APEX', null);
  t.true(engine.trades.length > 0, 'the day trades');
  await t.notThrowsAsync(
    fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: frame.rows - 1 }), { maxLength: 8 }), async (cuts) => {
        const got = await streamed(frame, cuts);
        deepStrictEqual(got.result, expected);
        deepStrictEqual(got.trades, [...engine.trades]);
      }),
      { numRuns: 8, seed: 17 },
    ),
  );
});

test('a streamed date is written once, at the date change, and not before', async (t) => {
  const { cluster, h, maps } = await lone(t, 'streaming');
  const writes: string[] = [];
  await otherClient(t, cluster).map(DOLPHIN_PNL_BLUE).addEntryListener((e) => writes.push(`${e.kind}:${e.key}`));
  for (let r = 0; r < FRAMES[0].rows; r += 50) {
    await ok(h.ask(batchOf(FRAMES[0], r, Math.min(FRAMES[0].rows, r + 50)), ASK));
    t.is(await maps.pnl.get(D0), null, `nothing written after row ${r}`);
  }
  t.like(await status(h), { days: 0, openDay: D0, nextRow: FRAMES[0].rows });
  await ok(h.ask(batchOf(FRAMES[1], 0, 10), ASK));
  t.not(await maps.pnl.get(D0), null);
  t.like(await status(h), { days: 1, openDay: D1 });
  await ok(h.ask(batchOf(FRAMES[1], 10, FRAMES[1].rows), ASK));
  await ok(h.ask({ type: 'EndOfData' }, ASK));
  await ok(h.ask({ type: 'EndOfData' }, ASK)); // nothing open: writes nothing
  await new Promise((r) => setImmediate(r)); // let the store deliver its events
  t.deepEqual(writes, [`added:${D0}`, `added:${D1}`]);
});

test('a PnL entry already in the map is never overwritten (putIfAbsent)', async (t) => {
  const { cluster, h, maps } = await lone(t, 'streaming');
  const other = otherClient(t, cluster);
  await ok(h.ask(batchOf(FRAMES[0], 0, 100), ASK));
  const foreign: DayResult = { date: D0, pnl: 1, capital: 25_001, boost: 1, beta: 0, mcStatus: 'OK', posture: 'APEX', trades: 0, bars: 1, signals: null };
  const json = pnlDayJson(foreign, DOLPHIN_PNL_BLUE);
  await other.map(DOLPHIN_PNL_BLUE).put(D0, json);
  await ok(h.ask(batchOf(FRAMES[0], 100, FRAMES[0].rows), ASK));
  await ok(h.ask({ type: 'EndOfData' }, ASK));
  t.is(await maps.pnl.get(D0), json, 'the first write stands');
  t.like(await status(h), { days: 1, processed: 1 });
});

// ---- HIBERNATE (§14.1 step 5) ----

function countingLoads(frames: readonly DayFrame[]): { inputs: NodeInputs; loads: string[] } {
  const base = bareInputs(frames);
  const loads: string[] = [];
  return { loads, inputs: { ...base, loadDay: (d) => (loads.push(d), base.loadDay(d)) } };
}

const hibernate = (store: ReturnType<typeof otherClient>) => writePosture(store, { posture: 'HIBERNATE', rm: 0, timestampMs: Date.now() });

test('HIBERNATE with hibernate_path empty-day: the date runs as an empty day, is marked done and written', async (t) => {
  const { inputs, loads } = countingLoads(FRAMES);
  const { cluster, h, maps } = await lone(t, 'day-file', { inputs, hibernatePath: 'empty-day' });
  await hibernate(otherClient(t, cluster));
  await ok(h.ask({ type: 'Tick', date: D0, row: 0, ts: 0 }, ASK));
  const p = parsePnlDay((await maps.pnl.get(D0))!, { map: DOLPHIN_PNL_BLUE, key: D0 });
  t.like(p, { bars: 0, trades: 0, pnl: 0, capital: 25_000, posture: 'HIBERNATE' });
  t.deepEqual(loads, [], 'the day file is never read');
  await ok(h.ask({ type: 'Tick', date: D0, row: 1, ts: 0 }, ASK));
  t.like(await status(h), { days: 1, skipped: 1, processed: 1 });
});

test('HIBERNATE with hibernate_path engine: the bars are fed (entries halted)', async (t) => {
  const { inputs, loads } = countingLoads(FRAMES);
  const { cluster, h, maps } = await lone(t, 'day-file', { inputs, hibernatePath: 'engine' });
  await hibernate(otherClient(t, cluster));
  await ok(h.ask({ type: 'Tick', date: D0, row: 0, ts: 0 }, ASK));
  const p = parsePnlDay((await maps.pnl.get(D0))!, { map: DOLPHIN_PNL_BLUE, key: D0 });
  t.like(p, { bars: FRAMES[0].rows, trades: 0, posture: 'HIBERNATE' });
  t.deepEqual(loads, [D0]);
});

test('HIBERNATE in streaming mode: the first batch writes the empty day and later batches of the date are skipped', async (t) => {
  const { cluster, h, maps } = await lone(t, 'streaming', { hibernatePath: 'empty-day' });
  await hibernate(otherClient(t, cluster));
  await ok(h.ask(batchOf(FRAMES[0], 0, 10), ASK));
  t.like(parsePnlDay((await maps.pnl.get(D0))!, { map: DOLPHIN_PNL_BLUE, key: D0 }), { bars: 0, trades: 0, posture: 'HIBERNATE' });
  await ok(h.ask(batchOf(FRAMES[0], 10, 20), ASK));
  t.like(await status(h), { days: 1, skipped: 1, bars: 0, openDay: null });
});

// ---- dead letters (invariant 8) ----

test('malformed messages go to the dead-letter log and the actor keeps working', async (t) => {
  const { sup, h } = await lone(t, 'streaming');
  const good = batchOf(FRAMES[0], 0, 5);
  h.send({ ...good, prices: new Float64Array(3) }); // wrong prices length
  h.send({ type: 'NoSuchMessage' } as unknown as Message); // unknown type
  h.send({ ...envelope(good), v: 99 }); // a version this node does not speak
  h.send({ type: 'AcbEvent', boost: Number.NaN, beta: 0 }); // not finite
  const refusedTick = await h.ask({ type: 'Tick', date: D0, row: 0, ts: 0 }, ASK); // a Tick in streaming mode
  t.like(refusedTick, { type: 'Ack', ok: false });
  await ok(h.ask(good, ASK));
  t.like(await status(h), { bars: 5, openDay: D0, acbReceived: 0 });
  t.is(h.incarnation, 1, 'never restarted');
  t.like(sup.deadLetters.counts(), { refused: 4, rejected: 1 });
  const reasons = sup.deadLetters.recent().map((d) => d.reason).join('\n');
  t.regex(reasons, /prices must hold rows × assets values/);
  t.regex(reasons, /unknown message type "NoSuchMessage"/);
  t.regex(reasons, /unsupported protocol version 99/);
  t.regex(reasons, /rejected: Tick .* streaming mode/);
});

// ---- known failure (see the report): passes once actors/dolphin.ts is patched; then drop `.failing` ----

test('a late BarBatch of an already processed date is skipped without closing the open day', async (t) => {
  const { h, maps } = await lone(t, 'streaming');
  await ok(h.ask(batchOf(FRAMES[0], 0, FRAMES[0].rows), ASK));
  await ok(h.ask(batchOf(FRAMES[1], 0, 50), ASK));
  // today: the date differs from the open day's, so D1 is closed after 50 bars and written for good
  await h.ask(batchOf(FRAMES[0], 250, FRAMES[0].rows), ASK);
  t.like(await status(h), { openDay: D1, nextRow: 50 });
  t.is(await maps.pnl.get(D1), null, 'the open day is not written early');
});
