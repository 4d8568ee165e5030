// Per-key (symbol or factor) exponential backoff, drop-on-permanent-error and freshness for the ccxt
// sources. A key that failed is not asked again until its backoff ends, so a rate-limited exchange
// is not hammered and the key's data ages: the staleness tracker and the watchdog see it.

export interface BackoffOptions {
  /** wait after the first failure (ms) */
  initialMs?: number;
  /** the wait never grows beyond this (ms) */
  maxMs?: number;
  /** each further consecutive failure multiplies the wait by this */
  factor?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialMs: 1_000, maxMs: 60_000, factor: 2 };

/** What the watchdog (and logs) can read about one key. */
export interface KeyHealth {
  key: string;
  /** epoch ms of the last successful fetch; null before the first */
  lastSuccessMs: number | null;
  /** failures since the last success */
  consecutiveFailures: number;
  /** the key is skipped until this time (ms); 0 when not backing off */
  retryAtMs: number;
  /** a permanent error: the key is never asked again */
  dropped: boolean;
  lastError: string | null;
  /** never fetched, the last attempt failed, dropped, or the last success is older than staleAfterMs */
  stale: boolean;
}

interface State {
  lastSuccessMs: number | null;
  failures: number;
  retryAtMs: number;
  dropped: boolean;
  lastError: string | null;
}

export interface FailureOutcome {
  /** ms until the next attempt; null when the key was dropped */
  retryInMs: number | null;
  /** true only on the failure that dropped the key: report a permanent error once */
  firstDrop: boolean;
}

export class CcxtHealth {
  readonly backoff: Required<BackoffOptions>;
  private readonly byKey = new Map<string, State>();

  constructor(
    /** a key with no success for longer than this is stale (ms) */
    readonly staleAfterMs: number,
    backoff: BackoffOptions = {},
  ) {
    this.backoff = { ...DEFAULT_BACKOFF, ...backoff };
    const { initialMs, maxMs, factor } = this.backoff;
    if (!(staleAfterMs > 0)) throw new RangeError(`CcxtHealth staleAfterMs must be > 0, got ${staleAfterMs}`);
    if (!(initialMs > 0 && Number.isFinite(initialMs))) throw new RangeError(`backoff initialMs must be a finite number > 0, got ${initialMs}`);
    if (!(maxMs >= initialMs && Number.isFinite(maxMs))) throw new RangeError(`backoff maxMs must be finite and >= initialMs (${initialMs}), got ${maxMs}`);
    if (!(factor >= 1 && Number.isFinite(factor))) throw new RangeError(`backoff factor must be a finite number >= 1, got ${factor}`);
  }

  /** May the key be fetched at `nowMs`: not dropped and not backing off. */
  due(key: string, nowMs: number): boolean {
    const s = this.byKey.get(key);
    return s === undefined || (!s.dropped && nowMs >= s.retryAtMs);
  }

  dropped(key: string): boolean {
    return this.byKey.get(key)?.dropped === true;
  }

  succeeded(key: string, nowMs: number): void {
    const s = this.state(key);
    s.lastSuccessMs = nowMs;
    s.failures = 0;
    s.retryAtMs = 0;
    s.lastError = null;
  }

  /**
   * Records a failure: a retryable one backs the key off for initialMs · factor^(n−1) (at most maxMs)
   * after the n-th consecutive failure; a permanent one drops the key for good.
   */
  failed(key: string, nowMs: number, retryable: boolean, message: string): FailureOutcome {
    const s = this.state(key);
    s.failures += 1;
    s.lastError = message;
    if (!retryable) {
      const firstDrop = !s.dropped;
      s.dropped = true;
      return { retryInMs: null, firstDrop };
    }
    const { initialMs, maxMs, factor } = this.backoff;
    const wait = Math.min(maxMs, initialMs * factor ** (s.failures - 1));
    s.retryAtMs = nowMs + wait;
    return { retryInMs: wait, firstDrop: false };
  }

  get(key: string, nowMs: number): KeyHealth {
    const s = this.byKey.get(key) ?? { lastSuccessMs: null, failures: 0, retryAtMs: 0, dropped: false, lastError: null };
    const stale = s.dropped || s.failures > 0 || s.lastSuccessMs === null || nowMs - s.lastSuccessMs > this.staleAfterMs;
    return {
      key,
      lastSuccessMs: s.lastSuccessMs,
      consecutiveFailures: s.failures,
      retryAtMs: s.retryAtMs > nowMs ? s.retryAtMs : 0,
      dropped: s.dropped,
      lastError: s.lastError,
      stale,
    };
  }

  /** keys that were dropped, sorted */
  droppedKeys(): string[] {
    return [...this.byKey].filter(([, s]) => s.dropped).map(([k]) => k).sort();
  }

  private state(key: string): State {
    let s = this.byKey.get(key);
    if (s === undefined) this.byKey.set(key, (s = { lastSuccessMs: null, failures: 0, retryAtMs: 0, dropped: false, lastError: null }));
    return s;
  }
}
