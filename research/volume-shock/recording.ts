// A recording of live polls as JSON lines, one `{update, tick}` per line, so a Deribit session can be
// studied again (`--source deribit --data FILE`) without the network. Maps become plain objects.
import { readFileSync } from 'node:fs';
import { DataError } from '../../market/errors.ts';
import type { ChainUpdate, UnderlyingTick } from './types.ts';

export interface RecordedPoll {
  update: ChainUpdate;
  tick: UnderlyingTick;
}

export function pollLine(p: RecordedPoll): string {
  const { baselineHints, ...rest } = p.update;
  const update = baselineHints === undefined ? rest : { ...rest, baselineHints: Object.fromEntries(baselineHints) };
  return JSON.stringify({ update, tick: p.tick }) + '\n';
}

export function readRecording(file: string): RecordedPoll[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError({ file }, `cannot read: ${(e as Error).message}`, { cause: e });
  }
  return parseRecording(text, file);
}

export function parseRecording(text: string, file: string): RecordedPoll[] {
  const out: RecordedPoll[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const row = i + 1;
    let v: unknown;
    try {
      v = JSON.parse(lines[i]);
    } catch (e) {
      throw new DataError({ file, row }, `not JSON (${(e as Error).message})`);
    }
    const { update, tick } = (v ?? {}) as { update?: Record<string, unknown>; tick?: Record<string, unknown> };
    if (typeof update !== 'object' || update === null) throw new DataError({ file, row, column: 'update' }, 'missing');
    if (typeof tick !== 'object' || tick === null) throw new DataError({ file, row, column: 'tick' }, 'missing');
    for (const [obj, name, key] of [[update, 'update', 'time'], [update, 'update', 'price'], [tick, 'tick', 'time'], [tick, 'tick', 'price']] as const) {
      if (typeof obj[key] !== 'number' || !Number.isFinite(obj[key])) throw new DataError({ file, row, column: `${name}.${key}` }, `not a number (${JSON.stringify(obj[key])})`);
    }
    for (const key of ['contracts', 'prints'] as const) if (!Array.isArray(update[key])) throw new DataError({ file, row, column: `update.${key}` }, 'not a list');
    if (typeof update.day !== 'string' || typeof tick.day !== 'string') throw new DataError({ file, row, column: 'day' }, 'missing session day');
    const hints = update.baselineHints as Record<string, number> | undefined;
    out.push({
      update: { ...(update as unknown as ChainUpdate), baselineHints: hints === undefined ? undefined : new Map(Object.entries(hints)) },
      tick: tick as unknown as UnderlyingTick,
    });
    if (out.length > 1 && out[out.length - 1].update.time < out[out.length - 2].update.time) {
      throw new DataError({ file, row, column: 'update.time' }, 'goes back in time');
    }
  }
  return out;
}
