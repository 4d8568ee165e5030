// The exact strings our payload encoders write for the bible's payloads, pinned against Python's
// json.dumps of the same dicts (Python 3, default arguments). The expected strings were produced once
// with python3 (not available in CI) by the line quoted above each case, and pasted here as literals.
// Inputs are written as the same expressions Python evaluated, so both sides start from the same double.
// Cases already pinned by payloads.test.ts / py-json.test.ts are not repeated: these add the floats
// that change shape (17 digits, exponent form, -0.0, integral floats, tiny Cat5) inside each payload.
import test from 'ava';
import { obQualityJson } from '../../actors/ob-quality.ts';
import { featureJson } from '../../store/feature-router.ts';
import { acbBoostJson, pnlDayJson, postureJson } from '../../store/payloads.ts';

// ---- §16.1 acb_boost: {"boost": base_boost, "beta": beta}, base_boost = 1 + 0.5·log1p(signals) (§10.2) ----

// python3 -c 'import json, math; print(json.dumps({"boost": 1.0 + 0.5 * math.log1p(2.0), "beta": 0.2}))'
test('acb_boost for 2 signals and BETA_LOW prints as Python prints it', (t) => {
  t.is(acbBoostJson({ boost: 1.5493061443340548, beta: 0.2 }), '{"boost": 1.5493061443340548, "beta": 0.2}');
});

// python3 -c 'import json, math; print(json.dumps({"boost": 1.0 + 0.5 * math.log1p(2.5), "beta": 0.8}))'
test('acb_boost for 2.5 signals and BETA_HIGH prints as Python prints it', (t) => {
  t.is(acbBoostJson({ boost: 1.626381484247684, beta: 0.8 }), '{"boost": 1.626381484247684, "beta": 0.8}');
});

// python3 -c 'import json, math; print(json.dumps({"boost": 1.0 + 0.5 * math.log1p(3.0), "beta": 0.0}))'
test('acb_boost with beta 0 prints beta as the float 0.0', (t) => {
  t.is(acbBoostJson({ boost: 1.6931471805599454, beta: 0 }), '{"boost": 1.6931471805599454, "beta": 0.0}');
});

// ---- §11 / §14.4 posture (DOLPHIN_SAFETY) ----

// python3 -c 'import json, math; cat5 = 1 / (1 + math.exp(30 * (0.6 - 0.12)));
//   print(json.dumps({"posture": "STALKER", "Rm": 0.3 + 0.7 * 0.85, "breakdown": {"Cat1": 1.0, "Cat2": 0.5,
//   "Cat3": 0.3 + 0.7 * 0.85, "Cat4": 0.3, "Cat5": cat5}, "timestamp": 1741348812345 / 1000}))'
test('posture with a breakdown, an exponent-form Cat5 and a millisecond timestamp prints as Python prints it', (t) => {
  const cat3 = 0.3 + 0.7 * 0.85;
  t.is(
    postureJson({
      posture: 'STALKER',
      rm: cat3,
      breakdown: { cat1: 1, cat2: 0.5, cat3, cat4: 0.3, cat5: 5.5739005858561e-7 },
      timestampMs: 1741348812345,
    }),
    '{"posture": "STALKER", "Rm": 0.895, "breakdown": {"Cat1": 1.0, "Cat2": 0.5, "Cat3": 0.895, "Cat4": 0.3, "Cat5": 5.5739005858561e-07}, "timestamp": 1741348812.345}',
  );
});

// python3 -c 'import json; print(json.dumps({"posture": "HIBERNATE", "Rm": 0.0, "timestamp": 1741305600000 / 1000}))'
test('posture HIBERNATE with Rm 0 and a whole-second timestamp prints both as floats', (t) => {
  t.is(
    postureJson({ posture: 'HIBERNATE', rm: 0, timestampMs: 1741305600000 }),
    '{"posture": "HIBERNATE", "Rm": 0.0, "timestamp": 1741305600.0}',
  );
});

// ---- §14.5 day result (DOLPHIN_PNL_BLUE / _GREEN) ----

// python3 -c 'import json, math; print(json.dumps({"date": "2026-01-06", "pnl": -0.1 - 0.2,
//   "capital": 25000 - 0.1 - 0.2, "boost": 1.0 + 0.5 * math.log1p(2.0), "beta": 0.2, "mc_status": "RED",
//   "trades": 12, "posture": "TURTLE", "bars": 17280}))'
test('day result with 17-digit pnl and a 2-signal boost prints as Python prints it', (t) => {
  t.is(
    pnlDayJson(
      { date: '2026-01-06', pnl: -0.1 - 0.2, capital: 25000 - 0.1 - 0.2, boost: 1.5493061443340548, beta: 0.2, mcStatus: 'RED', trades: 12, posture: 'TURTLE', bars: 17280 },
      'DOLPHIN_PNL_BLUE',
    ),
    '{"date": "2026-01-06", "pnl": -0.30000000000000004, "capital": 24999.7, "boost": 1.5493061443340548, "beta": 0.2, "mc_status": "RED", "trades": 12, "posture": "TURTLE", "bars": 17280}',
  );
});

