// Reading trades from files and directories: picks the reader by name and content, reads one
// instrument's files in name order, and returns the trades in time order with what was skipped.
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BinanceMessageError } from '../../market/binance-messages.ts';
import { captureTrades } from '../../market/binance-ws-capture.ts';
import { DataError } from '../../market/errors.ts';
import { TradeDataError } from '../../market/trade.ts';
import { concatColumns, countOutOfOrder, sortByTime, TradeColumnsBuilder, type TradeColumns } from './trade-columns.ts';
import { readTradesParquet } from './trade-parquet.ts';
import { parseTradesCsv, parseTradesJson, parseTradesJsonLines } from './trade-text.ts';

export type TradeFileFormat = 'parquet' | 'json' | 'jsonl' | 'csv' | 'capture';

export interface LoadedTrades {
  trades: TradeColumns;
  files: { file: string; format: TradeFileFormat; trades: number }[];
  /** files in a directory that were not read, and why */
  skipped: { file: string; reason: string }[];
  /** trades that were earlier than the one before them (sorted into place) */
  reordered: number;
}

// a format preference for the same data stored several ways (freqtrade keeps .parquet and .json.gz)
const PREFERENCE: readonly TradeFileFormat[] = ['parquet', 'json', 'csv', 'jsonl', 'capture'];

/** The format a file name says; null for names no reader takes. A bare `.gz` is a websocket capture. */
export function formatFromName(file: string): TradeFileFormat | null {
  const name = basename(file).toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.parquet')) return 'parquet';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.csv')) return 'csv';
  if (basename(file).toLowerCase().endsWith('.gz') && !name.includes('.')) return 'capture';
  return null;
}

/** One file's trades, in file order. */
export async function readTradeFile(file: string, format = formatFromName(file)): Promise<TradeColumns> {
  if (format === null) throw new DataError({ file }, 'unknown trade file type: expected .parquet, .json[.gz], .jsonl[.gz], .csv[.gz] or a Binance capture .gz');
  if (format === 'parquet') return readTradesParquet(file);
  if (format === 'capture') {
    const b = new TradeColumnsBuilder();
    try {
      for await (const ev of captureTrades(file)) b.pushTrade(ev.trade);
    } catch (err) {
      // one error type for every reader: file, row (the capture's line) and column (the field)
      if (err instanceof BinanceMessageError || err instanceof TradeDataError) {
        throw new DataError({ file, row: err.line, column: err.field }, err.detail, { cause: err });
      }
      throw err;
    }
    return b.finish();
  }
  const text = await readText(file);
  if (format === 'json') return parseTradesJson(text, file);
  if (format === 'jsonl') return parseTradesJsonLines(text, file);
  return parseTradesCsv(text, file);
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new DataError({ file }, `cannot read: ${(err as Error).message}`, { cause: err });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new DataError({ file }, `corrupt gzip: ${(err as Error).message}`, { cause: err });
    }
  }
  return bytes.toString('utf8');
}

/**
 * The instrument a file belongs to: its name without format extensions and without a trailing date
 * (`XRPETH-aggTrades-2019-10.csv` → `XRPETH-aggTrades`, `spot_btcusdt_20240808.gz` → `spot_btcusdt`).
 */
export function instrumentKey(file: string): string {
  const stem = dataStem(file);
  return stem.replace(/[-_.]?\d{4}(?:[-_]?\d{2}){0,2}$/, '') || stem;
}

/** The name without format extensions: the same data stored twice has the same stem. */
export function dataStem(file: string): string {
  return basename(file).replace(/\.gz$/i, '').replace(/\.(parquet|json|jsonl|ndjson|csv)$/i, '');
}

/**
 * Trades from files and/or directories. A directory contributes its trade files (by name), one file
 * per stem (the preferred format when the same data is stored several ways; the others are listed
 * in `skipped`), and must hold one instrument only. Files are concatenated in the order given
 * (directory files by name) and the result is put in time order (stable).
 */
export async function loadTrades(paths: readonly string[], onFile?: (file: string) => void): Promise<LoadedTrades> {
  const files: string[] = [];
  const skipped: LoadedTrades['skipped'] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      throw new DataError({ file: p }, `cannot read: ${(err as Error).message}`, { cause: err });
    }
    if (!isDir) {
      files.push(p);
      continue;
    }
    files.push(...pickDirectoryFiles(p, skipped));
  }
  if (files.length === 0) throw new DataError({ file: paths.join(', ') }, 'no trade files (.parquet, .json[.gz], .jsonl[.gz], .csv[.gz], capture .gz)');
  const parts: TradeColumns[] = [];
  const read: LoadedTrades['files'] = [];
  for (const f of files) {
    onFile?.(f);
    const format = formatFromName(f);
    const t = await readTradeFile(f, format);
    parts.push(t);
    read.push({ file: f, format: format!, trades: t.length });
  }
  const all = parts.length === 1 ? parts[0] : concatColumns(parts);
  const reordered = countOutOfOrder(all);
  return { trades: sortByTime(all), files: read, skipped, reordered };
}

function pickDirectoryFiles(dir: string, skipped: LoadedTrades['skipped']): string[] {
  const names = readdirSync(dir).sort();
  const byStem = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) continue;
    const format = formatFromName(file);
    if (format === null) {
      skipped.push({ file, reason: 'not a trade file type this reader takes (.feather / Arrow IPC and others are not read)' });
      continue;
    }
    const stem = dataStem(file);
    const seen = byStem.get(stem);
    if (seen === undefined) {
      byStem.set(stem, file);
      continue;
    }
    const [keep, drop] = PREFERENCE.indexOf(format) < PREFERENCE.indexOf(formatFromName(seen)!) ? [file, seen] : [seen, file];
    byStem.set(stem, keep);
    skipped.push({ file: drop, reason: `same data as ${basename(keep)} (one format per stem is read)` });
  }
  const picked = [...byStem.values()].sort();
  const instruments = [...new Set(picked.map(instrumentKey))];
  if (instruments.length > 1) {
    throw new DataError({ file: dir }, `holds trades of ${instruments.length} instruments (${instruments.join(', ')}): pass the files of one instrument instead of the directory`);
  }
  return picked;
}
