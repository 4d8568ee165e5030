// Receipt-side checks: a known version, a known type, a type this actor accepts, a body that parses.
// The result is either the envelope or the one-line reason it goes to the dead-letter log.
import type { ZodType } from 'zod';
import { PROTOCOL_VERSION, type Envelope } from './envelope.ts';
import { SCHEMAS } from './messages.ts';

export type Accepted<B extends { type: string }> = { ok: true; env: Envelope<B> } | { ok: false; reason: string };

export function accept<B extends { type: string }>(schema: ZodType<B>, raw: unknown): Accepted<B> {
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'not an envelope (not an object)' };
  const env = raw as Partial<Envelope>;
  if (env.v !== PROTOCOL_VERSION) return { ok: false, reason: `unsupported protocol version ${describe(env.v)} (this node speaks ${PROTOCOL_VERSION})` };
  if (typeof env.type !== 'string' || !Object.hasOwn(SCHEMAS, env.type)) return { ok: false, reason: `unknown message type ${describe(env.type)}` };
  if (typeof env.body !== 'object' || env.body === null || (env.body as { type?: unknown }).type !== env.type) {
    return { ok: false, reason: `${env.type}: body type does not match the envelope` };
  }
  const parsed = schema.safeParse(env.body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    return { ok: false, reason: `${env.type}: ${first?.message ?? 'invalid'}${where}` };
  }
  return { ok: true, env: env as Envelope<B> };
}

/** Validates against the schema registered for the envelope's own type (codec, store events). */
export function acceptAny(raw: unknown): Accepted<{ type: string }> {
  const type = (raw as { type?: unknown } | null)?.type;
  // own keys only: `in` would take 'toString', 'constructor', … from Object.prototype for a schema
  const schema = typeof type === 'string' && Object.hasOwn(SCHEMAS, type) ? SCHEMAS[type as keyof typeof SCHEMAS] : null;
  if (schema === null) return accept(SCHEMAS.Ack as ZodType<{ type: string }>, raw); // reports the unknown type
  return accept(schema as ZodType<{ type: string }>, raw);
}

/**
 * A field's value for a dead-letter reason. Never throws: String() throws on an object whose toString is
 * not callable, JSON.stringify on a BigInt or a cycle, and a bad message must not crash its receiver.
 */
function describe(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return Object.prototype.toString.call(x);
  }
}
