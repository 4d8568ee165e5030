// One window's pipeline per return: running sums → inclusion → λmax and its eigenvector (Lanczos,
// warm-started from the previous bar) → normalised λ̂ = λmax / n_active → velocity and instability
// against the values `lag` returns earlier. Everything is preallocated and step() allocates nothing:
// results go to a Float64Array rather than to number fields or return values, which V8 may box.
import { WarmLanczos } from './lanczos.ts';
import type { ResolvedNg3Options } from './options.ts';
import type { ReturnRing } from './returns.ts';
import { WindowCorr } from './window-corr.ts';

/** Slots of WindowTrack.out. */
export const OUT = { lambdaMax: 0, lambdaNorm: 1, velocity: 2, instability: 3, active: 4, products: 5 } as const;

/** A fixed vector with no structure (an integer hash of the index, in [−0.5, 0.5)), the same everywhere. */
const GENERIC = Float64Array.from({ length: 1024 }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) >>> 0) / 4294967296 - 0.5);

export class WindowTrack {
  readonly window: number;
  readonly corr: WindowCorr;
  readonly solver: WarmLanczos;
  /**
   * Results of the last step, by OUT slot: λmax, λ̂, velocity, instability (NaN during warm-up or with
   * too few active assets), active assets, matrix-vector products spent (0 when nothing was solved).
   */
  readonly out = new Float64Array(6).fill(NaN);
  /** bars whose Lanczos ran out of restarts, since construction */
  unconverged = 0;
  /** exact rebuilds of the running sums (scheduled every K returns, or after a decay), since construction */
  rebuilds = 0;
  /** the current unit eigenvector (0 on excluded assets); meaningful while out[λmax] is finite */
  readonly vector: Float64Array;
  readonly #o: ResolvedNg3Options;
  readonly #lagPlus: number;
  /** λ̂ of the last lag+1 returns, slot k % (lag+1) */
  readonly #hist: Float64Array;
  /** eigenvectors of the last lag+1 returns, same slots */
  readonly #vecs: Float64Array;
  #warm = false;

  constructor(window: number, o: ResolvedNg3Options) {
    const n = o.assets;
    this.window = window;
    this.#o = o;
    this.corr = new WindowCorr(n, window, o.varianceFloor, o.decayLimit);
    this.solver = new WarmLanczos(n, o.maxKrylov, o.tolerance, o.maxRestarts);
    this.vector = new Float64Array(n);
    this.#lagPlus = o.lag + 1;
    this.#hist = new Float64Array(this.#lagPlus).fill(NaN);
    this.#vecs = new Float64Array(this.#lagPlus * n);
    this.out[OUT.active] = 0;
    this.out[OUT.products] = 0;
  }

  /** Advances to return k of the ring; `exact` rebuilds the sums from the returns instead of sliding. */
  step(ring: ReturnRing, k: number, exact: boolean): void {
    const corr = this.corr;
    const out = this.out;
    if (!exact) {
      corr.slide(ring, k); // the O(n²) part waits for the solver's first product, or commit()
      exact = corr.decayed;
    }
    if (exact) {
      corr.recompute(ring, k); // replaces a pending update: the rebuild includes return k
      this.rebuilds++;
    }
    const slot = k % this.#lagPlus;
    const prevSlot = (k + 1) % this.#lagPlus; // holds return k − lag
    const active = corr.full ? corr.refreshScale() : 0;
    out[OUT.active] = active;
    out[OUT.products] = 0;
    if (!corr.full || active < this.#o.minAssets) {
      out[OUT.lambdaMax] = out[OUT.lambdaNorm] = out[OUT.velocity] = out[OUT.instability] = NaN;
      corr.commit(); // now: the ring moves on before the next bar
      this.#hist[slot] = NaN;
      this.#warm = false;
      return;
    }
    this.#startVector();
    const v = this.vector;
    const solver = this.solver;
    if (!solver.solve(corr, v)) this.unconverged++;
    out[OUT.products] = solver.products;
    this.#warm = true;
    const lambda = solver.lambda[0];
    const norm = lambda / active;
    const prev = this.#hist[prevSlot];
    out[OUT.lambdaMax] = lambda;
    out[OUT.lambdaNorm] = norm;
    out[OUT.velocity] = (norm - prev) / this.#o.lag; // NaN while t − lag had none
    const n = v.length;
    if (prev === prev) {
      const po = prevSlot * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i] * this.#vecs[po + i];
      out[OUT.instability] = Math.max(0, 1 - Math.abs(dot)); // |dot| may round a hair above 1
    } else out[OUT.instability] = NaN;
    this.#hist[slot] = norm;
    this.#vecs.set(v, slot * n);
  }

  /**
   * The previous eigenvector restricted to the included assets (or, cold, the uniform vector on them),
   * plus a small fixed generic vector. Without it a start exactly orthogonal to the leading eigenvector
   * would span an invariant subspace and Lanczos would stop, "converged", on a smaller eigenvalue: with
   * two assets whose correlation turns negative, the old (1, 1)/√2 is exactly the other eigenvector.
   * 1e-4 of the norm is far above rounding, and below the eigenvector's usual rotation per bar.
   */
  #startVector(): void {
    const v = this.vector;
    const scale = this.corr.scale;
    let kept = 0;
    for (let i = 0; i < v.length; i++) {
      if (scale[i] === 0) v[i] = 0;
      else kept += v[i] * v[i];
    }
    // a cold start, or the old vector lived almost entirely on assets now excluded
    const cold = !this.#warm || kept < 1e-3;
    if (cold) {
      kept = 0;
      for (let i = 0; i < v.length; i++) {
        if (scale[i] !== 0) {
          v[i] = 1;
          kept++;
        }
      }
    }
    const eps = (cold ? 0.1 : 1e-4) * Math.sqrt(kept);
    for (let i = 0; i < v.length; i++) if (scale[i] !== 0) v[i] += eps * GENERIC[i % GENERIC.length];
  }
}
