// Closed-trade statistics the sizer's alpha layers read (§6.4): per-bucket win rates over the
// run and the recent outcomes for the streak multiplier. A win is net PnL > 0.

/** SizerStats as plain data (engine snapshots): per-bucket counts and the recent outcomes, newest last. */
export interface SizerStatsState {
  bucketWins: number[];
  bucketTotal: number[];
  recent: boolean[];
}

export class SizerStats {
  private readonly bucketWins = [0, 0, 0, 0];
  private readonly bucketTotal = [0, 0, 0, 0];
  private readonly recent: boolean[] = []; // newest last, at most 5 kept

  state(): SizerStatsState {
    return { bucketWins: [...this.bucketWins], bucketTotal: [...this.bucketTotal], recent: [...this.recent] };
  }

  static fromState(s: SizerStatsState): SizerStats {
    const counts = (xs: readonly number[], what: string): void => {
      if (xs.length !== 4 || !xs.every((x) => Number.isInteger(x) && x >= 0)) {
        throw new Error(`sizer stats: ${what} must be 4 non-negative integers, got ${JSON.stringify(xs)}`);
      }
    };
    counts(s.bucketWins, 'bucketWins');
    counts(s.bucketTotal, 'bucketTotal');
    if (s.bucketWins.some((w, b) => w > s.bucketTotal[b])) {
      throw new Error(`sizer stats: more wins than trades in a bucket (${JSON.stringify(s.bucketWins)} of ${JSON.stringify(s.bucketTotal)})`);
    }
    if (s.recent.length > 5 || !s.recent.every((x) => typeof x === 'boolean')) {
      throw new Error(`sizer stats: recent must be at most 5 booleans, got ${JSON.stringify(s.recent)}`);
    }
    const stats = new SizerStats();
    stats.bucketWins.splice(0, 4, ...s.bucketWins);
    stats.bucketTotal.splice(0, 4, ...s.bucketTotal);
    stats.recent.push(...s.recent);
    return stats;
  }

  record(bucket: number, win: boolean): void {
    this.bucketTotal[bucket] += 1;
    if (win) this.bucketWins[bucket] += 1;
    this.recent.push(win);
    if (this.recent.length > 5) this.recent.shift();
  }

  wins(bucket: number): number {
    return this.bucketWins[bucket];
  }

  total(bucket: number): number {
    return this.bucketTotal[bucket];
  }

  /** Losses among the last min(n, closed) trades. */
  recentLosses(n: number): number {
    let losses = 0;
    for (let i = Math.max(0, this.recent.length - n); i < this.recent.length; i++) if (!this.recent[i]) losses++;
    return losses;
  }
}
