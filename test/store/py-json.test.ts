// Expected strings follow Python 3's rules: json.dumps uses float.__repr__ (shortest round-trip digits,
// fixed notation for decimal exponents -4..15 with '.0' when integral, else d.ddde±XX), separators
// ', ' and ': ', and ensure_ascii escapes everything outside ' '..'~' as lowercase \uXXXX.
import test from 'ava';
import fc from 'fast-check';
import { JsonEncodeError } from '../../store/errors.ts';
import { pyFloat, pyFloatRepr, pyJsonDumps, pyJsonParse, type PyJsonValue } from '../../store/py-json.ts';

test('the ACB payload prints as Python prints it: {"boost": 1.0, "beta": 0.5}', (t) => {
  t.is(pyJsonDumps({ boost: pyFloat(1), beta: pyFloat(0.5) }), '{"boost": 1.0, "beta": 0.5}');
});

const floats: Array<[number, string, string]> = [
  [1e-5, '1e-05', 'exponent -5 < -4 → exponent form, two exponent digits'],
  [1e-4, '0.0001', 'exponent -4 stays fixed'],
  [0.0001234, '0.0001234', 'exponent -4 with more digits'],
  [2.5e-7, '2.5e-07', 'mantissa with a fraction'],
  [1e16, '1e+16', 'exponent 16 → exponent form with a + sign'],
  [9999999999999998, '9999999999999998.0', 'exponent 15 stays fixed with .0'],
  [123456789012345, '123456789012345.0', 'integral float → .0'],
  [100, '100.0', 'integral float → .0'],
  [1.5e20, '1.5e+20', 'large with a fraction'],
  [1e22, '1e+22', 'JS writes 1e+22 too; same digits'],
  [0.1, '0.1', 'shortest round-trip digits'],
  [1 / 3, '0.3333333333333333', '16 significant digits'],
  [0.1 + 0.2, '0.30000000000000004', '17 significant digits when needed'],
  [1234.5, '1234.5', 'plain fixed'],
  [5e-324, '5e-324', 'smallest subnormal'],
  [1.7976931348623157e308, '1.7976931348623157e+308', 'largest double, three exponent digits'],
  [-0, '-0.0', 'negative zero keeps its sign'],
  [0, '0.0', 'zero'],
  [-2.5, '-2.5', 'negative'],
  [NaN, 'NaN', 'json.dumps allow_nan'],
  [Infinity, 'Infinity', 'json.dumps allow_nan'],
  [-Infinity, '-Infinity', 'json.dumps allow_nan'],
];
for (const [x, expected, why] of floats) {
  test(`float repr: ${expected} (${why})`, (t) => {
    t.is(pyFloatRepr(x), expected);
    t.is(pyJsonDumps(pyFloat(x)), expected);
  });
}

test('plain numbers: integral values print as Python ints, others as floats', (t) => {
  t.is(pyJsonDumps(1), '1');
  t.is(pyJsonDumps(-42), '-42');
  t.is(pyJsonDumps(0.5), '0.5');
  t.is(pyJsonDumps(1e-5), '1e-05');
  t.is(pyJsonDumps(2 ** 53 + 2), '9007199254740994');
  t.is(pyJsonDumps(1e21), '1000000000000000000000', 'a Python int prints every digit');
  t.is(pyJsonDumps(-0), '-0.0', 'no int is negative zero');
  t.is(pyJsonDumps(12345678901234567890n), '12345678901234567890');
  t.is(pyJsonDumps(NaN), 'NaN');
});

test('strings: ensure_ascii escapes, short escapes, lowercase hex, surrogate pairs', (t) => {
  t.is(pyJsonDumps('é'), '"\\u00e9"');
  t.is(pyJsonDumps('😀'), '"\\ud83d\\ude00"');
  t.is(pyJsonDumps('a"b\\c\n\t\r\b\f\u0000\u001f\u007f/'), '"a\\"b\\\\c\\n\\t\\r\\b\\f\\u0000\\u001f\\u007f/"');
  t.is(pyJsonDumps('\u2028'), '"\\u2028"');
  t.is(pyJsonDumps('BTCUSDT'), '"BTCUSDT"');
  t.is(pyJsonDumps(''), '""');
});

