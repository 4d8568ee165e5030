// Step 3 of the blueprint ("Selection"): does a divergence-context bucket raise the diamond snap
// rate out of sample? Per feature: quantile buckets and the best bucket are chosen on the in-sample
// events only (everything before the first OOS month), then in every OOS month the bucket's snap
// rate is tested against the rest of that month's events with Fisher's exact one-sided test (the
// exact conditional permutation test of lift), p-values are BH-adjusted across the features tested,
// and a feature is selected when its lift is significant in at least two OOS months.
import { bhAdjust } from './stats-fdr.ts';
import { fisherGreater, liftOf, type TwoByTwo } from './stats-fisher.ts';
import { monthIndexOfLabel, monthKey, monthStartMs } from './stats-months.ts';
import { bucketCuts, bucketOf } from './stats-quantile.ts';
import { selectionOptions, type SelectionOptions } from './selection-options.ts';
import { ShockflipOptionError } from './zombie-options.ts';

export interface SelectionEvent {
  ts: number;
  did_snap: 0 | 1;
  /** feature name → value (NaN = missing: the event is left out of that feature's test) */
  features: Readonly<Record<string, number>>;
}

export interface MonthTest {
  month: string;
  table: TwoByTwo;
  insideRate: number;
  outsideRate: number;
  lift: number;
  p: number;
  /** BH-adjusted p (NaN when the test could not be run) */
  q: number;
  significant: boolean;
}

export interface FeatureResult {
  feature: string;
  /** inner cut points fitted in-sample */
  cuts: number[];
  /** the chosen bucket (0 = lowest), -1 when no bucket had enough in-sample events */
  bucket: number;
  /** the chosen bucket's value range (lower exclusive, upper inclusive; ±Infinity at the ends) */
  range: [number, number] | null;
  inSample: { n: number; snapRate: number; bucketN: number; bucketSnapRate: number; lift: number };
  months: MonthTest[];
  significantMonths: number;
  selected: boolean;
  /** why the feature was not selected; empty when it was */
  note: string;
}

export interface Step3Verdict {
  step: 3;
  passed: boolean;
  selected: string[];
  reasons: string[];
}

export interface SelectionReport {
  options: SelectionOptions;
  inSampleEnd: string;
  oosMonths: string[];
  features: FeatureResult[];
  verdict: Step3Verdict;
}

/** The OOS months: the explicit list, or the last `oosMonthCount` months that have events. */
function chooseOosMonths(events: readonly SelectionEvent[], o: SelectionOptions): string[] {
  if (o.oosMonths !== null) return [...o.oosMonths].sort();
  const months = [...new Set(events.map((e) => monthKey(e.ts)))].sort();
  if (months.length <= o.oosMonthCount) {
    throw new ShockflipOptionError(`selection needs in-sample months before ${o.oosMonthCount} OOS months; the events cover ${months.length} month(s)${months.length > 0 ? `: ${months.join(', ')}` : ''}`);
  }
  return months.slice(-o.oosMonthCount);
}

function rateOf(values: readonly (0 | 1)[]): number {
  return values.length === 0 ? NaN : values.reduce<number>((a, b) => a + b, 0) / values.length;
}

/** Fits one feature in-sample: cut points and the best bucket with enough events. */
function fitFeature(feature: string, inSample: readonly SelectionEvent[], o: SelectionOptions): Omit<FeatureResult, 'months' | 'significantMonths' | 'selected' | 'note'> {
  const rows = inSample.filter((e) => e.features[feature] === e.features[feature]);
  const cuts = bucketCuts(rows.map((e) => e.features[feature]), o.buckets);
  const byBucket = new Map<number, (0 | 1)[]>();
  for (const e of rows) {
    const b = bucketOf(e.features[feature], cuts);
    byBucket.set(b, [...(byBucket.get(b) ?? []), e.did_snap]);
  }
  const overall = rateOf(rows.map((e) => e.did_snap));
  let best = -1;
  let bestRate = -Infinity;
  for (let b = 0; b <= cuts.length; b++) {
    const snaps = byBucket.get(b) ?? [];
    if (snaps.length < o.minEventsPerBucket) continue;
    const r = rateOf(snaps);
    if (r > bestRate) { best = b; bestRate = r; }
  }
  const bucketN = best < 0 ? 0 : (byBucket.get(best) ?? []).length;
  return {
    feature,
    cuts,
    bucket: best,
    range: best < 0 ? null : [best === 0 ? -Infinity : cuts[best - 1], best === cuts.length ? Infinity : cuts[best]],
    inSample: { n: rows.length, snapRate: overall, bucketN, bucketSnapRate: best < 0 ? NaN : bestRate, lift: best < 0 ? NaN : bestRate / overall },
  };
}

