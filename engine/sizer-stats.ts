// Closed-trade statistics the sizer's alpha layers read (§6.4): per-bucket win rates over the
// run and the recent outcomes for the streak multiplier. A win is net PnL > 0.

export class SizerStats {
  private readonly bucketWins = [0, 0, 0, 0];
  private readonly bucketTotal = [0, 0, 0, 0];
  private readonly recent: boolean[] = []; // newest last, at most 5 kept

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
