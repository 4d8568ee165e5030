// numpy's .npy format (versions 1.0, 2.0, 3.0) → typed arrays. Numeric dtypes and fixed-width strings
// are decoded; object arrays are pickles and are refused without reading their bytes: unpickling runs
// arbitrary code, and a data file must never be able to do that.

import { readFile } from 'node:fs/promises';
import { DataError } from './errors.ts';

export type NumericDtype = 'f8' | 'f4' | 'i8' | 'i4' | 'i2' | 'i1' | 'u8' | 'u4' | 'u2' | 'u1' | 'b1';

export type NpyData =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

interface NpyCommon {
  /** the header's descr as written, e.g. `<f8`, `>i4`, `<U11` */
  descr: string;
  /** [] for a 0-d scalar */
  shape: number[];
  /** how the file stored the elements; `data` is always in C (row-major) order */
  fortranOrder: boolean;
  version: '1.0' | '2.0' | '3.0';
}

export interface NpyNumeric extends NpyCommon {
  kind: 'numeric';
  dtype: NumericDtype;
  /** b1 is a Uint8Array of 0/1; i8/u8 are BigInt arrays */
  data: NpyData;
}

/** `<U…` (UCS-4) and `|S…` (bytes) arrays: plain fixed-width data, trailing NULs stripped as numpy does. */
export interface NpyStrings extends NpyCommon {
  kind: 'string';
  dtype: 'U' | 'S';
  data: string[];
}

export type NpyArray = NpyNumeric | NpyStrings;

/** Where an array came from: the file, and the array's name inside a .npz. */
export interface NpySource {
  file: string;
  array?: string;
}

/** A .npy problem: a DataError naming the file and, inside a .npz, the array. */
export class NpyError extends DataError {
  readonly array?: string;

  constructor(src: NpySource, detail: string, options?: { cause?: unknown }) {
    super({ file: src.file }, src.array === undefined ? detail : `array ${JSON.stringify(src.array)}: ${detail}`, options);
    if (src.array !== undefined) this.array = src.array;
  }
}

export const SUPPORTED_DTYPES = 'f8 f4 i8 i4 i2 i1 u8 u4 u2 u1 b1 (either byte order), U<n>, S<n>';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const NUMERIC_SIZES: Record<NumericDtype, number> = { f8: 8, f4: 4, i8: 8, i4: 4, i2: 2, i1: 1, u8: 8, u4: 4, u2: 2, u1: 1, b1: 1 };

