// Independent references for the NG3 tests: a full eigen-decomposition (ml-matrix) and a two-pass
// Pearson correlation computed straight from prices, sharing no code with ng3/.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Largest eigenvalue and its unit eigenvector of a symmetric n × n row-major matrix. */
export function fullTopEigen(c: Float64Array, n: number): { lambda: number; vector: Float64Array } {
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, c[i * n + j]);
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  let best = 0;
  for (let i = 1; i < n; i++) if (values[i] > values[best]) best = i;
  const vector = Float64Array.from(evd.eigenvectorMatrix.getColumn(best));
  return { lambda: values[best], vector };
}

/** Log returns of one asset over bars [from, to] (to inclusive): to − from values. */
export function logReturns(prices: Float64Array, from: number, to: number): Float64Array {
  const r = new Float64Array(to - from);
  for (let t = from + 1; t <= to; t++) r[t - from - 1] = Math.log(prices[t] / prices[t - 1]);
  return r;
}

/** Two-pass Pearson correlation matrix of the returns of the window ending at `bar` (window returns). */
export function exactCorrelation(prices: readonly Float64Array[], bar: number, window: number): Float64Array {
  const n = prices.length;
  const rets = prices.map((p) => logReturns(p, bar - window, bar));
  const centred = rets.map((r) => {
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    return r.map((x) => x - mean);
  });
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sij = 0;
      let sii = 0;
      let sjj = 0;
      for (let t = 0; t < window; t++) {
        sij += centred[i][t] * centred[j][t];
        sii += centred[i][t] * centred[i][t];
        sjj += centred[j][t] * centred[j][t];
      }
      c[i * n + j] = sij / Math.sqrt(sii * sjj);
    }
  }
  return c;
}

export function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** True when two arrays hold the same bits (NaN payloads included). */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
