// Writes .npy and .npz files the way numpy 2.x on CPython 3.11 does, so tests can build NG3 folders
// without python. npyBytes is byte-identical to np.save; npzBytes(…, {compress: false}) is
// byte-identical to np.savez (zipfile with force_zip64, as numpy's _savez opens every member).
// np.savez_compressed's deflate stream comes from CPython's zlib; ours comes from Node's bundled zlib,
// which need not produce the same bytes, so only the members' contents are comparable there.

import { writeFile } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ArraySpec {
  /** numpy descr: `<f8`, `>i4`, `|b1`, `<U5`, … (anything: the refusal tests write `|O`) */
  descr: string;
  /** [] for a 0-d scalar; defaults to [values.length] */
  shape?: number[];
  /** the elements in C (row-major) order */
  values: ArrayLike<number | bigint | boolean> | readonly string[];
  /** store column-major, as numpy does for an F-contiguous array */
  fortranOrder?: boolean;
  /** .npy format version; default: numpy's choice (1.0 unless the header is too long) */
  version?: 1 | 2 | 3;
}

const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;

/** numpy's _write_array_header: sorted-key dict repr, growth spaces, padding to 64, final newline. */
export function npyHeader(descr: string, fortranOrder: boolean, shape: readonly number[], version?: 1 | 2 | 3): Uint8Array {
  const shapeRepr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeRepr}, }`;
  if (shape.length > 0) dict += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[fortranOrder ? shape.length - 1 : 0]).length);
  const text = new TextEncoder().encode(dict); // ASCII for every descr written here, so latin1 = utf-8
  const v = version ?? (headerTotal(text.length, 1) - 10 <= 0xffff ? 1 : 2);
  const prefix = v === 1 ? 10 : 12;
  const total = headerTotal(text.length, v);
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, v, 0]);
  const view = new DataView(out.buffer);
  if (v === 1) {
    if (total - prefix > 0xffff) throw new RangeError('header too long for .npy version 1.0');
    view.setUint16(8, total - prefix, true);
  } else view.setUint32(8, total - prefix, true);
  out.set(text, prefix);
  out.fill(0x20, prefix + text.length, total - 1);
  out[total - 1] = 0x0a;
  return out;
}

function headerTotal(textLen: number, version: number): number {
  const prefix = version === 1 ? 10 : 12;
  const hlen = textLen + 1;
  return prefix + hlen + (ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN));
}

/** np.save's bytes for the array. */
export function npyBytes(spec: ArraySpec): Uint8Array {
  const shape = spec.shape ?? [spec.values.length];
  const fortran = spec.fortranOrder ?? false;
  let data = encodeValues(spec.descr, spec.values);
  if (fortran && shape.length > 1) data = cToFortran(data, shape, data.length / Math.max(1, spec.values.length));
  return concat([npyHeader(spec.descr, fortran, shape, spec.version), data]);
}

/** A .npy with any descr and raw data bytes: for files numpy would write but the reader refuses. */
export function rawNpyBytes(descr: string, shape: readonly number[], data: Uint8Array): Uint8Array {
  return concat([npyHeader(descr, false, shape), data]);
}

function encodeValues(descr: string, values: ArraySpec['values']): Uint8Array {
  const m = /^([<>|])([a-zA-Z])(\d+)$/.exec(descr);
  if (m === null) throw new RangeError(`npy-writer: cannot encode ${descr}`);
  const little = m[1] !== '>';
  const code = m[2], n = Number(m[3]);
  if (code === 'U' || code === 'S') {
    const size = code === 'U' ? 4 * n : n;
    const out = new Uint8Array(size * values.length);
    const view = new DataView(out.buffer);
    (values as readonly string[]).forEach((s, i) => {
      const points = [...s].map((c) => c.codePointAt(0)!);
      if (points.length > n) throw new RangeError(`npy-writer: ${JSON.stringify(s)} longer than ${descr}`);
      points.forEach((p, j) => (code === 'U' ? view.setUint32(i * size + 4 * j, p, little) : view.setUint8(i * size + j, p)));
    });
    return out;
  }
  const out = new Uint8Array(n * values.length);
  const view = new DataView(out.buffer);
  const xs = values as ArrayLike<number | bigint | boolean>;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i], o = i * n;
    switch (`${code}${n}`) {
      case 'f8': view.setFloat64(o, Number(x), little); break;
      case 'f4': view.setFloat32(o, Number(x), little); break;
      case 'i8': view.setBigInt64(o, BigInt(x), little); break;
      case 'u8': view.setBigUint64(o, BigInt(x), little); break;
      case 'i4': view.setInt32(o, Number(x), little); break;
      case 'u4': view.setUint32(o, Number(x), little); break;
      case 'i2': view.setInt16(o, Number(x), little); break;
      case 'u2': view.setUint16(o, Number(x), little); break;
      case 'i1': view.setInt8(o, Number(x)); break;
      case 'u1': view.setUint8(o, Number(x)); break;
      case 'b1': view.setUint8(o, x ? 1 : 0); break;
      default: throw new RangeError(`npy-writer: cannot encode ${descr}`);
    }
  }
  return out;
}

function cToFortran(raw: Uint8Array, shape: readonly number[], size: number): Uint8Array {
  const out = new Uint8Array(raw.length);
  const nd = shape.length;
  const index = new Array<number>(nd).fill(0);
  const fStrides = new Array<number>(nd);
  let s = 1;
  for (let k = 0; k < nd; k++) {
    fStrides[k] = s;
    s *= shape[k];
  }
  for (let c = 0; c < raw.length / size; c++) {
    let f = 0;
    for (let k = 0; k < nd; k++) f += index[k] * fStrides[k];
    out.set(raw.subarray(c * size, (c + 1) * size), f * size);
    for (let k = nd - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

/**
 * np.savez / np.savez_compressed's zip. Per member, CPython 3.11's zipfile (ZipFile.open(name, 'w',
 * force_zip64=True)) writes: a local header with version 45, DOS date 1980-01-01 00:00 (the ZipInfo
 * default: open() in write mode never stamps the clock, which makes numpy's .npz deterministic),
 * sizes 0xFFFFFFFF and a zip64 extra field (id 1: size, compressed size); the data; then a central
 * directory (made by 45 on Unix, external attributes 0o600 << 16, no extra) and a plain end record.
 */
export function npzBytes(members: Readonly<Record<string, Uint8Array>>, options: { compress?: boolean } = {}): Uint8Array {
  const method = options.compress === true ? 8 : 0;
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [array, npy] of Object.entries(members)) {
    const name = `${array}.npy`;
    const ascii = /^[\x00-\x7f]*$/.test(name);
    const nameBytes = new TextEncoder().encode(name);
    const flags = ascii ? 0 : 0x800;
    const body = method === 8 ? deflateRawSync(npy) : npy;
    const crc = crc32(npy);

    const local = new DataView(new ArrayBuffer(30 + nameBytes.length + 20));
    writeCommon(local, 0, 0x04034b50, flags, method, crc);
    local.setUint32(18, 0xffffffff, true);
    local.setUint32(22, 0xffffffff, true);
    local.setUint16(26, nameBytes.length, true);
    local.setUint16(28, 20, true);
    new Uint8Array(local.buffer).set(nameBytes, 30);
    const x = 30 + nameBytes.length;
    local.setUint16(x, 1, true);
    local.setUint16(x + 2, 16, true);
    local.setBigUint64(x + 4, BigInt(npy.length), true);
    local.setBigUint64(x + 12, BigInt(body.length), true);
    locals.push(new Uint8Array(local.buffer), body);

    const central = new DataView(new ArrayBuffer(46 + nameBytes.length));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, (3 << 8) | 45, true); // made by: Unix, zip spec 4.5
    writeCommon(central, 2, 0, flags, method, crc);
    central.setUint32(20, body.length, true);
    central.setUint32(24, npy.length, true);
    central.setUint16(28, nameBytes.length, true);
    central.setUint32(38, 0o600 << 16, true);
    central.setUint32(42, offset, true);
    new Uint8Array(central.buffer).set(nameBytes, 46);
    centrals.push(new Uint8Array(central.buffer));
    offset += local.byteLength + body.length;
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, centrals.length, true);
  end.setUint16(10, centrals.length, true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  return concat([...locals, ...centrals, new Uint8Array(end.buffer)]);
}

// signature (unless 0), version needed 45, flags, method, time 0, date 1980-01-01, crc; `at` shifts the
// fields by the central header's extra "version made by"
function writeCommon(v: DataView, at: number, signature: number, flags: number, method: number, crc: number): void {
  if (signature !== 0) v.setUint32(0, signature, true);
  v.setUint16(at + 4, 45, true);
  v.setUint16(at + 6, flags, true);
  v.setUint16(at + 8, method, true);
  v.setUint16(at + 10, 0, true);
  v.setUint16(at + 12, (0 << 9) | (1 << 5) | 1, true);
  v.setUint32(at + 14, crc, true);
}

/** np.savez(path, **arrays) (or savez_compressed) for arrays given as specs. */
export async function writeNpz(path: string, arrays: Readonly<Record<string, ArraySpec>>, options: { compress?: boolean } = {}): Promise<void> {
  const members: Record<string, Uint8Array> = {};
  for (const [name, spec] of Object.entries(arrays)) members[name] = npyBytes(spec);
  await writeFile(path, npzBytes(members, options));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
