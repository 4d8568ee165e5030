// Engine snapshots and trade lists as store values. Store values are strings (the Python services
// write JSON strings), so binary msgpack travels base64-encoded. moreTypes keeps Float64Array intact.
import { Packr } from 'msgpackr';
import type { TradeRecord } from '../engine/types.ts';

const packr = new Packr({ moreTypes: true, useRecords: false });

export function encodeValue(value: unknown): string {
  return packr.pack(value).toString('base64');
}

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

export function decodeValue<T>(text: string, what: string): T {
  try {
    return packr.unpack(Buffer.from(text, 'base64')) as T;
  } catch (e) {
    throw new CheckpointError(`${what}: cannot decode the stored value (${(e as Error).message})`);
  }
}

export function decodeTrades(text: string, what: string): TradeRecord[] {
  const v = decodeValue<unknown>(text, what);
  if (!Array.isArray(v)) throw new CheckpointError(`${what}: expected a list of trades`);
  return v as TradeRecord[];
}
