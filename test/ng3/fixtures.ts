// Seeded synthetic prices for the NG3 tests and bench: a one-factor market whose regime changes every
// `regimeBars` bars (factor loading, volatility and a counter-moving block vary), so λmax moves from
// "independent assets" (λ̂ ≈ 1/n) to "one market" (λ̂ → 1) and the eigenvector rotates.

/** xorshift128+ with Box–Muller: deterministic across runs and platforms. */
export class TestRng {
  #s0: number;
  #s1: number;
  #spare = NaN;
  constructor(seed: number) {
    this.#s0 = (seed ^ 0x9e3779b9) >>> 0 || 1;
    this.#s1 = Math.imul(seed + 0x6d2b79f5, 0x85ebca6b) >>> 0 || 2;
    for (let i = 0; i < 20; i++) this.next();
  }
  /** uniform in [0, 1) */
  next(): number {
    let s1 = this.#s0;
    const s0 = this.#s1;
    this.#s0 = s0;
    s1 ^= s1 << 23;
    s1 ^= s1 >>> 17;
    s1 ^= s0 ^ (s0 >>> 26);
    this.#s1 = s1 >>> 0;
    return ((this.#s0 + this.#s1) >>> 0) / 4294967296;
  }
  normal(): number {
    if (this.#spare === this.#spare) {
      const s = this.#spare;
      this.#spare = NaN;
      return s;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

export interface WalkOptions {
  assets: number;
  bars: number;
  seed: number;
  /** bars per regime; default 400 */
  regimeBars?: number;
}

/** One Float64Array of closes per asset. */
export function randomWalk({ assets, bars, seed, regimeBars = 400 }: WalkOptions): Float64Array[] {
  const rng = new TestRng(seed);
  const prices = Array.from({ length: assets }, () => new Float64Array(bars));
  const logp = Array.from({ length: assets }, () => Math.log(1 + 100 * rng.next()));
  const loadings = [0, 0.3, 0.7, 0.95, 0.5, 0.1];
  let beta = 0;
  let vol = 0.001;
  let flipped = 0;
  for (let t = 0; t < bars; t++) {
    if (t % regimeBars === 0) {
      beta = loadings[Math.floor(rng.next() * loadings.length)];
      vol = 0.0005 + 0.002 * rng.next();
      flipped = Math.floor(rng.next() * (assets / 3)); // the first `flipped` assets move against the market
    }
    const m = rng.normal();
    for (let a = 0; a < assets; a++) {
      const load = a < flipped ? -beta : beta;
      logp[a] += vol * (load * m + Math.sqrt(1 - beta * beta) * rng.normal());
      prices[a][t] = Math.exp(logp[a]);
    }
  }
  return prices;
}

/** Bar-major view: closes of bar t. */
export function barOf(prices: readonly Float64Array[], t: number, out: Float64Array = new Float64Array(prices.length)): Float64Array {
  for (let a = 0; a < prices.length; a++) out[a] = prices[a][t];
  return out;
}

/**
 * Crypto-like closes: every asset loads 0.45–0.9 on one market factor (scaled by a regime factor
 * 0.6–1 that changes every `regimeBars`), plus one of four sector factors and its own noise; the
 * volatility changes with the regime. Average pairwise correlation ≈ 0.2–0.6: a clear market mode, as
 * in 1-minute returns of large USDT perpetuals. For benchmarks, where the iteration count matters.
 */
export function marketWalk({ assets, bars, seed, regimeBars = 1440 }: WalkOptions): Float64Array[] {
  const rng = new TestRng(seed);
  const load = Float64Array.from({ length: assets }, () => 0.45 + 0.45 * rng.next());
  const lp = new Float64Array(assets);
  const out = Array.from({ length: assets }, () => new Float64Array(bars));
  const sectors = new Float64Array(4);
  let vol = 0.001;
  let scale = 1;
  for (let t = 0; t < bars; t++) {
    if (t % regimeBars === 0) {
      vol = 0.0005 + 0.0015 * rng.next();
      scale = 0.6 + 0.4 * rng.next();
    }
    const m = rng.normal();
    for (let s = 0; s < 4; s++) sectors[s] = rng.normal();
    for (let a = 0; a < assets; a++) {
      const b = load[a] * scale;
      // the non-market part: 0.4 sector + √(1 − 0.4²) own noise, unit variance
      lp[a] += vol * (b * m + Math.sqrt(1 - b * b) * (0.4 * sectors[a % 4] + 0.9165 * rng.normal()));
      out[a][t] = Math.exp(lp[a]);
    }
  }
  return out;
}
