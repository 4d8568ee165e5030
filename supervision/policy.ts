// OTP-like restart intensity: at most maxRestarts within periodMs, else escalate; the delay before a
// restart grows exponentially with the restarts still inside the period. Pure bookkeeping.

export interface RestartPolicy {
  maxRestarts: number;
  periodMs: number;
  backoffInitialMs: number;
  backoffFactor: number;
  backoffMaxMs: number;
}

export const DEFAULT_POLICY: RestartPolicy = {
  maxRestarts: 5,
  periodMs: 60_000,
  backoffInitialMs: 50,
  backoffFactor: 2,
  backoffMaxMs: 5_000,
};

export type RestartDecision = { action: 'restart'; delayMs: number; recent: number } | { action: 'escalate'; recent: number };

export class RestartWindow {
  private times: number[] = [];

  constructor(private readonly policy: RestartPolicy) {}

  /** Records a failure at `now` and decides what to do about it. */
  onFailure(now: number): RestartDecision {
    const p = this.policy;
    this.times = this.times.filter((t) => now - t < p.periodMs);
    this.times.push(now);
    const recent = this.times.length;
    if (recent > p.maxRestarts) return { action: 'escalate', recent };
    const delayMs = Math.min(p.backoffMaxMs, p.backoffInitialMs * p.backoffFactor ** (recent - 1));
    return { action: 'restart', delayMs, recent };
  }
}
