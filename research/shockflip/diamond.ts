// Diamond Hunter (docs/shockflip.md §Diamond hunter): snap rate of ShockFlip events by relative-volume
// bucket, the rel_vol percentiles that define the diamond filter, and the physics check — is the
// diamond subset's snap probability ≥ 85 % on the in-sample months and again on the holdout months,
// with seeded bootstrap intervals.
import { bootstrapMean, type BootstrapResult } from './bootstrap.ts';
import { csvText } from './csv.ts';
import type { EventRow } from './events.ts';
import type { DiamondFilterParams, PhysicsCheckParams } from './params.ts';
import { percentile, percentileSorted, sortedFinite } from './quantile.ts';

export interface CandidateRow {
  bucket: string;
  n: number;
  snap_rate: number;
  /** snap_rate / baseline snap rate */
  lift_vs_baseline: number;
  /** rel_vol range of the bucket: (lo, hi] for deciles (the lowest decile includes lo), [lo, ∞) for filters */
  rel_vol_lo: number;
  rel_vol_hi: number;
  meets_min_n: boolean;
}

export const CANDIDATE_COLUMNS = ['bucket', 'n', 'snap_rate', 'lift_vs_baseline', 'rel_vol_lo', 'rel_vol_hi', 'meets_min_n'] as const satisfies readonly (keyof CandidateRow)[];

function snapRate(events: readonly EventRow[]): number {
  if (events.length === 0) return NaN;
  let s = 0;
  for (const e of events) s += e.did_snap;
  return s / events.length;
}

/**
 * Buckets as pandas' qcut(rel_vol, k): edges at the 0, 100/k, … 100th percentiles; bucket j holds
 * edges[j] < x ≤ edges[j+1], the first also x = edges[0]. Events without a rel_vol are in none.
 */
export function relVolBuckets(events: readonly EventRow[], k: number): { edges: number[]; bucketOf: (x: number) => number } {
  const sorted = sortedFinite(events.map((e) => e.rel_vol));
  const edges = Array.from({ length: k + 1 }, (_, j) => percentileSorted(sorted, (100 * j) / k));
  const bucketOf = (x: number): number => {
    if (!(x >= edges[0] && x <= edges[k])) return -1;
    let j = 0;
    while (j < k - 1 && x > edges[j + 1]) j++;
    return j;
  };
  return { edges, bucketOf };
}

export interface CandidateTable {
  rows: CandidateRow[];
  baselineSnapRate: number;
  /** rel_vol percentile → value, e.g. {80: 5.894, 90: 7.7379} */
  percentiles: Record<string, number>;
}

/** diamond_candidates.csv: baseline, the k rel_vol buckets, then one row per rel_vol ≥ filter. */
export function candidateTable(
  events: readonly EventRow[],
  check: Pick<PhysicsCheckParams, 'rel_vol_buckets' | 'rel_vol_percentiles'>,
  filter: Pick<DiamondFilterParams, 'rel_vol_threshold' | 'min_events_per_bucket'>,
): CandidateTable {
  const base = snapRate(events);
  const minN = filter.min_events_per_bucket;
  const row = (bucket: string, sel: readonly EventRow[], lo: number, hi: number): CandidateRow => {
    const r = snapRate(sel);
    return { bucket, n: sel.length, snap_rate: r, lift_vs_baseline: r / base, rel_vol_lo: lo, rel_vol_hi: hi, meets_min_n: sel.length >= minN };
  };
  const rows: CandidateRow[] = [row('baseline', events, -Infinity, Infinity)];
  const k = check.rel_vol_buckets;
  const { edges, bucketOf } = relVolBuckets(events, k);
  const groups: EventRow[][] = Array.from({ length: k }, () => []);
  for (const e of events) {
    const j = bucketOf(e.rel_vol);
    if (j >= 0) groups[j].push(e);
  }
  for (let j = 0; j < k; j++) rows.push(row(`decile_${j}`, groups[j], edges[j], edges[j + 1]));
  const percentiles: Record<string, number> = {};
  for (const q of check.rel_vol_percentiles) {
    const v = percentile(events.map((e) => e.rel_vol), q);
    percentiles[String(q)] = v;
    rows.push(row(`rel_vol>=p${q}`, events.filter((e) => e.rel_vol >= v), v, Infinity));
  }
  rows.push(row('rel_vol>=threshold', events.filter((e) => e.rel_vol >= filter.rel_vol_threshold), filter.rel_vol_threshold, Infinity));
  return { rows, baselineSnapRate: base, percentiles };
}

export function candidatesCsv(rows: readonly CandidateRow[]): string {
  return csvText(CANDIDATE_COLUMNS, rows.map((r) => CANDIDATE_COLUMNS.map((c) => r[c])));
}

/** "YYYY-MM" (UTC) of an event's entry. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

export interface PeriodCheck {
  months: string[];
  baseline: BootstrapResult;
  diamond: BootstrapResult;
  /** null when the period cannot be judged (no months, or fewer diamonds than min_events_per_bucket) */
  passed: boolean | null;
  reason: string;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface PhysicsCheck {
  threshold: number;
  thresholdSource: DiamondFilterParams['threshold_source'];
  full: { baseline: BootstrapResult; diamond: BootstrapResult };
  inSample: PeriodCheck;
  holdout: PeriodCheck;
  verdict: Verdict;
  reasons: string[];
}

