// The start of an MT19937 stream without the full table. The forewarner seeds a fresh MT19937 per
// path (seed + i) and draws only 2·horizon words (80 by default) of the 624 a twist makes, so most of
// a path's cost was seeding and twisting words it never used. This computes the seeding words and
// the twisted words on demand, with the same recurrences, so the outputs are bit-identical to
// MT19937(seed); past the first table (624 words) it hands over to a full MT19937.
import { MT19937, sampleOf, temper } from './rng.ts';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class ShortMT19937 {
  /** the seeded (pre-twist) state, computed up to `seeded` */
  private readonly init = new Uint32Array(N);
  /** the first twisted table, computed up to `drawn` */
  private readonly mt = new Uint32Array(N);
  private seeded = 0;
  private drawn = 0;
  private rest: MT19937 | null = null;

  constructor(seed = 0) {
    this.reseed(seed);
  }

  /** Starts the stream of MT19937(seed) again; no allocation. */
  reseed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`MT19937 seed must be an integer in [0, 2^32), got ${seed}`);
    this.init[0] = seed >>> 0;
    this.seeded = 1;
    this.drawn = 0;
    this.rest = null;
  }

  nextUint32(): number {
    if (this.drawn < N) return temper(this.twisted(this.drawn++));
    this.rest ??= MT19937.fromState({ mt: Array.from(this.mt), mti: N });
    return this.rest.nextUint32();
  }

  /** numpy random_sample(), as MT19937.random() */
  random(): number {
    return sampleOf(this.nextUint32(), this.nextUint32());
  }

  private seedWord(j: number): number {
    const init = this.init;
    for (let i = this.seeded; i <= j; i++) {
      const prev = init[i - 1] ^ (init[i - 1] >>> 30);
      init[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    if (j >= this.seeded) this.seeded = j + 1;
    return init[j];
  }

  /** Word i of the first twist: the in-place loop reads old words ahead of i and new words behind it. */
  private twisted(i: number): number {
    const next = i + 1 < N ? this.seedWord(i + 1) : this.mt[0];
    const y = (this.seedWord(i) & UPPER_MASK) | (next & LOWER_MASK);
    const far = i + M < N ? this.seedWord(i + M) : this.mt[i + M - N];
    const w = (far ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
    this.mt[i] = w;
    return w;
  }
}
