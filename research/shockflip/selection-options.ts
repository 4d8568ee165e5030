// Options of the Step-3 selection check (divergence context). Defaults follow the blueprint: deciles,
// at least 15 events behind a bucket, p < 0.05 after FDR, at least two non-overlapping OOS months.
import { ShockflipOptionError } from './zombie-options.ts';

export interface SelectionOptions {
  /** event columns tested as context (each bucketed into quantile buckets) */
  features: string[];
  /** quantile buckets per feature (10 = the blueprint's deciles) */
  buckets: number;
  /** in-sample events a bucket needs before it can be chosen (diamond_filter.min_events_per_bucket) */
  minEventsPerBucket: number;
  /** explicit OOS months ("YYYY-MM"); null = the last `oosMonthCount` months that have events */
  oosMonths: string[] | null;
  oosMonthCount: number;
  /** months in which a feature must show significant lift */
  minSignificantMonths: number;
  /** FDR level: BH-adjusted p must be below it */
  alpha: number;
  /** BH family: the features tested in one OOS month, or every feature × month test together */
  fdrFamily: 'per_month' | 'all';
}

export const DEFAULT_SELECTION_OPTIONS: SelectionOptions = {
  features: ['div_score', 'z_velocity', 'flow_z'],
  buckets: 10,
  minEventsPerBucket: 15,
  oosMonths: null,
  oosMonthCount: 2,
  minSignificantMonths: 2,
  alpha: 0.05,
  fdrFamily: 'per_month',
};

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function selectionOptions(input: Partial<SelectionOptions> = {}): SelectionOptions {
  const o = { ...DEFAULT_SELECTION_OPTIONS, ...input };
  const fail = (what: string, v: unknown): never => {
    throw new ShockflipOptionError(`${what}, got ${JSON.stringify(v)}`);
  };
  if (o.features.length === 0 || new Set(o.features).size !== o.features.length) fail('features must be a non-empty list without repeats', o.features);
  if (!Number.isInteger(o.buckets) || o.buckets < 2) fail('buckets must be an integer ≥ 2', o.buckets);
  if (!Number.isInteger(o.minEventsPerBucket) || o.minEventsPerBucket < 1) fail('minEventsPerBucket must be an integer ≥ 1', o.minEventsPerBucket);
  if (!Number.isInteger(o.minSignificantMonths) || o.minSignificantMonths < 1) fail('minSignificantMonths must be an integer ≥ 1', o.minSignificantMonths);
  if (o.oosMonths === null) {
    if (!Number.isInteger(o.oosMonthCount) || o.oosMonthCount < o.minSignificantMonths) fail('oosMonthCount must be an integer ≥ minSignificantMonths', o.oosMonthCount);
  } else {
    if (o.oosMonths.some((m) => !MONTH.test(m))) fail('oosMonths must be YYYY-MM months', o.oosMonths);
    if (new Set(o.oosMonths).size !== o.oosMonths.length) fail('oosMonths must not repeat a month', o.oosMonths);
    if (o.oosMonths.length < o.minSignificantMonths) fail('oosMonths must list at least minSignificantMonths months', o.oosMonths);
  }
  if (!(o.alpha > 0 && o.alpha < 1)) fail('alpha must be in (0, 1)', o.alpha);
  return o;
}
