import test from 'ava';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { PayloadError, StoreUnavailableError } from '../../store/errors.ts';
import { postureJson } from '../../store/payloads.ts';
import type { FeatureStore } from '../../store/port.ts';
import { DEFAULT_POSTURE, readPosture, writePosture } from '../../store/posture.ts';

function fresh(): { cluster: EmbeddedCluster; store: FeatureStore } {
  const cluster = new EmbeddedCluster();
  return { cluster, store: cluster.connect('watchdog') };
}

const json = (posture: 'APEX' | 'STALKER' | 'TURTLE' | 'HIBERNATE') => postureJson({ posture, rm: 0.6, timestampMs: 0 });

test('§14.4 with nothing written the posture is the default (APEX) from source "default"', async (t) => {
  const { store } = fresh();
  t.is(DEFAULT_POSTURE, 'APEX');
  t.deepEqual(await readPosture(store), { posture: 'APEX', source: 'default', payload: null });
  t.is((await readPosture(store, 'HIBERNATE')).posture, 'HIBERNATE', 'the caller may choose another default');
});

test('§14.4 the AtomicReference wins over IMap latest', async (t) => {
  const { store } = fresh();
  await store.atomicRef('DOLPHIN_SAFETY').set(json('TURTLE'));
  await store.map('DOLPHIN_SAFETY').put('latest', json('APEX'));
  const r = await readPosture(store);
  t.is(r.posture, 'TURTLE');
  t.is(r.source, 'atomic');
  t.is(r.payload?.rm, 0.6);
});

test('§14.4 an empty AtomicReference falls back to IMap DOLPHIN_SAFETY["latest"]', async (t) => {
  const { store } = fresh();
  await store.map('DOLPHIN_SAFETY').put('latest', json('STALKER'));
  t.like(await readPosture(store), { posture: 'STALKER', source: 'latest' });
});

test('§14.4 an unavailable CP subsystem falls back to the IMap copy', async (t) => {
  const { store } = fresh();
  await store.map('DOLPHIN_SAFETY').put('latest', json('TURTLE'));
  const cpDown: FeatureStore = {
    ...store,
    map: (n) => store.map(n),
    health: () => store.health(),
    close: () => store.close(),
    lock: (n) => store.lock(n),
    atomicRef: () => ({
      get: () => Promise.reject(new StoreUnavailableError('DOLPHIN_SAFETY.get', 'CP subsystem down')),
      set: () => Promise.reject(new Error('unused')),
      compareAndSet: () => Promise.reject(new Error('unused')),
    }),
  };
  t.like(await readPosture(cpDown), { posture: 'TURTLE', source: 'latest' });
});

test('an unreachable store rejects with StoreUnavailableError (the caller fails closed), never the default', async (t) => {
  const { cluster, store } = fresh();
  cluster.setReachable(false);
  await t.throwsAsync(readPosture(store), { instanceOf: StoreUnavailableError });
});

test('a malformed posture is a PayloadError, not a silent fallback', async (t) => {
  const { store } = fresh();
  await store.atomicRef('DOLPHIN_SAFETY').set('{"posture": "SLEEPY"}');
  await store.map('DOLPHIN_SAFETY').put('latest', json('APEX'));
  await t.throwsAsync(readPosture(store), { instanceOf: PayloadError, message: /DOLPHIN_SAFETY.*posture/ });
});

test('§16.3 writePosture writes the same JSON to the AtomicReference and to IMap latest', async (t) => {
  const { cluster, store } = fresh();
  const written = await writePosture(store, { posture: 'HIBERNATE', rm: 0, timestampMs: 1_741_348_800_000 });
  t.is(written, '{"posture": "HIBERNATE", "Rm": 0.0, "timestamp": 1741348800.0}');
  const reader = cluster.connect('actor');
  t.is(await reader.atomicRef('DOLPHIN_SAFETY').get(), written);
  t.is(await reader.map('DOLPHIN_SAFETY').get('latest'), written);
  t.like(await readPosture(reader), { posture: 'HIBERNATE', source: 'atomic' });
});
