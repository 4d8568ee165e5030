// Writes a run's result files into one folder. Used by `dolphin backtest` and by the actor node.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult, TradeRecord } from '../engine/types.ts';
import { dailyCsv } from './daily-csv.ts';
import { reportHtml } from './html.ts';
import { summaryJson } from './summary-json.ts';
import { tradeRow } from './trade-fields.ts';
import { tradesCsv } from './trades-csv.ts';

export interface WriteResultsOptions {
  /** also write trades.jsonl (golden-file key names) */
  tradesJsonl?: boolean;
  /** title of report.html */
  title?: string;
}

/**
 * Through a temporary name and a rename, so a reader (or a crash) never sees a half-written file.
 * The temporary name carries the pid: two processes writing the same folder do not share it.
 */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

/** One JSON object per closed trade and line; non-finite numbers become null, as JSON.stringify does. */
export function tradesJsonl(trades: readonly TradeRecord[]): string {
  return trades.map((t) => JSON.stringify(tradeRow(t)) + '\n').join('');
}

/** Writes outDir/trades.jsonl and returns its path. */
export async function writeTradesJsonl(outDir: string, trades: readonly TradeRecord[]): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, 'trades.jsonl');
  await writeAtomic(path, tradesJsonl(trades));
  return path;
}

/**
 * Creates outDir and writes summary.json, trades.csv, daily.csv and report.html (and trades.jsonl
 * when asked). Returns the paths written, always in that order. Existing files are replaced.
 */
export async function writeResults(
  outDir: string,
  result: RunResult,
  options: WriteResultsOptions = {},
): Promise<{ files: string[] }> {
  await mkdir(outDir, { recursive: true });
  const html = await reportHtml(result, { title: options.title });
  const contents: [string, string][] = [
    ['summary.json', summaryJson(result)],
    ['trades.csv', tradesCsv(result.trades)],
    ['daily.csv', dailyCsv(result.days)],
    ['report.html', html],
  ];
  const files: string[] = [];
  for (const [name, text] of contents) {
    const path = join(outDir, name);
    await writeAtomic(path, text);
    files.push(path);
  }
  if (options.tradesJsonl) files.push(await writeTradesJsonl(outDir, result.trades));
  return { files };
}
