// Parses a JSON value of the store against a schema; anything wrong is a PayloadError naming the
// map, key and field.
import type { z } from 'zod';
import { PayloadError } from '../store/errors.ts';
import { pyJsonParse } from '../store/py-json.ts';

export function parseStoredJson<S extends z.ZodType>(schema: S, json: string, where: { map: string; key: string }): z.infer<S> {
  let raw: unknown;
  try {
    raw = pyJsonParse(json);
  } catch (e) {
    throw new PayloadError(where, '', `not JSON: ${(e as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new PayloadError(where, issue.path.map(String).join('.'), issue.message);
  }
  return r.data;
}
