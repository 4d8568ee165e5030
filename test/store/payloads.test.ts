import test from 'ava';
import { PayloadError } from '../../store/errors.ts';
import {
  acbBoostJson,
  forewarnerStatusJson,
  parseAcbBoost,
  parseForewarnerStatus,
  parsePnlDay,
  parsePosture,
  pnlDayJson,
  POSTURE_LATEST_WHERE,
  postureJson,
  type PnlDay,
} from '../../store/payloads.ts';

const PNL = 'DOLPHIN_PNL_BLUE';

test('§16.1 ACB boost prints as json.dumps({"boost": boost, "beta": beta}) with float fields', (t) => {
  t.is(acbBoostJson({ boost: 1, beta: 0.5 }), '{"boost": 1.0, "beta": 0.5}');
  t.is(acbBoostJson({ boost: 1.3465735902799727, beta: 0.8 }), '{"boost": 1.3465735902799727, "beta": 0.8}');
});

test('§10.5 ACB boost parses from Python\'s string, extra keys ignored', (t) => {
  t.deepEqual(parseAcbBoost('{"boost": 1.35, "beta": 0.2}'), { boost: 1.35, beta: 0.2 });
  t.deepEqual(parseAcbBoost('{"boost": 1, "beta": 0, "ts": "x"}'), { boost: 1, beta: 0 });
});

test('a bad ACB payload is a PayloadError naming map, key and field', (t) => {
  const missing = t.throws(() => parseAcbBoost('{"boost": 1.0}'), { instanceOf: PayloadError });
  t.like(missing, { map: 'DOLPHIN_FEATURES', key: 'acb_boost', field: 'beta' });
  t.regex(missing!.message, /^DOLPHIN_FEATURES\["acb_boost"\] field beta: /);
  t.like(t.throws(() => parseAcbBoost('{"boost": NaN, "beta": 0.5}'), { instanceOf: PayloadError }), { field: 'boost' });
  t.like(t.throws(() => parseAcbBoost('{"boost": "1.0", "beta": 0.5}'), { instanceOf: PayloadError }), { field: 'boost' });
  t.like(t.throws(() => parseAcbBoost('{boost: 1}'), { instanceOf: PayloadError, message: /not JSON/ }), { field: '' });
  t.like(t.throws(() => parseAcbBoost('[1, 2]'), { instanceOf: PayloadError }), { field: '' });
});

test('the ACB builder refuses a value Python must never read (NaN, non-positive boost)', (t) => {
  t.like(t.throws(() => acbBoostJson({ boost: NaN, beta: 0.5 }), { instanceOf: PayloadError }), { field: 'boost' });
  t.like(t.throws(() => acbBoostJson({ boost: 0, beta: 0.5 }), { instanceOf: PayloadError }), { field: 'boost' });
  t.like(t.throws(() => acbBoostJson({ boost: 1, beta: -0.1 }), { instanceOf: PayloadError }), { field: 'beta' });
});

const day: PnlDay = {
  date: '2026-01-05',
  pnl: 123.45,
  capital: 10123.45,
  boost: 1,
  beta: 0.8,
  mcStatus: 'OK',
  trades: 3,
  posture: 'APEX',
  bars: 17280,
};

test('§14.5 day result: the bible\'s keys in its order (date, pnl, capital, boost, beta, mc_status, trades), then posture, bars', (t) => {
  t.is(
    pnlDayJson(day, PNL),
    '{"date": "2026-01-05", "pnl": 123.45, "capital": 10123.45, "boost": 1.0, "beta": 0.8, "mc_status": "OK", "trades": 3, "posture": "APEX", "bars": 17280}',
  );
  t.is(
    pnlDayJson({ ...day, pnl: 0, capital: 10000, trades: 0, mcStatus: 'ORANGE', posture: 'HIBERNATE' }, PNL),
    '{"date": "2026-01-05", "pnl": 0.0, "capital": 10000.0, "boost": 1.0, "beta": 0.8, "mc_status": "ORANGE", "trades": 0, "posture": "HIBERNATE", "bars": 17280}',
  );
});

test('§14.5 day result round-trips; one written by the Python actor (no posture, bars) reads with nulls', (t) => {
  t.deepEqual(parsePnlDay(pnlDayJson(day, PNL), { map: PNL, key: day.date }), day);
  const python = '{"date": "2026-01-05", "pnl": -12.5, "capital": 9987.5, "boost": 1.0, "beta": 0.2, "mc_status": "RED", "trades": 1}';
  t.deepEqual(parsePnlDay(python, { map: PNL, key: '2026-01-05' }), {
    date: '2026-01-05',
    pnl: -12.5,
    capital: 9987.5,
    boost: 1,
    beta: 0.2,
    mcStatus: 'RED',
    trades: 1,
    posture: null,
    bars: null,
  });
});

