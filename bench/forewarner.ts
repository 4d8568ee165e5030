// MC-Forewarner throughput: paths/s of assessEnvelope on this thread against ForewarnerPool with 1 and
// 2 worker threads, for the default request (2000 paths × 40 trades) and a bigger one.
// - Timing: one process per case runs the three modes in interleaved rounds, so a neighbour's load
//   hits every mode alike; ratios are against the single-thread figure of that same process.
//   Wall time (best and median) is what a caller waits; CPU time over all threads is the work done,
//   and shows the pool's overhead even when the machine is busy (the load average is recorded).
// - Footprint: one process per (case, mode) measures its own peak RSS and the pool's time to first report.
// Every mode's report must equal the single-thread report. Writes bench/forewarner.json.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { assessEnvelope, type McInput, type McReport } from '../engine/forewarner-mc.ts';
import { MT19937 } from '../engine/rng.ts';
import { ForewarnerPool } from '../workers/forewarner-pool.ts';

interface Case {
  name: string;
  paths: number;
  horizon: number;
  rounds: number;
}
type Mode = 'single' | 'pool-1' | 'pool-2';

interface Timing {
  mode: Mode;
  chunks: number | null;
  bestMs: number;
  medianMs: number;
  /** from the best run: the run least disturbed by whatever else the machine is doing */
  pathsPerSec: number;
  /** median CPU time of one assessment, summed over every thread of the process */
  cpuMs: number;
  report: string;
}

interface Footprint {
  peakRssMb: number;
  /** pool only: construction to first report (thread start, loading tsx, one assessment) */
  firstReportMs: number | null;
}

const CASES: Case[] = [
  { name: 'default', paths: 2000, horizon: 40, rounds: 40 },
  { name: 'big', paths: 50_000, horizon: 200, rounds: 12 },
];
const MODES: Mode[] = ['single', 'pool-1', 'pool-2'];
const WARMUP = 10; // each worker thread JITs on its own: a few runs leave the pool looking costlier than it is

/** 500 synthetic outcomes: small wins, small losses, an occasional −5 % trade. */
function history(): number[] {
  const rng = new MT19937(2026);
  return Array.from({ length: 500 }, () => {
    const u = rng.random();
    return u < 0.03 ? -0.05 : u < 0.4 ? -0.01 * rng.random() : 0.012 * rng.random();
  });
}

