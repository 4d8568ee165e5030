// MT19937 drawn exactly like numpy's legacy RandomState(seed).random_sample():
// integer seeds use init_genrand (numpy's mt19937_seed), and each double is built from two
// 32-bit outputs as (a >> 5, b >> 6) → (a·2^26 + b) / 2^53. Same seed ⇒ same stream as Python.

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export interface RngState {
  mt: number[];
  mti: number;
}

/** MT19937's output tempering of one state word. */
export function temper(word: number): number {
  let y = word;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/** numpy's random_sample from two consecutive outputs: (a >> 5, b >> 6) → (a·2^26 + b) / 2^53. */
export function sampleOf(a: number, b: number): number {
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32), got ${seed}`);
    }
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing bits to float precision
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  /** Next raw 32-bit output (genrand_int32). */
  nextUint32(): number {
    if (this.mti >= N) this.twist();
    return temper(this.mt[this.mti++]);
  }

  /** numpy random_sample(): a double in [0, 1) with 53 random bits. */
  random(): number {
    return sampleOf(this.nextUint32(), this.nextUint32());
  }

  /** Snapshot for persistence across an actor restart. */
  getState(): RngState {
    return { mt: Array.from(this.mt), mti: this.mti };
  }

  static fromState(state: RngState): MT19937 {
    const rng = new MT19937(0);
    if (state.mt.length !== N) throw new RangeError(`MT19937 state needs ${N} words`);
    for (let i = 0; i < N; i++) {
      const w = state.mt[i];
      if (!Number.isInteger(w) || w < 0 || w > 0xffffffff) throw new RangeError(`MT19937 state word ${i} is not a 32-bit unsigned integer: ${w}`);
    }
    if (!Number.isInteger(state.mti) || state.mti < 0 || state.mti > N) throw new RangeError(`MT19937 state index mti must be an integer in [0, ${N}], got ${state.mti}`);
    rng.mt.set(state.mt);
    rng.mti = state.mti;
    return rng;
  }

  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    let y: number;
    for (; kk < N - M; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.mti = 0;
  }
}
