// WatchdogActor (bible §11, §16.3): fail closed (invariant 7) — an unreachable store or a stale
// heartbeat is Cat1 = 0 and HIBERNATE, a stale order book is Cat3 = 0.5 — and the replay schedule.
import test from 'ava';
import type { NodeInputs } from '../../actors/context.ts';
import { obQualityJson } from '../../actors/ob-quality.ts';
import { OB_QUALITY_KEY } from '../../actors/keys.ts';
import { watchdogActor } from '../../actors/watchdog.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { DOLPHIN_FEATURES } from '../../store/names.ts';
import { readPosture } from '../../store/posture.ts';
import { bareInputs, ctxOf, otherClient, status, treeOf } from './helpers.ts';

const ASK = 2_000;
// the timer never fires within a test: every evaluation here is asked for
const NO_TIMER = 1_000_000;

async function watchdog(t: Parameters<typeof treeOf>[0], postureSource: 'survival' | 'schedule', o: { inputs?: NodeInputs; cluster?: EmbeddedCluster } = {}) {
  const cluster = o.cluster ?? new EmbeddedCluster();
  const ctx = ctxOf(cluster, { inputs: o.inputs ?? bareInputs(), options: { postureSource } });
  const sup = await treeOf(t, [watchdogActor(ctx, { cycleMs: NO_TIMER })]);
  return { cluster, ctx, h: sup.get('watchdog'), other: otherClient(t, cluster) };
}

type Breakdown = { cat1: number; cat2: number; cat3: number; cat4: number; cat5: number };

test('store unreachable: Cat1 = 0 and the survival posture is HIBERNATE', async (t) => {
  const { cluster, h } = await watchdog(t, 'survival');
  cluster.setReachable(false);
  const r = await h.ask({ type: 'WatchdogCycle', now: Date.now() }, ASK);
  t.like(r, { type: 'Ack', ok: true, detail: { posture: 'HIBERNATE', rm: 0 } });
  const s = await status(h);
  t.is(s.posture, 'HIBERNATE');
  t.is((s.breakdown as Breakdown).cat1, 0);
  t.is(s.writes, 0, 'nothing could be written, and the actor did not fail on it');
  t.is(h.incarnation, 1);
});

test('a heartbeat older than 30 s: Cat1 = 0 and HIBERNATE at once, whatever the posture was', async (t) => {
  let clock = 1_000_000;
  const cluster = new EmbeddedCluster({ clock: () => clock });
  const { h, other } = await watchdog(t, 'survival', { cluster });
  await other.map(DOLPHIN_FEATURES).put(OB_QUALITY_KEY, obQualityJson({ stale: false, freshFraction: 1, depthQuality: 1, fillProbability: 1, timestampMs: clock }));
  t.like(await h.ask({ type: 'WatchdogCycle', now: clock }, ASK), { detail: { posture: 'APEX' } });
  clock += 1_000; // the store's last contact stays here while the watchdog's clock runs on
  const r = await h.ask({ type: 'WatchdogCycle', now: clock + 31_000 }, ASK);
  t.like(r, { detail: { posture: 'HIBERNATE' } });
  t.is(((await status(h)).breakdown as Breakdown).cat1, 0);
  t.is((await readPosture(other)).posture, 'HIBERNATE', 'written to DOLPHIN_SAFETY');
});

test('a stale order book is Cat3 = 0.5; a fresh one scores 0.3 + 0.7·min(depth, fill)', async (t) => {
  const { h, other } = await watchdog(t, 'survival');
  const features = other.map(DOLPHIN_FEATURES);
  const now = Date.now();
  await features.put(OB_QUALITY_KEY, obQualityJson({ stale: true, freshFraction: 0, depthQuality: 0.9, fillProbability: 0.9, timestampMs: now }));
  await h.ask({ type: 'WatchdogCycle', now }, ASK);
  t.is(((await status(h)).breakdown as Breakdown).cat3, 0.5);
  await features.put(OB_QUALITY_KEY, obQualityJson({ stale: false, freshFraction: 1, depthQuality: 0.8, fillProbability: 0.6, timestampMs: now }));
  await h.ask({ type: 'WatchdogCycle', now: now + 1 }, ASK);
  t.is(((await status(h)).breakdown as Breakdown).cat3, 0.3 + 0.7 * 0.6);
});

test('no ob_quality in the store reads as a stale book (Cat3 = 0.5)', async (t) => {
  const { h } = await watchdog(t, 'survival');
  await h.ask({ type: 'WatchdogCycle', now: Date.now() }, ASK);
  t.like(((await status(h)).sensors as Record<string, unknown>), { obStale: true });
  t.is(((await status(h)).breakdown as Breakdown).cat3, 0.5);
});

test('schedule mode writes the factors file\'s posture on WatchdogDayStart, APEX where the file has none', async (t) => {
  const inputs: NodeInputs = { ...bareInputs(), postureByDate: new Map([['2026-01-02', 'TURTLE']]) };
  const { h, other } = await watchdog(t, 'schedule', { inputs });
  t.like(await h.ask({ type: 'WatchdogDayStart', date: '2026-01-02', now: Date.now() }, ASK), { detail: { posture: 'TURTLE', written: true } });
  t.like(await readPosture(other), { posture: 'TURTLE', source: 'atomic' });
  await h.ask({ type: 'WatchdogDayStart', date: '2026-01-03', now: Date.now() }, ASK);
  t.is((await readPosture(other)).posture, 'APEX');
  t.is((await status(h)).writes, 2);
});

test('schedule mode: a WatchdogCycle evaluates the stack but writes no posture', async (t) => {
  const { h, other } = await watchdog(t, 'schedule');
  const r = await h.ask({ type: 'WatchdogCycle', now: Date.now() }, ASK);
  t.like(r, { detail: { written: false } });
  t.is((await status(h)).writes, 0);
  t.is((await readPosture(other)).source, 'default', 'DOLPHIN_SAFETY untouched');
});
