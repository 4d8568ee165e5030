// Running correlation statistics of one rolling window: Σx (sx), Σxxᵀ (S, the upper triangle packed
// row by row: half the memory and half the update of a full matrix) and, per asset, an exact integer
// count of unequal neighbouring returns in the window. A bar costs one rank-2 update of S (add the
// entering return row, subtract the leaving one): O(n²).
//
// The correlation matrix is never stored: C = D (S − sx sxᵀ / W) D with D = diag(1/√css_i) and
// css_i = S_ii − sx_i² / W the centred sum of squares. apply() multiplies by C in one pass over S.
// Excluded assets (constant in the window, see refreshScale) get D_ii = 0: their row and column of C
// are zero, which leaves λmax and the leading eigenvector of the others untouched.
//
// A bar is taken in two parts so the O(n²) update shares its pass over S with the first product of the
// eigen-solver: slide() updates the O(n) statistics (sx, counts, the diagonal of S) and marks the
// off-diagonal update pending; the next apply() performs it while it multiplies, or commit() alone.
import type { ReturnRing } from './returns.ts';

export class WindowCorr {
  readonly window: number;
  readonly n: number;
  /** Σ over the window of x_i x_j for j ≥ i, packed: row i starts at diag[i] */
  readonly S: Float64Array;
  /** offset of S_ii in S */
  readonly diag: Int32Array;
  /** Σ over the window of x_i */
  readonly sx: Float64Array;
  /** per asset: number of neighbouring return pairs in the window that differ; 0 ⇔ constant returns */
  readonly changes: Int32Array;
  /** D_ii = 1/√css_i for included assets, 0 for excluded ones (set by refreshScale) */
  readonly scale: Float64Array;
  /** per asset: the largest S_ii since the last rebuild */
  readonly peak: Float64Array;
  /**
   * set by slide() when some S_ii fell below peak / decayLimit: rounding left by the large values
   * that were subtracted is then large relative to what remains, and the caller should rebuild
   */
  decayed = false;
  /** assets included at the last refreshScale */
  active = 0;
  /** returns held: min(returns seen, window) */
  held = 0;
  readonly #floor: number;
  readonly #decayLimit: number;
  readonly #z: Float64Array;
  // the pending off-diagonal update: ring data and the offsets of the entering and leaving rows
  #data: Float64Array | null = null;
  #xo = 0;
  #oo = 0;

  /** decayLimit 0 never flags a decay */
  constructor(n: number, window: number, varianceFloor: number, decayLimit: number) {
    this.n = n;
    this.window = window;
    this.S = new Float64Array((n * (n + 1)) / 2);
    this.diag = new Int32Array(n);
    for (let i = 0; i < n; i++) this.diag[i] = i * n - (i * (i - 1)) / 2;
    this.sx = new Float64Array(n);
    this.changes = new Int32Array(n);
    this.scale = new Float64Array(n);
    this.#floor = varianceFloor;
    this.#decayLimit = decayLimit;
    this.peak = new Float64Array(n);
    this.#z = new Float64Array(n);
  }

  get full(): boolean {
    return this.held === this.window;
  }

  /** Slides the window onto return k of the ring (the ring's newest): O(n) now, the O(n²) part pending. */
  slide(ring: ReturnRing, k: number): void {
    // Invariant: no update is pending here. A pending update reads ring rows that the ring's next bar
    // may overwrite, so the caller applies or commits before it pushes another bar (WindowTrack does).
    const { n, S, sx, changes, window, diag } = this;
    const d = ring.data;
    const xo = ring.offset(k);
    const leaving = k >= window;
    // while the window fills nothing leaves: the ring's zero row stands in, and x x − 0·0 = x x exactly
    const oo = leaving ? ring.offset(k - window) : ring.zeroOffset;
    // neighbour pairs: (k−1, k) enters; (k−W, k−W+1) leaves. Integer counts, so exact forever.
    // A pair that does not exist (k = 0, or nothing leaving yet) compares a row
    // with itself and so never counts as a change.
    const po = k >= 1 ? ring.offset(k - 1) : xo;
    const o1 = leaving ? ring.offset(k - window + 1) : oo;
    if (!leaving) this.held++;
    const { peak } = this;
    const limit = this.#decayLimit;
    // one pass over the assets: counts, Σx, the diagonal of S and the decay check
    for (let i = 0; i < n; i++) {
      const xi = d[xo + i];
      const oi = d[oo + i];
      changes[i] += (xi !== d[po + i] ? 1 : 0) - (oi !== d[o1 + i] ? 1 : 0);
      sx[i] += xi - oi;
      const k2 = diag[i];
      const sii = S[k2] + (xi * xi - oi * oi);
      S[k2] = sii;
      if (sii > peak[i]) peak[i] = sii;
      else if (limit > 0 && sii * limit < peak[i]) this.decayed = true;
    }
    this.#data = d;
    this.#xo = xo;
    this.#oo = oo;
  }

