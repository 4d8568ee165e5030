// Byte-for-byte Python `json.dumps(obj)` (default arguments) and a `json.loads`-compatible parse.
// The Python services compare and log these strings, so "equivalent JSON" is not enough.
//
// Python has ints and floats; JS has one number. Our rule:
// - a plain JS number with an integral value prints as a Python int (`1`), any other as a float (`0.5`);
// - `pyFloat(x)` marks a value Python holds as a float, so `pyFloat(1)` prints `1.0`.
// Payload builders wrap every field the Python side writes as a float, so the marker lives in one place
// (the builder) rather than in a schema every caller must carry. A plain -0 prints `-0.0`: no Python int
// is negative zero, so it can only have been a float. bigint prints as an int.
//
// Object key order is insertion order. JS objects list integer-like keys ("1", "42") first whatever
// the insertion order, so pass a Map when such keys must keep their place.
import { JsonEncodeError } from './errors.ts';

/** A number Python holds as a float: printed with float repr even when integral. */
export class PyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export function pyFloat(x: number): PyFloat {
  return new PyFloat(x);
}

export type PyJsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | readonly PyJsonValue[]
  | ReadonlyMap<string, PyJsonValue>
  | { readonly [key: string]: PyJsonValue };

/**
 * Python's `repr(float)`: the shortest digits that round-trip (the same digits as JS `String(x)`), fixed
 * notation for decimal exponents −4 … 15 with a trailing `.0` when integral, otherwise `d.ddde±XX`
 * (at least two exponent digits). NaN and the infinities print as json.dumps prints them.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';

  const s = String(Math.abs(x));
  const ei = s.indexOf('e');
  const mantissa = ei >= 0 ? s.slice(0, ei) : s;
  const exp10 = ei >= 0 ? Number(s.slice(ei + 1)) : 0;
  const dot = mantissa.indexOf('.');
  const intPart = dot >= 0 ? mantissa.slice(0, dot) : mantissa;
  let digits = intPart + (dot >= 0 ? mantissa.slice(dot + 1) : '');
  // x = 0.<digits> × 10^decpt once leading zeros are gone
  let decpt = intPart.length + exp10;
  let lead = 0;
  while (digits[lead] === '0') lead++;
  digits = digits.slice(lead).replace(/0+$/, '');
  decpt -= lead;

  const e = decpt - 1;
  let out: string;
  if (e < -4 || e >= 16) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
    out = `${digits[0]}${frac}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else if (decpt <= 0) {
    out = '0.' + '0'.repeat(-decpt) + digits;
  } else if (decpt >= digits.length) {
    out = digits + '0'.repeat(decpt - digits.length) + '.0';
  } else {
    out = digits.slice(0, decpt) + '.' + digits.slice(decpt);
  }
  return x < 0 ? '-' + out : out;
}

function pyNumber(x: number): string {
  if (Number.isInteger(x) && !Object.is(x, -0)) {
    // Python's int prints every digit; beyond 2^53 String(x) would switch to exponent form
    return Number.isSafeInteger(x) ? String(x) : BigInt(x).toString();
  }
  return pyFloatRepr(x);
}

const SHORT_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x08: '\\b',
  0x0c: '\\f',
};

/** ensure_ascii: everything outside ' '…'~' is escaped; astral characters are already UTF-16 pairs. */
function pyString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i) + (SHORT_ESCAPES[c] ?? '\\u' + c.toString(16).padStart(4, '0'));
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

function isPlainObject(v: object): v is { readonly [key: string]: PyJsonValue } {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function encode(v: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof v) {
    case 'string':
      return pyString(v);
    case 'number':
      return pyNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'object':
      break;
    default:
      throw new JsonEncodeError(path, `${typeof v} is not JSON serializable`);
  }
  if (v === null) return 'null';
  if (v instanceof PyFloat) {
    if (typeof v.value !== 'number') throw new JsonEncodeError(path, 'pyFloat of a non-number');
    return pyFloatRepr(v.value);
  }
  if (ancestors.has(v)) throw new JsonEncodeError(path, 'circular reference');
  ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      return '[' + v.map((item, i) => encode(item, `${path}/${i}`, ancestors)).join(', ') + ']';
    }
    let entries: Iterable<[unknown, unknown]>;
    if (v instanceof Map) entries = v.entries();
    else if (isPlainObject(v)) entries = Object.entries(v);
    else throw new JsonEncodeError(path, `${v.constructor?.name ?? 'object'} is not JSON serializable`);
    const parts: string[] = [];
    for (const [k, item] of entries) {
      if (typeof k !== 'string') throw new JsonEncodeError(path, `key ${String(k)} is not a string`);
      parts.push(pyString(k) + ': ' + encode(item, `${path}/${k}`, ancestors));
    }
    return '{' + parts.join(', ') + '}';
  } finally {
    ancestors.delete(v);
  }
}

/**
 * `json.dumps(value)` with Python's defaults: separators `', '` / `': '`, ensure_ascii, allow_nan, key
 * order as given. Throws JsonEncodeError naming the path of anything Python could not have produced
 * (undefined, functions, class instances, cycles).
 */
export function pyJsonDumps(value: PyJsonValue): string {
  return encode(value, '', new Set());
}

let sentinelSeq = 0;

/**
 * `json.loads`: JSON.parse that also accepts the bare tokens NaN, Infinity and -Infinity Python writes
 * for non-finite floats. Throws SyntaxError on anything else JSON.parse rejects.
 */
export function pyJsonParse(text: string): unknown {
  const tokens: Array<{ at: number; len: number; value: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // skip the string, escapes included
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x4e /* N */ && text.startsWith('NaN', i)) {
      tokens.push({ at: i, len: 3, value: NaN });
      i += 2;
    } else if (c === 0x49 /* I */ && text.startsWith('Infinity', i)) {
      tokens.push({ at: i, len: 8, value: Infinity });
      i += 7;
    } else if (c === 0x2d /* - */ && text.startsWith('-Infinity', i)) {
      tokens.push({ at: i, len: 9, value: -Infinity });
      i += 8;
    }
  }
  if (tokens.length === 0) return JSON.parse(text);

  // Swap each token for a sentinel string, then turn the sentinels back into numbers. A genuine string
  // equal to a sentinel would make the count disagree; then we try again with a fresh sentinel.
  for (;;) {
    const prefix = `\u0001pyjson:${(sentinelSeq++).toString(36)}:${Math.random().toString(36).slice(2)}:`;
    let rewritten = '';
    let from = 0;
    tokens.forEach((t, n) => {
      rewritten += text.slice(from, t.at) + JSON.stringify(prefix + n);
      from = t.at + t.len;
    });
    rewritten += text.slice(from);
    let seen = 0;
    const parsed: unknown = JSON.parse(rewritten, (_key, v: unknown) => {
      if (typeof v !== 'string' || !v.startsWith(prefix)) return v;
      seen++;
      return tokens[Number(v.slice(prefix.length))]?.value ?? v;
    });
    if (seen === tokens.length) return parsed;
  }
}
