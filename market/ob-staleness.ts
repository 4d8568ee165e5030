// Is the order-book data fresh enough to trust? The watchdog's Cat3 (bible §11.2) returns 0.5 when
// the OB is stale (DESIGN invariant 7: fail closed). The bible gives no OB staleness age; 5 s is ten
// missed 500 ms cycles (§16.2). Source errors mark symbols stale; nothing here throws on bad input.
import type { ObCycleFeatures } from './ob-features.ts';
import type { ObSnapshot } from './ob-snapshot.ts';

export const OB_STALE_AFTER_MS = 5_000;

export interface ObStalenessOptions {
  /** a symbol is stale when its newest snapshot is older than this (ms) */
  staleAfterMs?: number;
  /** the OB as a whole is stale when fewer than this share of symbols are fresh (default 0.5) */
  minFreshFraction?: number;
}

export interface ObQuality {
  /** the nowMs asked about */
  ts: number;
  /** tracked symbols that are not fresh, sorted */
  staleSymbols: string[];
  /** fresh / tracked; 0 when nothing is tracked */
  freshFraction: number;
  /** Cat3's `ob_stale`: freshFraction < minFreshFraction, or no symbol fresh at all */
  stale: boolean;
  /** age of the newest snapshot of any symbol (ms, >= 0); null before the first one */
  ageMs: number | null;
}

interface SymbolFreshness {
  lastTs: number;
  /** a source error since the last new snapshot */
  errored: boolean;
  lastError: string | null;
}

export class ObStaleness {
  readonly staleAfterMs: number;
  readonly minFreshFraction: number;
  private readonly bySymbol = new Map<string, SymbolFreshness>();

  constructor(symbols: readonly string[], opts: ObStalenessOptions = {}) {
    this.staleAfterMs = opts.staleAfterMs ?? OB_STALE_AFTER_MS;
    this.minFreshFraction = opts.minFreshFraction ?? 0.5;
    if (!(this.staleAfterMs > 0)) throw new RangeError(`ObStaleness staleAfterMs must be > 0, got ${this.staleAfterMs}`);
    if (!(this.minFreshFraction > 0 && this.minFreshFraction <= 1)) {
      throw new RangeError(`ObStaleness minFreshFraction must be in (0, 1], got ${this.minFreshFraction}`);
    }
    this.setSymbols(symbols);
  }

  /** Changes the tracked universe; symbols kept keep their history, new ones start stale. */
  setSymbols(symbols: readonly string[]): void {
    const keep = new Set(symbols);
    for (const s of [...this.bySymbol.keys()]) if (!keep.has(s)) this.bySymbol.delete(s);
    for (const s of keep) if (!this.bySymbol.has(s)) this.bySymbol.set(s, { lastTs: -Infinity, errored: false, lastError: null });
  }

  /** Marks the snapshots' symbols fresh as of their ts (only a newer ts counts; untracked symbols are ignored). */
  record(snapshots: readonly ObSnapshot[]): void {
    for (const s of snapshots) this.mark(s?.symbol, s?.ts);
  }

  /** Marks the symbols a feature cycle ingested fresh and the ones it rejected stale. */
  recordCycle(cycle: ObCycleFeatures): void {
    for (const e of cycle.rejected) this.recordError(e);
    for (const a of cycle.assets) if (a.updated) this.mark(a.symbol, a.ts);
  }

  /**
   * Marks symbols stale until a newer snapshot arrives: the error's own `symbol` when it has one
   * (ObSourceError, ObDataError), else `symbols`, else every tracked symbol. Never throws.
   */
  recordError(error: unknown, symbols?: readonly string[]): void {
    // a hostile value (throwing getter, proxy) must not take the watchdog's input down with it
    let message = 'unprintable error';
    let own: unknown;
    try {
      message = error instanceof Error ? error.message : String(error);
    } catch {
      /* keep the placeholder */
    }
    try {
      own = typeof error === 'object' && error !== null ? (error as { symbol?: unknown }).symbol : undefined;
    } catch {
      own = undefined;
    }
    const targets = typeof own === 'string' ? [own] : (symbols ?? [...this.bySymbol.keys()]);
    for (const sym of targets) {
      const f = this.bySymbol.get(sym);
      if (f !== undefined) {
        f.errored = true;
        f.lastError = message;
      }
    }
  }

  quality(nowMs: number): ObQuality {
    const staleSymbols: string[] = [];
    let newest = -Infinity;
    for (const [sym, f] of this.bySymbol) {
      if (f.lastTs > newest) newest = f.lastTs;
      if (!this.isFresh(f, nowMs)) staleSymbols.push(sym);
    }
    staleSymbols.sort();
    const n = this.bySymbol.size;
    const fresh = n - staleSymbols.length;
    const freshFraction = n === 0 ? 0 : fresh / n;
    return {
      ts: nowMs,
      staleSymbols,
      freshFraction,
      stale: fresh === 0 || freshFraction < this.minFreshFraction,
      ageMs: newest === -Infinity ? null : Math.max(0, nowMs - newest),
    };
  }

  /** ms since the symbol's newest snapshot; null when never seen or not tracked. */
  ageOf(symbol: string, nowMs: number): number | null {
    const f = this.bySymbol.get(symbol);
    return f === undefined || f.lastTs === -Infinity ? null : Math.max(0, nowMs - f.lastTs);
  }

  /** the message of the symbol's last error since its last new snapshot, for logs */
  lastError(symbol: string): string | null {
    const f = this.bySymbol.get(symbol);
    return f !== undefined && f.errored ? f.lastError : null;
  }

  private isFresh(f: SymbolFreshness, nowMs: number): boolean {
    return !f.errored && nowMs - f.lastTs <= this.staleAfterMs;
  }

  private mark(symbol: unknown, ts: unknown): void {
    if (typeof symbol !== 'string' || typeof ts !== 'number' || !Number.isFinite(ts)) return;
    const f = this.bySymbol.get(symbol);
    if (f === undefined || ts <= f.lastTs) return;
    f.lastTs = ts;
    f.errored = false;
    f.lastError = null;
  }
}
