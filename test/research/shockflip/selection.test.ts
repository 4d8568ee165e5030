import test from 'ava';
import { bhAdjust } from '../../../research/shockflip/stats-fdr.ts';
import { runSelection, type SelectionEvent } from '../../../research/shockflip/selection.ts';
import { ShockflipOptionError } from '../../../research/shockflip/zombie-options.ts';

/** Deterministic uniform [0, 1) stream (LCG), so the fixture needs no seed library. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Six months × 200 events. div_score's top decile always snaps, the rest snap half the time; the
 * other two features are noise. Months 5 and 6 are out of sample.
 */
function planted(edge = true): SelectionEvent[] {
  const rnd = lcg(42);
  const out: SelectionEvent[] = [];
  for (let m = 0; m < 6; m++) {
    for (let i = 0; i < 200; i++) {
      const div = rnd();
      const base = rnd() < 0.5 ? 1 : 0;
      out.push({
        ts: Date.UTC(2024, m, 1) + i * 3_600_000,
        did_snap: edge && div > 0.9 ? 1 : base,
        features: { div_score: div, z_velocity: rnd(), flow_z: rnd() * 4 - 2 },
      });
    }
  }
  return out;
}

test('a planted top-decile lift is selected in both OOS months; noise features are not', (t) => {
  const r = runSelection(planted());
  t.deepEqual(r.oosMonths, ['2024-05', '2024-06']);
  t.is(r.inSampleEnd, '2024-05-01T00:00:00.000Z');
  const div = r.features.find((f) => f.feature === 'div_score')!;
  t.is(div.bucket, 9);
  t.true(div.inSample.bucketSnapRate === 1);
  t.is(div.significantMonths, 2);
  for (const m of div.months) {
    t.is(m.table.a + m.table.b + m.table.c + m.table.d, 200);
    t.true(m.q < 0.05 && m.lift > 1.5);
    t.true(m.q >= m.p);
  }
  t.deepEqual(r.verdict, { step: 3, passed: true, selected: ['div_score'], reasons: [] });
});

test('without an edge nothing is selected and Step 3 fails with a reason per feature', (t) => {
  const r = runSelection(planted(false));
  t.false(r.verdict.passed);
  t.deepEqual(r.verdict.selected, []);
  t.is(r.verdict.reasons.length, 4);
});

test('buckets are fitted in-sample only: changing OOS feature values leaves the cut points alone', (t) => {
  const events = planted();
  const a = runSelection(events);
  const shifted = events.map((e) => (e.ts >= Date.UTC(2024, 4, 1) ? { ...e, features: { ...e.features, div_score: e.features.div_score * 100 } } : e));
  const b = runSelection(shifted);
  t.deepEqual(a.features.map((f) => f.cuts), b.features.map((f) => f.cuts));
});

test('BH family: per month adjusts over the features, "all" over every feature × month test', (t) => {
  const per = runSelection(planted());
  const all = runSelection(planted(), { fdrFamily: 'all' });
  const p = per.features.map((f) => f.months.map((m) => m.p));
  t.deepEqual(all.features.map((f) => f.months.map((m) => m.p)), p);
  const flat = bhAdjust(p.flat());
  t.deepEqual(all.features.map((f) => f.months.map((m) => m.q)).flat(), flat);
  for (let j = 0; j < 2; j++) {
    t.deepEqual(per.features.map((f) => f.months[j].q), bhAdjust(p.map((row) => row[j])));
  }
});

test('a bucket needs min_events_per_bucket in-sample events; too few months is refused', (t) => {
  const r = runSelection(planted(), { minEventsPerBucket: 1000 });
  t.true(r.features.every((f) => f.bucket === -1 && f.note.startsWith('no in-sample bucket')));
  t.true(r.features.every((f) => f.months.every((m) => Number.isNaN(m.p))));
  t.false(r.verdict.passed);
  const twoMonths = planted().filter((e) => e.ts >= Date.UTC(2024, 4, 1));
  t.throws(() => runSelection(twoMonths), { instanceOf: ShockflipOptionError, message: /needs in-sample months/ });
  t.throws(() => runSelection(planted(), { oosMonths: ['2024-06'] }), { instanceOf: ShockflipOptionError });
});

test('explicit OOS months: the in-sample period ends at the first of them', (t) => {
  const r = runSelection(planted(), { oosMonths: ['2024-06', '2024-04'] });
  t.deepEqual(r.oosMonths, ['2024-04', '2024-06']);
  t.is(r.inSampleEnd, '2024-04-01T00:00:00.000Z');
  t.deepEqual(r.verdict.selected, ['div_score']);
});
