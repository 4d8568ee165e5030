// Parquet day files (the bible's vbt_cache_klines layout), read column-wise with hyparquet.

import { readFile } from 'node:fs/promises';
import {
  asyncBufferFromFile,
  parquetMetadata,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type DecodedArray,
  type FileMetaData,
  type ParquetParsers,
  type SchemaElement,
} from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { DayFrame } from '../engine/types.ts';
import { parseNumberCell } from './cells.ts';
import { DataError, quoteCell } from './errors.ts';
import { checkHeader, frameColumns, TIMESTAMP_COLUMN, type RawDay } from './frame.ts';
import { epochToMs, formatIsoMs, parseTimestampCell } from './time.ts';

// Timestamp-typed columns decode straight to epoch ms (hyparquet's default would build Date objects).
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms: bigint) => Number(ms),
  timestampFromMicroseconds: (us: bigint) => Number(us / 1000n) + Number(us % 1000n) / 1e3,
  timestampFromNanoseconds: (ns: bigint) => Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6,
  dateFromDays: (days: number) => days * 86_400_000,
};

type Kind = 'number' | 'timestamp-ms' | 'timestamp-any';

const PANDAS_INDEX = /^__index_level_\d+__$/;

export async function parseDayParquet(file: string, date: string): Promise<RawDay> {
  const bytes = await guard(file, () => readFile(file));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = guard(file, () => parquetMetadata(buffer));
  const { header, elements } = topLevelColumns(file, metadata);
  checkHeader(file, header);

  const rows = Number(metadata.num_rows);
  // scan_number and pandas' stored index are neither signal nor price: not worth decoding
  const wanted = header.filter((name) => name !== 'scan_number' && !PANDAS_INDEX.test(name));
  const out = new Map<string, Float64Array>();
  for (const name of wanted) out.set(name, new Float64Array(rows));
  await readColumns(file, buffer, metadata, wanted, elements, out);

  const names = wanted.filter((name) => name !== TIMESTAMP_COLUMN);
  return {
    file,
    date,
    rows,
    names,
    columns: names.map((name) => out.get(name)!),
    timestamps: out.get(TIMESTAMP_COLUMN) ?? null,
  };
}

/** Row count and one column, reading only the footer and that column's pages. */
export async function parseParquetColumn(file: string, column: string): Promise<{ rows: number; values: Float64Array | null }> {
  const source = await guard(file, () => asyncBufferFromFile(file));
  const metadata = await guard(file, () => parquetMetadataAsync(source));
  const rows = Number(metadata.num_rows);
  const { header, elements } = topLevelColumns(file, metadata);
  if (!header.includes(column)) return { rows, values: null };
  const values = new Float64Array(rows);
  await readColumns(file, source, metadata, [column], elements, new Map([[column, values]]));
  return { rows, values };
}

export async function parquetRowCount(file: string): Promise<number> {
  const source = await guard(file, () => asyncBufferFromFile(file));
  const metadata = await guard(file, () => parquetMetadataAsync(source));
  return Number(metadata.num_rows);
}

async function readColumns(
  file: string,
  source: AsyncBuffer,
  metadata: FileMetaData,
  columns: string[],
  elements: Map<string, SchemaElement>,
  out: Map<string, Float64Array>,
): Promise<void> {
  let failure: unknown = null;
  await guard(file, () =>
    parquetRead({
      file: source,
      metadata,
      columns,
      parsers: PARSERS,
      onChunk: ({ columnName, columnData, rowStart }) => {
        // hyparquet calls this from a detached .then: a throw would be an unhandled rejection. Keep the
        // first error and rethrow it after the read.
        if (failure !== null) return;
        try {
          const target = out.get(columnName);
          if (target === undefined) return;
          const kind = columnName === TIMESTAMP_COLUMN ? timestampKind(elements.get(columnName)) : 'number';
          fill(file, columnName, kind, columnData, target, rowStart);
        } catch (err) {
          failure = err;
        }
      },
    }),
  );
  if (failure !== null) throw failure;
}