/**
 * The blueprint's Step 1: split the events by UTC month (the last `holdout_months` months are the
 * holdout), fix the diamond threshold (the config's, or the in-sample 90th percentile of rel_vol —
 * never estimated on the holdout), bootstrap baseline and diamond snap rates per period, and judge
 * each period by `pass_rule` against `target_snap_rate`. pass needs both periods to pass; fail when
 * a judged period fails; otherwise inconclusive.
 */
export function physicsCheck(events: readonly EventRow[], check: PhysicsCheckParams, filter: DiamondFilterParams): PhysicsCheck {
  const months = [...new Set(events.map((e) => monthOf(e.entry_ts)))].sort();
  const split = Math.max(0, months.length - check.holdout_months);
  const inMonths = new Set(months.slice(0, split));
  const holdMonths = new Set(months.slice(split));
  const inSample = events.filter((e) => inMonths.has(monthOf(e.entry_ts)));
  const holdout = events.filter((e) => holdMonths.has(monthOf(e.entry_ts)));
  const threshold = filter.threshold_source === 'config' ? filter.rel_vol_threshold : percentile(inSample.map((e) => e.rel_vol), 90);

  const boot = (sel: readonly EventRow[]): BootstrapResult =>
    bootstrapMean(sel.map((e) => e.did_snap), check.bootstrap_resamples, check.bootstrap_seed, check.ci_level);
  const isDiamond = (e: EventRow): boolean => e.rel_vol >= threshold;

  const period = (sel: readonly EventRow[], ms: Set<string>, name: string): PeriodCheck => {
    const diamond = boot(sel.filter(isDiamond));
    const baseline = boot(sel);
    const base = { months: [...ms], baseline, diamond };
    if (ms.size === 0) return { ...base, passed: null, reason: `${name}: no months` };
    if (!Number.isFinite(threshold)) return { ...base, passed: null, reason: `${name}: no diamond threshold (no in-sample rel_vol)` };
    if (diamond.n < filter.min_events_per_bucket) {
      return { ...base, passed: null, reason: `${name}: ${diamond.n} diamond events, fewer than min_events_per_bucket ${filter.min_events_per_bucket}` };
    }
    const value = check.pass_rule === 'point' ? diamond.mean : check.pass_rule === 'ci_upper' ? diamond.upper : diamond.lower;
    const passed = value >= check.target_snap_rate;
    const label = check.pass_rule === 'point' ? 'snap rate' : check.pass_rule === 'ci_upper' ? 'CI upper' : 'CI lower';
    return { ...base, passed, reason: `${name}: diamond ${label} ${value.toFixed(4)} ${passed ? '≥' : '<'} ${check.target_snap_rate} (n = ${diamond.n})` };
  };

  const inCheck = period(inSample, inMonths, 'in-sample');
  const holdCheck = period(holdout, holdMonths, 'holdout');
  const judged = [inCheck.passed, holdCheck.passed];
  const verdict: Verdict = judged.includes(false) ? 'fail' : judged.every((x) => x === true) ? 'pass' : 'inconclusive';
  return {
    threshold,
    thresholdSource: filter.threshold_source,
    full: { baseline: boot(events), diamond: boot(events.filter(isDiamond)) },
    inSample: inCheck,
    holdout: holdCheck,
    verdict,
    reasons: [inCheck.reason, holdCheck.reason],
  };
}

function ciFields(prefix: string, r: BootstrapResult): Record<string, number> {
  return { [`${prefix}_snap_rate`]: r.mean, [`${prefix}_CI_lower`]: r.lower, [`${prefix}_CI_upper`]: r.upper, [`${prefix}_n`]: r.n };
}

/** bootstrap_snap_ci.json: the blueprint's six fields (full sample) first, then the periods and the verdict. */
export function bootstrapJson(pc: PhysicsCheck, check: PhysicsCheckParams, percentiles: Record<string, number>): Record<string, unknown> {
  const period = (p: PeriodCheck): Record<string, unknown> => ({
    months: p.months, ...ciFields('baseline', p.baseline), ...ciFields('diamond', p.diamond), passed: p.passed, reason: p.reason,
  });
  const rel: Record<string, number> = {};
  for (const [q, v] of Object.entries(percentiles)) rel[`rel_vol_${q}`] = v;
  return {
    ...ciFields('baseline', pc.full.baseline),
    ...ciFields('diamond', pc.full.diamond),
    ...rel,
    diamond_threshold: pc.threshold,
    threshold_source: pc.thresholdSource,
    target_snap_rate: check.target_snap_rate,
    pass_rule: check.pass_rule,
    resamples: check.bootstrap_resamples,
    seed: check.bootstrap_seed,
    ci_level: check.ci_level,
    in_sample: period(pc.inSample),
    holdout: period(pc.holdout),
    verdict: pc.verdict,
    reasons: pc.reasons,
  };
}
