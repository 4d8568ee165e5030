// Where order-book snapshots come from: a live exchange feed, a seeded generator, or a recording. The
// OB stream actor asks its source once per 500 ms cycle (bible §16.2) and knows nothing else about it.
import type { ObSnapshot } from './ob-snapshot.ts';

export interface ObSource {
  /** for logs and errors, e.g. `synthetic:42` or `recorded:/data/ob.jsonl` */
  readonly name: string;
  /**
   * The latest book at or before `nowMs` for each requested symbol the source has; a symbol it has
   * nothing for is left out (the staleness tracker notices). Snapshots are validated (ob-snapshot.ts).
   * A failure rejects with ObSourceError; `symbol` says whether one symbol or the whole source failed.
   */
  snapshots(symbols: readonly string[], nowMs: number): Promise<ObSnapshot[]>;
  close?(): Promise<void>;
}

/** A source could not deliver. `retryable`: the same call may succeed next cycle (timeouts, 5xx, rate limits). */
export class ObSourceError extends Error {
  override readonly name = 'ObSourceError';
  /** the source's name */
  readonly source: string;
  /** the symbol that failed, or null when the whole source did */
  readonly symbol: string | null;
  readonly retryable: boolean;

  constructor(source: string, symbol: string | null, retryable: boolean, detail: string, options?: { cause?: unknown }) {
    super(`${source}${symbol !== null ? ' ' + symbol : ''}: ${detail}${retryable ? ' (retryable)' : ''}`, options);
    this.source = source;
    this.symbol = symbol;
    this.retryable = retryable;
  }
}
