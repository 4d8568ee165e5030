// The whole pipeline on the seeded simulator, where the truth is known: with planted hedge flows the
// evidence package says VALIDATED; with the same option flow and nobody hedging, REJECTED.
import test from 'ava';
import { buildEvidence } from '../../../research/volume-shock/evidence.ts';
import { simulate, type SimMode } from '../../../research/volume-shock/simulator.ts';
import { runStudy } from '../../../research/volume-shock/study.ts';
import { paramsWith, SMALL_SIM } from './helpers.ts';

const params = paramsWith(SMALL_SIM);
const sim = (mode: SimMode, seed = 4) => simulate({ sim: params.simulator, mode, seed, contractMultiplier: 100, referencePrice: 2700 });
const evidence = (mode: SimMode) => {
  const s = sim(mode);
  return buildEvidence(runStudy({ source: 'sim', updates: s.updates, ticks: s.ticks }, params), params, { granularity: 'minute', notes: [], inputs: {} });
};

test('planted hedge flows: VALIDATED, with the delta-flow R² and the inverse response-time correlation the seed hypothesises', (t) => {
  const e = evidence('planted');
  t.is(e.experimental_validity, 'VALIDATED');
  t.true(e.statistical_measures.sample_size >= 50);
  t.true(e.hypothesis_validation.delta_flow_correlation.hypothesis_supported, `R² ${e.hypothesis_validation.delta_flow_correlation.correlation_coefficient}`);
  t.true(e.hypothesis_validation.response_time_correlation.hypothesis_supported, `r ${e.hypothesis_validation.response_time_correlation.correlation_coefficient}`);
  t.true(e.hedging_flow_validation.overall_direction_accuracy! > 0.9);
});

test('pure noise (the same option flow, nobody hedges): REJECTED, with a win rate near a coin\'s', (t) => {
  const e = evidence('noise');
  t.is(e.experimental_validity, 'REJECTED');
  const [lo, hi] = e.performance_metrics.win_rate_confidence_interval;
  t.true(lo! < 0.5 + 0.05 && hi! > 0.5 - 0.05, `CI [${lo}, ${hi}]`);
  t.true(e.statistical_measures.p_value! > 0.01);
});

test('the simulator is seeded: the same seed gives the same market, another seed another', (t) => {
  const a = sim('planted', 8);
  const b = sim('planted', 8);
  t.deepEqual(a.truth, b.truth);
  t.deepEqual(a.ticks.slice(-3), b.ticks.slice(-3));
  t.notDeepEqual(sim('planted', 9).ticks.slice(-3), a.ticks.slice(-3));
});

test('noise mode plants the same kind of option flow but no hedge', (t) => {
  const s = sim('noise');
  t.true(s.truth.length > 50);
  t.true(s.truth.every((f) => f.hedgeQuantity === 0 && f.impactPoints === 0));
  t.true(sim('planted').truth.every((f) => f.hedgeQuantity === f.customerDelta));
});

test('no planted flow in the warm-up days, which build the baseline', (t) => {
  const s = sim('planted');
  const firstTraded = s.ticks[params.simulator.warmup_days * (params.simulator.session_minutes + 1)].time;
  t.true(s.truth.every((f) => f.time >= firstTraded));
});
