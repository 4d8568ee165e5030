import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { DataError } from '../../market/errors.ts';
import { NpyError, parseNpy, parsePyLiteral, readNpy, toFloat64, type NpyArray } from '../../market/npy.ts';
import { concat, npyBytes, npyHeader, rawNpyBytes, type ArraySpec } from '../helpers/npy-writer.ts';
import { tempDir } from './helpers.ts';

// Files written by numpy 2.4.6 (CPython 3.11) with np.lib.format.write_array, pinned so CI checks the
// writer and the reader against numpy without python. Regenerate with e.g.
//   b = io.BytesIO(); np.lib.format.write_array(b, np.array([1.5, -2.0, 3.25])); base64.b64encode(b.getvalue())
interface Pinned {
  base64: string;
  spec: ArraySpec;
  /** what the reader must return: dtype, shape, C-order values */
  dtype: NpyArray['dtype'];
  values: ReadonlyArray<number | bigint | string>;
}

const NUMPY: Record<string, Pinned> = {
  "np.array([1.5, -2.0, 3.25])": {
    base64: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAADAAAAAAAAACkA=',
    spec: { descr: '<f8', values: [1.5, -2, 3.25] },
    dtype: 'f8',
    values: [1.5, -2, 3.25],
  },
  "np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3))": {
    base64: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAwAAAAEAAAAEAAAAAgAAAAUAAAA=',
    spec: { descr: '<i4', shape: [2, 3], values: [0, 1, 2, 3, 4, 5], fortranOrder: true },
    dtype: 'i4',
    values: [0, 1, 2, 3, 4, 5],
  },
  "np.array([-2, 300], dtype='>i2')": {
    base64: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmkyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr//gEs',
    spec: { descr: '>i2', values: [-2, 300] },
    dtype: 'i2',
    values: [-2, 300],
  },
  'np.array([True, False, True])': {
    base64: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=',
    spec: { descr: '|b1', values: [true, false, true] },
    dtype: 'b1',
    values: [1, 0, 1],
  },
  "np.array(2**63 + 5, dtype='<u8')": {
    base64: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPHU4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoFAAAAAAAAgA==',
    spec: { descr: '<u8', shape: [], values: [2n ** 63n + 5n] },
    dtype: 'u8',
    values: [2n ** 63n + 5n],
  },
  "np.array(['fng', 'taker'])": {
    base64: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPFU1JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApmAAAAbgAAAGcAAAAAAAAAAAAAAHQAAABhAAAAawAAAGUAAAByAAAA',
    spec: { descr: '<U5', values: ['fng', 'taker'] },
    dtype: 'U',
    values: ['fng', 'taker'],
  },
  "version (2, 0): np.array([0.5, -1.0], dtype='<f4')": {
    base64: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/AACAvw==',
    spec: { descr: '<f4', values: [0.5, -1], version: 2 },
    dtype: 'f4',
    values: [0.5, -1],
  },
  "version (3, 0): np.array([-2**40, 7], dtype='<i8')": {
    base64: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8aTgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAP///wcAAAAAAAAA',
    spec: { descr: '<i8', values: [-(2n ** 40n), 7n], version: 3 },
    dtype: 'i8',
    values: [-(2n ** 40n), 7n],
  },
};

const SRC = { file: 'mem.npy' };

for (const [what, p] of Object.entries(NUMPY)) {
  test(`the writer reproduces numpy's bytes for ${what}`, (t) => {
    t.is(Buffer.from(npyBytes(p.spec)).toString('base64'), p.base64);
  });

  test(`the reader reads numpy's ${what}`, (t) => {
    const a = parseNpy(Buffer.from(p.base64, 'base64'), SRC);
    t.is(a.dtype, p.dtype);
    t.deepEqual(a.shape, p.spec.shape ?? [p.spec.values.length]);
    t.deepEqual(Array.from(a.data as ArrayLike<unknown>), p.values);
  });
}

// Every numeric dtype, both byte orders, C and Fortran order, every format version: values come back
// in C order. Integers stay in range of the smallest type (i1).
const DESCRS = ['<f8', '<f4', '<i8', '<i4', '<i2', '|i1', '<u8', '<u4', '<u2', '|u1', '|b1', '>f8', '>f4', '>i8', '>i4', '>i2', '>u8', '>u4', '>u2'];
for (const descr of DESCRS) {
  test(`${descr} reads back in C order from C and Fortran layouts in versions 1.0, 2.0 and 3.0`, (t) => {
    const code = descr.slice(1);
    const wide = code === 'i8' || code === 'u8';
    const base = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => (code.startsWith('f') ? i * 0.5 - 2 : code.startsWith('u') ? i * 9 : code === 'b1' ? i % 3 === 0 : (i % 2 ? -1 : 1) * i * 9));
    const values = wide ? base.map((v) => BigInt(v as number)) : base;
    const expected = base.map((v) => Number(v));
    for (const version of [1, 2, 3] as const) {
      for (const fortranOrder of [false, true]) {
        const a = parseNpy(npyBytes({ descr, shape: [2, 3, 2], values, fortranOrder, version }), SRC);
        t.deepEqual(a.shape, [2, 3, 2]);
        t.is(a.fortranOrder, fortranOrder);
        t.is(a.version, `${version}.0`);
        t.deepEqual(Array.from(toFloat64(a, SRC)), expected, `version ${version} fortran ${fortranOrder}`);
      }
    }
  });
}

