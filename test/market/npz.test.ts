import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { unzipSync } from 'fflate';
import { DataError } from '../../market/errors.ts';
import { NpyError, toFloat64, type NpyArray } from '../../market/npy.ts';
import { parseNpz, readNpz } from '../../market/npz.ts';
import { npyBytes, npzBytes, rawNpyBytes } from '../helpers/npy-writer.ts';
import { tempDir } from './helpers.ts';

// np.savez(b, x=np.array([1.5, -2.0, 3.25]), s=np.float64(7.0),
//          m=np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3)))  — numpy 2.4.6, CPython 3.11.
// Pinning the whole zip is safe: numpy opens each member with ZipFile.open(name, 'w'), which gives it
// the ZipInfo default date 1980-01-01 00:00 instead of the clock, so the bytes do not depend on when
// they were written. (A Python whose zipfile stamped the time would differ in 4 bytes per header.)
const NUMPY_SAVEZ =
  'UEsDBC0AAAAAAAAAIQDrDS8H//////////8FABQAeC5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAA+D8AAAAAAAAAwAAAAAAAAApAUEsDBC0AAAAAAAAAIQBsLCER//////////8FABQAcy5ucHkBABAAiAAAAAAAAACIAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAHEBQSwMELQAAAAAAAAAhAMpkdOL//////////wUAFABtLm5weQEAEACYAAAAAAAAAJgAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAwAAAAEAAAAEAAAAAgAAAAUAAABQSwECLQMtAAAAAAAAACEA6w0vB5gAAACYAAAABQAAAAAAAAAAAAAAgAEAAAAAeC5ucHlQSwECLQMtAAAAAAAAACEAbCwhEYgAAACIAAAABQAAAAAAAAAAAAAAgAHPAAAAcy5ucHlQSwECLQMtAAAAAAAAACEAymR04pgAAACYAAAABQAAAAAAAAAAAAAAgAGOAQAAbS5ucHlQSwUGAAAAAAMAAwCZAAAAXQIAAAAA';

// np.savez_compressed of the same arrays. Its deflate streams come from CPython's zlib (1.2.13);
// Node bundles another zlib whose output differs, so the writer is compared on member contents only.
const NUMPY_SAVEZ_COMPRESSED =
  'UEsDBC0AAAAIAAAAIQDrDS8H//////////8FABQAeC5ucHkBABAAmAAAAAAAAABQAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6mjoKtQoUAC4GMPhhD6EZDkAoLgcAUEsDBC0AAAAIAAAAIQBsLCER//////////8FABQAcy5ucHkBABAAiAAAAAAAAABHAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5Gpo6CrUKFAEuBjCQcQAAUEsDBC0AAAAIAAAAIQDKZHTi//////////8FABQAbS5ucHkBABAAmAAAAAAAAABUAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TaaKuo6Cell9UUpSYF59flJIKEg8pKk0FChdnJBakArkaRjoKxpo6CrUK5AMuBiBgBmJGIGYBYiYgZgViAFBLAQItAy0AAAAIAAAAIQDrDS8HUAAAAJgAAAAFAAAAAAAAAAAAAACAAQAAAAB4Lm5weVBLAQItAy0AAAAIAAAAIQBsLCERRwAAAIgAAAAFAAAAAAAAAAAAAACAAYcAAABzLm5weVBLAQItAy0AAAAIAAAAIQDKZHTiVAAAAJgAAAAFAAAAAAAAAAAAAACAAQUBAABtLm5weVBLBQYAAAAAAwADAJkAAACQAQAAAAA=';

const MEMBERS = {
  x: npyBytes({ descr: '<f8', values: [1.5, -2, 3.25] }),
  s: npyBytes({ descr: '<f8', shape: [], values: [7] }),
  m: npyBytes({ descr: '<i4', shape: [2, 3], values: [0, 1, 2, 3, 4, 5], fortranOrder: true }),
};

function values(arrays: Map<string, NpyArray>, name: string): number[] {
  return Array.from(toFloat64(arrays.get(name)!, { file: 't', array: name }));
}

test("the writer reproduces np.savez's zip byte for byte", (t) => {
  t.is(Buffer.from(npzBytes(MEMBERS)).toString('base64'), NUMPY_SAVEZ);
});

test("the writer's savez_compressed holds the same members as numpy's", (t) => {
  const ours = unzipSync(npzBytes(MEMBERS, { compress: true }));
  const theirs = unzipSync(Buffer.from(NUMPY_SAVEZ_COMPRESSED, 'base64'));
  t.deepEqual(Object.keys(ours), Object.keys(theirs));
  for (const k of Object.keys(theirs)) t.true(Buffer.from(ours[k]).equals(Buffer.from(theirs[k])), k);
});

for (const [what, base64] of [['np.savez (stored)', NUMPY_SAVEZ], ['np.savez_compressed (deflated)', NUMPY_SAVEZ_COMPRESSED]]) {
  test(`the reader reads numpy's ${what} file with its zip64 local headers`, (t) => {
    const arrays = parseNpz(Buffer.from(base64, 'base64'), 'n.npz');
    t.deepEqual([...arrays.keys()], ['x', 's', 'm']);
    t.deepEqual(values(arrays, 'x'), [1.5, -2, 3.25]);
    t.deepEqual(arrays.get('s')!.shape, []);
    t.deepEqual(values(arrays, 's'), [7]);
    t.deepEqual(arrays.get('m')!.shape, [2, 3]);
    t.deepEqual(values(arrays, 'm'), [0, 1, 2, 3, 4, 5]);
  });
}

