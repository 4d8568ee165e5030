import test from 'ava';
import { computeColumns } from '../../ng3/columns.ts';

// Two assets, windows of 3 and 5 returns. A 2×2 correlation matrix [[1, ρ], [ρ, 1]] has
// λmax = 1 + |ρ| and leading eigenvector (1, sign ρ)/√2, so by hand:
//   λ̂ = (1 + |ρ|) / 2,  v(t) = (λ̂(t) − λ̂(t − lag)) / lag,  vel_div = v3 − v5,
//   instability(t) = 1 − |u(t)·u(t − lag)| = 0 if ρ keeps its sign, 1 if it flips.
// Returns (in %) chosen so that correlation goes from +1 to −1: b follows a, then mirrors it.
const RA = [1, 0, -1, 1, 0, -1, 1, 0, -1, 1, 0, -1, 1, 0];
const RB = [1, 0, -1, 1, 0, -1, 1, 1, -1, -1, 0, 1, -1, 0];

function prices(returnsPct: number[]): Float64Array {
  const p = new Float64Array(returnsPct.length + 1);
  p[0] = 100;
  for (let i = 0; i < returnsPct.length; i++) p[i + 1] = p[i] * Math.exp(returnsPct[i] / 100);
  return p;
}

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** ρ of the window of w returns ending with bar `bar`'s return (bar t's return is RA[t − 1]). */
const rho = (bar: number, w: number) => pearson(RA.slice(bar - w, bar), RB.slice(bar - w, bar));
const lambdaNorm = (bar: number, w: number) => (bar < w ? NaN : (1 + Math.abs(rho(bar, w))) / 2);
const close = (a: number, b: number) => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) < 1e-12);

for (const lag of [1, 2]) {
  test(`lag ${lag}: λ̂, velocities, vel_div and instability equal their definitions on a hand-worked two-asset case`, (t) => {
    const cols = computeColumns([prices(RA), prices(RB)], { windows: [3, 5], instabilityWindows: [3, 5], lag, diagnostics: true });
    const bars = RA.length + 1;
    let flips = 0;
    for (let b = 0; b < bars; b++) {
      const v = (w: number) => (lambdaNorm(b, w) - (b - lag >= 0 ? lambdaNorm(b - lag, w) : NaN)) / lag;
      for (const w of [3, 5]) {
        t.true(close(cols[`lambda_norm_${w}`][b], lambdaNorm(b, w)), `λ̂${w} bar ${b}`);
        t.true(close(cols[`v${w}_lambda_max_velocity`][b], v(w)), `v${w} bar ${b}`);
        // ρ = 0 (λ1 = λ2 = 1) leaves the eigenvector undefined: no expectation on those bars
        if (b >= w + lag && Math.abs(rho(b, w)) > 1e-9 && Math.abs(rho(b - lag, w)) > 1e-9) {
          const flip = Math.sign(rho(b, w)) !== Math.sign(rho(b - lag, w));
          if (flip) flips++;
          t.true(close(cols[`instability_${w}`][b], flip ? 1 : 0), `instability${w} bar ${b}`);
        }
      }
      t.true(close(cols.vel_div[b], v(3) - v(5)), `vel_div bar ${b}`);
    }
    t.true(flips > 0, 'the case includes a sign flip of ρ');
  });
}

test('hand-worked values: ρ = 1 → λ̂ = 1; ρ = √3/2 → λ̂ = (1 + √3/2)/2; ρ = 0 → λ̂ = 1/2; ρ = −1 → λ̂ = 1', (t) => {
  const cols = computeColumns([prices(RA), prices(RB)], { windows: [3, 5], diagnostics: true });
  const l3 = cols.lambda_norm_3;
  // bar t's 3-window holds returns t−3 … t−1. Bars 3…7: b = a → ρ = 1
  t.true(Math.abs(l3[3] - 1) < 1e-15);
  // bar 8: a = (−1, 1, 0), b = (−1, 1, 1); centred b = (−4/3, 2/3, 2/3): Σab = 2, Σa² = 2, Σb² = 8/3
  // → ρ = 2/√(16/3) = √3/2
  t.true(Math.abs(l3[8] - (1 + Math.sqrt(3) / 2) / 2) < 1e-15);
  t.true(Math.abs(cols.v3_lambda_max_velocity[8] - ((1 + Math.sqrt(3) / 2) / 2 - 1)) < 1e-15);
  // bar 10: a = (0, −1, 1), b = (1, −1, −1); centred b = (4/3, −2/3, −2/3): Σab = 0 → ρ = 0
  t.true(Math.abs(l3[10] - 0.5) < 1e-15);
  // bar 11: a = (−1, 1, 0), b = (−1, −1, 0); centred b = (−1/3, −1/3, 2/3): Σab = 0 → ρ = 0 again;
  // bar 12: a = (1, 0, −1), b = (−1, 0, 1) → ρ = −1, so v3 = 1 − 1/2
  t.true(Math.abs(l3[11] - 0.5) < 1e-15);
  t.true(Math.abs(l3[12] - 1) < 1e-15);
  t.true(Math.abs(cols.v3_lambda_max_velocity[12] - 0.5) < 1e-15);
});
