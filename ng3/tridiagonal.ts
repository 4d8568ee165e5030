// The small symmetric tridiagonal eigenproblem inside Lanczos: T has diagonal a[0..m) and
// off-diagonal b[0..m−1). We need its two largest eigenvalues (the largest to full precision, the
// second as a gap estimate) and the unit eigenvector of the largest.
// Eigenvalues: implicit QL with Wilkinson-type shifts (EISPACK tql1), O(m²), accurate to
// rounding relative to ‖T‖ — relative for the largest. Eigenvector: inverse iteration with a shift
// just above the largest eigenvalue, where σI − T is positive definite, so LDLᵀ without pivoting is
// stable. No allocation: the caller passes the work arrays.
import { Ng3InputError } from './errors.ts';

const EPS = 2.220446049250313e-16;
// Math.sqrt(x² + y²) rather than Math.hypot: hypot is a builtin call whose double result V8 boxes (an
// allocation per call, in the hot loop); the entries here are O(1)…O(n), far from overflow.

/**
 * Eigenvalues of T into d[0..m) (unsorted); e is work space (length ≥ m). Writes the largest and
 * second largest (−∞ when m = 1) into top[0], top[1].
 */
export function topTwo(a: Float64Array, b: Float64Array, m: number, d: Float64Array, e: Float64Array, top: Float64Array): void {
  for (let k = 0; k < m; k++) {
    d[k] = a[k];
    e[k] = k < m - 1 ? b[k] : 0;
  }
  for (let l = 0; l < m; l++) {
    let iter = 0;
    for (;;) {
      let k = l;
      for (; k < m - 1; k++) {
        const dd = Math.abs(d[k]) + Math.abs(d[k + 1]);
        if (Math.abs(e[k]) <= EPS * dd) break;
      }
      if (k === l) break;
      if (iter++ === 60) throw new Ng3InputError(`tridiagonal QL did not converge (m = ${m}): non-finite input?`);
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.sqrt(g * g + 1);
      g = d[k] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = k - 1;
      for (; i >= l; i--) {
        const f = s * e[i];
        const bb = c * e[i];
        r = Math.sqrt(f * f + g * g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[k] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * bb;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - bb;
      }
      if (r === 0 && i >= l) continue;
      d[l] -= p;
      e[l] = g;
      e[k] = 0;
    }
  }
  let t1 = -Infinity;
  let t2 = -Infinity;
  for (let k = 0; k < m; k++) {
    const x = d[k];
    if (x > t1) {
      t2 = t1;
      t1 = x;
    } else if (x > t2) t2 = x;
  }
  top[0] = t1;
  top[1] = t2;
}

/**
 * Unit eigenvector s of T for its largest eigenvalue theta = top[0] (two steps of inverse iteration
 * with the shift σ = theta(1 + 1e-10), just above it). Sign: s[0] ≥ 0. `d` is work space of length ≥ m.
 * theta comes in a typed array: a double argument to a call V8 does not inline is boxed (allocated).
 */
export function topVector(a: Float64Array, b: Float64Array, m: number, top: Float64Array, s: Float64Array, d: Float64Array): void {
  const theta = top[0];
  const sigma = theta + Math.abs(theta) * 1e-10 + 1e-300;
  const floor = Math.abs(sigma) * 1e-30 + 1e-300; // stands in for a pivot that rounding made ≤ 0
  // LDLᵀ of M = σI − T: d_k = σ − a_k − b_{k−1}² / d_{k−1}
  d[0] = sigma - a[0];
  for (let k = 1; k < m; k++) {
    if (d[k - 1] <= 0) d[k - 1] = floor; // only by rounding: M is positive definite
    d[k] = sigma - a[k] - (b[k - 1] * b[k - 1]) / d[k - 1];
  }
  if (d[m - 1] <= 0) d[m - 1] = floor;
  for (let k = 0; k < m; k++) s[k] = 1;
  for (let iter = 0; iter < 2; iter++) {
    // L y = s (L has −b_{k−1}/d_{k−1} below the diagonal), then D z = y, then Lᵀ s = z, in place
    for (let k = 1; k < m; k++) s[k] += (b[k - 1] * s[k - 1]) / d[k - 1];
    for (let k = 0; k < m; k++) s[k] /= d[k];
    for (let k = m - 2; k >= 0; k--) s[k] += (b[k] * s[k + 1]) / d[k];
    let nrm = 0;
    for (let k = 0; k < m; k++) nrm += s[k] * s[k];
    nrm = Math.sqrt(nrm);
    for (let k = 0; k < m; k++) s[k] /= nrm;
  }
  if (s[0] < 0) for (let k = 0; k < m; k++) s[k] = -s[k];
}
