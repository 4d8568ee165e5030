// The blueprint's order is a gate: "Meta-model (Step 4): only train after 1–3 pass". The meta-model
// takes the three earlier verdicts as input and refuses, naming each failed step, unless all passed.

export interface StepOutcome {
  passed: boolean;
  /** what the step's own report said, shown in the refusal */
  reasons?: readonly string[];
  /** where the verdict came from (a file path), for the refusal message */
  source?: string;
}

export interface MetaModelGate {
  /** physics check: diamond snap rate ≥ 85 % in-sample and holdout (bootstrap_snap_ci.json) */
  step1: StepOutcome;
  /** hygiene: the zombie exit lifts PF by ≥ 0.15 at ≥ 20 trades/month */
  step2: StepOutcome;
  /** selection: divergence context significant after FDR in ≥ 2 OOS months */
  step3: StepOutcome;
}

const NAMES = { 1: 'Step 1 (physics check)', 2: 'Step 2 (zombie exit / hygiene)', 3: 'Step 3 (selection)' } as const;

export class StepGateError extends Error {
  override readonly name = 'StepGateError';
  readonly failed: readonly (1 | 2 | 3)[];

  constructor(failed: readonly (1 | 2 | 3)[], gate: MetaModelGate) {
    const lines = failed.map((k) => {
      const s = gate[`step${k}`];
      const from = s.source === undefined ? '' : ` [${s.source}]`;
      const why = s.reasons !== undefined && s.reasons.length > 0 ? `: ${s.reasons.join('; ')}` : '';
      return `${NAMES[k]} did not pass${from}${why}`;
    });
    super(`meta-model refused: the blueprint allows training only after Steps 1–3 pass.\n${lines.join('\n')}`);
    this.failed = failed;
  }
}

export function assertGate(gate: MetaModelGate): void {
  const failed = ([1, 2, 3] as const).filter((k) => gate[`step${k}`].passed !== true);
  if (failed.length > 0) throw new StepGateError(failed, gate);
}