  /** Performs a pending off-diagonal update without a product. */
  commit(): void {
    const d = this.#data;
    if (d === null) return;
    this.#data = null;
    const { n, S, diag } = this;
    const xo = this.#xo;
    const oo = this.#oo;
    for (let i = 0; i < n - 1; i++) {
      const xi = d[xo + i];
      const oi = d[oo + i];
      if (xi === 0 && oi === 0) continue; // adds ±0: S (never −0) is unchanged, as if updated
      let k = diag[i] + 1;
      for (let j = i + 1; j < n; j++, k++) S[k] += xi * d[xo + j] - oi * d[oo + j];
    }
  }

  /** Rebuilds S, sx and the counts from the window's returns (oldest first), ending at return k. */
  recompute(ring: ReturnRing, k: number): void {
    this.#data = null; // the rebuild includes return k
    const { n, S, sx, changes } = this;
    const d = ring.data;
    S.fill(0);
    sx.fill(0);
    changes.fill(0);
    const first = Math.max(0, k - this.window + 1);
    for (let m = first; m <= k; m++) {
      const xo = ring.offset(m);
      if (m > first) {
        const po = ring.offset(m - 1);
        for (let i = 0; i < n; i++) if (d[xo + i] !== d[po + i]) changes[i]++;
      }
      let p = 0;
      for (let i = 0; i < n; i++) {
        const xi = d[xo + i];
        if (xi === 0) {
          p += n - i;
          continue;
        }
        sx[i] += xi;
        for (let j = i; j < n; j++, p++) S[p] += xi * d[xo + j];
      }
    }
    this.held = k - first + 1;
    for (let i = 0; i < n; i++) this.peak[i] = S[this.diag[i]];
    this.decayed = false;
  }

  /**
   * Decides which assets take part and their scale. Excluded: constant returns over the window
   * (changes = 0, the exact test), or a centred sum of squares ≤ floor × raw sum of squares (constant
   * up to rounding: its correlations would be noise). Only meaningful once the window is full.
   */
  refreshScale(): number {
    const { n, S, sx, changes, scale, diag } = this;
    const w = this.window;
    let active = 0;
    for (let i = 0; i < n; i++) {
      const sii = S[diag[i]];
      const css = sii - (sx[i] * sx[i]) / w;
      if (changes[i] > 0 && css > this.#floor * sii) {
        scale[i] = 1 / Math.sqrt(css);
        active++;
      } else scale[i] = 0;
    }
    this.active = active;
    return active;
  }

  /** y = C q (q and y of length n; y is 0 on excluded assets). Performs a pending update in the same pass. */
  apply(q: Float64Array, y: Float64Array): void {
    const { n, S, sx, scale } = this;
    const z = this.#z;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const zi = scale[i] * q[i];
      z[i] = zi;
      c += sx[i] * zi;
      y[i] = 0;
    }
    c /= this.window;
    const d = this.#data;
    this.#data = null;
    if (d === null) symv(S, this.diag, z, y, n);
    else symvUpdate(S, this.diag, z, y, n, d, this.#xo, this.#oo);
    for (let i = 0; i < n; i++) y[i] = scale[i] * (y[i] - sx[i] * c);
  }

  /** Writes the correlation matrix apply() multiplies by (n × n, row-major; excluded rows/cols 0). For tests and checks. */
  correlation(out: Float64Array): Float64Array {
    this.commit();
    const { n, S, sx, scale, diag } = this;
    const w = this.window;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const c = scale[i] * scale[j] * (S[diag[i] + j - i] - (sx[i] * sx[j]) / w);
        out[i * n + j] = c;
        out[j * n + i] = c;
      }
    }
    return out;
  }
}

// Symmetric products from the packed upper triangle, y = S z (y zero on entry). Four rows at a time:
// rows i…i+3 share each load of z_j (and x_j, o_j) and one update of y_j, which makes the pass about
// twice as fast in V8 as one row at a time. Row r contributes S_rj z_j to y_r and, for j > r, S_rj z_r
// to y_j. symvUpdate first adds the pending rank-2 update x xᵀ − o oᵀ to each off-diagonal entry (the
// diagonal was updated by slide()), with the same expression as commit(), so S gets the same bits.

