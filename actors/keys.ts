// Keys and maps the node adds to the bible's (store/names.ts). Python services ignore them: they only
// read the bible's keys, whose payloads stay exactly as §14–§16 write them.
import type { Direction } from '../engine/types.ts';
import { colorOfDirection } from '../store/names.ts';

/** Engine checkpoint after each processed date (key = date, value = base64 msgpack snapshot). */
export function stateMapName(direction: Direction): string {
  return `DOLPHIN_STATE_${colorOfDirection(direction)}`;
}

/** Closed trades of each processed date (key = date, value = base64 msgpack TradeRecord[]). */
export function tradesMapName(direction: Direction): string {
  return `DOLPHIN_TRADES_${colorOfDirection(direction)}`;
}

/** The live feed's journal: bars of dates not yet committed (key `<date>#<row>`, value base64 msgpack). */
export function liveBarsMapName(direction: Direction): string {
  return `DOLPHIN_LIVE_BARS_${colorOfDirection(direction)}`;
}

/** In DOLPHIN_FEATURES: the ACB the day started with, so a restarted Dolphin re-runs the day identically. */
export function acbDayKey(date: string): string {
  return `acb_day_${date}`;
}

/** In DOLPHIN_FEATURES: the OB stream's quality (staleness, depth quality, fill probability). */
export const OB_QUALITY_KEY = 'ob_quality';

/** In a cluster each node streams its share of the symbols and writes its own quality under its id. */
export function obQualityKey(nodeId: string | null): string {
  return nodeId === null ? OB_QUALITY_KEY : `${OB_QUALITY_KEY}_${nodeId}`;
}