test('a Fortran-order array is returned in C order (explicit element check)', (t) => {
  // column-major bytes of [[1, 2, 3], [4, 5, 6]] are 1 4 2 5 3 6
  const bytes = concat([npyHeader('<i4', true, [2, 3]), new Uint8Array(Int32Array.from([1, 4, 2, 5, 3, 6]).buffer)]);
  t.deepEqual(Array.from(parseNpy(bytes, SRC).data as Int32Array), [1, 2, 3, 4, 5, 6]);
});

test('a 0-d scalar has shape [] and one element', (t) => {
  const a = parseNpy(npyBytes({ descr: '<f8', shape: [], values: [0.25] }), SRC);
  t.deepEqual(a.shape, []);
  t.deepEqual(Array.from(toFloat64(a, SRC)), [0.25]);
});

test('an empty array (shape (0,)) reads as zero elements', (t) => {
  const a = parseNpy(npyBytes({ descr: '<f8', values: [] }), SRC);
  t.deepEqual(a.shape, [0]);
  t.is(a.data.length, 0);
});

test('NaN, infinities and -0 survive', (t) => {
  const a = parseNpy(npyBytes({ descr: '>f8', values: [NaN, Infinity, -Infinity, -0] }), SRC);
  const x = toFloat64(a, SRC);
  t.true(Number.isNaN(x[0]));
  t.is(x[1], Infinity);
  t.is(x[2], -Infinity);
  t.true(Object.is(x[3], -0));
});

test('an array at an odd offset inside a larger buffer is read (no alignment assumption)', (t) => {
  const inner = npyBytes({ descr: '<f8', values: [1.25, -3] });
  const outer = new Uint8Array(inner.length + 3);
  outer.set(inner, 3);
  t.deepEqual(Array.from(toFloat64(parseNpy(outer.subarray(3), SRC), SRC)), [1.25, -3]);
});

test('a bool byte other than 0 reads as 1', (t) => {
  const a = parseNpy(rawNpyBytes('|b1', [3], Uint8Array.from([0, 2, 255])), SRC);
  t.deepEqual(Array.from(a.data as Uint8Array), [0, 1, 1]);
});

test('toFloat64 turns int64 into numbers, rounding beyond 2^53', (t) => {
  const a = parseNpy(npyBytes({ descr: '<i8', values: [2n ** 53n + 1n, -5n] }), SRC);
  t.deepEqual(Array.from(toFloat64(a, SRC)), [2 ** 53, -5]);
});

test('toFloat64 refuses a string array, naming the array', (t) => {
  const a = parseNpy(npyBytes({ descr: '<U3', values: ['a'] }), SRC);
  const err = t.throws(() => toFloat64(a, { file: 'f.npz', array: 'names' }), { instanceOf: NpyError });
  t.is(err.array, 'names');
  t.regex(err.message, /f\.npz: array "names": .*string array/);
});

test('big-endian unicode and byte strings decode, trailing NULs stripped', (t) => {
  t.deepEqual(parseNpy(npyBytes({ descr: '>U4', values: ['ab', 'ünï', ''] }), SRC).data, ['ab', 'ünï', '']);
  t.deepEqual(parseNpy(npyBytes({ descr: '|S3', values: ['xy', 'abc'] }), SRC).data, ['xy', 'abc']);
});

test('an object array (a pickle) is refused at its header, naming file and array', (t) => {
  // a real pickle of a list would follow the header; the reader must stop at the descr
  const bytes = rawNpyBytes('|O', [2], Uint8Array.from([0x80, 0x03, 0x5d, 0x71, 0x00, 0x2e]));
  const err = t.throws(() => parseNpy(bytes, { file: 'x.npz', array: 'names' }), { instanceOf: DataError });
  t.true(err instanceof NpyError && err.array === 'names');
  t.is(err.file, 'x.npz');
  t.regex(err.message, /^x\.npz: array "names": object dtype \|O: .*pickle.*refused/);
});

