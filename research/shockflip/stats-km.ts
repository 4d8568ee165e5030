// Kaplan–Meier estimate of a survival curve. In the report the "death" is the first bar whose
// favourable excursion reaches the snap level; an event whose data or horizon runs out first is
// censored at its last observed bar (it survived at least that long).

export interface SurvivalObservation {
  /** bars until the event happened, or until the observation was censored (≥ 0) */
  time: number;
  /** true: the event happened at `time`; false: censored at `time` */
  event: boolean;
}

export interface SurvivalStep {
  time: number;
  /** at risk just before `time` */
  atRisk: number;
  events: number;
  censored: number;
  /** S(time): probability of surviving past `time` */
  survival: number;
}

/**
 * Product-limit estimate S(t) = Π_{t_i ≤ t} (1 − d_i / n_i), one step per distinct time with an event
 * or a censoring. Censorings at a time count as at risk for that time's events (the usual convention:
 * censored at t means observed through t). The first step is time 0 with S = 1.
 */
export function kaplanMeier(observations: readonly SurvivalObservation[]): SurvivalStep[] {
  for (const o of observations) {
    if (!(o.time >= 0) || !Number.isFinite(o.time)) throw new RangeError(`survival time must be finite and ≥ 0, got ${o.time}`);
  }
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const o of observations) {
    const cell = byTime.get(o.time) ?? { events: 0, censored: 0 };
    if (o.event) cell.events++;
    else cell.censored++;
    byTime.set(o.time, cell);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const steps: SurvivalStep[] = [{ time: 0, atRisk: observations.length, events: 0, censored: 0, survival: 1 }];
  let atRisk = observations.length;
  let s = 1;
  for (const t of times) {
    const { events, censored } = byTime.get(t)!;
    if (atRisk > 0) s *= 1 - events / atRisk;
    const step = { time: t, atRisk, events, censored, survival: s };
    if (t === 0) steps[0] = step;
    else steps.push(step);
    atRisk -= events + censored;
  }
  return steps;
}