test('§14.5 a day result whose trades is a list reads as its count', (t) => {
  const json = '{"date": "2026-01-05", "pnl": 1.0, "capital": 1.0, "boost": 1.0, "beta": 0.2, "mc_status": "OK", "trades": [{"id": 1}, {"id": 2}]}';
  t.is(parsePnlDay(json, { map: PNL, key: '2026-01-05' }).trades, 2);
});

test('a bad day result is a PayloadError naming map, key and field', (t) => {
  const where = { map: PNL, key: '2026-01-05' };
  const json = pnlDayJson(day, PNL);
  t.like(t.throws(() => parsePnlDay(json.replace('"OK"', '"GREEN"'), where), { instanceOf: PayloadError }), { ...where, field: 'mc_status' });
  t.like(t.throws(() => parsePnlDay(json.replace('"trades": 3', '"trades": 2.5'), where), { instanceOf: PayloadError }), { field: 'trades' });
  t.like(t.throws(() => parsePnlDay(json, { map: PNL, key: '2026-01-06' }), { instanceOf: PayloadError, message: /does not match its key/ }), { field: 'date' });
  t.like(t.throws(() => pnlDayJson({ ...day, date: '05/01/2026' }, PNL), { instanceOf: PayloadError }), { map: PNL, key: '05/01/2026', field: 'date' });
  t.like(t.throws(() => pnlDayJson({ ...day, bars: -1 }, PNL), { instanceOf: PayloadError }), { field: 'bars' });
});

test('§11 posture payload: {"posture", "Rm", "timestamp" (epoch seconds)}; breakdown Cat1…Cat5 when given', (t) => {
  t.is(
    postureJson({ posture: 'APEX', rm: 0.97, timestampMs: 1_741_348_800_123 }),
    '{"posture": "APEX", "Rm": 0.97, "timestamp": 1741348800.123}',
  );
  t.is(
    postureJson({
      posture: 'TURTLE',
      rm: 0.5,
      breakdown: { cat1: 1, cat2: 0.5, cat3: 1, cat4: 1, cat5: 1 },
      timestampMs: 1_741_348_800_000,
    }),
    '{"posture": "TURTLE", "Rm": 0.5, "breakdown": {"Cat1": 1.0, "Cat2": 0.5, "Cat3": 1.0, "Cat4": 1.0, "Cat5": 1.0}, "timestamp": 1741348800.0}',
  );
});

test('§14.4 posture parses ours and a minimal or richer Python payload (unknown keys ignored, ISO timestamps)', (t) => {
  t.deepEqual(parsePosture(postureJson({ posture: 'STALKER', rm: 0.8, timestampMs: 1_000 }), POSTURE_LATEST_WHERE), {
    posture: 'STALKER',
    rm: 0.8,
    breakdown: null,
    timestampMs: 1_000,
  });
  t.deepEqual(parsePosture('{"posture": "HIBERNATE"}', POSTURE_LATEST_WHERE), { posture: 'HIBERNATE', rm: null, breakdown: null, timestampMs: null });
  const rich = parsePosture('{"posture": "APEX", "Rm": 1.0, "timestamp": "2026-03-07T00:00:00+00:00", "sensors": {"hz_nodes": 1}}', POSTURE_LATEST_WHERE);
  t.is(rich.timestampMs, Date.UTC(2026, 2, 7));
});

test('a bad posture is a PayloadError naming the field', (t) => {
  t.like(t.throws(() => parsePosture('{"posture": "apex"}', POSTURE_LATEST_WHERE), { instanceOf: PayloadError }), {
    map: 'DOLPHIN_SAFETY',
    key: 'latest',
    field: 'posture',
  });
  t.like(t.throws(() => parsePosture('{"posture": "APEX", "Rm": 1.5}', POSTURE_LATEST_WHERE), { instanceOf: PayloadError }), { field: 'Rm' });
  t.like(t.throws(() => parsePosture('{"posture": "APEX", "timestamp": "yesterday"}', POSTURE_LATEST_WHERE), { instanceOf: PayloadError }), { field: 'timestamp' });
  t.like(t.throws(() => postureJson({ posture: 'APEX', rm: NaN, timestampMs: 0 }), { instanceOf: PayloadError }), { field: 'rm' });
});

test('§12/§16.4 forewarner status prints mc_report\'s fields and round-trips', (t) => {
  const s = { date: '2026-01-05', status: 'ORANGE' as const, catastrophicProbability: 0.12, envelopeScore: -0.25, timestampMs: 1_741_348_800_500 };
  const json = forewarnerStatusJson(s);
  t.is(json, '{"date": "2026-01-05", "status": "ORANGE", "catastrophic_probability": 0.12, "envelope_score": -0.25, "timestamp": 1741348800.5}');
  t.deepEqual(parseForewarnerStatus(json), s);
  t.like(t.throws(() => parseForewarnerStatus(json.replace('0.12', '1.2')), { instanceOf: PayloadError }), {
    map: 'DOLPHIN_FEATURES',
    key: 'mc_forewarner_status',
    field: 'catastrophic_probability',
  });
});