test('a structured dtype is refused', (t) => {
  const header = "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }";
  const err = t.throws(() => parseNpy(withHeader(header, new Uint8Array(8)), SRC), { instanceOf: NpyError });
  t.regex(err.message, /structured/);
});

for (const descr of ['<c16', '<M8[ns]', '<f2', '|V8']) {
  test(`an unsupported dtype ${descr} is refused with the supported list`, (t) => {
    const err = t.throws(() => parseNpy(rawNpyBytes(descr, [1], new Uint8Array(16)), SRC), { instanceOf: NpyError });
    t.regex(err.message, /unsupported dtype.*supported: f8/);
  });
}

test('a multi-byte dtype without a byte order is refused', (t) => {
  const err = t.throws(() => parseNpy(rawNpyBytes('=f8', [1], new Uint8Array(8)), SRC), { instanceOf: NpyError });
  t.regex(err.message, /byte order/);
});

test('truncated data is an error naming the file and the sizes', (t) => {
  const full = npyBytes({ descr: '<f8', values: [1, 2, 3] });
  const err = t.throws(() => parseNpy(full.subarray(0, full.length - 5), { file: 'cut.npy' }), { instanceOf: NpyError });
  t.is(err.message, 'cut.npy: truncated data: shape (3,) of <f8 needs 24 bytes, file has 19');
});

test('a truncated header is an error', (t) => {
  const full = npyBytes({ descr: '<f8', values: [1] });
  const err = t.throws(() => parseNpy(full.subarray(0, 40), { file: 'cut.npy' }), { instanceOf: NpyError });
  t.regex(err.message, /^cut\.npy: truncated header/);
});

test('bytes after the data are an error', (t) => {
  const err = t.throws(() => parseNpy(concat([npyBytes({ descr: '<f8', values: [1] }), new Uint8Array(1)]), SRC), { instanceOf: NpyError });
  t.regex(err.message, /1 unexpected bytes after the data/);
});

test('a file without the numpy magic is refused', (t) => {
  const err = t.throws(() => parseNpy(new TextEncoder().encode('date,fng\n2026-01-01,20\n'), SRC), { instanceOf: NpyError });
  t.regex(err.message, /not a \.npy array/);
});

test('format version 4.0 is refused', (t) => {
  const bytes = npyBytes({ descr: '<f8', values: [1] });
  bytes[6] = 4;
  const err = t.throws(() => parseNpy(bytes, SRC), { instanceOf: NpyError });
  t.regex(err.message, /version 4\.0/);
});

test('a header with a missing or extra key is refused', (t) => {
  const missing = "{'descr': '<f8', 'shape': (1,), }";
  const extra = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1, }";
  t.throws(() => parseNpy(withHeader(missing, new Uint8Array(8)), SRC), { message: /header keys/ });
  t.throws(() => parseNpy(withHeader(extra, new Uint8Array(8)), SRC), { message: /header keys/ });
});

test('a header that is not a literal is refused, nothing evaluated', (t) => {
  const header = "{'descr': __import__('os').system('x'), 'fortran_order': False, 'shape': (1,), }";
  t.throws(() => parseNpy(withHeader(header, new Uint8Array(8)), SRC), { message: /not a Python dict literal/ });
});

test('a negative dimension is refused', (t) => {
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }";
  t.throws(() => parseNpy(withHeader(header, new Uint8Array(8)), SRC), { message: /non-negative/ });
});

test('Python 2 long literals in the shape (3L,) are read', (t) => {
  t.deepEqual(parsePyLiteral("{'shape': (3L, 2L), 'ok': True}"), new Map<string, unknown>([['shape', [3, 2]], ['ok', true]]));
});

test('readNpy names the path when the file is missing', async (t) => {
  const path = join(tempDir(t), 'absent.npy');
  const err = await t.throwsAsync(readNpy(path), { instanceOf: NpyError });
  t.is(err.file, path);
  t.regex(err.message, /ENOENT/);
});

test('readNpy reads a file written to disk', async (t) => {
  const path = join(tempDir(t), 'a.npy');
  writeFileSync(path, npyBytes({ descr: '<f4', values: [0.5] }));
  t.deepEqual(Array.from((await readNpy(path)).data as Float32Array), [0.5]);
});

/** A v1.0 file with a hand-written header dict (padded the numpy way) and raw data. */
function withHeader(dict: string, data: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(dict);
  const total = Math.ceil((10 + text.length + 1) / 64) * 64;
  const out = new Uint8Array(total + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, total - 10, true);
  out.set(text, 10);
  out.fill(0x20, 10 + text.length, total - 1);
  out[total - 1] = 0x0a;
  out.set(data, total);
  return out;
}