// python3 -c 'import json; print(json.dumps({"date": "2026-01-07", "pnl": -0.0, "capital": 1e16, "boost": 1.0,
//   "beta": 0.8, "mc_status": "OK", "trades": 0, "posture": "APEX", "bars": 0}))'
test('day result with pnl -0.0 and capital 1e16 keeps the sign and the exponent form', (t) => {
  t.is(
    pnlDayJson({ date: '2026-01-07', pnl: -0, capital: 1e16, boost: 1, beta: 0.8, mcStatus: 'OK', trades: 0, posture: 'APEX', bars: 0 }, 'DOLPHIN_PNL_GREEN'),
    '{"date": "2026-01-07", "pnl": -0.0, "capital": 1e+16, "boost": 1.0, "beta": 0.8, "mc_status": "OK", "trades": 0, "posture": "APEX", "bars": 0}',
  );
});

// python3 -c 'import json; print(json.dumps({"date": "2026-01-08", "pnl": 0.00001, "capital": 123456789012345.0,
//   "boost": 1.0, "beta": 0.2, "mc_status": "ORANGE", "trades": 1, "posture": "STALKER", "bars": 1}))'
test('day result with pnl 1e-05 and a 15-digit integral capital prints as Python prints it', (t) => {
  t.is(
    pnlDayJson({ date: '2026-01-08', pnl: 0.00001, capital: 123456789012345, boost: 1, beta: 0.2, mcStatus: 'ORANGE', trades: 1, posture: 'STALKER', bars: 1 }, 'DOLPHIN_PNL_BLUE'),
    '{"date": "2026-01-08", "pnl": 1e-05, "capital": 123456789012345.0, "boost": 1.0, "beta": 0.2, "mc_status": "ORANGE", "trades": 1, "posture": "STALKER", "bars": 1}',
  );
});

// ---- §9 / §15.2 OB feature values in the shard maps (json.dumps(float(x))) ----

// Values typical of §9.1 (imbalance, a count stored as float, tiny withdrawal velocities); the float-repr
// rules themselves are pinned in py-json.test.ts, this pins that the feature encoder writes floats.
// python3 -c 'import json; [print(json.dumps(x)) for x in [-0.1234, 0.0, 12.0, 5e-7, 2.0/3.0, -1.5e-10]]'
const featureValues: Array<[number, string]> = [
  [-0.1234, '-0.1234'],
  [0, '0.0'],
  [12, '12.0'],
  [5e-7, '5e-07'],
  [2 / 3, '0.6666666666666666'],
  [-1.5e-10, '-1.5e-10'],
];
for (const [x, expected] of featureValues) {
  test(`OB feature value ${expected} is stored as Python's json.dumps(float) writes it`, (t) => {
    t.is(featureJson(x), expected);
  });
}

// python3 -c 'import json; print(json.dumps({"stale": False, "fresh_fraction": 4 / 5, "depth_quality": 1.25,
//   "fill_probability": 50 / 81, "timestamp": 1741348812345 / 1000}))'
test('ob_quality prints booleans as true/false and its ratios as Python floats', (t) => {
  t.is(
    obQualityJson({ stale: false, freshFraction: 4 / 5, depthQuality: 1.25, fillProbability: 50 / 81, timestampMs: 1741348812345 }),
    '{"stale": false, "fresh_fraction": 0.8, "depth_quality": 1.25, "fill_probability": 0.6172839506172839, "timestamp": 1741348812.345}',
  );
});

// python3 -c 'import json; print(json.dumps({"stale": True, "fresh_fraction": 0.0, "depth_quality": 0.0,
//   "fill_probability": 0.0, "timestamp": 1741348800000 / 1000}))'
test('a stale ob_quality prints its zero ratios as 0.0', (t) => {
  t.is(
    obQualityJson({ stale: true, freshFraction: 0, depthQuality: 0, fillProbability: 0, timestampMs: 1741348800000 }),
    '{"stale": true, "fresh_fraction": 0.0, "depth_quality": 0.0, "fill_probability": 0.0, "timestamp": 1741348800.0}',
  );
});
