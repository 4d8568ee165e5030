// Keys and maps the node adds to the bible's (store/names.ts). Python services ignore them: they only
// read the bible's keys, whose payloads stay exactly as §14–§16 write them.
import type { Direction } from '../engine/types.ts';

/** Engine checkpoint after each processed date (key = date, value = base64 msgpack snapshot). */
export function stateMapName(direction: Direction): string {
  return direction === 1 ? 'DOLPHIN_STATE_GREEN' : 'DOLPHIN_STATE_BLUE';
}

/** Closed trades of each processed date (key = date, value = base64 msgpack TradeRecord[]). */
export function tradesMapName(direction: Direction): string {
  return direction === 1 ? 'DOLPHIN_TRADES_GREEN' : 'DOLPHIN_TRADES_BLUE';
}

/** In DOLPHIN_FEATURES: the ACB the day started with, so a restarted Dolphin re-runs the day identically. */
export function acbDayKey(date: string): string {
  return `acb_day_${date}`;
}

/** In DOLPHIN_FEATURES: the OB stream's quality (staleness, depth quality, fill probability). */
export const OB_QUALITY_KEY = 'ob_quality';