function monthTable(events: readonly SelectionEvent[], feature: string, cuts: readonly number[], bucket: number): TwoByTwo {
  const t = { a: 0, b: 0, c: 0, d: 0 };
  for (const e of events) {
    const x = e.features[feature];
    if (x !== x) continue;
    const inside = bucketOf(x, cuts) === bucket;
    if (inside) e.did_snap ? t.a++ : t.b++;
    else e.did_snap ? t.c++ : t.d++;
  }
  return t;
}

export function runSelection(events: readonly SelectionEvent[], input: Partial<SelectionOptions> = {}): SelectionReport {
  const o = selectionOptions(input);
  const oos = chooseOosMonths(events, o);
  const firstOos = monthStartMs(monthIndexOfLabel(oos[0]));
  const inSample = events.filter((e) => e.ts < firstOos);
  const fitted = o.features.map((f) => fitFeature(f, inSample, o));
  const byMonth = oos.map((m) => events.filter((e) => monthKey(e.ts) === m));
  const tables = fitted.map((f) => byMonth.map((evs) => (f.bucket < 0 ? null : monthTable(evs, f.feature, f.cuts, f.bucket))));
  // raw p per [feature][month]; NaN where the feature has no bucket to test (left out of BH's m)
  const p = tables.map((row) => row.map((t) => (t === null ? NaN : fisherGreater(t))));
  const q = adjust(p, o.fdrFamily);
  const features: FeatureResult[] = fitted.map((f, i) => {
    const months: MonthTest[] = oos.map((m, j) => {
      const table = tables[i][j] ?? { a: 0, b: 0, c: 0, d: 0 };
      const l = liftOf(table);
      const significant = q[i][j] < o.alpha && l.lift > 1;
      return { month: m, table, insideRate: l.inside, outsideRate: l.outside, lift: l.lift, p: p[i][j], q: q[i][j], significant };
    });
    const significantMonths = months.filter((m) => m.significant).length;
    const selected = significantMonths >= o.minSignificantMonths;
    const note = f.bucket < 0
      ? `no in-sample bucket with ≥ ${o.minEventsPerBucket} events (${f.inSample.n} in-sample events)`
      : selected ? '' : `significant in ${significantMonths} of ${oos.length} OOS months, needs ${o.minSignificantMonths}`;
    return { ...f, months, significantMonths, selected, note };
  });
  const selected = features.filter((f) => f.selected).map((f) => f.feature);
  return {
    options: o,
    inSampleEnd: new Date(firstOos).toISOString(),
    oosMonths: oos,
    features,
    verdict: {
      step: 3,
      passed: selected.length > 0,
      selected,
      reasons: selected.length > 0 ? [] : ['no divergence-context feature showed significant lift', ...features.map((f) => `${f.feature}: ${f.note}`)],
    },
  };
}

/** BH within each month's column of tests, or over all of them at once. */
function adjust(p: number[][], family: SelectionOptions['fdrFamily']): number[][] {
  if (p.length === 0) return [];
  const cols = p[0].length;
  if (family === 'all') {
    const flat = bhAdjust(p.flat());
    return p.map((row, i) => row.map((_, j) => flat[i * cols + j]));
  }
  const out = p.map((row) => row.map(() => NaN));
  for (let j = 0; j < cols; j++) {
    const q = bhAdjust(p.map((row) => row[j]));
    q.forEach((x, i) => { out[i][j] = x; });
  }
  return out;
}
