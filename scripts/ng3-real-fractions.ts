// NG3 on real prices: the 10 BTC-quoted pairs of ../shared/data/ohlcv-1m-2018-btc-pairs (Bittrex 1-minute
// bars, 2018-01-20 → 01-30). Prints what share of bars has vel_div below the bible's thresholds (−0.02
// gate, −0.05 extreme) under the kernel's definitions, and, for comparison, under other normalisations
// of λmax, so docs/ng3.md can justify the choice.
//
// Alignment: one grid of bars (the files' bar length, 1 minute here) from the earliest to the latest bar
// of any pair. A pair's close is taken on the bars it has a row; a bar without a row (no trade) is left
// missing (NaN), which the kernel forward-fills: return 0 on that bar, the whole move on the next traded
// bar. Before a pair's first row its returns are 0 and it is excluded from a window until it has moved
// in it.
//
// Run: npx tsx scripts/ng3-real-fractions.ts [dataDir]   (any folder of ccxt OHLCV JSON files; the
// bar length is the smallest step between two rows of a file)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeColumns } from '../ng3/columns.ts';

const MINUTE = 60_000;
const dir = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/ohlcv-1m-2018-btc-pairs/', import.meta.url));

class DataFileError extends Error {
  override readonly name = 'DataFileError';
  constructor(file: string, row: number, detail: string) {
    super(`${file} row ${row}: ${detail}`);
  }
}

type Row = [number, number, number, number, number, number];

function load(file: string): Row[] {
  const rows = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
  if (!Array.isArray(rows)) throw new DataFileError(file, 0, 'not a JSON array');
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length < 5 || !r.every((x) => typeof x === 'number')) throw new DataFileError(file, i, 'not a ccxt OHLCV row');
    if (r[0] % MINUTE !== 0) throw new DataFileError(file, i, `timestamp ${r[0]} is not a whole minute`);
    if (i > 0 && r[0] <= rows[i - 1][0]) throw new DataFileError(file, i, 'timestamps not strictly increasing');
  });
  return rows as Row[];
}

const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const names = files.map((f) => f.replace(/-\d+m\.json$/, ''));
const data = files.map(load);
let step = Infinity;
for (const d of data) for (let i = 1; i < d.length; i++) step = Math.min(step, d[i][0] - d[i - 1][0]);
const start = Math.min(...data.map((d) => d[0][0]));
const end = Math.max(...data.map((d) => d[d.length - 1][0]));
const bars = (end - start) / step + 1;
const prices = data.map((rows, a) => {
  const p = new Float64Array(bars).fill(NaN);
  rows.forEach((r, i) => {
    if ((r[0] - start) % step !== 0) throw new DataFileError(files[a], i, `timestamp ${r[0]} is off the ${step / MINUTE}-minute grid`);
    p[(r[0] - start) / step] = r[4];
  });
  return p;
});

const cols = computeColumns(prices, { diagnostics: true });
const N = prices.length;

const finite = (xs: Float64Array) => xs.filter((x) => Number.isFinite(x));
const share = (xs: Float64Array, pred: (x: number) => boolean) => xs.filter(pred).length / xs.length;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
function quantiles(xs: Float64Array, qs: number[]): string {
  const s = Float64Array.from(xs).sort();
  return qs.map((q) => `p${q * 100}=${s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(4)}`).join(' ');
}
function sd(xs: Float64Array): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
}
/** Runs of consecutive bars below a threshold. */
function episodes(xs: Float64Array, th: number): number {
  let n = 0;
  for (let t = 0; t < xs.length; t++) if (xs[t] < th && !(xs[t - 1] < th)) n++;
  return n;
}

/** v50 − v750 where v is `vel` of the window's λ series transformed by `norm(λmax, active)`. */
function velDivWith(norm: (lambda: number, active: number) => number, vel: (l: Float64Array, t: number) => number = oneBar): Float64Array {
  const lam = (w: number) => cols[`lambda_max_${w}`].map((l, t) => norm(l, cols[`active_${w}`][t]));
  const l50 = lam(50);
  const l750 = lam(750);
  return l50.map((_, t) => vel(l50, t) - vel(l750, t));
}
/** one-bar difference (the kernel's velocity) */
function oneBar(l: Float64Array, t: number): number {
  return t === 0 ? NaN : l[t] - l[t - 1];
}
/** least-squares slope over the last 5 bars */
function slope5(l: Float64Array, t: number): number {
  if (t < 4) return NaN;
  let num = 0;
  for (let i = 0; i < 5; i++) num += (i - 2) * l[t - 4 + i];
  return num / 10;
}
/** relative change: Δλ / λ, i.e. ≈ Δ ln λ (scale-free, any normalisation) */
function relative(l: Float64Array, t: number): number {
  return t === 0 ? NaN : (l[t] - l[t - 1]) / l[t - 1];
}

let zeroReturns = 0;
let returns = 0;
for (const p of prices) {
  let last = NaN;
  for (const x of p) {
    if (Number.isFinite(x)) {
      if (Number.isFinite(last)) {
        returns++;
        if (x === last) zeroReturns++;
      }
      last = x;
    } else if (Number.isFinite(last)) {
      returns++;
      zeroReturns++; // forward-filled minute
    }
  }
}

console.log(`NG3 on ${dir}`);
console.log(`${N} pairs (${names.join(' ')}), ${bars} bars of ${step / MINUTE} min, ${new Date(start).toISOString()} → ${new Date(end).toISOString()}`);
console.log(`rows per pair: ${data.map((d) => d.length).join(' ')}; zero returns after forward fill: ${pct(zeroReturns / returns)}`);
for (const w of [50, 150, 300, 750]) {
  const a = cols[`active_${w}`];
  const full = a.filter((x) => x > 0);
  const ln = finite(cols[`lambda_norm_${w}`]);
  const prods = cols[`products_${w}`].filter((x) => x > 0);
  console.log(
    `w${w}: active < ${N} on ${pct(share(full, (x) => x < N))} of bars; λ̂ mean ${(ln.reduce((s, x) => s + x, 0) / ln.length).toFixed(3)} ${quantiles(ln, [0.05, 0.5, 0.95])}; ` +
      `v${w} sd ${sd(finite(cols[`v${w}_lambda_max_velocity`])).toExponential(2)}; products/bar ${(prods.reduce((s, x) => s + x, 0) / prods.length).toFixed(2)}`,
  );
}

const table: [string, Float64Array][] = [
  ['λmax / n_active (kernel)', finite(cols.vel_div)],
  ['λmax / N (all pairs)', finite(velDivWith((l) => l / N))],
  ['λmax (raw)', finite(velDivWith((l) => l))],
  ['λmax / n, 5-bar LS slope', finite(velDivWith((l, a) => l / a, slope5))],
  ['Δλmax / λmax (relative)', finite(velDivWith((l) => l, relative))],
];
console.log('\nvel_div = v50 − v750; v = one-bar change of the normalised λmax unless said otherwise');
console.log('normalisation               bars     sd        < −0.02   < −0.05   > +0.01   episodes < −0.02   quantiles');
for (const [name, vd] of table) {
  console.log(
    `${name.padEnd(26)} ${String(vd.length).padStart(6)}  ${sd(vd).toExponential(2)}  ${pct(share(vd, (x) => x < -0.02)).padStart(8)}  ${pct(share(vd, (x) => x < -0.05)).padStart(8)}  ${pct(share(vd, (x) => x > 0.01)).padStart(8)}  ${String(episodes(vd, -0.02)).padStart(17)}   ${quantiles(vd, [0.01, 0.05, 0.5, 0.95, 0.99])}`,
  );
}
