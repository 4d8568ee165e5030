// numpy's .npz (np.savez / np.savez_compressed): a zip of `<name>.npy` members, stored or deflated,
// written with zip64 extra fields. fflate unpacks it; CRC-32s are checked here because fflate does
// not, and numpy's own reader (zipfile) rejects a member whose CRC does not match.

import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { unzipSync } from 'fflate';
import { DataError } from './errors.ts';
import { NpyError, parseNpy, type NpyArray } from './npy.ts';

export interface NpzOptions {
  /**
   * Decode only these arrays (names without `.npy`); the others are not even decompressed, so an
   * unrelated object (pickle) member or a huge matrix does not stop the caller from reading the rest.
   */
  only?: Iterable<string>;
}

/** A member larger than this is refused before fflate allocates it: a corrupt size must not exhaust memory. */
export const MAX_MEMBER_BYTES = 512 * 1024 * 1024;

export async function readNpz(path: string, options: NpzOptions = {}): Promise<Map<string, NpyArray>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new DataError({ file: path }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return parseNpz(bytes, path, options);
}

/** The `.npy` members of a .npz by array name (numpy's `NpzFile.files`); other members are ignored. */
export function parseNpz(bytes: Uint8Array, file: string, options: NpzOptions = {}): Map<string, NpyArray> {
  if (bytes[0] === 0x93 && bytes[1] === 0x4e) throw new DataError({ file }, 'is a single .npy array, not a .npz archive');
  const only = options.only === undefined ? null : new Set(options.only);
  const wanted = (member: string): boolean => member.endsWith('.npy') && (only === null || only.has(member.slice(0, -4)));

  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter: (f) => {
        if (!wanted(f.name)) return false;
        if (f.originalSize > MAX_MEMBER_BYTES) {
          throw new DataError({ file }, `member ${f.name} claims ${f.originalSize} bytes (limit ${MAX_MEMBER_BYTES})`);
        }
        return true;
      },
    });
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError({ file }, `not a readable zip archive (${(err as Error).message})`, { cause: err });
  }

  const crcs = centralCrcs(bytes, file);
  const out = new Map<string, NpyArray>();
  for (const [member, data] of Object.entries(members)) {
    const array = member.slice(0, -4);
    const expected = crcs.get(member);
    if (expected === undefined) throw new NpyError({ file, array }, 'member missing from the zip central directory');
    if (crc32(data) !== expected) throw new NpyError({ file, array }, 'CRC-32 mismatch: the member is corrupt');
    out.set(array, parseNpy(data, { file, array }));
  }
  return out;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;

/** name → CRC-32 from the central directory (the walk fflate makes, keeping the field it drops). */
function centralCrcs(bytes: Uint8Array, file: string): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (detail: string): never => {
    throw new DataError({ file }, `not a readable zip archive (${detail})`);
  };
  let e = bytes.length - 22;
  while (e >= 0 && view.getUint32(e, true) !== EOCD) {
    if (bytes.length - e > 65_557) fail('no end of central directory');
    e--;
  }
  if (e < 0) fail('no end of central directory');
  let count = view.getUint16(e + 10, true);
  let offset = view.getUint32(e + 16, true);
  if (e >= 20 && view.getUint32(e - 20, true) === ZIP64_LOCATOR) {
    const z = Number(view.getBigUint64(e - 12, true));
    if (z + 56 <= bytes.length && view.getUint32(z, true) === ZIP64_EOCD) {
      count = Number(view.getBigUint64(z + 32, true));
      offset = Number(view.getBigUint64(z + 48, true));
    }
  }
  const out = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL) fail(`central directory entry ${i} is damaged`);
    const flags = view.getUint16(offset + 8, true);
    const crc = view.getUint32(offset + 16, true);
    const nameLen = view.getUint16(offset + 28, true);
    const extraLen = view.getUint16(offset + 30, true);
    const commentLen = view.getUint16(offset + 32, true);
    // the same name decoding as fflate: utf-8 when flagged, else latin1 (cp437 in the spec; ASCII in practice)
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(bytes.subarray(offset + 46, offset + 46 + nameLen));
    out.set(name, crc);
    offset += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
