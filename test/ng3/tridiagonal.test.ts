import test from 'ava';
import { topTwo, topVector } from '../../ng3/tridiagonal.ts';
import { TestRng } from './fixtures.ts';
import { fullTopEigen } from './reference.ts';

function dense(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    c[i * m + i] = a[i];
    if (i < m - 1) c[i * m + i + 1] = c[(i + 1) * m + i] = b[i];
  }
  return c;
}

test('topTwo and topVector give the largest eigenpair of random tridiagonals to rounding', (t) => {
  const rng = new TestRng(3);
  const d = new Float64Array(30);
  const e = new Float64Array(30);
  const top = new Float64Array(2);
  const s = new Float64Array(30);
  for (let trial = 0; trial < 300; trial++) {
    const m = 1 + (trial % 24);
    const a = Float64Array.from({ length: m }, () => 10 * rng.next());
    const b = Float64Array.from({ length: m }, () => 0.01 + 3 * rng.next());
    topTwo(a, b, m, d, e, top);
    const ref = fullTopEigen(dense(a, b, m), m);
    t.true(Math.abs(top[0] - ref.lambda) <= 1e-13 * ref.lambda, `m=${m}: ${top[0]} vs ${ref.lambda}`);
    if (m === 1) continue;
    topVector(a, b, m, top, s, d);
    let dot = 0;
    for (let i = 0; i < m; i++) dot += s[i] * ref.vector[i];
    t.true(1 - Math.abs(dot) < 1e-12, `m=${m}: 1 − |cos| = ${1 - Math.abs(dot)}`);
  }
});

test('topTwo reports the second largest eigenvalue, −∞ for a 1×1 matrix', (t) => {
  const d = new Float64Array(3);
  const e = new Float64Array(3);
  const top = new Float64Array(2);
  // [[2,1,0],[1,2,1],[0,1,2]] has eigenvalues 2 − √2, 2, 2 + √2
  topTwo(Float64Array.of(2, 2, 2), Float64Array.of(1, 1), 3, d, e, top);
  t.true(Math.abs(top[0] - (2 + Math.SQRT2)) < 1e-15);
  t.true(Math.abs(top[1] - 2) < 1e-15);
  topTwo(Float64Array.of(5), new Float64Array(1), 1, d, e, top);
  t.deepEqual([...top], [5, -Infinity]);
});
