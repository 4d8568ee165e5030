// MC-Forewarner envelope gate (bible §12): the engine only maps a daily report to a status.
import type { ForewarnerParams } from './config.ts';
import type { ForewarnerReport, McStatus } from './types.ts';

/** The configuration handed to the forewarner each day: max_leverage scaled by the day's boost. */
export interface McConfig {
  max_leverage: number;
  [key: string]: number | string | boolean;
}

/** Produces the day's report; the Monte-Carlo model itself lives outside the engine. */
export type Forewarner = (date: string, cfg: McConfig) => ForewarnerReport;

export function mcStatus(r: ForewarnerReport, p: ForewarnerParams): McStatus {
  const red = r.catastrophicProbability > p.red_catastrophic_probability || r.envelopeScore < p.red_envelope_score;
  if (red) return 'RED';
  const orange = r.envelopeScore < p.orange_envelope_score || r.catastrophicProbability > p.orange_catastrophic_probability;
  return orange ? 'ORANGE' : 'OK';
}

export function mcScale(status: McStatus, p: ForewarnerParams): number {
  return status === 'ORANGE' ? p.orange_scale : 1.0;
}
