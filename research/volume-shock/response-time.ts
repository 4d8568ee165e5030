// The seed's market-maker response-time model (_estimate_mm_response_time) and pressure.
import type { ResponseTimeParams } from './params.ts';
import type { Urgency } from './types.ts';

export interface ResponseEstimate {
  minutes: number;
  urgency: Urgency;
}

/** |exposure| > 5000 → 2 min GAMMA_EMERGENCY; > 2000 → 5 min INSTITUTIONAL_SWEEP; else 10 min ROUTINE_HEDGING. */
export function estimateResponseTime(exposure: number, p: ResponseTimeParams): ResponseEstimate {
  const abs = Math.abs(exposure);
  if (abs > p.emergency_above) return { minutes: p.emergency_minutes, urgency: 'GAMMA_EMERGENCY' };
  if (abs > p.urgent_above) return { minutes: p.urgent_minutes, urgency: 'INSTITUTIONAL_SWEEP' };
  return { minutes: p.routine_minutes, urgency: 'ROUTINE_HEDGING' };
}

/** pressure = |net delta| / max(1, response_time²): delta the market makers must trade per minute². */
export function pressure(exposure: number, responseMinutes: number): number {
  return Math.abs(exposure) / Math.max(1, responseMinutes ** 2);
}
