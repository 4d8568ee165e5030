// The Fear & Greed index (ACB factor `fng`, bible §10.2) in alternative.me's format
// (`{"data":[{"value":"25","timestamp":"<unix seconds>",…}],"metadata":{"error":null}}`), from a
// local file (written by a cron job, or by hand) or a URL (https://api.alternative.me/fng/). Not an
// exchange, so not ccxt: a plain fetch with a timeout.
import { readFile } from 'node:fs/promises';

export type FearGreedSource = { file: string } | { url: string; timeoutMs?: number };

export interface FearGreedReading {
  /** 0 (extreme fear) … 100 (extreme greed) */
  value: number;
  /** the value's own time, epoch ms */
  ts: number;
}

/** The index could not be read or is not in alternative.me's format. Names the file or URL. */
export class FearGreedError extends Error {
  override readonly name = 'FearGreedError';
  readonly source: string;
  readonly detail: string;

  constructor(source: string, detail: string, options?: { cause?: unknown }) {
    super(`fear & greed ${source}: ${detail}`, options);
    this.source = source;
    this.detail = detail;
  }
}

export const DEFAULT_FNG_TIMEOUT_MS = 10_000;

/**
 * The latest value (the entry with the newest timestamp). A value older than `maxAgeMs` at `nowMs`
 * is an error: the index is published daily, and a file nobody refreshes must not pass for today's.
 */
export async function readFearGreed(src: FearGreedSource, nowMs: number, maxAgeMs: number): Promise<FearGreedReading> {
  const name = 'file' in src ? src.file : src.url;
  const text = 'file' in src ? await readText(src.file) : await fetchText(src.url, src.timeoutMs ?? DEFAULT_FNG_TIMEOUT_MS);
  const r = parseFearGreed(name, text);
  if (nowMs - r.ts > maxAgeMs) {
    throw new FearGreedError(name, `latest value ${r.value} is from ${new Date(r.ts).toISOString()}, older than ${maxAgeMs} ms`);
  }
  return r;
}

export function parseFearGreed(source: string, text: string): FearGreedReading {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FearGreedError(source, `not JSON (${(e as Error).message})`, { cause: e });
  }
  const d = doc as { data?: unknown; metadata?: { error?: unknown } } | null;
  if (typeof d !== 'object' || d === null) throw new FearGreedError(source, 'expected an object with a "data" array');
  if (d.metadata?.error !== undefined && d.metadata.error !== null) throw new FearGreedError(source, `metadata.error: ${String(d.metadata.error)}`);
  if (!Array.isArray(d.data) || d.data.length === 0) throw new FearGreedError(source, 'expected a non-empty "data" array');
  let best: FearGreedReading | null = null;
  d.data.forEach((entry: unknown, i: number) => {
    const e = (entry ?? {}) as { value?: unknown; timestamp?: unknown };
    const value = Number(e.value);
    if (typeof e.value !== 'string' && typeof e.value !== 'number') throw new FearGreedError(source, `data[${i}].value missing`);
    if (!Number.isFinite(value) || value < 0 || value > 100) throw new FearGreedError(source, `data[${i}].value must be 0…100, got ${JSON.stringify(e.value)}`);
    const seconds = Number(e.timestamp);
    if ((typeof e.timestamp !== 'string' && typeof e.timestamp !== 'number') || !Number.isFinite(seconds) || seconds <= 0) {
      throw new FearGreedError(source, `data[${i}].timestamp must be unix seconds, got ${JSON.stringify(e.timestamp)}`);
    }
    const ts = seconds * 1000;
    if (best === null || ts > best.ts) best = { value, ts };
  });
  return best!;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new FearGreedError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { cause: e });
  }
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : `request failed: ${(e as Error).message}`;
    throw new FearGreedError(url, why, { cause: e });
  }
  const text = await res.text();
  if (!res.ok) throw new FearGreedError(url, `HTTP ${res.status} ${text.slice(0, 80)}`);
  return text;
}
