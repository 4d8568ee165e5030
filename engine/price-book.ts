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

  /**
   * A copy of everything the book holds, trimmed to its assets (for engine snapshots): asset g's
   * ring slots are ring[g·slots, (g+1)·slots), heads[g] is its next write slot.
   */
  state(): PriceBookState {
    const n = this.count;
    return {
      cap: this.cap,
      keep: this.keep,
      slots: this.slots,
      ring: this.ring.slice(0, n * this.slots),
      heads: this.heads.slice(0, n),
      lengths: this.lengths.slice(0, n),
      pricedAt: this.pricedAt.slice(0, n),
    };
  }

  /**
   * A book equal to the one `state` was taken from; `minCapacity` as given to the constructor.
   * The state's arrays are copied, never kept.
   */
  static fromState(s: PriceBookState, minCapacity: number): PriceBook {
    const book = new PriceBook(s.cap, s.keep, minCapacity);
    if (s.slots !== book.slots) {
      throw new Error(`price book: state has ${s.slots} ring slots per asset, this configuration gives ${book.slots}`);
    }
    if (!(s.ring instanceof Float64Array && s.pricedAt instanceof Float64Array && s.heads instanceof Int32Array && s.lengths instanceof Int32Array)) {
      throw new Error('price book: state arrays must be typed (ring, pricedAt: Float64Array; heads, lengths: Int32Array)');
    }
    const n = s.heads.length;
    if (s.lengths.length !== n || s.pricedAt.length !== n || s.ring.length !== n * s.slots) {
      throw new Error(`price book: state arrays disagree on the asset count (${n} heads, ${s.lengths.length} lengths, ${s.pricedAt.length} pricedAt, ring of ${s.ring.length} for ${s.slots} slots each)`);
    }
    for (let g = 0; g < n; g++) {
      if (!(s.heads[g] >= 0 && s.heads[g] < s.slots && s.lengths[g] >= 0 && s.lengths[g] <= s.cap)) {
        throw new Error(`price book: asset ${g} has head ${s.heads[g]} (slots ${s.slots}) and length ${s.lengths[g]} (cap ${s.cap})`);
      }
    }
    book.grow(Math.max(64, n));
    book.ring.set(s.ring);
    book.heads.set(s.heads);
    book.lengths.set(s.lengths);
    book.pricedAt.set(s.pricedAt);
    book.count = n;
    return book;
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

/** What PriceBook.state() returns: its parameters and its arrays, one entry (or slot run) per asset. */
export interface PriceBookState {
  cap: number;
  keep: number;
  slots: number;
  ring: Float64Array;
  heads: Int32Array;
  lengths: Int32Array;
  pricedAt: Float64Array;
}
