// Per-bar log returns with forward fill, written into a ring of the most recent returns that every
// window reads from (one copy, whatever the number of windows).
//
// A close is valid when it is finite and > 0. A missing close (NaN, ≤ 0, ±∞) carries the asset's last
// valid close forward, so its return on that bar is 0 and the move over the gap lands on the next valid
// close: r = ln(p_now / p_last_valid). Before an asset's first valid close its returns are 0.
import { Ng3InputError } from './errors.ts';

export class ReturnRing {
  readonly assets: number;
  /** rows kept: the longest window + 1, because a window also reads the pair of returns leaving it */
  readonly capacity: number;
  /** (capacity + 1) × assets: row `k % capacity` holds return k; the last row stays all zeros */
  readonly data: Float64Array;
  /** offset of the all-zero row: the "leaving" row while a window fills, so one update formula serves */
  readonly zeroOffset: number;
  /** returns written so far (return k is the move from bar k to bar k+1) */
  count = 0;
  readonly #last: Float64Array;
  #bars = 0;

  constructor(assets: number, longestWindow: number) {
    this.assets = assets;
    this.capacity = longestWindow + 1;
    this.data = new Float64Array((this.capacity + 1) * assets);
    this.zeroOffset = this.capacity * assets;
    this.#last = new Float64Array(assets).fill(NaN);
  }

  /** Bars seen so far. */
  get bars(): number {
    return this.#bars;
  }

  /** Offset of return k in `data` (k must still be in the ring). */
  offset(k: number): number {
    return (k % this.capacity) * this.assets;
  }

  /** Takes one bar of closes; from the second bar on, appends one row of returns. Returns true if it did. */
  push(closes: ArrayLike<number>): boolean {
    const n = this.assets;
    if (closes.length !== n) throw new Ng3InputError(`bar ${this.#bars} has ${closes.length} closes, expected ${n}`);
    const first = this.#bars === 0;
    const last = this.#last;
    const row = first ? 0 : this.offset(this.count);
    const data = this.data;
    for (let a = 0; a < n; a++) {
      const p = closes[a];
      const ok = p > 0 && p < Infinity; // false for NaN too
      const prev = last[a];
      if (!first) data[row + a] = ok && prev === prev ? Math.log(p / prev) : 0;
      if (ok) last[a] = p;
    }
    this.#bars++;
    if (first) return false;
    this.count++;
    return true;
  }
}
