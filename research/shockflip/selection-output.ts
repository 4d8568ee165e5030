// Files of `dolphin research select`: one row per feature × OOS month (selection_report.csv) and the
// summary with the Step-3 verdict (selection_summary.json).
import { csvText } from './csv.ts';
import type { SelectionReport } from './selection.ts';

export const SELECTION_COLUMNS = [
  'feature', 'bucket', 'bucket_lo', 'bucket_hi', 'is_n', 'is_snap_rate', 'is_bucket_n', 'is_bucket_snap_rate', 'month',
  'in_snap', 'in_n', 'out_snap', 'out_n', 'in_rate', 'out_rate', 'lift', 'p', 'q_bh', 'significant', 'selected',
] as const;

export function selectionCsv(s: SelectionReport): string {
  const rows = s.features.flatMap((f) => f.months.map((m) => [
    f.feature, f.bucket, f.range?.[0] ?? null, f.range?.[1] ?? null, f.inSample.n, f.inSample.snapRate, f.inSample.bucketN, f.inSample.bucketSnapRate,
    m.month, m.table.a, m.table.a + m.table.b, m.table.c, m.table.c + m.table.d, m.insideRate, m.outsideRate, m.lift, m.p, m.q, m.significant, f.selected,
  ]));
  return csvText(SELECTION_COLUMNS, rows);
}

export function selectionSummary(s: SelectionReport): Record<string, unknown> {
  return {
    verdict: s.verdict,
    in_sample_end: s.inSampleEnd,
    oos_months: s.oosMonths,
    features: s.features.map((f) => ({ feature: f.feature, bucket: f.bucket, range: f.range, significant_months: f.significantMonths, selected: f.selected, note: f.note })),
    options: s.options,
  };
}
