// DOLPHIN_FEATURES['acb_day_<date>']: the ACB a date started with, written by the ACB actor beside the
// bible's `acb_boost`. acb_boost is overwritten by sub-day updates; a Dolphin restarted mid-day must
// re-run the date from the ACB it started with, so that value is kept per date.
import { z } from 'zod';
import type { AcbDay } from '../engine/acb.ts';
import { DOLPHIN_FEATURES } from '../store/names.ts';
import { parseStoredJson } from '../store/payloads.ts';
import { pyFloat, pyJsonDumps } from '../store/py-json.ts';
import { acbDayKey } from './keys.ts';

const Schema = z.object({
  date: z.string(),
  boost: z.number(),
  beta: z.number(),
  signals: z.number(),
  w750: z.number().nullable(),
  threshold: z.number().nullable(),
});

export interface AcbDayRecord {
  date: string;
  boost: number;
  beta: number;
  signals: number;
  w750: number;
  threshold: number;
}

const orNull = (x: number) => (Number.isFinite(x) ? pyFloat(x) : null);

export function acbDayJson(d: AcbDay, threshold: number): string {
  return pyJsonDumps({ date: d.date, boost: pyFloat(d.boost), beta: pyFloat(d.beta), signals: pyFloat(d.signals), w750: orNull(d.w750), threshold: orNull(threshold) });
}

export function parseAcbDay(json: string, date: string): AcbDayRecord {
  const v = parseStoredJson(Schema, json, { map: DOLPHIN_FEATURES, key: acbDayKey(date) });
  return { date: v.date, boost: v.boost, beta: v.beta, signals: v.signals, w750: v.w750 ?? NaN, threshold: v.threshold ?? NaN };
}
