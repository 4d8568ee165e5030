// The envelope every message travels in (DESIGN.md "Messages"): version, type, id, time, correlation.
// `replyTo` is the transient reply callback of an ask; it never crosses a thread (the codec drops it).

export const PROTOCOL_VERSION = 1;

export interface Envelope<B extends { type: string } = { type: string }> {
  v: number;
  type: B['type'];
  id: string;
  ts: number;
  corr?: string;
  body: B;
  replyTo?: unknown;
}

let counter = 0;

/** Ids are unique within the process and sortable by creation: `<pid36>-<counter36>`. */
export function nextId(): string {
  counter += 1;
  return `${process.pid.toString(36)}-${counter.toString(36)}`;
}

export function envelope<B extends { type: string }>(body: B, opts: { corr?: string; ts?: number } = {}): Envelope<B> {
  const env: Envelope<B> = { v: PROTOCOL_VERSION, type: body.type, id: nextId(), ts: opts.ts ?? Date.now(), body };
  if (opts.corr !== undefined) env.corr = opts.corr;
  return env;
}
