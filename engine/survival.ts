// Survival stack (bible §11): five sensor categories → Rm ∈ [0, 1] → posture with hysteresis.
// Pure functions plus a small state machine the watchdog drives.
import type { McStatus, Posture } from './types.ts';

export interface SurvivalParams {
  heartbeat_max_age_s: number;
  staleness_grace_hours: number;
  staleness_tau_hours: number;
  dvol_recovery_tau_min: number;
  dd_sigmoid_k: number;
  dd_sigmoid_mid: number;
  degraded_below: number;
  collapse_penalty: number;
  recovery_alpha_per_min: number;
  recovery_max_step_per_min: number;
  apex_min: number;
  stalker_min: number;
  turtle_min: number;
  hysteresis_down: number;
  hysteresis_up: number;
}

export const SURVIVAL_DEFAULTS: SurvivalParams = {
  heartbeat_max_age_s: 30,
  staleness_grace_hours: 6,
  staleness_tau_hours: 3,
  dvol_recovery_tau_min: 60,
  dd_sigmoid_k: 30,
  dd_sigmoid_mid: 0.12,
  degraded_below: 0.8,
  collapse_penalty: 0.5,
  recovery_alpha_per_min: 0.02,
  recovery_max_step_per_min: 0.05,
  apex_min: 0.9,
  stalker_min: 0.75,
  turtle_min: 0.5,
  hysteresis_down: 2,
  hysteresis_up: 5,
};

export interface Sensors {
  hzNodes: number;
  heartbeatAgeS: number;
  mcStatus: McStatus;
  mcStalenessHours: number;
  obStale: boolean;
  depthQuality: number;
  fillProbability: number;
  /** minutes since the last DVOL spike; null when there never was one */
  minutesSinceDvolSpike: number | null;
  drawdown: number;
}

/** Cat1, the kill switch. */
export function cat1(s: Sensors, p: SurvivalParams): number {
  return s.hzNodes < 1 || s.heartbeatAgeS > p.heartbeat_max_age_s ? 0.0 : 1.0;
}

/** Cat2: MC status decayed exponentially after the grace period. */
export function cat2(s: Sensors, p: SurvivalParams): number {
  const base = s.mcStatus === 'OK' ? 1.0 : s.mcStatus === 'ORANGE' ? 0.5 : 0.1;
  return base * Math.exp(-Math.max(0, s.mcStalenessHours - p.staleness_grace_hours) / p.staleness_tau_hours);
}

/** Cat3: OB depth/fill quality; a stale book is 0.5. */
export function cat3(s: Sensors): number {
  if (s.obStale) return 0.5;
  const score = Math.min(s.depthQuality, s.fillProbability);
  return Math.min(Math.max(0.3 + 0.7 * score, 0.3), 1.0);
}

/** Cat4: DVOL spike impulse with a 60-minute recovery; no spike ever is 1.0. */
export function cat4(s: Sensors, p: SurvivalParams): number {
  const t = s.minutesSinceDvolSpike;
  if (t === null) return 1.0;
  if (t === 0) return 0.3;
  return 0.3 + 0.7 * (1 - Math.exp(-t / p.dvol_recovery_tau_min));
}

/** Cat5: sigmoid of drawdown, ≈1.0 at 5 %, 0.5 at 12 %, ≈0.1 at 20 %. */
export function cat5(s: Sensors, p: SurvivalParams): number {
  return 1 / (1 + Math.exp(p.dd_sigmoid_k * (s.drawdown - p.dd_sigmoid_mid)));
}

export interface RmBreakdown {
  cat1: number;
  cat2: number;
  cat3: number;
  cat4: number;
  cat5: number;
  degraded: number;
  rTarget: number;
}

/** §11.3 hierarchical combination with the correlated-collapse penalty. */
export function targetRm(s: Sensors, p: SurvivalParams): RmBreakdown {
  const c1 = cat1(s, p);
  const c2 = cat2(s, p);
  const c3 = cat3(s);
  const c4 = cat4(s, p);
  const c5 = cat5(s, p);
  const fEnvironment = Math.min(c2, c4);
  let r = c1 * c5 * fEnvironment * c3;
  const degraded = [c2, c3, c4].filter((x) => x < p.degraded_below).length;
  if (degraded >= 2) r *= p.collapse_penalty;
  return { cat1: c1, cat2: c2, cat3: c3, cat4: c4, cat5: c5, degraded, rTarget: r };
}

/** §11.4 fast attack, slow recovery; the first sample is taken as it is. */
export function boundedRecovery(rTarget: number, last: number | null, dtMin: number, p: SurvivalParams): number {
  if (last === null || rTarget < last) return rTarget;
  const alpha = Math.min(1.0, p.recovery_alpha_per_min * dtMin);
  const step = Math.min(alpha * (rTarget - last), p.recovery_max_step_per_min * dtMin);
  return last + step;
}

/** §11.5 (deliberately tight thresholds, §18.3). */
export function postureFor(rm: number, p: SurvivalParams): Posture {
  if (rm >= p.apex_min) return 'APEX';
  if (rm >= p.stalker_min) return 'STALKER';
  if (rm >= p.turtle_min) return 'TURTLE';
  return 'HIBERNATE';
}

const RANK: Record<Posture, number> = { APEX: 0, STALKER: 1, TURTLE: 2, HIBERNATE: 3 };

export interface SurvivalState {
  rm: number | null;
  posture: Posture | null;
  below: number;
  above: number;
}

export const INITIAL_SURVIVAL: SurvivalState = { rm: null, posture: null, below: 0, above: 0 };

export interface SurvivalStep {
  state: SurvivalState;
  rm: number;
  raw: Posture;
  posture: Posture;
  breakdown: RmBreakdown;
}

/**
 * One evaluation. Hysteresis counts consecutive evaluations whose raw posture is worse (or
 * better) than the current one and, on reaching hysteresis_down (or _up), moves to the latest
 * raw posture. Cat1 = 0 forces HIBERNATE at once.
 */
export function survivalStep(state: SurvivalState, s: Sensors, dtMin: number, p: SurvivalParams): SurvivalStep {
  const breakdown = targetRm(s, p);
  const rm = boundedRecovery(breakdown.rTarget, state.rm, dtMin, p);
  const raw = postureFor(rm, p);
  let { posture, below, above } = state;
  if (posture === null || breakdown.cat1 === 0) {
    posture = breakdown.cat1 === 0 ? 'HIBERNATE' : raw;
    below = 0;
    above = 0;
  } else if (RANK[raw] > RANK[posture]) {
    below += 1;
    above = 0;
    if (below >= p.hysteresis_down) {
      posture = raw;
      below = 0;
    }
  } else if (RANK[raw] < RANK[posture]) {
    above += 1;
    below = 0;
    if (above >= p.hysteresis_up) {
      posture = raw;
      above = 0;
    }
  } else {
    below = 0;
    above = 0;
  }
  return { state: { rm, posture, below, above }, rm, raw, posture, breakdown };
}