test('a zip64 end-of-central-directory record (as zipfile writes past 65 535 members) is followed', (t) => {
  const arrays = parseNpz(withZip64End(npzBytes(MEMBERS)), 'z64.npz');
  t.deepEqual(values(arrays, 'x'), [1.5, -2, 3.25]);
  t.deepEqual(values(arrays, 'm'), [0, 1, 2, 3, 4, 5]);
});

test('only: the other members are not decoded, so an object member elsewhere does not matter', (t) => {
  const bytes = npzBytes({ fng: npyBytes({ descr: '<f8', shape: [], values: [20] }), meta: rawNpyBytes('|O', [1], Uint8Array.from([0x80, 0x03, 0x4e, 0x2e])) });
  const arrays = parseNpz(bytes, 'i.npz', { only: ['fng'] });
  t.deepEqual([...arrays.keys()], ['fng']);
});

test('a requested object member is refused, naming the file and the array', (t) => {
  const bytes = npzBytes({ meta: rawNpyBytes('|O', [1], Uint8Array.from([0x80, 0x03, 0x4e, 0x2e])) });
  const err = t.throws(() => parseNpz(bytes, 'i.npz'), { instanceOf: NpyError });
  t.is(err.file, 'i.npz');
  t.is(err.array, 'meta');
  t.regex(err.message, /pickle/);
});

test('members that are not .npy are ignored', (t) => {
  const bytes = npzBytes({ x: npyBytes({ descr: '<f8', values: [1] }) });
  // rename x.npy to x.txt in both headers: same length, so offsets stay valid
  const patched = Buffer.from(Buffer.from(bytes).toString('latin1').replaceAll('x.npy', 'x.txt'), 'latin1');
  t.is(parseNpz(patched, 'r.npz').size, 0);
});

test('a flipped data byte in a stored member fails the CRC check, naming file and array', (t) => {
  const bytes = npzBytes({ fng: npyBytes({ descr: '<f8', values: [20] }) });
  const at = Buffer.from(bytes).indexOf(Buffer.from(new Float64Array([20]).buffer));
  bytes[at + 7] ^= 0x01;
  const err = t.throws(() => parseNpz(bytes, 'c.npz'), { instanceOf: NpyError });
  t.is(err.message, 'c.npz: array "fng": CRC-32 mismatch: the member is corrupt');
});

test('a truncated archive is an error naming the file', (t) => {
  const bytes = Buffer.from(NUMPY_SAVEZ, 'base64');
  const err = t.throws(() => parseNpz(bytes.subarray(0, bytes.length - 30), 'cut.npz'), { instanceOf: DataError });
  t.regex(err.message, /^cut\.npz: not a readable zip archive/);
});

test('a file that is not a zip is an error naming the file', (t) => {
  const err = t.throws(() => parseNpz(new TextEncoder().encode('hello, this is not a zip archive at all'), 'txt.npz'), { instanceOf: DataError });
  t.regex(err.message, /^txt\.npz: not a readable zip archive/);
});

test('a bare .npy named .npz is called out as such', (t) => {
  const err = t.throws(() => parseNpz(npyBytes({ descr: '<f8', values: [1] }), 'a.npz'), { instanceOf: DataError });
  t.is(err.message, 'a.npz: is a single .npy array, not a .npz archive');
});

test('a member claiming a huge size is refused before it is inflated', (t) => {
  const bytes = npzBytes({ x: npyBytes({ descr: '<f8', values: [1] }) });
  const central = Buffer.from(bytes).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(central + 24, 0xf0000000, true); // uncompressed size
  const err = t.throws(() => parseNpz(bytes, 'big.npz'), { instanceOf: DataError });
  t.regex(err.message, /^big\.npz: member x\.npy claims 4026531840 bytes/);
});

test('readNpz reads a file from disk', async (t) => {
  const path = join(tempDir(t), 'a.npz');
  writeFileSync(path, Buffer.from(NUMPY_SAVEZ, 'base64'));
  t.deepEqual(values(await readNpz(path, { only: ['x'] }), 'x'), [1.5, -2, 3.25]);
});

test('readNpz names the path when the file is missing', async (t) => {
  const missing = join(tempDir(t), 'b.npz');
  const err = await t.throwsAsync(readNpz(missing), { instanceOf: DataError });
  t.is(err.file, missing);
  t.regex(err.message, /ENOENT/);
});

/** Replaces the plain end record by zip64 record + locator + an end record of 0xFFFF…, as CPython does. */
function withZip64End(zip: Uint8Array): Uint8Array {
  const body = zip.subarray(0, zip.length - 22);
  const end = new DataView(zip.buffer, zip.byteOffset + zip.length - 22, 22);
  const count = end.getUint16(10, true), cdSize = end.getUint32(12, true), cdOffset = end.getUint32(16, true);
  const tail = new DataView(new ArrayBuffer(56 + 20 + 22));
  tail.setUint32(0, 0x06064b50, true);
  tail.setBigUint64(4, 44n, true);
  tail.setUint16(12, 45, true);
  tail.setUint16(14, 45, true);
  tail.setBigUint64(24, BigInt(count), true);
  tail.setBigUint64(32, BigInt(count), true);
  tail.setBigUint64(40, BigInt(cdSize), true);
  tail.setBigUint64(48, BigInt(cdOffset), true);
  tail.setUint32(56, 0x07064b50, true);
  tail.setBigUint64(64, BigInt(body.length), true);
  tail.setUint32(72, 1, true);
  tail.setUint32(76, 0x06054b50, true);
  tail.setUint16(84, 0xffff, true);
  tail.setUint16(86, 0xffff, true);
  tail.setUint32(88, 0xffffffff, true);
  tail.setUint32(92, 0xffffffff, true);
  const out = new Uint8Array(body.length + tail.byteLength);
  out.set(body);
  out.set(new Uint8Array(tail.buffer), body.length);
  return out;
}
