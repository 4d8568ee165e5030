// NG3 kernel throughput: bars/s of the incremental kernel (all four windows) at 48 and 400 assets,
// against a naive baseline measured in the same run on fewer bars (per bar and window: a two-pass
// correlation matrix from the window's returns, then a full ml-matrix eigen-decomposition), and
// whole series through Ng3Pool with 1 and 2 threads.
// - Data: seeded synthetic closes. "market" is crypto-like (a clear market mode, the realistic case);
//   "noise" switches between independent and correlated regimes (λ1 ≈ λ2 at times: the hard case
//   for an iterative eigen-solver). Timed bars start after the 750-bar warm-up.
// - Each kernel case runs in its own child process that loads nothing but the kernel: V8 turns off a
//   fast path for every typed-array access in a process once any ArrayBuffer has been detached
//   (transferred), and loading piscina or ml-matrix through tsx does that. The "detached" row measures
//   that slower state on purpose, so both figures are on record.
// - Timing: per-bar wall time (performance.now) and process CPU time; the machine is shared, so the
//   load average is recorded and "best" is the least disturbed round. GC events are counted during
//   a separate pass that only calls push() (the kernel should allocate nothing per bar).
// Writes bench/ng3.json.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Ng3Kernel } from '../ng3/kernel.ts';
import { barOf, marketWalk, randomWalk } from '../test/ng3/fixtures.ts';
// ml-matrix and the pool are imported in the parent only (see above)

const WINDOWS = [50, 150, 300, 750];
const WARM = 800; // every window full, velocities defined

interface KernelFigures {
  case: string;
  data: string;
  /** an ArrayBuffer was detached in the process before timing (V8's slower typed-array path) */
  detached: boolean;
  assets: number;
  timedBars: number;
  rounds: number;
  barsPerSecBest: number;
  barsPerSecMedian: number;
  msPerBarMedian: number;
  msPerBarP99: number;
  cpuUsPerBar: number;
  productsPerWindow: number[];
  /** GC events during a pass over the timed bars that calls nothing but push() */
  gcDuringPushLoop: number;
}

interface NaiveFigures {
  assets: number;
  bars: number;
  msPerBar: number;
  barsPerSec: number;
  /** max |λ_naive − λ_kernel| / λ over the compared bars and windows */
  maxRelDiffToKernel: number;
}

interface PoolFigures {
  assets: number;
  bars: number;
  mode: string;
  msBest: number;
  barsPerSec: number;
}

let gcCount = 0;
new PerformanceObserver((list) => (gcCount += list.getEntries().length)).observe({ entryTypes: ['gc'] });
// GC entries reach the observer asynchronously: wait before reading the count
const settle = () => new Promise((r) => setTimeout(r, 100));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

function rowsOf(prices: Float64Array[]): Float64Array[] {
  return Array.from({ length: prices[0].length }, (_, t) => barOf(prices, t));
}

/** Runs fresh kernels over the series; returns the figures and the last round's λmax per bar and window. */
async function timeKernel(name: string, data: string, prices: Float64Array[], rounds: number, detached: boolean): Promise<{ fig: KernelFigures; lambdas: Float64Array[] }> {
  const n = prices.length;
  const rows = rowsOf(prices);
  const bars = rows.length;
  const lambdas = WINDOWS.map(() => new Float64Array(bars));
  const perRound: number[] = [];
  const perBar: number[] = [];
  const products = new Float64Array(4);
  const productSums = [0, 0, 0, 0];
  let cpu = 0;
  for (let r = 0; r < rounds; r++) {
    const k = new Ng3Kernel({ assets: n, windows: WINDOWS });
    for (let t = 0; t < WARM; t++) k.push(rows[t]);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let prev = t0;
    for (let t = WARM; t < bars; t++) {
      const row = k.push(rows[t]);
      const now = performance.now();
      perBar.push(now - prev);
      prev = now;
      if (r === rounds - 1) {
        for (let w = 0; w < 4; w++) lambdas[w][t] = row.lambdaMax[w];
        k.products(products);
        for (let w = 0; w < 4; w++) productSums[w] += products[w];
      }
    }
    perRound.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
  }
  // allocation check: one more pass with nothing but push() in the loop (timing calls allocate)
  const k = new Ng3Kernel({ assets: n, windows: WINDOWS });
  for (let t = 0; t < WARM; t++) k.push(rows[t]);
  await settle();
  const gc0 = gcCount;
  for (let t = WARM; t < bars; t++) k.push(rows[t]);
  await settle();
  const timed = bars - WARM;
  const fig: KernelFigures = {
    case: name,
    data,
    detached,
    assets: n,
    timedBars: timed,
    rounds,
    barsPerSecBest: Math.round(timed / (Math.min(...perRound) / 1000)),
    barsPerSecMedian: Math.round(timed / (median(perRound) / 1000)),
    msPerBarMedian: median(perBar),
    msPerBarP99: quantile(perBar, 0.99),
    cpuUsPerBar: cpu / (rounds * timed),
    productsPerWindow: productSums.map((s) => s / timed),
    gcDuringPushLoop: gcCount - gc0,
  };
  return { fig, lambdas };
}

