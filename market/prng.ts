// A small seeded generator for synthetic data. Not the engine's MT19937 stream (engine/rng.ts): data
// generation must never consume, or depend on, the draws the fee model replays.

/** mulberry32 over a splitmix32-scrambled seed, with Box–Muller normals. */
export class Prng {
  private state: number;
  private spare = NaN;

  /** `stream` picks one of many independent sequences for the same seed (e.g. one per day). */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) throw new RangeError(`bad stream ${stream}`);
    // Fold the high bits in so seeds above 2^32 do not collide with small ones.
    const s = (seed >>> 0) ^ scramble(Math.floor(seed / 2 ** 32) >>> 0);
    this.state = scramble(s ^ scramble(stream ^ 0x5bd1e995));
  }

  /** uniform in [0, 1) */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** standard normal */
  normal(): number {
    if (this.spare === this.spare) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }

  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Poisson draw (Knuth; fine for the small means used here) */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

function scramble(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