function symv(S: Float64Array, diag: Int32Array, z: Float64Array, y: Float64Array, n: number): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const k0 = diag[i];
    const k1 = diag[i + 1];
    const k2 = diag[i + 2];
    const k3 = diag[i + 3];
    const z0 = z[i];
    const z1 = z[i + 1];
    const z2 = z[i + 2];
    const z3 = z[i + 3];
    const a01 = S[k0 + 1];
    const a02 = S[k0 + 2];
    const a03 = S[k0 + 3];
    const a12 = S[k1 + 1];
    const a13 = S[k1 + 2];
    const a23 = S[k2 + 1];
    let t0 = S[k0] * z0 + a01 * z1 + a02 * z2 + a03 * z3;
    let t1 = a01 * z0 + S[k1] * z1 + a12 * z2 + a13 * z3;
    let t2 = a02 * z0 + a12 * z1 + S[k2] * z2 + a23 * z3;
    let t3 = a03 * z0 + a13 * z1 + a23 * z2 + S[k3] * z3;
    let p0 = k0 + 4;
    let p1 = k1 + 3;
    let p2 = k2 + 2;
    let p3 = k3 + 1;
    for (let j = i + 4; j < n; j++, p0++, p1++, p2++, p3++) {
      const s0 = S[p0];
      const s1 = S[p1];
      const s2 = S[p2];
      const s3 = S[p3];
      const zj = z[j];
      t0 += s0 * zj;
      t1 += s1 * zj;
      t2 += s2 * zj;
      t3 += s3 * zj;
      y[j] += s0 * z0 + s1 * z1 + (s2 * z2 + s3 * z3);
    }
    y[i] += t0;
    y[i + 1] += t1;
    y[i + 2] += t2;
    y[i + 3] += t3;
  }
  for (; i < n; i++) {
    const zi = z[i];
    let k = diag[i];
    let t = S[k++] * zi;
    for (let j = i + 1; j < n; j++, k++) {
      const s = S[k];
      t += s * z[j];
      y[j] += s * zi;
    }
    y[i] += t;
  }
}

function symvUpdate(S: Float64Array, diag: Int32Array, z: Float64Array, y: Float64Array, n: number, d: Float64Array, xo: number, oo: number): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const k0 = diag[i];
    const k1 = diag[i + 1];
    const k2 = diag[i + 2];
    const k3 = diag[i + 3];
    const z0 = z[i];
    const z1 = z[i + 1];
    const z2 = z[i + 2];
    const z3 = z[i + 3];
    const x0 = d[xo + i];
    const x1 = d[xo + i + 1];
    const x2 = d[xo + i + 2];
    const x3 = d[xo + i + 3];
    const o0 = d[oo + i];
    const o1 = d[oo + i + 1];
    const o2 = d[oo + i + 2];
    const o3 = d[oo + i + 3];
    const a01 = S[k0 + 1] + (x0 * x1 - o0 * o1);
    const a02 = S[k0 + 2] + (x0 * x2 - o0 * o2);
    const a03 = S[k0 + 3] + (x0 * x3 - o0 * o3);
    const a12 = S[k1 + 1] + (x1 * x2 - o1 * o2);
    const a13 = S[k1 + 2] + (x1 * x3 - o1 * o3);
    const a23 = S[k2 + 1] + (x2 * x3 - o2 * o3);
    S[k0 + 1] = a01;
    S[k0 + 2] = a02;
    S[k0 + 3] = a03;
    S[k1 + 1] = a12;
    S[k1 + 2] = a13;
    S[k2 + 1] = a23;
    let t0 = S[k0] * z0 + a01 * z1 + a02 * z2 + a03 * z3;
    let t1 = a01 * z0 + S[k1] * z1 + a12 * z2 + a13 * z3;
    let t2 = a02 * z0 + a12 * z1 + S[k2] * z2 + a23 * z3;
    let t3 = a03 * z0 + a13 * z1 + a23 * z2 + S[k3] * z3;
    let p0 = k0 + 4;
    let p1 = k1 + 3;
    let p2 = k2 + 2;
    let p3 = k3 + 1;
    for (let j = i + 4; j < n; j++, p0++, p1++, p2++, p3++) {
      const xj = d[xo + j];
      const oj = d[oo + j];
      const zj = z[j];
      const s0 = S[p0] + (x0 * xj - o0 * oj);
      const s1 = S[p1] + (x1 * xj - o1 * oj);
      const s2 = S[p2] + (x2 * xj - o2 * oj);
      const s3 = S[p3] + (x3 * xj - o3 * oj);
      S[p0] = s0;
      S[p1] = s1;
      S[p2] = s2;
      S[p3] = s3;
      t0 += s0 * zj;
      t1 += s1 * zj;
      t2 += s2 * zj;
      t3 += s3 * zj;
      y[j] += s0 * z0 + s1 * z1 + (s2 * z2 + s3 * z3);
    }
    y[i] += t0;
    y[i + 1] += t1;
    y[i + 2] += t2;
    y[i + 3] += t3;
  }
  for (; i < n; i++) {
    const zi = z[i];
    const xi = d[xo + i];
    const oi = d[oo + i];
    let k = diag[i];
    let t = S[k++] * zi;
    for (let j = i + 1; j < n; j++, k++) {
      const s = S[k] + (xi * d[xo + j] - oi * d[oo + j]);
      S[k] = s;
      t += s * z[j];
      y[j] += s * zi;
    }
    y[i] += t;
  }
}
