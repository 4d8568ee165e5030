// Profit factor and its comparison, shared by the zombie verdict (Step 2) and the meta-model's OOS
// acceptance (Step 4).

/** Σ gains / |Σ losses|; Infinity with gains and no loss; NaN with neither (no trades, or all flat). */
export function profitFactor(returns: readonly number[]): number {
  let gain = 0;
  let loss = 0;
  for (const r of returns) {
    if (r > 0) gain += r;
    else loss -= r;
  }
  if (loss === 0) return gain > 0 ? Infinity : NaN;
  return gain / loss;
}

/**
 * PF improvement with the infinities spelled out: a variant with no losing trade beats any finite
 * baseline; two infinite PFs (no loss either way) show no measurable improvement.
 */
export function pfImprovement(baseline: number, variant: number): number {
  if (variant === Infinity && baseline === Infinity) return 0;
  return variant - baseline;
}