test('containers: ", " and ": " separators, empty ones bare, nesting, literals', (t) => {
  t.is(pyJsonDumps([]), '[]');
  t.is(pyJsonDumps({}), '{}');
  t.is(pyJsonDumps([1, [2, {}]]), '[1, [2, {}]]');
  t.is(pyJsonDumps({ a: null, b: true, c: false }), '{"a": null, "b": true, "c": false}');
  t.is(pyJsonDumps({ 'é': [pyFloat(2), 'x'] }), '{"\\u00e9": [2.0, "x"]}');
});

test('key order is insertion order; a Map keeps integer-like keys where they were put', (t) => {
  t.is(pyJsonDumps({ date: '2026-01-01', pnl: pyFloat(0), capital: pyFloat(1e4) }), '{"date": "2026-01-01", "pnl": 0.0, "capital": 10000.0}');
  t.is(
    pyJsonDumps(new Map<string, PyJsonValue>([['b', 1], ['10', 2], ['a', 3]])),
    '{"b": 1, "10": 2, "a": 3}',
  );
});

test('values Python could not have written are JsonEncodeErrors naming their path', (t) => {
  const undef = t.throws(() => pyJsonDumps({ a: [1, undefined as unknown as PyJsonValue] }), { instanceOf: JsonEncodeError });
  t.is(undef?.path, '/a/1');
  t.throws(() => pyJsonDumps(new Date() as unknown as PyJsonValue), { instanceOf: JsonEncodeError, message: /Date/ });
  t.throws(() => pyJsonDumps((() => 1) as unknown as PyJsonValue), { instanceOf: JsonEncodeError });
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  t.throws(() => pyJsonDumps(cyclic as PyJsonValue), { instanceOf: JsonEncodeError, message: /circular/ });
  t.is(pyJsonDumps(((shared) => [shared, shared])([1]) as PyJsonValue), '[[1], [1]]', 'a shared (acyclic) value is fine');
});

test('property: float repr round-trips to the same double', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.double({ noNaN: true }), (x) => Object.is(Number(pyFloatRepr(x)), x)),
    { numRuns: 5000 },
  ));
});

test('property: float repr has Python\'s shape (fixed with a dot for exponents -4..15, else d[.ddd]e±XX)', (t) => {
  t.notThrows(() => fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      const s = pyFloatRepr(x);
      const e = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
      // log10 can be off by one right at powers of ten; only check clear cases
      if (Math.abs(e + 4.5) < 1 || Math.abs(e - 15.5) < 1) return true;
      return e < -4 || e >= 16 ? /^-?\d(\.\d+)?e[+-]\d{2,3}$/.test(s) : /^-?\d+\.\d+$/.test(s);
    }),
    { numRuns: 5000 },
  ));
});

test('property: dumps then parse gives the value back (floats as numbers)', (t) => {
  const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true }), fc.string({ unit: 'grapheme' }));
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value')), fc.dictionary(fc.string(), tie('value'))),
  })).value;
  fc.assert(
    fc.property(json, (v) => {
      t.deepEqual(pyJsonParse(pyJsonDumps(v as PyJsonValue)), v);
    }),
    { numRuns: 500 },
  );
});

test('parse accepts NaN, Infinity and -Infinity tokens, and leaves them alone inside strings', (t) => {
  const v = pyJsonParse('{"a": NaN, "b": [Infinity, -Infinity], "s": "NaN -Infinity \\" Infinity"}') as Record<string, unknown>;
  t.true(Number.isNaN(v.a));
  t.deepEqual(v.b, [Infinity, -Infinity]);
  t.is(v.s, 'NaN -Infinity " Infinity');
  t.deepEqual(pyJsonParse('{"boost": 1.0, "beta": 0.5}'), { boost: 1, beta: 0.5 });
});

test('parse: a string that looks like the internal sentinel is returned as written', (t) => {
  const v = pyJsonParse('["\\u0001pyjson:0:x:0", NaN]') as unknown[];
  t.is(v[0], '\u0001pyjson:0:x:0');
  t.true(Number.isNaN(v[1]));
});

test('parse rejects what Python rejects: -NaN, bare words, trailing commas', (t) => {
  t.throws(() => pyJsonParse('-NaN'), { instanceOf: SyntaxError });
  t.throws(() => pyJsonParse('nan'), { instanceOf: SyntaxError });
  t.throws(() => pyJsonParse('[1, ]'), { instanceOf: SyntaxError });
  t.throws(() => pyJsonParse('[NaNa]'), { instanceOf: SyntaxError });
});
