// Per-asset price history as a ring buffer. The bible appends every priced bar and, past 500,
// keeps the last 200; only the newest irp_window (50) and dc_lookback+1 (8) prices are ever read,
// and the length only matters through "≥ 50", so a ring holding the newest prices plus the
// bible's logical length gives identical results without the copying.

export class PriceHistory {
  private readonly buf: Float64Array;
  private readonly mask: number;
  private head = 0; // index of the next write
  /** the length the bible's list would have after its 500 → 200 trimming */
  length = 0;

  constructor(
    private readonly cap: number,
    private readonly keep: number,
    minCapacity: number,
  ) {
    let size = 1;
    while (size < Math.min(minCapacity, cap)) size <<= 1;
    this.buf = new Float64Array(size);
    this.mask = size - 1;
  }

  push(price: number): void {
    this.buf[this.head] = price;
    this.head = (this.head + 1) & this.mask;
    this.length = this.length + 1 > this.cap ? this.keep : this.length + 1;
  }

  /** back(1) is the newest price, back(k) the k-th newest; k must be ≤ min(length, capacity). */
  back(k: number): number {
    return this.buf[(this.head - k) & this.mask];
  }

  /** Copies the newest n prices, oldest first, into out[0..n). */
  copyLast(n: number, out: Float64Array): void {
    for (let i = 0; i < n; i++) out[i] = this.buf[(this.head - n + i) & this.mask];
  }

  snapshot(): { prices: number[]; length: number } {
    const n = Math.min(this.length, this.mask + 1);
    const out = new Float64Array(n);
    this.copyLast(n, out);
    return { prices: Array.from(out), length: this.length };
  }

  static restore(s: { prices: number[]; length: number }, cap: number, keep: number, minCapacity: number): PriceHistory {
    const h = new PriceHistory(cap, keep, minCapacity);
    for (const p of s.prices) h.push(p);
    h.length = s.length;
    return h;
  }
}
