// The statistics of the evidence package, dependency-free: normal and Student-t distributions (via
// the regularised incomplete gamma and beta functions, Numerical Recipes §6.1–6.4), Wilson interval,
// Pearson correlation with its t-test, two-proportion z-test, Welch's t-test, Sharpe, drawdown.

const LANCZOS = [676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; relative error ~1e-15). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = 0.9999999999998099;
  const t = x + 7.5;
  for (let i = 0; i < 8; i++) a += LANCZOS[i] / (x + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-15;
const TINY = 1e-300;

/** Regularised lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
  }
  return 1 - gammaQcf(a, x);
}

function gammaQcf(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** erfc(x) through Q(1/2, x²): accurate in both tails. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x === 0) return 1;
  const x2 = x * x;
  return x2 < 1.5 ? 1 - gammaP(0.5, x2) : gammaQcf(0.5, x2);
}

/** Standard normal CDF. */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal quantile (Acklam's rational approximation, one Halley step: ~1e-15). */
export function normInv(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const e = normCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Regularised incomplete beta I_x(a, b). */
export function betaInc(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaCf(x, a, b)) / a : 1 - (front * betaCf(1 - x, b, a)) / b;
}

function betaCf(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return betaInc(df / (df + t * t), df / 2, 0.5);
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Sample standard deviation (ddof 1); NaN below two values. */
export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Wilson score interval for k successes in n trials. */
export function wilsonInterval(k: number, n: number, level = 0.95): [number, number] {
  if (n === 0) return [NaN, NaN];
  const z = normInv(1 - (1 - level) / 2);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface Correlation {
  r: number;
  rSquared: number;
  /** two-sided, t = r·√((n−2)/(1−r²)) with n − 2 df */
  pValue: number;
  n: number;
}

/** Pearson correlation; NaN fields below three pairs or with a constant series. */
export function pearson(xs: readonly number[], ys: readonly number[]): Correlation {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError(`pearson: ${n} x values but ${ys.length} y values`);
  if (n < 3) return { r: NaN, rSquared: NaN, pValue: NaN, n };
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return { r: NaN, rSquared: NaN, pValue: NaN, n };
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  const t = Math.abs(r) === 1 ? Infinity : r * Math.sqrt((n - 2) / (1 - r * r));
  return { r, rSquared: r * r, pValue: tTwoSidedP(t, n - 2), n };
}

export interface TestResult {
  statistic: number;
  pValue: number;
}

/** Two-sided two-proportion z-test with the pooled proportion. */
export function twoProportionZ(k1: number, n1: number, k2: number, n2: number): TestResult {
  if (n1 === 0 || n2 === 0) return { statistic: NaN, pValue: NaN };
  const p = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return { statistic: 0, pValue: 1 };
  const z = (k1 / n1 - k2 / n2) / se;
  return { statistic: z, pValue: 2 * normCdf(-Math.abs(z)) };
}

/** Welch's two-sample t-test (two-sided, Welch–Satterthwaite df). */
export function welchT(xs: readonly number[], ys: readonly number[]): TestResult & { df: number } {
  if (xs.length < 2 || ys.length < 2) return { statistic: NaN, pValue: NaN, df: NaN };
  const vx = sd(xs) ** 2 / xs.length;
  const vy = sd(ys) ** 2 / ys.length;
  if (vx + vy === 0) return { statistic: NaN, pValue: NaN, df: NaN };
  const t = (mean(xs) - mean(ys)) / Math.sqrt(vx + vy);
  const df = (vx + vy) ** 2 / (vx ** 2 / (xs.length - 1) + vy ** 2 / (ys.length - 1));
  return { statistic: t, pValue: tTwoSidedP(t, df), df };
}

/** mean / sd (ddof 1) × √periods; 0 below two periods or with no spread. */
export function sharpe(returns: readonly number[], periodsPerYear: number): number {
  if (returns.length < 2) return 0;
  const s = sd(returns);
  return s > 0 ? (mean(returns) / s) * Math.sqrt(periodsPerYear) : 0;
}

/** Largest fall from a running peak, as a fraction of the peak; `initial` is the first peak. */
export function maxDrawdown(initial: number, equityAfterEach: readonly number[]): number {
  let peak = initial;
  let worst = 0;
  for (const e of equityAfterEach) {
    peak = Math.max(peak, e);
    if (peak > 0) worst = Math.max(worst, 1 - e / peak);
  }
  return worst;
}

/** Power of a one-sided test at level alpha for standardised effect d with n observations (normal approximation). */
export function oneSidedPower(d: number, n: number, alpha: number): number {
  if (!(n > 0) || !Number.isFinite(d)) return NaN;
  return normCdf(d * Math.sqrt(n) - normInv(1 - alpha));
}