function input(c: Case): McInput {
  return { date: '2026-03-07', outcomes: history(), cfg: { max_leverage: 5 * 1.4 }, seed: 42, params: { paths: c.paths, horizon: c.horizon } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const hrMs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function runner(mode: Mode, pools: Map<Mode, ForewarnerPool>, req: McInput): () => Promise<McReport> {
  const pool = pools.get(mode);
  return pool ? () => pool.assess(req) : async () => assessEnvelope(req);
}

async function timeCase(c: Case): Promise<Timing[]> {
  const req = input(c);
  const pools = new Map<Mode, ForewarnerPool>([
    ['pool-1', new ForewarnerPool({ threads: 1 })],
    ['pool-2', new ForewarnerPool({ threads: 2 })],
  ]);
  const runs = MODES.map((m) => runner(m, pools, req));
  const reports = await Promise.all(runs.map((run) => run())); // also waits for the threads to start
  for (let i = 0; i < WARMUP; i++) for (const run of runs) await run();
  const wall: number[][] = MODES.map(() => []);
  const cpu: number[][] = MODES.map(() => []);
  for (let r = 0; r < c.rounds; r++) {
    for (let m = 0; m < MODES.length; m++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      reports[m] = await runs[m]();
      wall[m].push(hrMs(t0));
      const used = process.cpuUsage(c0);
      cpu[m].push((used.user + used.system) / 1e3);
    }
  }
  await Promise.all([...pools.values()].map((p) => p.close()));
  return MODES.map((mode, m) => ({
    mode,
    chunks: pools.get(mode)?.chunks ?? null,
    bestMs: Math.min(...wall[m]),
    medianMs: median(wall[m]),
    pathsPerSec: Math.round(c.paths / (Math.min(...wall[m]) / 1000)),
    cpuMs: median(cpu[m]),
    report: JSON.stringify(reports[m]),
  }));
}

async function footprint(c: Case, mode: Mode): Promise<Footprint> {
  const req = input(c);
  let firstReportMs: number | null = null;
  if (mode === 'single') {
    for (let i = 0; i < WARMUP; i++) assessEnvelope(req);
  } else {
    const t0 = process.hrtime.bigint();
    const pool = new ForewarnerPool({ threads: mode === 'pool-1' ? 1 : 2 });
    await pool.assess(req);
    firstReportMs = hrMs(t0);
    for (let i = 1; i < WARMUP; i++) await pool.assess(req);
    await pool.close();
  }
  return { peakRssMb: process.resourceUsage().maxRSS / 1024, firstReportMs };
}

function spawn<T>(self: string, ...args: string[]): T {
  return JSON.parse(execFileSync(process.execPath, ['--import=tsx', self, ...args], { encoding: 'utf8' })) as T;
}

function parent(): void {
  const self = fileURLToPath(import.meta.url);
  const loadBefore = loadavg()[0];
  const results = CASES.map((c) => {
    const timings = spawn<Timing[]>(self, '--time', c.name);
    const base = timings[0];
    for (const t of timings) {
      if (t.report !== base.report) throw new Error(`bench ${c.name}: ${t.mode} report differs from the single-thread report`);
    }
    const report = JSON.parse(base.report) as McReport;
    return {
      case: c,
      report: { catastrophicProbability: report.catastrophicProbability, envelopeScore: report.envelopeScore, p50: report.p50, iqr: report.iqr },
      modes: timings.map(({ report: _r, ...t }) => ({
        ...t,
        vsSingleThread: t.pathsPerSec / base.pathsPerSec,
        ...spawn<Footprint>(self, '--footprint', c.name, t.mode),
      })),
    };
  });
  const loadAfter = loadavg()[0];
  const cores = availableParallelism();
  console.log('case      paths×horizon   mode     chunks     best ms   median ms    paths/s     × single     CPU ms   first report   peak RSS');
  for (const r of results) {
    for (const m of r.modes) {
      console.log(
        [
          r.case.name.padEnd(9),
          `${r.case.paths}×${r.case.horizon}`.padStart(13),
          '  ',
          m.mode.padEnd(7),
          String(m.chunks ?? '-').padStart(6),
          m.bestMs.toFixed(2).padStart(11),
          m.medianMs.toFixed(2).padStart(11),
          m.pathsPerSec.toLocaleString('en').padStart(10),
          m.vsSingleThread.toFixed(2).padStart(10),
          m.cpuMs.toFixed(1).padStart(10),
          (m.firstReportMs === null ? '-' : `${m.firstReportMs.toFixed(0)} ms`).padStart(14),
          `${m.peakRssMb.toFixed(0)} MB`.padStart(10),
        ].join(' '),
      );
    }
  }
  const busy = Math.max(loadBefore, loadAfter) > cores;
  console.log(`cores ${cores}; 1-min load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after${busy ? ' (busy machine: wall-clock figures are noisy)' : ''}`);
  const file = fileURLToPath(new URL('./forewarner.json', import.meta.url));
  const meta = { bench: 'forewarner', node: process.version, cores, loadAvg1m: { before: loadBefore, after: loadAfter }, warmup: WARMUP, pathsPerSecFrom: 'best round' };
  writeFileSync(file, `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

const flag = process.argv.findIndex((a) => a === '--time' || a === '--footprint');
if (flag >= 0) {
  const c = CASES.find((x) => x.name === process.argv[flag + 1]);
  if (!c) throw new Error(`bench: unknown case ${process.argv[flag + 1]}`);
  const out = process.argv[flag] === '--time' ? await timeCase(c) : await footprint(c, process.argv[flag + 2] as Mode);
  process.stdout.write(JSON.stringify(out));
} else parent();