export async function readNpy(path: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new NpyError({ file: path }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return parseNpy(bytes, { file: path });
}

export function parseNpy(bytes: Uint8Array, src: NpySource): NpyArray {
  const fail = (detail: string): never => {
    throw new NpyError(src, detail);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy array (no \\x93NUMPY magic)');
  const major = bytes[6], minor = bytes[7];
  if (minor !== 0 || major < 1 || major > 3) fail(`unsupported .npy format version ${major}.${minor} (supported 1.0, 2.0, 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) fail('truncated header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = prefix + headerLen;
  if (dataStart > bytes.length) fail(`truncated header (${headerLen} bytes announced, ${bytes.length - prefix} present)`);
  const headerBytes = bytes.subarray(prefix, dataStart);
  // 1.0 and 2.0 headers are latin1; 3.0 exists only to allow utf-8 (numpy's _header_size_info)
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const header = parseHeader(headerText, fail);

  const version = `${major}.0` as NpyArray['version'];
  const common = { descr: header.descr, shape: header.shape, fortranOrder: header.fortranOrder, version };
  const type = parseDescr(header.descr, fail);
  const count = elementCount(header.shape, fail);
  const need = count * type.size;
  const have = bytes.length - dataStart;
  if (have < need) fail(`truncated data: shape ${formatShape(header.shape)} of ${header.descr} needs ${need} bytes, file has ${have}`);
  if (have > need) fail(`${have - need} unexpected bytes after the data (shape ${formatShape(header.shape)} of ${header.descr})`);

  // copy into a fresh, aligned buffer: typed arrays cannot view a misaligned offset (and Buffer.slice
  // would not copy: it views Node's shared pool)
  let raw: Uint8Array = new Uint8Array(need);
  raw.set(bytes.subarray(dataStart, dataStart + need));
  if (type.bigEndian && type.wordSize > 1) swapBytes(raw, type.wordSize);
  if (header.fortranOrder && header.shape.length > 1) raw = fortranToC(raw, header.shape, type.size);

  if (type.kind === 'string') {
    return { ...common, kind: 'string', dtype: type.dtype, data: decodeStrings(raw, count, type.size, type.dtype) };
  }
  return { ...common, kind: 'numeric', dtype: type.dtype, data: numericView(raw, type.dtype) };
}

/** A shape as numpy prints it: (), (3,), (2, 3). */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The values as float64: booleans are 0/1, 64-bit integers beyond 2^53 round. Strings are refused. */
export function toFloat64(arr: NpyArray, src: NpySource): Float64Array {
  if (arr.kind === 'string') throw new NpyError(src, `is a ${arr.descr} string array, not numbers`);
  const { data } = arr;
  if (data instanceof Float64Array) return data;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  return out;
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

function parseHeader(text: string, fail: (detail: string) => never): Header {
  let value: PyValue;
  try {
    value = parsePyLiteral(text);
  } catch (err) {
    return fail(`header is not a Python dict literal (${(err as Error).message})`);
  }
  if (!(value instanceof Map)) return fail('header is not a dict');
  const keys = [...value.keys()].sort().join(',');
  if (keys !== 'descr,fortran_order,shape') fail(`header keys are ${JSON.stringify(keys)}, expected descr, fortran_order, shape`);
  const descr = value.get('descr');
  const fortranOrder = value.get('fortran_order');
  const shape = value.get('shape');
  if (Array.isArray(descr)) fail('structured (record) dtype: not supported');
  if (typeof descr !== 'string') fail('header descr is not a string');
  if (typeof fortranOrder !== 'boolean') fail('header fortran_order is not True/False');
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    fail('header shape is not a tuple of non-negative integers');
  }
  return { descr: descr as string, fortranOrder: fortranOrder as boolean, shape: shape as number[] };
}

interface TypeInfo {
  kind: 'numeric' | 'string';
  dtype: NumericDtype | 'U' | 'S';
  /** bytes per element */
  size: number;
  /** bytes per swapped unit: the element for numbers, 4 for a UCS-4 code unit, 1 for bytes */
  wordSize: number;
  bigEndian: boolean;
}

function parseDescr(descr: string, fail: (detail: string) => never): TypeInfo & ({ kind: 'numeric'; dtype: NumericDtype } | { kind: 'string'; dtype: 'U' | 'S' }) {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  if (m === null) return fail(`unsupported dtype ${JSON.stringify(descr)} (supported: ${SUPPORTED_DTYPES})`);
  const [, order, code, digits] = m;
  if (code === 'O') fail(`object dtype ${descr}: the array is a pickle and is refused (never unpickled); save it with a numeric or string dtype`);
  const n = digits === '' ? NaN : Number(digits);
  if (code === 'U' || code === 'S') {
    if (!(n >= 1)) fail(`zero-width string dtype ${descr}: not supported`);
    if (code === 'U' && order !== '<' && order !== '>') fail(`string dtype ${descr} needs an explicit byte order (< or >)`);
    return { kind: 'string', dtype: code, size: code === 'U' ? 4 * n : n, wordSize: code === 'U' ? 4 : 1, bigEndian: order === '>' };
  }
  const dtype = `${code}${digits}` as NumericDtype;
  const size = NUMERIC_SIZES[dtype];
  if (size === undefined) return fail(`unsupported dtype ${JSON.stringify(descr)} (supported: ${SUPPORTED_DTYPES})`);
  // '=' (native) would depend on the machine that wrote the file; numpy itself always writes < > or |
  if (size > 1 && order !== '<' && order !== '>') fail(`dtype ${descr} needs an explicit byte order (< or >)`);
  return { kind: 'numeric', dtype, size, wordSize: size, bigEndian: order === '>' };
}

function elementCount(shape: readonly number[], fail: (detail: string) => never): number {
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (!Number.isSafeInteger(n)) fail(`shape ${formatShape(shape)} is too large`);
  }
  return n;
}

function swapBytes(raw: Uint8Array, word: number): void {
  for (let i = 0; i < raw.length; i += word) raw.subarray(i, i + word).reverse();
}

/** Reorders elements stored column-major (first axis fastest) into row-major (last axis fastest). */
function fortranToC(raw: Uint8Array, shape: readonly number[], size: number): Uint8Array {
  const out = new Uint8Array(raw.length);
  const nd = shape.length;
  const cStrides = new Array<number>(nd);
  let s = 1;
  for (let k = nd - 1; k >= 0; k--) {
    cStrides[k] = s;
    s *= shape[k];
  }
  const index = new Array<number>(nd).fill(0);
  const count = raw.length / size;
  for (let f = 0; f < count; f++) {
    let c = 0;
    for (let k = 0; k < nd; k++) c += index[k] * cStrides[k];
    out.set(raw.subarray(f * size, (f + 1) * size), c * size);
    for (let k = 0; k < nd; k++) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

function numericView(raw: Uint8Array, dtype: NumericDtype): NpyData {
  const { buffer } = raw;
  switch (dtype) {
    case 'f8': return new Float64Array(buffer);
    case 'f4': return new Float32Array(buffer);
    case 'i8': return new BigInt64Array(buffer);
    case 'i4': return new Int32Array(buffer);
    case 'i2': return new Int16Array(buffer);
    case 'i1': return new Int8Array(buffer);
    case 'u8': return new BigUint64Array(buffer);
    case 'u4': return new Uint32Array(buffer);
    case 'u2': return new Uint16Array(buffer);
    case 'u1': return raw;
    case 'b1': return raw.map((b) => (b === 0 ? 0 : 1));
  }
}

function decodeStrings(raw: Uint8Array, count: number, size: number, dtype: 'U' | 'S'): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const cell = raw.subarray(i * size, (i + 1) * size);
    if (dtype === 'S') {
      let end = cell.length;
      while (end > 0 && cell[end - 1] === 0) end--;
      out.push(new TextDecoder('latin1').decode(cell.subarray(0, end)));
    } else {
      // raw is little-endian here (big-endian input was swapped above)
      const units = new DataView(cell.buffer, cell.byteOffset, cell.byteLength);
      let s = '';
      for (let j = 0; j < size; j += 4) s += String.fromCodePoint(units.getUint32(j, true));
      out.push(s.replace(/\0+$/, ''));
    }
  }
  return out;
}

// ---- the header's Python literal: dicts, tuples, lists, strings, integers, True/False/None ----

type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

/** Parses the small subset of Python literals numpy writes in headers; never evaluates anything. */
export function parsePyLiteral(text: string): PyValue {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const expect = (ch: string): void => {
    ws();
    if (text[i] !== ch) throw new Error(`expected ${JSON.stringify(ch)} at offset ${i}`);
    i++;
  };
  const seq = (close: string, item: () => void): void => {
    ws();
    while (text[i] !== close) {
      item();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== close) throw new Error(`expected "," or ${JSON.stringify(close)} at offset ${i}`);
      ws();
    }
    i++;
  };
  const value = (): PyValue => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const map = new Map<string, PyValue>();
      seq('}', () => {
        const key = value();
        if (typeof key !== 'string') throw new Error('dict key is not a string');
        if (map.has(key)) throw new Error(`duplicate key ${JSON.stringify(key)}`);
        expect(':');
        map.set(key, value());
      });
      return map;
    }
    if (ch === '(' || ch === '[') {
      i++;
      const items: PyValue[] = [];
      seq(ch === '(' ? ')' : ']', () => items.push(value()));
      return items;
    }
    if (ch === "'" || ch === '"') {
      let s = '';
      for (i++; i < text.length && text[i] !== ch; i++) s += text[i] === '\\' ? text[++i] : text[i];
      if (i >= text.length) throw new Error('unterminated string');
      i++;
      return s;
    }
    const word = /^(True|False|None|-?\d+L?)/.exec(text.slice(i));
    if (word === null) throw new Error(`unexpected ${JSON.stringify(text.slice(i, i + 10))} at offset ${i}`);
    i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0].replace('L', '')); // 'L': Python 2 long, still found in old files
  };
  const result = value();
  ws();
  if (i !== text.length) throw new Error(`unexpected text after the literal at offset ${i}`);
  return result;
}
