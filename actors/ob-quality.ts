// DOLPHIN_FEATURES['ob_quality']: what the OB stream tells the watchdog's Cat3 (§11.2) each cycle —
// whether the book is stale and the market-wide depth quality and fill probability.
import { z } from 'zod';
import { DOLPHIN_FEATURES } from '../store/names.ts';
import { parseStoredJson } from '../store/payloads.ts';
import { pyFloat, pyJsonDumps } from '../store/py-json.ts';
import { OB_QUALITY_KEY } from './keys.ts';

export interface ObQuality {
  stale: boolean;
  freshFraction: number;
  depthQuality: number;
  fillProbability: number;
  timestampMs: number;
}

const Schema = z.object({
  stale: z.boolean(),
  fresh_fraction: z.number(),
  depth_quality: z.number(),
  fill_probability: z.number(),
  timestamp: z.number(),
});

export function obQualityJson(q: ObQuality): string {
  return pyJsonDumps({
    stale: q.stale,
    fresh_fraction: pyFloat(q.freshFraction),
    depth_quality: pyFloat(q.depthQuality),
    fill_probability: pyFloat(q.fillProbability),
    timestamp: pyFloat(q.timestampMs / 1000),
  });
}

export function parseObQuality(json: string): ObQuality {
  const v = parseStoredJson(Schema, json, { map: DOLPHIN_FEATURES, key: OB_QUALITY_KEY });
  return { stale: v.stale, freshFraction: v.fresh_fraction, depthQuality: v.depth_quality, fillProbability: v.fill_probability, timestampMs: v.timestamp * 1000 };
}
