// The Binance websocket capture in ../shared/data (tests skip, saying why, when it is absent), read
// once per market and shared by the tests that replay it; and tiny hand-written captures.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ExecutionContext } from 'ava';
import { captureFiles, readBinanceCapture, type CaptureEvent } from '../../market/binance-ws-capture.ts';
import { repoRoot, tempDir } from './helpers.ts';

export const sharedData = resolve(repoRoot, '..', 'shared', 'data');
export const captureDir = join(sharedData, 'binance-ws-btcusdt-2024-08-08');
export const hasCapture = existsSync(captureDir);

export type CaptureMarket = 'spot' | 'usdm';

/** spot spans two files (the recorder rotated at midnight UTC); the perpetual one */
export const marketFiles = (m: CaptureMarket): string[] => captureFiles(captureDir, m === 'spot' ? 'spot_btcusdt_' : 'usdm_btcusdt_');

const cache = new Map<CaptureMarket, Promise<CaptureEvent[]>>();

/** Every event of one market's capture, read once per test process. */
export function captureEventsOf(m: CaptureMarket): Promise<CaptureEvent[]> {
  let p = cache.get(m);
  if (p === undefined) {
    p = (async () => {
      const out: CaptureEvent[] = [];
      for await (const ev of readBinanceCapture(marketFiles(m))) out.push(ev);
      return out;
    })();
    cache.set(m, p);
  }
  return p;
}

/** Writes `lines` as a gzip capture file in a fresh temp dir; returns its path. */
export function writeCapture(t: ExecutionContext, lines: readonly string[], name = 'cap.gz', dir = tempDir(t)): string {
  const path = join(dir, name);
  writeFileSync(path, gzipSync(Buffer.from(lines.join('\n') + '\n')));
  return path;
}

/** A capture line: `<local_ns> <json>`. */
export const line = (localNs: bigint | number, msg: unknown): string => `${localNs} ${JSON.stringify(msg)}`;

export const E0 = 1_723_161_260_000;
const NS = 1_723_161_254_000_000_000n;

/** A spot diff-depth line. */
export function depthLine(U: number, u: number, E: number, b: [string, string][] = [], a: [string, string][] = [], extra: Record<string, unknown> = {}): string {
  return line(NS + BigInt(E - E0) * 1_000_000n, { stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate', E, s: 'BTCUSDT', U, u, b, a, ...extra } });
}

export function snapshotLine(lastUpdateId: number, bids: [string, string][], asks: [string, string][]): string {
  return line(NS, { lastUpdateId, bids, asks });
}

export function tradeLine(id: number, T: number, p: string, q: string, m: boolean): string {
  return line(NS + BigInt(T - E0) * 1_000_000n, { stream: 'btcusdt@trade', data: { e: 'trade', E: T + 1, s: 'BTCUSDT', t: id, p, q, T, m, M: true } });
}
