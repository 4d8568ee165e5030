// Largest eigenvalue and its eigenvector of a symmetric operator by Lanczos, warm-started from a
// given vector (the previous bar's eigenvector). Full reorthogonalisation: the Krylov space stays
// small (a few vectors on most bars), so the O(m·n) cost is minor next to the O(n²) products, and it
// keeps the basis orthogonal to rounding, with no ghost eigenvalues.
//
// Stopping rule at Krylov dimension m, with Ritz pair (θ1, y), second Ritz value θ2 and residual
// r = ‖Ay − θ1 y‖ = β_m |s_m| (free from the recurrence):
//   r ≤ tol·θ1                         (a rigorous bound: some eigenvalue lies within r of θ1), or
//   r² / (θ1 − θ2) ≤ tol·θ1            (the usual gap estimate of λmax − θ1; θ2 ≤ λ2, so it can
//                                       underestimate the error when λ1 and λ2 are close — the tests
//                                       measure the actual error against a full decomposition).
// When m reaches maxKrylov the Ritz vector restarts the process.
import { topTwo, topVector } from './tridiagonal.ts';

export interface SymOperator {
  readonly n: number;
  apply(x: Float64Array, y: Float64Array): void;
}

export class WarmLanczos {
  readonly n: number;
  readonly maxKrylov: number;
  /** λmax found by the last solve (a typed array: a returned double would be boxed on every call) */
  readonly lambda = new Float64Array(1);
  /** matrix-vector products of the last solve */
  products = 0;
  /** restarts of the last solve */
  restarts = 0;
  /** false when the last solve ran out of restarts (its value is then the best Ritz value found) */
  converged = true;
  readonly #Q: Float64Array;
  /** views of the rows of Q, made once: subarray() per product would allocate on every bar */
  readonly #rows: Float64Array[];
  readonly #w: Float64Array;
  readonly #a: Float64Array;
  readonly #b: Float64Array;
  readonly #s: Float64Array;
  readonly #work: Float64Array;
  readonly #work2: Float64Array;
  readonly #top = new Float64Array(2);

  /** target relative error of λmax (see the stopping rule above) */
  readonly tolerance: number;
  /** restarts allowed per solve */
  readonly maxRestarts: number;

  constructor(n: number, maxKrylov: number, tolerance: number, maxRestarts: number) {
    this.n = n;
    // kept as fields, not passed per call: a double argument to a call V8 does not inline is boxed
    this.tolerance = tolerance;
    this.maxRestarts = maxRestarts;
    // a Krylov space of an n×n operator has at most n dimensions: at m = n the residual is rounding
    this.maxKrylov = Math.max(1, Math.min(maxKrylov, n));
    this.#Q = new Float64Array(this.maxKrylov * n);
    this.#rows = Array.from({ length: this.maxKrylov }, (_, k) => this.#Q.subarray(k * n, (k + 1) * n));
    this.#w = new Float64Array(n);
    this.#a = new Float64Array(this.maxKrylov);
    this.#b = new Float64Array(this.maxKrylov);
    this.#s = new Float64Array(this.maxKrylov);
    this.#work = new Float64Array(this.maxKrylov);
    this.#work2 = new Float64Array(this.maxKrylov);
  }

