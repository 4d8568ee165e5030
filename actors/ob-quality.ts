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

export function parseObQuality(json: string, key = OB_QUALITY_KEY): ObQuality {
  const v = parseStoredJson(Schema, json, { map: DOLPHIN_FEATURES, key });
  return { stale: v.stale, freshFraction: v.fresh_fraction, depthQuality: v.depth_quality, fillProbability: v.fill_probability, timestampMs: v.timestamp * 1000 };
}

/**
 * The cluster's book from each live node's share: stale when any share is stale or missing (a symbol
 * nobody streams is a stale symbol), depth quality and fill probability the worst of the shares.
 */
export function combineObQuality(shares: ReadonlyArray<ObQuality | null>): ObQuality | null {
  if (shares.length === 0) return null;
  const present = shares.filter((q): q is ObQuality => q !== null);
  if (present.length === 0) return null;
  return {
    stale: present.length < shares.length || present.some((q) => q.stale),
    freshFraction: Math.min(...present.map((q) => q.freshFraction)) * (present.length / shares.length),
    depthQuality: Math.min(...present.map((q) => q.depthQuality)),
    fillProbability: Math.min(...present.map((q) => q.fillProbability)),
    timestampMs: Math.min(...present.map((q) => q.timestampMs)),
  };
}
