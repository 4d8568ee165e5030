// OBStreamActor (bible §9, §16.2): each cycle's order-book features land in the shard maps (through
// the features actor) and the book's quality in DOLPHIN_FEATURES['ob_quality']; a failing source makes
// the book stale (Cat3 = 0.5 downstream) and never stops the actor (invariant 7).
import test from 'ava';
import { featuresActor } from '../../actors/features.ts';
import { OB_QUALITY_KEY } from '../../actors/keys.ts';
import { obStreamActor } from '../../actors/ob-stream.ts';
import { parseObQuality } from '../../actors/ob-quality.ts';
import { ObSourceError, type ObSource } from '../../market/ob-source.ts';
import { SyntheticObSource } from '../../market/ob-source-synthetic.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { getNumericFeature } from '../../store/feature-router.ts';
import { DOLPHIN_FEATURES, featureKey, shardMapName } from '../../store/names.ts';
import { bareInputs, ctxOf, status, treeOf } from './helpers.ts';

const ASK = 2_000;
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const T0 = 1_767_225_600_000;
const NO_TIMER = 1_000_000; // cycles are asked for, never timed

async function obTree(t: Parameters<typeof treeOf>[0], source: ObSource) {
  const cluster = new EmbeddedCluster();
  const ctx = ctxOf(cluster, { inputs: bareInputs(), now: () => T0 });
  const sup = await treeOf(t, [featuresActor(ctx, { dolphin: 'dolphin' }), obStreamActor(ctx, { source, symbols: SYMBOLS, cycleMs: NO_TIMER, features: 'features' })]);
  const cycle = async (i: number) => {
    const r = await sup.get('ob').ask({ type: 'ObCycle', now: T0 + i * 500 }, ASK);
    await sup.get('features').ask({ type: 'Barrier' }, ASK); // the cycle's FeaturePut is handled
    return r;
  };
  return { store: ctx.store, sup, ob: sup.get('ob'), cycle };
}

const quality = async (store: ReturnType<typeof ctxOf>['store']) => parseObQuality((await store.map(DOLPHIN_FEATURES).get(OB_QUALITY_KEY))!);

test('with the synthetic source each cycle writes the features to the symbol\'s shard map and a fresh ob_quality', async (t) => {
  const { store, ob, cycle } = await obTree(t, new SyntheticObSource({ seed: 3, stepMs: 500 }));
  for (let i = 0; i < 6; i++) t.like(await cycle(i), { type: 'Ack', ok: true, detail: { stale: false, snapshots: SYMBOLS.length } });
  for (const sym of SYMBOLS) {
    const raw = await store.map(shardMapName(sym)).get(featureKey('imbalance', sym));
    t.not(raw, null, `imbalance_${sym} in ${shardMapName(sym)}`);
    t.is(await getNumericFeature(store, 'ob_ts', sym), T0 + 5 * 500);
  }
  t.is(await getNumericFeature(store, 'ob_symbols', 'MARKET'), SYMBOLS.length);
  const q = await quality(store);
  t.like(q, { stale: false, freshFraction: 1, timestampMs: T0 + 2_500 });
  t.like(await status(ob), { cycles: 6, sourceErrors: 0, quality: { stale: false, freshFraction: 1 } });
});

test('a source that throws makes the book stale and the actor keeps running', async (t) => {
  let failing = true;
  const real = new SyntheticObSource({ seed: 4, stepMs: 500 });
  const flaky: ObSource = {
    name: 'flaky',
    snapshots: (symbols, now) => (failing ? Promise.reject(new ObSourceError('flaky', null, true, 'HTTP 503')) : real.snapshots(symbols, now)),
  };
  const { store, ob, cycle } = await obTree(t, flaky);
  for (let i = 0; i < 3; i++) t.like(await cycle(i), { type: 'Ack', ok: true, detail: { stale: true, snapshots: 0 } });
  t.like(await quality(store), { stale: true, freshFraction: 0 });
  t.like(await status(ob), { cycles: 3, sourceErrors: 3 });
  t.is(ob.incarnation, 1, 'never restarted');

  failing = false;
  t.like(await cycle(3), { detail: { stale: false } });
  t.like(await quality(store), { stale: false, freshFraction: 1 }, 'fresh again once the source answers');
});

test('a source whose snapshots stop coming goes stale after 5 s', async (t) => {
  let frozen: number | null = null;
  const real = new SyntheticObSource({ seed: 5, stepMs: 500 });
  const stuck: ObSource = { name: 'stuck', snapshots: (symbols, now) => real.snapshots(symbols, frozen ?? now) };
  const { store, cycle } = await obTree(t, stuck);
  await cycle(0);
  frozen = T0; // the venue keeps sending the same old books
  t.like(await cycle(10), { detail: { stale: false } }, '5 s old: still fresh');
  t.like(await cycle(11), { detail: { stale: true } });
  t.true((await quality(store)).stale);
});