  /**
   * Puts λmax of `op` in `lambda[0]`; returns whether it converged. `v` is the start vector on entry
   * (any non-zero length) and the unit eigenvector on return, with the sign that makes its sum ≥ 0.
   */
  solve(op: SymOperator, v: Float64Array): boolean {
    const tol = this.tolerance;
    const maxRestarts = this.maxRestarts;
    const n = this.n;
    const Q = this.#Q;
    const w = this.#w;
    const a = this.#a;
    const b = this.#b;
    const s = this.#s;
    this.products = 0;
    this.restarts = 0;
    let theta = NaN;
    for (let restart = 0; restart <= maxRestarts; restart++) {
      this.restarts = restart;
      let nv = 0;
      for (let i = 0; i < n; i++) nv += v[i] * v[i];
      nv = Math.sqrt(nv);
      for (let i = 0; i < n; i++) Q[i] = v[i] / nv;
      let m = 0;
      let done = false;
      for (;;) {
        const qo = m * n;
        op.apply(this.#rows[m], w);
        this.products++;
        // Loops are fused so each pass over w does two jobs: the three-term recurrence
        // (w −= β q_{m−1}; α = q_m·w; w −= α q_m) and then one modified Gram–Schmidt sweep against
        // q_0 … q_{m−1}, each c_k = q_k·w on the w left by the previous subtraction, the last pass also
        // summing β² = ‖w‖². The recurrence has just removed q_m itself, so a second pass against q_m
        // (which would change α only at rounding level) is not made: one pass fewer per step.
        let alpha = 0;
        if (m > 0) {
          const bp = b[m - 1];
          const po = qo - n;
          for (let i = 0; i < n; i++) {
            const wi = w[i] - bp * Q[po + i];
            w[i] = wi;
            alpha += Q[qo + i] * wi;
          }
        } else for (let i = 0; i < n; i++) alpha += Q[qo + i] * w[i];
        let c = 0;
        let beta = 0;
        if (m > 0) {
          for (let i = 0; i < n; i++) {
            const wi = w[i] - alpha * Q[qo + i];
            w[i] = wi;
            c += Q[i] * wi;
          }
          // full reorthogonalisation: keeps the basis orthogonal to rounding, so no ghost Ritz values
          for (let k = 0; k < m; k++) {
            const ko = k * n;
            if (k < m - 1) {
              const no = ko + n;
              let next = 0;
              for (let i = 0; i < n; i++) {
                const wi = w[i] - c * Q[ko + i];
                w[i] = wi;
                next += Q[no + i] * wi;
              }
              c = next;
            } else {
              for (let i = 0; i < n; i++) {
                const wi = w[i] - c * Q[ko + i];
                w[i] = wi;
                beta += wi * wi;
              }
            }
          }
        } else {
          for (let i = 0; i < n; i++) {
            const wi = w[i] - alpha * Q[qo + i];
            w[i] = wi;
            beta += wi * wi;
          }
        }
        a[m] = alpha;
        beta = Math.sqrt(beta);
        b[m] = beta;
        m++;
        let r: number;
        let gap = NaN;
        if (m === 1) {
          theta = alpha; // T is 1×1: no solve, s = [1]
          s[0] = 1;
          r = beta;
        } else {
          if (m === 2) {
            // closed form for 2×2 (every solve passes here): θ = mid ± h, so the gap is 2h exactly
            const h = Math.sqrt(0.25 * (a[0] - a[1]) * (a[0] - a[1]) + b[0] * b[0]);
            this.#top[0] = 0.5 * (a[0] + a[1]) + h;
            gap = 2 * h;
          } else {
            topTwo(a, b, m, this.#work, this.#work2, this.#top);
            gap = this.#top[0] - this.#top[1];
          }
          theta = this.#top[0];
          topVector(a, b, m, this.#top, s, this.#work);
          r = beta * Math.abs(s[m - 1]);
        }
        const tolTheta = tol * Math.abs(theta);
        if (r <= tolTheta || (gap > 0 && r * r <= tolTheta * gap)) done = true;
        if (done || m === this.maxKrylov || beta === 0) break;
        const no = m * n;
        const inv = 1 / beta;
        for (let i = 0; i < n; i++) Q[no + i] = w[i] * inv;
      }
      // Ritz vector y = Q s: the eigenvector estimate, and the start of a restart. One pass over v
      // (the sum over k inside) rather than m passes that each load and store all of v.
      for (let i = 0; i < n; i++) {
        let yi = s[0] * Q[i];
        for (let k = 1, ko = n; k < m; k++, ko += n) yi += s[k] * Q[ko + i];
        v[i] = yi;
      }
      if (done) {
        this.converged = true;
        orient(v);
        this.lambda[0] = theta;
        return true;
      }
    }
    this.converged = false;
    orient(v);
    this.lambda[0] = theta;
    return false;
  }
}

/** Unit length, component sum ≥ 0 (ties: first non-zero component > 0), so the sign is deterministic. */
function orient(v: Float64Array): void {
  let nv = 0;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    nv += v[i] * v[i];
    sum += v[i];
  }
  nv = Math.sqrt(nv);
  let sign = sum > 0 ? 1 : sum < 0 ? -1 : 0;
  for (let i = 0; sign === 0 && i < v.length; i++) if (v[i] !== 0) sign = v[i] > 0 ? 1 : -1;
  const f = (sign || 1) / nv;
  for (let i = 0; i < v.length; i++) v[i] *= f;
}
