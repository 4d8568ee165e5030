// All assets' price histories in flat typed arrays (struct of arrays): the bar loop touches every
// asset on every bar, so this is the engine's hottest data. A ring of
// the newest prices plus the bible's logical length (append; past cap, keep the last `keep`).

export class PriceBook {
  private ring: Float64Array;
  private heads: Int32Array;
  private lengths: Int32Array;
  private pricedAt: Float64Array;
  private count = 0;
  private readonly slots: number; // ring slots per asset, a power of two
  private readonly mask: number;

  constructor(
    private readonly cap: number,
    private readonly keep: number,
    minCapacity: number,
  ) {
    let size = 1;
    while (size < Math.min(minCapacity, cap)) size <<= 1;
    this.slots = size;
    this.mask = size - 1;
    this.ring = new Float64Array(0);
    this.heads = new Int32Array(0);
    this.lengths = new Int32Array(0);
    this.pricedAt = new Float64Array(0);
  }

  get size(): number {
    return this.count;
  }

  /** Adds an asset and returns its index. */
  add(): number {
    if (this.count === this.heads.length) this.grow(Math.max(64, this.count * 2));
    this.pricedAt[this.count] = -1;
    return this.count++;
  }

  push(g: number, price: number, barIdx: number): void {
    const head = this.heads[g];
    this.ring[g * this.slots + head] = price;
    this.heads[g] = (head + 1) & this.mask;
    const n = this.lengths[g] + 1;
    this.lengths[g] = n > this.cap ? this.keep : n;
    this.pricedAt[g] = barIdx;
  }

  length(g: number): number {
    return this.lengths[g];
  }

  /** The newest price; NaN before the first. */
  lastPrice(g: number): number {
    return this.lengths[g] === 0 ? NaN : this.back(g, 1);
  }

  /** Whether the asset had a price on the given bar. */
  pricedOn(g: number, barIdx: number): boolean {
    return this.pricedAt[g] === barIdx;
  }

  /** back(g, 1) is the newest price; k ≤ min(length, ring slots). */
  back(g: number, k: number): number {
    return this.ring[g * this.slots + ((this.heads[g] - k) & this.mask)];
  }

  /** The newest n prices of asset g, oldest first, into out[0..n). */
  copyLast(g: number, n: number, out: Float64Array): void {
    const base = g * this.slots;
    const start = this.heads[g] - n;
    for (let i = 0; i < n; i++) out[i] = this.ring[base + ((start + i) & this.mask)];
  }

  /** A {length, back} view of one asset, for code written against a single history. */
  series(g: number): { length: number; back(k: number): number } {
    return { length: this.lengths[g], back: (k: number) => this.back(g, k) };
  }

  private grow(capacity: number): void {
    const ring = new Float64Array(capacity * this.slots);
    ring.set(this.ring);
    this.ring = ring;
    this.heads = resized(this.heads, capacity);
    this.lengths = resized(this.lengths, capacity);
    this.pricedAt = resized(this.pricedAt, capacity);
  }
}

function resized<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
