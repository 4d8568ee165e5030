// Trade tables in parquet (freqtrade's `<PAIR>-trades.parquet`, nautilus' trade fixtures, any table
// with a time, price, amount and aggressor column), read column-wise with hyparquet. BROTLI and GZIP
// pages are decompressed with node:zlib (hyparquet itself reads only uncompressed and SNAPPY).
import { readFile } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetRead, parquetSchema, type Compressors, type DecodedArray } from 'hyparquet';
import { DataError } from '../../market/errors.ts';
import type { TradeColumns } from './trade-columns.ts';
import { buyerMakerValue, checkTradeValues, numberValue, sideValue, timeValue, tradeFieldIndex } from './trade-fields.ts';

const COMPRESSORS: Compressors = {
  BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
  GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
};

// Timestamp-typed columns decode to epoch ms numbers (hyparquet's default builds Date objects).
const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => Number(ms),
  timestampFromMicroseconds: (us: bigint) => Number(us) / 1e3,
  timestampFromNanoseconds: (ns: bigint) => Number(ns) / 1e6,
};

export async function readTradesParquet(file: string): Promise<TradeColumns> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new DataError({ file }, `cannot read: ${(err as Error).message}`, { cause: err });
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = guard(file, () => parquetMetadata(buffer));
  const header = guard(file, () => parquetSchema(metadata)).children.map((c) => c.element.name);
  const fields = tradeFieldIndex(header, file);
  const names = fields.names;
  const n = Number(metadata.num_rows);
  type Field = 'ts' | 'price' | 'amount' | 'side';
  const key = new Map<string, Field>([[names.ts, 'ts'], [names.price, 'price'], [names.amount, 'amount'], [names.aggressor, 'side']]);
  const chunks: { k: Field; start: number; data: DecodedArray }[] = [];
  await guard(file, () =>
    parquetRead({
      file: buffer, metadata, columns: [names.ts, names.price, names.amount, names.aggressor],
      compressors: COMPRESSORS, parsers: PARSERS,
      // only collected here: hyparquet calls this from a detached promise, where a throw would be lost
      onChunk: ({ columnName, columnData, rowStart }) => {
        const k = key.get(columnName);
        if (k !== undefined) chunks.push({ k, start: rowStart, data: columnData });
      },
    }),
  );
  const ts = new Float64Array(n), price = new Float64Array(n), amount = new Float64Array(n), side = new Int8Array(n);
  const cols = { ts: new Array<unknown>(n), price: new Array<unknown>(n), amount: new Array<unknown>(n), side: new Array<unknown>(n) };
  for (const c of chunks) {
    const target = cols[c.k];
    const m = Math.min(c.data.length, n - c.start);
    for (let i = 0; i < m; i++) target[c.start + i] = c.data[i];
  }
  const readSide = fields.aggressorKind === 'side' ? sideValue : buyerMakerValue;
  for (let i = 0; i < n; i++) {
    const r = { ts: cols.ts[i], price: cols.price[i], amount: cols.amount[i], side: cols.side[i] };
    ts[i] = timeValue(r.ts);
    price[i] = numberValue(r.price);
    amount[i] = numberValue(r.amount);
    side[i] = checkTradeValues(ts[i], price[i], amount[i], readSide(r.side), r, file, i + 1, names);
  }
  return { length: n, ts, price, amount, side };
}

function guard<T>(file: string, fn: () => T): T {
  const wrap = (err: unknown): unknown => {
    if (err instanceof DataError) return err;
    const message = err instanceof Error ? err.message : String(err);
    const hint = /compression codec/.test(message) ? ' (readable: uncompressed, SNAPPY, GZIP, BROTLI; rewrite the file with one of them)' : '';
    return new DataError({ file }, `unreadable parquet: ${message}${hint}`, { cause: err });
  };
  try {
    const r = fn();
    if (r instanceof Promise) return r.catch((e: unknown) => { throw wrap(e); }) as T;
    return r;
  } catch (err) {
    throw wrap(err);
  }
}
