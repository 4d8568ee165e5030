// ShardedFeatureActor (bible §15, §10.5): a write to DOLPHIN_FEATURES['acb_boost'] by any client
// becomes an AcbEvent in the subscribing Dolphin; AwaitStoreValue is a barrier on that forwarding;
// a new incarnation re-sends the current value, so nothing written while it was down is lost.
import test from 'ava';
import { dolphinActor } from '../../actors/dolphin.ts';
import { featuresActor } from '../../actors/features.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { ACB_BOOST_KEY, DOLPHIN_FEATURES } from '../../store/names.ts';
import { acbBoostJson } from '../../store/payloads.ts';
import type { FeatureStore } from '../../store/port.ts';
import { bareInputs, ctxOf, otherClient, sleep, status, treeOf, until } from './helpers.ts';

const ASK = 2_000;

async function pair(t: Parameters<typeof treeOf>[0]) {
  const cluster = new EmbeddedCluster();
  const ctx = ctxOf(cluster, { inputs: bareInputs() });
  const sup = await treeOf(t, [featuresActor(ctx, { dolphin: 'dolphin' }), dolphinActor(ctx)]);
  const other = otherClient(t, cluster, 'python-acb');
  return { cluster, sup, features: sup.get('features'), dolphin: sup.get('dolphin'), acb: other.map(DOLPHIN_FEATURES) };
}

const awaitValue = (value: string) => ({ type: 'AwaitStoreValue' as const, map: DOLPHIN_FEATURES, key: ACB_BOOST_KEY, value });

test('a write of acb_boost by another client becomes an AcbEvent pending in Dolphin', async (t) => {
  const { features, dolphin, acb } = await pair(t);
  const json = acbBoostJson({ boost: 1.35, beta: 0.5 });
  await acb.put(ACB_BOOST_KEY, json);
  t.like(await features.ask(awaitValue(json), ASK), { type: 'Ack', ok: true });
  const s = await status(dolphin);
  t.deepEqual(s.pendingAcb, { boost: 1.35, beta: 0.5 });
  t.like(s, { acbReceived: 1, acbApplied: 0 });
});

test('AwaitStoreValue answers only once the value has been forwarded to Dolphin', async (t) => {
  const { features, dolphin, acb } = await pair(t);
  const json = acbBoostJson({ boost: 1.2, beta: 0.8 });
  let answered = false;
  const waiting = features.ask(awaitValue(json), ASK).then((r) => ((answered = true), r));
  await sleep(30);
  t.false(answered, 'no answer before the value exists');
  await acb.put(ACB_BOOST_KEY, acbBoostJson({ boost: 1.1, beta: 0.2 }));
  await features.ask({ type: 'Barrier' }, ASK);
  await sleep(5);
  t.false(answered, 'another value does not answer it');
  await acb.put(ACB_BOOST_KEY, json);
  t.like(await waiting, { type: 'Ack', ok: true });
  // the AcbEvent was sent to Dolphin before the answer, so it is ahead of this Status in the mailbox
  t.like(await status(dolphin), { pendingAcb: { boost: 1.2, beta: 0.8 }, acbReceived: 2 });
  t.like(await features.ask(awaitValue(json), ASK), { ok: true }, 'an already forwarded value answers at once');
});

test('after a kill and restart the features actor re-sends the current value, also one written while it was down', async (t) => {
  const { sup, features, dolphin, acb } = await pair(t);
  const first = acbBoostJson({ boost: 1.3, beta: 0.2 });
  await acb.put(ACB_BOOST_KEY, first);
  await features.ask(awaitValue(first), ASK);
  t.is((await status(dolphin)).acbReceived, 1);

  sup.kill('features', 'test: killed');
  const whileDown = acbBoostJson({ boost: 1.45, beta: 0.8 });
  await acb.put(ACB_BOOST_KEY, whileDown); // no incarnation listens now
  await features.whenRunning();
  await until('Dolphin to receive the re-sent value', async () => (await status(dolphin)).acbReceived === 2);
  t.deepEqual((await status(dolphin)).pendingAcb, { boost: 1.45, beta: 0.8 });
  t.like(await features.ask(awaitValue(whileDown), ASK), { ok: true }, 'the new incarnation knows what it forwarded');
});