function topLevelColumns(file: string, metadata: FileMetaData): { header: string[]; elements: Map<string, SchemaElement> } {
  const schema = guard(file, () => parquetSchema(metadata));
  const header: string[] = [];
  const elements = new Map<string, SchemaElement>();
  for (const child of schema.children) {
    const name = child.element.name;
    if (child.children.length > 0) throw new DataError({ file, column: name }, 'nested column: day files hold flat columns');
    header.push(name);
    elements.set(name, child.element);
  }
  return { header, elements };
}

function timestampKind(element: SchemaElement | undefined): Kind {
  if (element === undefined) return 'timestamp-any';
  const ct = element.converted_type;
  const lt = element.logical_type?.type;
  const typed =
    element.type === 'INT96' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || ct === 'DATE' || lt === 'TIMESTAMP' || lt === 'DATE';
  return typed ? 'timestamp-ms' : 'timestamp-any';
}

function fill(file: string, column: string, kind: Kind, data: DecodedArray, out: Float64Array, offset: number): void {
  const n = Math.min(data.length, out.length - offset);
  if (kind === 'number' && (data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array)) {
    out.set(n === data.length ? data : data.subarray(0, n), offset);
    return;
  }
  for (let i = 0; i < n; i++) out[offset + i] = toNumber(file, column, kind, data[i], offset + i + 1);
}

function toNumber(file: string, column: string, kind: Kind, v: unknown, row: number): number {
  if (v === null || v === undefined) {
    if (kind === 'number') return NaN;
    throw new DataError({ file, row, column }, 'missing timestamp');
  }
  if (kind === 'timestamp-ms' && typeof v === 'number') return v;
  if (typeof v === 'number') return kind === 'number' ? v : epochToMs(v);
  if (typeof v === 'bigint') return kind === 'number' ? Number(v) : epochToMs(Number(v));
  if (typeof v === 'string') {
    const x = kind === 'number' ? parseNumberCell(v) : parseTimestampCell(v);
    if (x === null || (kind !== 'number' && x !== x)) {
      throw new DataError({ file, row, column }, `${kind === 'number' ? 'not a number' : 'not a timestamp'} (${quoteCell(v)})`);
    }
    return x;
  }
  if (v instanceof Date && kind !== 'number') return v.getTime();
  throw new DataError({ file, row, column }, `not a number (${typeof v} value)`);
}

/** Parquet bytes of a day: INT64 ms timestamps (when whole ms), then DOUBLE signal and price columns. */
export function encodeDayParquet(frame: DayFrame): ArrayBuffer {
  const cols = frameColumns(frame);
  const columnData: Parameters<typeof parquetWriteBuffer>[0]['columnData'] = [];
  const ts = frame.timestamps;
  if (ts !== null) {
    // Sub-millisecond timestamps (from µs/ns sources) stay exact as DOUBLE epoch ms; the reader's
    // magnitude rule reads them back as ms.
    const wholeMs = ts.every((t) => formatIsoMs(t) !== null);
    columnData.push(
      wholeMs
        ? { name: TIMESTAMP_COLUMN, data: Array.from(ts), type: 'TIMESTAMP', nullable: false }
        : { name: TIMESTAMP_COLUMN, data: ts, type: 'DOUBLE', nullable: false },
    );
  }
  for (const [name, data] of cols) columnData.push({ name, data, type: 'DOUBLE', nullable: false });
  return parquetWriteBuffer({ columnData, rowGroupSize: 100_000 });
}

// hyparquet reports corrupt or unsupported files (e.g. ZSTD) with plain Errors: give them a location.
function guard<T>(file: string, fn: () => T): T {
  try {
    const result = fn();
    if (result instanceof Promise) {
      return result.catch((err: unknown) => {
        throw wrap(file, err);
      }) as T;
    }
    return result;
  } catch (err) {
    throw wrap(file, err);
  }
}

function wrap(file: string, err: unknown): unknown {
  if (err instanceof DataError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const hint = /compression codec/.test(message) ? ' (hyparquet reads uncompressed and SNAPPY files; rewrite the file with snappy)' : '';
  return new DataError({ file }, `unreadable parquet: ${message}${hint}`, { cause: err });
}
