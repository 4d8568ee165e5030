// ACBActor (bible §10, §16.1): acb_boost written byte for byte as Python's json.dumps writes it, the
// per-date acb_day record beside it, the single-writer lock (invariant 6), and sub-day recomputation.
import test from 'ava';
import { acbActor } from '../../actors/acb.ts';
import type { NodeInputs } from '../../actors/context.ts';
import { acbDayKey } from '../../actors/keys.ts';
import { baseBoost, factorSignals } from '../../engine/acb.ts';
import { CHAMPION } from '../../engine/config.ts';
import type { ExternalFactors } from '../../engine/types.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { ACB_BOOST_KEY, ACB_WRITER_LOCK, DOLPHIN_FEATURES } from '../../store/names.ts';
import { ActorUnavailableError } from '../../supervision/errors.ts';
import { bareInputs, ctxOf, otherClient, treeOf } from './helpers.ts';

const DATE = '2026-02-03';
const ASK = 2_000;

/** funding < −0.0001 (1.0), dvol > 55 (0.5), taker < 0.9 (0.5); fng 30 < 40 with others ≥ 0.5 (0.5): 2.5 signals. */
const STRESSED: ExternalFactors = { funding_btc: -0.0002, dvol_btc: 60, fng: 30, taker: 0.85 };
/** funding < 0 (0.5), taker < 0.9 (0.5), fng 50 (none): 1.0 signal. */
const MILD: ExternalFactors = { funding_btc: -0.00005, dvol_btc: 50, fng: 50, taker: 0.85 };

async function acbTree(t: Parameters<typeof treeOf>[0], inputs: NodeInputs = bareInputs(), lockTimeoutMs = 20) {
  const cluster = new EmbeddedCluster();
  const ctx = ctxOf(cluster, { inputs });
  const sup = await treeOf(t, [acbActor(ctx, { lockTimeoutMs })]);
  return { cluster, ctx, sup, h: sup.get('acb'), features: ctx.store.map(DOLPHIN_FEATURES) };
}

test('the worked example: 2.5 signals give boost 1 + 0.5·ln 3.5, 1.0 signal gives 1 + 0.5·ln 2', (t) => {
  t.is(factorSignals(STRESSED, CHAMPION.acb), 2.5);
  t.is(baseBoost(2.5), 1.626381484247684); // Python: 1 + 0.5 * math.log1p(2.5)
  t.is(factorSignals(MILD, CHAMPION.acb), 1.0);
  t.is(baseBoost(1.0), 1.3465735902799727);
});

test('AcbDayStart with no factors writes acb_boost as exactly {"boost": 1.0, "beta": 0.2} and the acb_day record', async (t) => {
  const { h, features } = await acbTree(t);
  const r = await h.ask({ type: 'AcbDayStart', date: DATE }, ASK);
  t.like(r, { type: 'Ack', ok: true, detail: { date: DATE, boost: 1, beta: 0.2, value: '{"boost": 1.0, "beta": 0.2}' } });
  t.is(await features.get(ACB_BOOST_KEY), '{"boost": 1.0, "beta": 0.2}');
  t.is(await features.get(acbDayKey(DATE)), `{"date": "${DATE}", "boost": 1.0, "beta": 0.2, "signals": 0.0, "w750": null, "threshold": null}`);
});

test('AcbDayStart computes the boost from the date\'s factors, printed as Python prints the float', async (t) => {
  const { h, features } = await acbTree(t, { ...bareInputs(), factorsByDate: new Map([[DATE, STRESSED]]) });
  await h.ask({ type: 'AcbDayStart', date: DATE }, ASK);
  t.is(await features.get(ACB_BOOST_KEY), '{"boost": 1.626381484247684, "beta": 0.2}');
  t.regex((await features.get(acbDayKey(DATE)))!, /^\{"date": "2026-02-03", "boost": 1\.626381484247684, "beta": 0\.2, "signals": 2\.5, /);
});

test('FactorsUpdate recomputes acb_boost from the new factors with the date\'s w750 beta, leaving acb_day alone', async (t) => {
  const inputs: NodeInputs = {
    ...bareInputs(),
    // the date's w750 (0.001) is at or above the run's threshold (0.0005): beta_high
    acbDays: new Map([[DATE, { date: DATE, signals: 0, boost: 1, beta: 0.8, w750: 0.001 }]]),
    w750Threshold: 0.0005,
  };
  const { h, features } = await acbTree(t, inputs);
  await h.ask({ type: 'AcbDayStart', date: DATE }, ASK);
  t.is(await features.get(ACB_BOOST_KEY), '{"boost": 1.0, "beta": 0.8}');
  const day = await features.get(acbDayKey(DATE));
  const r = await h.ask({ type: 'FactorsUpdate', date: DATE, factors: MILD }, ASK);
  t.like(r, { type: 'Ack', ok: true, detail: { boost: 1.3465735902799727, beta: 0.8 } });
  t.is(await features.get(ACB_BOOST_KEY), '{"boost": 1.3465735902799727, "beta": 0.8}');
  t.is(await features.get(acbDayKey(DATE)), day, 'the day keeps the ACB it started with');
  await h.ask({ type: 'FactorsUpdate', date: DATE, factors: STRESSED }, ASK);
  t.is(await features.get(ACB_BOOST_KEY), '{"boost": 1.626381484247684, "beta": 0.8}');
});

test('while another client holds the writer lock the ACB cannot write; once released it writes, once', async (t) => {
  const { cluster, sup, h, features } = await acbTree(t);
  const rival = otherClient(t, cluster, 'python-acb');
  const puts: string[] = [];
  await rival.map(DOLPHIN_FEATURES).addEntryListener((e) => puts.push(e.key), ACB_BOOST_KEY);
  const lock = rival.lock(ACB_WRITER_LOCK);
  const fence = await lock.lock();

  // a short timeout: nact keeps an unanswered query's timer, which would hold the process open
  await t.throwsAsync(h.ask({ type: 'AcbDayStart', date: DATE }, 300), { instanceOf: ActorUnavailableError });
  t.is(await features.get(ACB_BOOST_KEY), null, 'nothing written without the lock');
  t.true(sup.deadLetters.recent().some((d) => d.to === 'acb' && /AcbLockBusyError/.test(d.reason)), 'the failure names the busy lock');
  await h.whenRunning();
  t.true(h.incarnation >= 2, 'the ACB was restarted');

  await lock.unlock(fence);
  const r = await h.ask({ type: 'AcbDayStart', date: DATE }, ASK);
  t.like(r, { type: 'Ack', ok: true });
  t.true(r.type === 'Ack' && BigInt(String(r.detail?.fence)) > fence, 'a later fence than the rival\'s');
  t.is(await features.get(ACB_BOOST_KEY), '{"boost": 1.0, "beta": 0.2}');
  t.false(await rival.lock(ACB_WRITER_LOCK).isLocked(), 'the ACB released the lock after writing');
  await new Promise((r) => setImmediate(r));
  t.deepEqual(puts, [ACB_BOOST_KEY]);
});
