// msgpackr codec for everything that crosses a thread or a process. `moreTypes` is required: without
// it msgpackr 2.x writes a Float64Array as a Buffer of the wrong bytes (found while building this).
import { Packr } from 'msgpackr';
import type { Envelope } from './envelope.ts';
import { acceptAny, type Accepted } from './validate.ts';

export const packr = new Packr({ moreTypes: true, useRecords: false });

/** The envelope as bytes; the transient replyTo stays behind. */
export function encode(env: Envelope): Uint8Array {
  const { replyTo: _ignored, ...wire } = env;
  return packr.pack(wire);
}

/** Bytes back to a validated envelope, or the reason they are not one. Never throws. */
export function decode(bytes: Uint8Array): Accepted<{ type: string }> {
  let raw: unknown;
  try {
    raw = packr.unpack(bytes);
  } catch (e) {
    return { ok: false, reason: `undecodable bytes: ${(e as Error).message}` };
  }
  return acceptAny(raw);
}