test('a malformed acb_boost written by another client is a dead letter; later values still arrive', async (t) => {
  const { sup, features, dolphin, acb } = await pair(t);
  await acb.put(ACB_BOOST_KEY, '{"boost": "high"}');
  await until('the refusal', () => sup.deadLetters.recent().some((d) => d.to === 'features' && /acb_boost/.test(d.reason)));
  const good = acbBoostJson({ boost: 1.25, beta: 0.2 });
  await acb.put(ACB_BOOST_KEY, good);
  await features.ask(awaitValue(good), ASK);
  t.like(await status(dolphin), { pendingAcb: { boost: 1.25, beta: 0.2 }, acbReceived: 1 });
  t.is(features.incarnation, 1, 'never restarted');
});

// ---- known failures (see the report): each passes once actors/features.ts is patched; then drop `.failing` ----

test('a malformed acb_boost already in the store when the features actor starts is a dead letter, not a crash loop', async (t) => {
  const cluster = new EmbeddedCluster();
  await cluster.connect('python-acb').map(DOLPHIN_FEATURES).put(ACB_BOOST_KEY, '{"boost": "high"}');
  const ctx = ctxOf(cluster, { inputs: bareInputs() });
  // today: subscribe() lets the Rejected thrown by forward() escape init, the init fails on every restart and escalates
  const sup = await treeOf(t, [featuresActor(ctx, { dolphin: 'dolphin' }), dolphinActor(ctx)]);
  t.is(sup.get('features').incarnation, 1);
  t.true(sup.deadLetters.recent().some((d) => d.to === 'features' && /acb_boost/.test(d.reason)));
});

test('an unreachable store fails a FeaturePut without crashing the features actor', async (t) => {
  const { cluster, features } = await pair(t);
  cluster.setReachable(false);
  // today: putFeatures rejects with StoreUnavailableError, the actor crashes, and every restart fails in
  // addEntryListener until the restart intensity escalates (the OB stream sends a FeaturePut every 500 ms)
  const r = await features.ask({ type: 'FeaturePut', values: [{ symbol: 'BTCUSDT', feature: 'imbalance', value: 0.1 }] }, 300);
  t.like(r, { type: 'Ack', ok: false });
  t.is(features.incarnation, 1);
});

/**
 * A client that can lose its connection the way a Hazelcast client does: health says disconnected and
 * entry events fired meanwhile never arrive (the cluster does not replay them).
 */
function droppable(inner: FeatureStore): FeatureStore & { down: boolean } {
  const store = {
    down: false,
    map: (name: string) => {
      const m = inner.map(name);
      return { ...m, name: m.name, get: m.get.bind(m), put: m.put.bind(m), putIfAbsent: m.putIfAbsent.bind(m), delete: m.delete.bind(m), keys: m.keys.bind(m), entries: m.entries.bind(m),
        addEntryListener: (l: Parameters<typeof m.addEntryListener>[0], key?: string) => m.addEntryListener((e) => { if (!store.down) l(e); }, key) };
    },
    atomicRef: (name: string) => inner.atomicRef(name),
    lock: (name: string) => inner.lock(name),
    health: () => ({ ...inner.health(), connected: !store.down && inner.health().connected }),
    close: () => inner.close(),
  };
  return store;
}

test('a value written while the connection was lost (its event never delivered) reaches Dolphin when the store is back', async (t) => {
  const cluster = new EmbeddedCluster();
  const base = ctxOf(cluster, { inputs: bareInputs() });
  const store = droppable(base.store);
  const ctx = { ...base, store };
  const sup = await treeOf(t, [featuresActor(ctx, { dolphin: 'dolphin', resyncCheckMs: 10 }), dolphinActor(ctx)]);
  const acb = otherClient(t, cluster, 'python-acb').map(DOLPHIN_FEATURES);
  store.down = true;
  await until('a check sees the outage', async () => (await status(sup.get('features'))).connected === false);
  await acb.put(ACB_BOOST_KEY, acbBoostJson({ boost: 1.4, beta: 0.8 }));
  await sleep(30);
  t.is((await status(sup.get('dolphin'))).acbReceived, 0, 'the event was lost with the connection');
  store.down = false;
  await until('the resync forwards the missed value', async () => (await status(sup.get('dolphin'))).acbReceived === 1);
  t.deepEqual((await status(sup.get('dolphin'))).pendingAcb, { boost: 1.4, beta: 0.8 });
  t.like(await status(sup.get('features')), { resyncs: 1 });
});