/** The naive bar: for every window, the correlation matrix from scratch and a full decomposition. */
async function naive(prices: Float64Array[], from: number, count: number, kernelLambdas: number[][]): Promise<NaiveFigures> {
  const { EigenvalueDecomposition, Matrix } = await import('ml-matrix');
  const n = prices.length;
  const logp = prices.map((p) => p.map(Math.log));
  let maxRel = 0;
  const t0 = performance.now();
  for (let t = from; t < from + count; t++) {
    for (let w = 0; w < WINDOWS.length; w++) {
      const W = WINDOWS[w];
      // centred returns of the window (bars t−W+1 … t)
      const x = new Float64Array(n * W);
      for (let a = 0; a < n; a++) {
        let mean = 0;
        for (let s = 0; s < W; s++) mean += x[a * W + s] = logp[a][t - W + 1 + s] - logp[a][t - W + s];
        mean /= W;
        for (let s = 0; s < W; s++) x[a * W + s] -= mean;
      }
      const c = new Matrix(n, n);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          let sij = 0;
          let sii = 0;
          let sjj = 0;
          for (let s = 0; s < W; s++) {
            sij += x[i * W + s] * x[j * W + s];
            sii += x[i * W + s] * x[i * W + s];
            sjj += x[j * W + s] * x[j * W + s];
          }
          const r = sij / Math.sqrt(sii * sjj);
          c.set(i, j, r);
          c.set(j, i, r);
        }
      }
      const lambda = Math.max(...new EigenvalueDecomposition(c, { assumeSymmetric: true }).realEigenvalues);
      maxRel = Math.max(maxRel, Math.abs(lambda - kernelLambdas[w][t - from]) / lambda);
    }
  }
  const ms = (performance.now() - t0) / count;
  return { assets: n, bars: count, msPerBar: ms, barsPerSec: 1000 / ms, maxRelDiffToKernel: maxRel };
}

async function timePool(prices: Float64Array[], rounds: number): Promise<PoolFigures[]> {
  const { computeColumns } = await import('../ng3/columns.ts');
  const { Ng3Pool } = await import('../ng3/pool.ts');
  const bars = prices[0].length;
  const out: PoolFigures[] = [];
  const best = (ms: number[]) => Math.min(...ms);
  const single: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    computeColumns(prices);
    single.push(performance.now() - t0);
  }
  out.push({ assets: prices.length, bars, mode: 'computeColumns (this thread)', msBest: best(single), barsPerSec: Math.round(bars / (best(single) / 1000)) });
  for (const threads of [1, 2]) {
    const pool = new Ng3Pool({ threads });
    await pool.computeColumns(prices); // starts the threads and JITs the kernels in each
    const ms: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      await pool.computeColumns(prices);
      ms.push(performance.now() - t0);
    }
    await pool.close();
    out.push({ assets: prices.length, bars, mode: `Ng3Pool ${threads} thread(s)`, msBest: best(ms), barsPerSec: Math.round(bars / (best(ms) / 1000)) });
  }
  return out;
}

const f = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

// The kernel cases, each timed in a child process: name → data, rounds.
const CASES: Record<string, { data: string; rounds: number; prices: () => Float64Array[] }> = {
  'market-48': { data: 'market', rounds: 3, prices: () => marketWalk({ assets: 48, bars: WARM + 12_000, seed: 1 }) },
  'noise-48': { data: 'noise', rounds: 2, prices: () => randomWalk({ assets: 48, bars: WARM + 6_000, seed: 2, regimeBars: 1000 }) },
  'market-400': { data: 'market', rounds: 2, prices: () => marketWalk({ assets: 400, bars: WARM + 600, seed: 3 }) },
};
const NAIVE_BARS: Record<string, number> = { 'market-48': 40, 'market-400': 2 };

interface ChildResult {
  fig: KernelFigures;
  /** λmax per window for the first NAIVE_BARS timed bars, for the naive comparison */
  lambdas: number[][];
}

/** Child mode: `--kernel <case> [--detach]`; prints a ChildResult as JSON. */
async function child(name: string, detach: boolean): Promise<void> {
  const c = CASES[name];
  if (detach) {
    const ab = new ArrayBuffer(8);
    structuredClone(ab, { transfer: [ab] });
  }
  const { fig, lambdas } = await timeKernel(name, c.data, c.prices(), c.rounds, detach);
  const keep = NAIVE_BARS[name] ?? 0;
  process.stdout.write(JSON.stringify({ fig, lambdas: lambdas.map((l) => Array.from(l.subarray(WARM, WARM + keep))) } satisfies ChildResult));
}

