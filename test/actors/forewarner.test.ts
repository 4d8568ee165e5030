// ForewarnerActor (bible §12, §16.4): the daily Monte-Carlo report over the closed trades of earlier
// dates, written to DOLPHIN_FEATURES['mc_forewarner_status']; neutral without enough history; seeded
// per date, so asking twice (a restart) gives the same report.
import test from 'ava';
import { encodeValue } from '../../actors/checkpoint.ts';
import { forewarnerActor } from '../../actors/forewarner.ts';
import { tradesMapName } from '../../actors/keys.ts';
import type { TradeRecord } from '../../engine/types.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { DOLPHIN_FEATURES, FOREWARNER_STATUS_KEY } from '../../store/names.ts';
import { parseForewarnerStatus } from '../../store/payloads.ts';
import { mulberry32 } from '../helpers/frames.ts';
import { ctxOf, otherClient, status, treeOf } from './helpers.ts';

const ASK = 10_000;
const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/** Closed trades as the forewarner reads them: only net PnL and the capital at entry matter. */
function trades(n: number, seed: number): TradeRecord[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => ({ netPnl: (r() - 0.45) * 200, entry: { capitalAtEntry: 25_000 } }) as unknown as TradeRecord);
}

async function forewarner(t: Parameters<typeof treeOf>[0], history: ReadonlyArray<[string, TradeRecord[]]>) {
  const cluster = new EmbeddedCluster();
  const other = otherClient(t, cluster, 'dolphin-writer');
  for (const [date, list] of history) await other.map(tradesMapName(-1)).put(date, encodeValue(list));
  const ctx = ctxOf(cluster, { now: () => NOW });
  const sup = await treeOf(t, [forewarnerActor(ctx)]);
  return { h: sup.get('forewarner'), features: other.map(DOLPHIN_FEATURES) };
}

test('fewer than 30 earlier trades: the neutral report, status OK', async (t) => {
  // 29 before the date; the date's own and later trades do not count
  const { h } = await forewarner(t, [['2026-01-01', trades(20, 1)], ['2026-01-02', trades(9, 2)], ['2026-01-03', trades(40, 3)], ['2026-01-04', trades(40, 4)]]);
  const r = await h.ask({ type: 'ForewarnerAssess', date: '2026-01-03', maxLeverage: 5 }, ASK);
  t.deepEqual(r, { type: 'ForewarnerResult', date: '2026-01-03', status: 'OK', catastrophicProbability: 0, envelopeScore: 0 });
  t.like((await status(h)).last as Record<string, unknown>, { insufficient: true, outcomesUsed: 29 });
});

test('the report is written to mc_forewarner_status with the date and the assessment time', async (t) => {
  const { h, features } = await forewarner(t, [['2026-01-01', trades(60, 5)]]);
  const r = await h.ask({ type: 'ForewarnerAssess', date: '2026-01-02', maxLeverage: 5 }, ASK);
  const stored = parseForewarnerStatus((await features.get(FOREWARNER_STATUS_KEY))!);
  t.like(r, { type: 'ForewarnerResult', date: '2026-01-02' });
  const reply = r as { status: string; catastrophicProbability: number; envelopeScore: number };
  t.deepEqual(stored, { date: '2026-01-02', status: reply.status, catastrophicProbability: reply.catastrophicProbability, envelopeScore: reply.envelopeScore, timestampMs: NOW });
  t.false(((await status(h)).last as { insufficient: boolean }).insufficient, 'enough history: a real simulation');
});

test('the same date assessed twice gives the same report (seeded per date)', async (t) => {
  const { h, features } = await forewarner(t, [['2026-01-01', trades(35, 6)], ['2026-01-02', trades(35, 7)]]);
  const ask = () => h.ask({ type: 'ForewarnerAssess', date: '2026-01-03', maxLeverage: 7.5 }, ASK);
  const first = await ask();
  const json = await features.get(FOREWARNER_STATUS_KEY);
  const last = (await status(h)).last;
  const second = await ask();
  t.deepEqual(second, first);
  t.deepEqual((await status(h)).last, last);
  t.is(await features.get(FOREWARNER_STATUS_KEY), json, 'byte-identical store value');
  t.is((await status(h)).assessments, 2);
});
