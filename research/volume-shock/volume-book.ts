// Per-strike option volume: the prints of the current window and each day's total, from which the
// seed's "10-day average" baseline is taken. A strike is an (expiry, strike price) pair: its calls and
// puts together, as in the seed's `strike.recent_call_volume` / `strike.recent_put_volume`.
//
// Baseline per window = the strike's volume over its last `baseline_days` observed days before today
// / (days × windows per session). Comparing 5 minutes of volume with a whole day's average would
// never read 4×; the same-length window is what the comparison means (docs/volume-shock.md).
import type { ChainUpdate, ContractQuote, OptionPrint } from './types.ts';

export const strikeKeyOf = (q: Pick<ContractQuote, 'expiry' | 'strike'>): string => `${q.expiry}|${q.strike}`;

interface StrikeHistory {
  /** observed session days, oldest first, at most baseline_days + 1 kept */
  days: string[];
  volumeByDay: Map<string, number>;
}

export interface WindowPrint extends OptionPrint {
  strikeKey: string;
  type: ContractQuote['type'];
}

export interface VolumeBookOptions {
  windowMinutes: number;
  sessionMinutes: number;
  baselineDays: number;
  baselineMinDays: number;
}

export class VolumeBook {
  readonly quotes = new Map<string, ContractQuote>();
  /** contract id → strike key */
  private readonly keys = new Map<string, string>();
  private readonly history = new Map<string, StrikeHistory>();
  private readonly totals = new Map<string, number>();
  private totalDays: string[] = [];
  private window: WindowPrint[] = [];
  private hints: ReadonlyMap<string, number> = new Map();
  private dailyHint: number | undefined;
  /** prints of contracts never listed in a chain update (their strike is unknown) */
  unknownContractPrints = 0;

  constructor(private readonly o: VolumeBookOptions) {}

  get windowMs(): number {
    return this.o.windowMinutes * 60_000;
  }

  /** Takes the update's quotes and prints; drops prints that left the window. */
  add(u: ChainUpdate): void {
    for (const q of u.contracts) {
      let key = this.keys.get(q.id);
      if (key === undefined) {
        key = strikeKeyOf(q);
        this.keys.set(q.id, key);
      }
      this.quotes.set(q.id, q);
      this.observe(key, u.day);
    }
    this.observeTotal(u.day);
    let ordered = true;
    for (const p of u.prints) {
      const q = this.quotes.get(p.contractId);
      if (q === undefined) {
        this.unknownContractPrints += 1;
        continue;
      }
      const key = this.keys.get(p.contractId)!;
      const h = this.observe(key, u.day);
      h.volumeByDay.set(u.day, (h.volumeByDay.get(u.day) ?? 0) + p.amount);
      this.totals.set(u.day, (this.totals.get(u.day) ?? 0) + p.amount);
      if (this.window.length > 0 && p.time < this.window[this.window.length - 1].time) ordered = false;
      this.window.push({ time: p.time, contractId: p.contractId, amount: p.amount, side: p.side, strikeKey: key, type: q.type });
    }
    this.hints = u.baselineHints ?? new Map();
    this.dailyHint = u.dailyVolumeHint;
    // the window is (now − N minutes, now]; prints normally arrive in time order, so old ones sit in front
    const from = u.time - this.windowMs;
    if (!ordered) this.window.sort((a, b) => a.time - b.time);
    let drop = 0;
    while (drop < this.window.length && this.window[drop].time <= from) drop += 1;
    if (drop > 0) this.window.splice(0, drop);
  }

  /** The window's prints grouped by strike key. */
  windowByStrike(): Map<string, WindowPrint[]> {
    const out = new Map<string, WindowPrint[]>();
    for (const p of this.window) {
      const list = out.get(p.strikeKey);
      if (list === undefined) out.set(p.strikeKey, [p]);
      else list.push(p);
    }
    return out;
  }

  /** Contracts per window for the strike over its observed days before `today`; null without enough days (and no hint). */
  baseline(strikeKey: string, today: string): number | null {
    const h = this.history.get(strikeKey);
    // days are kept in order, today (if observed) last
    const days = h === undefined ? [] : h.days[h.days.length - 1] === today ? h.days.slice(0, -1) : h.days;
    const before = days.slice(-this.o.baselineDays);
    if (before.length < this.o.baselineMinDays) return this.hints.get(strikeKey) ?? null;
    let sum = 0;
    for (const d of before) sum += h!.volumeByDay.get(d) ?? 0;
    return sum / (before.length * this.windowsPerSession());
  }

  /** Average daily option volume of the whole chain over the baseline days before `today` (the hint, else NaN, without enough). */
  dailyVolume(today: string): number {
    const before = this.totalDays.filter((d) => d < today).slice(-this.o.baselineDays);
    if (before.length < this.o.baselineMinDays) return this.dailyHint ?? NaN;
    return before.reduce((s, d) => s + (this.totals.get(d) ?? 0), 0) / before.length;
  }

  private windowsPerSession(): number {
    return Math.max(1, this.o.sessionMinutes / this.o.windowMinutes);
  }

  private observe(key: string, day: string): StrikeHistory {
    let h = this.history.get(key);
    if (h === undefined) {
      h = { days: [], volumeByDay: new Map() };
      this.history.set(key, h);
    }
    if (h.days.length === 0 || h.days[h.days.length - 1] !== day) {
      h.days.push(day);
      // keep what the baseline can read: baseline_days before today, plus today
      while (h.days.length > this.o.baselineDays + 1) h.volumeByDay.delete(h.days.shift()!);
    }
    return h;
  }

  private observeTotal(day: string): void {
    if (this.totalDays.length > 0 && this.totalDays[this.totalDays.length - 1] === day) return;
    this.totalDays.push(day);
    while (this.totalDays.length > this.o.baselineDays + 1) this.totals.delete(this.totalDays.shift()!);
  }
}