function spawnKernel(name: string, detach: boolean): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const args = ['--import=tsx', self, '--kernel', name, ...(detach ? ['--detach'] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 })) as ChildResult;
}

async function main(): Promise<void> {
  const load0 = loadavg();
  const k48 = spawnKernel('market-48', false);
  const kn48 = spawnKernel('noise-48', false);
  const k400 = spawnKernel('market-400', false);
  const k48d = spawnKernel('market-48', true);
  const naive48 = await naive(CASES['market-48'].prices(), WARM, NAIVE_BARS['market-48'], k48.lambdas);
  const naive400 = await naive(CASES['market-400'].prices(), WARM, NAIVE_BARS['market-400'], k400.lambdas);
  const pool48 = await timePool(marketWalk({ assets: 48, bars: 20_000, seed: 4 }), 3);

  const kernels = [k48.fig, kn48.fig, k400.fig, k48d.fig];
  const speedup48 = k48.fig.barsPerSecMedian / naive48.barsPerSec;
  const speedup400 = k400.fig.barsPerSecMedian / naive400.barsPerSec;
  const bestPool48 = Math.max(...pool48.map((p) => p.barsPerSec));
  const goals = {
    'bars/s at 48 assets, one thread (median) ≥ 50,000': { value: k48.fig.barsPerSecMedian, met: k48.fig.barsPerSecMedian >= 50_000 },
    'bars/s at 48 assets, whole series, best mode ≥ 50,000': { value: bestPool48, met: bestPool48 >= 50_000 },
    'speed-up over naive at 48 assets ≥ 50×': { value: speedup48, met: speedup48 >= 50 },
    'ms per bar at 400 assets (median) < 5': { value: k400.fig.msPerBarMedian, met: k400.fig.msPerBarMedian < 5 },
  };

  console.log(`NG3 kernel — windows ${WINDOWS.join('/')}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load ${load0.map((x) => x.toFixed(1)).join(' ')}`);
  console.log('\nincremental kernel (one thread, push per bar)');
  console.log('data              assets  bars/s best  bars/s med  ms/bar med  ms/bar p99  cpu µs/bar  products/window (50/150/300/750)  GCs');
  for (const k of kernels) {
    console.log(
      `${(k.data + (k.detached ? ' (detached)' : '')).padEnd(17)} ${String(k.assets).padStart(6)}  ${f(k.barsPerSecBest).padStart(11)}  ${f(k.barsPerSecMedian).padStart(10)}  ${f(k.msPerBarMedian, 3).padStart(10)}  ${f(k.msPerBarP99, 3).padStart(10)}  ${f(k.cpuUsPerBar, 1).padStart(10)}  ${k.productsPerWindow.map((p) => p.toFixed(2)).join(' / ').padStart(33)}  ${k.gcDuringPushLoop}`,
    );
  }
  console.log('\nnaive baseline (per bar: 4 × two-pass correlation + ml-matrix eigen-decomposition)');
  for (const [nv, k] of [[naive48, k48.fig], [naive400, k400.fig]] as const) {
    console.log(`${String(nv.assets).padStart(3)} assets: ${f(nv.msPerBar, 2)} ms/bar over ${nv.bars} bars → ${f(nv.barsPerSec, 1)} bars/s; kernel ${f(k.barsPerSecMedian / nv.barsPerSec, 0)}× faster; max rel |Δλ| ${nv.maxRelDiffToKernel.toExponential(1)}`);
  }
  console.log('\nwhole series, 48 assets × 20,000 bars');
  for (const p of pool48) console.log(`${p.mode.padEnd(30)} ${f(p.msBest, 0).padStart(6)} ms  ${f(p.barsPerSec).padStart(8)} bars/s`);
  console.log('\ngoals');
  for (const [name, g] of Object.entries(goals)) console.log(`${g.met ? 'met    ' : 'NOT met'}  ${name}: ${f(g.value, 2)}`);

  writeFileSync(
    new URL('./ng3.json', import.meta.url),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cores: availableParallelism(),
        cpu: cpus()[0]?.model ?? null,
        loadavgStart: load0,
        loadavgEnd: loadavg(),
        windows: WINDOWS,
        kernel: kernels,
        naive: [naive48, naive400],
        wholeSeries: pool48,
        speedupOverNaive: { assets48: speedup48, assets400: speedup400 },
        goals,
      },
      null,
      2,
    ) + '\n',
  );
}

const at = process.argv.indexOf('--kernel');
if (at >= 0) await child(process.argv[at + 1], process.argv.includes('--detach'));
else await main();
