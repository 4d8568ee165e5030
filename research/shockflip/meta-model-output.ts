// Files of `dolphin research meta-model`: the summary with folds, OOS result and acceptance
// (meta_model_summary.json), the model itself (meta_model.json: trees to score live events with),
// the partial dependence (meta_model_pd.csv) and the extracted rules (meta_model_rules.csv).
import { csvText } from './csv.ts';
import type { MetaModelReport } from './meta-model.ts';

export function metaModelSummary(m: MetaModelReport): Record<string, unknown> {
  return {
    acceptance: m.acceptance,
    samples: m.samples,
    threshold: m.threshold,
    oos: m.oos,
    folds: m.folds,
    monotonicity: m.monotonicity,
    gain: m.gain,
    shap_mean_abs: m.shap,
    options: m.options,
  };
}

export function metaModelPdCsv(m: MetaModelReport): string {
  return csvText(['feature', 'value', 'pd'], m.partialDependence.flatMap((p) => p.grid.map((v, i) => [p.feature, v, p.pd[i]])));
}

export function metaModelRulesCsv(m: MetaModelReport): string {
  return csvText(['rank', 'rule', 'value', 'cover', 'trees'], m.rules.map((r, k) => [k + 1, r.conditions, r.value, r.cover, r.trees.join(' ')]));
}
