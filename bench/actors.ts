// Actor-tree overhead: what the supervised nact tree costs on top of the engine, at 48 and 400 assets.
//   baseline   nact raw dispatch (one actor, trivial handler) and raw nact query round-trips
//   batch      runDays over frames read beforehand (the batch backtest)
//   node       DolphinNode replay, streaming with batch_rows 1 / 10 / 60 / 240 and day-file mode, over the
//              same in-memory frames; overhead = node replay time / batch time
//   files      the user-facing comparison: `dolphin backtest` vs `dolphin node --mode day-file` on the
//              same day files (both read and decode them), with and without the daily forewarner MC
//   latency    bar-to-decision (the feed's ask round-trip per batch) with batch_rows 1
//   supervisor an ask (Status) to a trivial supervised actor, against a raw nact query
//   store      embedded store put/get on one map, FeatureStore putFeatures across the shard maps
// Node results must equal the batch results (trades and final capital) or the bench fails.
// Each part runs in its own process so its peak RSS is its own. Writes bench/actors.json.
// Run: npx tsx bench/actors.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch, query, spawn, start, stop } from 'nact';
import { z } from 'zod';
import { nodeInputsFrom } from '../actors/inputs.ts';
import { championConfig } from '../config/engine-schema.ts';
import { parseNodeConfig } from '../config/node-schema.ts';
import { runDays } from '../engine/run.ts';
import type { DayFrame, RunResult } from '../engine/types.ts';
import { dayFrames, loadRunInputs } from '../market/run-inputs.ts';
import { writeSyntheticDataset } from '../market/synthetic.ts';
import { Barrier, Drain, Status } from '../protocol/messages.ts';
import { EmbeddedCluster } from '../store/embedded.ts';
import { putFeatures, type FeatureWrite } from '../store/feature-router.ts';
import type { ActorDef } from '../supervision/actor-def.ts';
import { createLogger } from '../supervision/log.ts';
import { DolphinNode } from '../supervision/node.ts';
import { Supervisor } from '../supervision/supervisor.ts';

interface Scenario {
  assets: number;
  days: number;
}

const SCENARIOS: Scenario[] = [
  { assets: 48, days: 20 },
  { assets: 400, days: 4 },
];
const BARS_PER_DAY = 1440;
const SEED = 11;
const REPEATS = 5; // timed runs per measurement (best is reported); one untimed warm-up before
const STREAM_BATCHES = [1, 10, 60, 240] as const;
const DISPATCH_N = 200_000;
const ASK_N = 20_000;
const STORE_N = 50_000;
const FEATURES_PER_SYMBOL = 8;

// ---------------------------------------------------------------- helpers

const now = (): number => performance.now();
const rssMb = (): number => process.resourceUsage().maxRSS / 1024;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

interface Latency {
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50Ms: percentile(s, 50), p99Ms: percentile(s, 99), maxMs: s[s.length - 1] ?? NaN, meanMs: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length) };
}

async function best<T>(repeats: number, fn: () => Promise<T>): Promise<{ ms: number; last: T }> {
  let ms = Infinity;
  let last!: T;
  for (let i = 0; i < repeats; i++) {
    const t0 = now();
    last = await fn();
    ms = Math.min(ms, now() - t0);
  }
  return { ms, last };
}

// ---------------------------------------------------------------- micro: nact, supervisor, store

interface Micro {
  nactDispatchMsgPerSec: number;
  nactQuery: { perSec: number } & Latency;
  supervisorAsk: { perSec: number } & Latency;
  supervisorAskVsRawQuery: number;
  peakRssMb: number;
}

async function nactDispatch(n: number): Promise<number> {
  const system = start();
  let count = 0;
  let done!: () => void;
  let target = n;
  const ref = spawn(system, (state: unknown) => {
    count += 1;
    if (count === target) done();
    return state;
  }, 'sink');
  const run = async (k: number): Promise<number> => {
    count = 0;
    target = k;
    const finished = new Promise<void>((r) => (done = r));
    const t0 = now();
    for (let i = 0; i < k; i++) dispatch(ref, i);
    await finished;
    return now() - t0;
  };
  await run(Math.min(n, 20_000)); // warm-up
  let ms = Infinity;
  for (let i = 0; i < REPEATS; i++) ms = Math.min(ms, await run(n));
  stop(system);
  return n / (ms / 1000);
}

async function roundTrips(n: number, ask: () => Promise<unknown>): Promise<{ perSec: number } & Latency> {
  for (let i = 0; i < Math.min(n, 2_000); i++) await ask(); // warm-up
  const samples = new Array<number>(n);
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const s = now();
    await ask();
    samples[i] = now() - s;
  }
  const total = now() - t0;
  return { perSec: n / (total / 1000), ...latency(samples) };
}

async function nactQuery(n: number): Promise<{ perSec: number } & Latency> {
  const system = start();
  const ref = spawn(system, (state: unknown, msg: { replyTo: Parameters<typeof dispatch>[0] }) => {
    dispatch(msg.replyTo, { ok: true });
    return state;
  }, 'echo');
  const r = await roundTrips(n, () => query(ref, (replyTo: Parameters<typeof dispatch>[0]) => ({ replyTo }), 5_000));
  stop(system);
  return r;
}

const TrivialMsg = z.union([Status, Barrier, Drain]);
type TrivialMessage = z.infer<typeof TrivialMsg>;

async function supervisorAsk(n: number): Promise<{ perSec: number } & Latency> {
  const tree = new Supervisor(createLogger({ level: 'silent' }));
  const def: ActorDef<null, TrivialMessage> = { name: 'trivial', schema: TrivialMsg, init: () => null, receive: (s) => s };
  const h = tree.add(def);
  await tree.startInOrder(['trivial']);
  const r = await roundTrips(n, () => h.ask({ type: 'Status' }, 5_000));
  await tree.shutdown();
  return r;
}

async function micro(): Promise<Micro> {
  const dispatchRate = await nactDispatch(DISPATCH_N);
  const q = await nactQuery(ASK_N);
  const a = await supervisorAsk(ASK_N);
  return { nactDispatchMsgPerSec: dispatchRate, nactQuery: q, supervisorAsk: a, supervisorAskVsRawQuery: a.perSec / q.perSec, peakRssMb: rssMb() };
}

// ---------------------------------------------------------------- scenario: batch vs node, store

interface NodeRun {
  mode: 'streaming' | 'day-file';
  batchRows: number | null;
  /** feed.forewarner_daily: the Monte-Carlo assessment each date (in-process, threads 0) */
  forewarnerDaily: boolean;
  startMs: number;
  replayMs: number;
  barsPerSec: number;
  /** node replay time / batch time */
  overhead: number;
  /** (node replay time − batch time) / dates */
  perDateOverheadMs: number;
  batches: number;
  asksPerSec: number;
  parity: Parity;
}

interface Parity {
  trades: [node: number, batch: number];
  finalCapital: [node: number, batch: number];
  tradesIdentical: boolean;
  daysIdentical: boolean;
  ok: boolean;
}

interface ScenarioFigures {
  assets: number;
  days: number;
  bars: number;
  trades: number;
  finalCapital: number;
  batchMs: number;
  batchBarsPerSec: number;
  node: NodeRun[];
  latencyBatchRows1: Latency;
  store: { putPerSec: number; getPerSec: number; putFeaturesWritesPerSec: number; featureBatch: number; shardMaps: number };
  files: FilesFigures;
  peakRssMb: number;
}

interface FilesFigures {
  /** loadRunInputs + runDays over the day files (dolphin backtest's path), best of REPEATS */
  batchMs: number;
  /** DolphinNode day-file replay reading the same files (start + replay + stop) */
  node: Array<{ forewarnerDaily: boolean; ms: number; overhead: number }>;
}

/** Both sides read the parquet files themselves: what a user sees running the two commands. */
async function fromFiles(dir: string, factorsPath: string, cfg: ReturnType<typeof championConfig>): Promise<FilesFigures> {
  const log = createLogger({ level: 'silent' });
  const batch = await best(REPEATS, async () => {
    const run = await loadRunInputs({ dataDir: dir, factorsPath, strict: false, capital: 25_000 });
    return runDays(dayFrames(run.refs), run.plan, cfg);
  });
  const node: FilesFigures['node'] = [];
  for (const forewarnerDaily of [false, true]) {
    const config = parseNodeConfig({ mode: 'day-file', http: { port: null }, forewarner: { threads: 0 }, feed: { forewarner_daily: forewarnerDaily } }, 'bench');
    const r = await best(REPEATS, async () => {
      const run = await loadRunInputs({ dataDir: dir, factorsPath, strict: false, capital: 25_000 });
      const n = await DolphinNode.start({ config, engine: cfg, inputs: nodeInputsFrom(run, cfg), store: new EmbeddedCluster().connect('node-1'), log });
      try {
        await n.replay();
      } finally {
        await n.stop();
      }
    });
    node.push({ forewarnerDaily, ms: r.ms, overhead: r.ms / batch.ms });
  }
  return { batchMs: batch.ms, node };
}

function parityOf(node: RunResult, batch: RunResult): Parity {
  const tradesIdentical = JSON.stringify(node.trades) === JSON.stringify(batch.trades);
  const daysIdentical = JSON.stringify(node.days) === JSON.stringify(batch.days);
  const trades: [number, number] = [node.trades.length, batch.trades.length];
  const finalCapital: [number, number] = [node.summary.finalCapital, batch.summary.finalCapital];
  return { trades, finalCapital, tradesIdentical, daysIdentical, ok: trades[0] === trades[1] && finalCapital[0] === finalCapital[1] };
}

async function storeOps(symbols: readonly string[]): Promise<ScenarioFigures['store']> {
  const cluster = new EmbeddedCluster();
  const store = cluster.connect('bench');
  const m = store.map('BENCH_MAP');
  const keys = Array.from({ length: 1_000 }, (_, i) => `k${i}`);
  const value = JSON.stringify({ boost: 1.2345, beta: 0.5 });
  for (let i = 0; i < 5_000; i++) await m.put(keys[i % keys.length], value); // warm-up
  const put = await best(REPEATS, async () => {
    for (let i = 0; i < STORE_N; i++) await m.put(keys[i % keys.length], value);
  });
  const get = await best(REPEATS, async () => {
    for (let i = 0; i < STORE_N; i++) await m.get(keys[i % keys.length]);
  });
  const batch: FeatureWrite[] = [];
  for (const symbol of symbols) for (let f = 0; f < FEATURES_PER_SYMBOL; f++) batch.push({ feature: `feat${f}`, symbol, value: 0.001 * (f + 1) });
  const rounds = Math.max(1, Math.round(STORE_N / batch.length));
  let shardMaps = 0;
  await putFeatures(store, batch); // warm-up
  const pf = await best(REPEATS, async () => {
    for (let r = 0; r < rounds; r++) shardMaps = (await putFeatures(store, batch)).size;
  });
  await store.close();
  return {
    putPerSec: STORE_N / (put.ms / 1000),
    getPerSec: STORE_N / (get.ms / 1000),
    putFeaturesWritesPerSec: (rounds * batch.length) / (pf.ms / 1000),
    featureBatch: batch.length,
    shardMaps,
  };
}

async function scenario(s: Scenario): Promise<ScenarioFigures> {
  const dir = mkdtempSync(join(os.tmpdir(), `dolphin-bench-actors-${s.assets}-`));
  try {
    const data = await writeSyntheticDataset(dir, { seed: SEED, startDate: '2026-01-01', days: s.days, assets: s.assets, barsPerDay: BARS_PER_DAY, format: 'parquet' });
    const cfg = championConfig();
    const run = await loadRunInputs({ dataDir: dir, factorsPath: data.factorsPath, strict: false, capital: 25_000 });
    const frames: DayFrame[] = [];
    for await (const f of dayFrames(run.refs)) frames.push(f);
    const byDate = new Map(frames.map((f) => [f.date, f]));
    const bars = frames.reduce((n, f) => n + f.rows, 0);

    // batch: warm-up, then best of REPEATS
    const reference = await runDays(frames, run.plan, cfg);
    const batch = await best(REPEATS, () => runDays(frames, run.plan, cfg));

    // node: the same frames from memory, so both sides skip file reading
    const inputs = { ...nodeInputsFrom(run, cfg), loadDay: (date: string) => {
      const f = byDate.get(date);
      return f ? Promise.resolve(f) : Promise.reject(new Error(`no frame for ${date}`));
    } };
    const log = createLogger({ level: 'silent' });
    const modes: Array<{ mode: 'streaming' | 'day-file'; batchRows: number | null; forewarnerDaily: boolean }> = [
      ...STREAM_BATCHES.map((b) => ({ mode: 'streaming' as const, batchRows: b, forewarnerDaily: true })),
      { mode: 'day-file', batchRows: null, forewarnerDaily: true },
      // the same without the daily forewarner Monte-Carlo: what the tree itself costs per date
      { mode: 'streaming', batchRows: 60, forewarnerDaily: false },
      { mode: 'streaming', batchRows: 240, forewarnerDaily: false },
      { mode: 'day-file', batchRows: null, forewarnerDaily: false },
    ];
    const node: NodeRun[] = [];
    let lat1: number[] = [];
    for (const m of modes) {
      const config = parseNodeConfig(
        { mode: m.mode, http: { port: null }, forewarner: { threads: 0 }, feed: { batch_rows: m.batchRows ?? 60, forewarner_daily: m.forewarnerDaily } },
        'bench',
      );
      let bestReplay = Infinity;
      let startMs = Infinity;
      let batches = 0;
      let parity: Parity | null = null;
      for (let i = 0; i <= REPEATS; i++) {
        const samples: number[] = [];
        const cluster = new EmbeddedCluster();
        const store = cluster.connect('node-1');
        const t0 = now();
        const n = await DolphinNode.start({ config, engine: cfg, inputs, store, log });
        const t1 = now();
        try {
          const report = await n.replay({ onBatch: (_rows, ms) => samples.push(ms) });
          batches = report.batches;
          const t2 = now();
          const p = parityOf(await n.results(), reference);
          if (parity === null || !p.ok) parity = p;
          if (i > 0) {
            // i = 0 is the warm-up
            bestReplay = Math.min(bestReplay, t2 - t1);
            startMs = Math.min(startMs, t1 - t0);
            if (m.batchRows === 1 && m.mode === 'streaming') lat1 = lat1.concat(samples);
          }
        } finally {
          await n.stop();
          await store.close();
        }
      }
      node.push({
        mode: m.mode,
        batchRows: m.batchRows,
        forewarnerDaily: m.forewarnerDaily,
        startMs,
        replayMs: bestReplay,
        barsPerSec: bars / (bestReplay / 1000),
        overhead: bestReplay / batch.ms,
        perDateOverheadMs: (bestReplay - batch.ms) / s.days,
        batches,
        asksPerSec: batches / (bestReplay / 1000),
        parity: parity!,
      });
    }

    const symbols = frames[0].assets;
    const storeFigures = await storeOps(symbols);
    const files = await fromFiles(dir, data.factorsPath, cfg);
    return {
      assets: s.assets,
      days: s.days,
      bars,
      trades: reference.trades.length,
      finalCapital: reference.summary.finalCapital,
      batchMs: batch.ms,
      batchBarsPerSec: bars / (batch.ms / 1000),
      node,
      latencyBatchRows1: latency(lat1),
      store: storeFigures,
      files,
      peakRssMb: rssMb(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- parent: run, print, write

const fmt = (x: number, digits = 0): string => x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms3 = (x: number): string => x.toFixed(3);

function runChild<T>(args: string[]): T {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--import=tsx', self, '--child', ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: { ...process.env, LOG_LEVEL: 'silent' } });
  return JSON.parse(out) as T;
}

function parent(): void {
  const t0 = now();
  const loadBefore = os.loadavg();
  const m = runChild<Micro>(['micro']);
  const scenarios = SCENARIOS.map((s) => runChild<ScenarioFigures>(['scenario', String(s.assets), String(s.days)]));
  const loadAfter = os.loadavg();

  console.log('baseline (nact, no supervisor)');
  console.log(`  raw dispatch           ${fmt(m.nactDispatchMsgPerSec).padStart(12)} msg/s`);
  console.log(`  raw query round-trip   ${fmt(m.nactQuery.perSec).padStart(12)} asks/s   p50 ${ms3(m.nactQuery.p50Ms)} ms   p99 ${ms3(m.nactQuery.p99Ms)} ms`);
  console.log('supervisor');
  console.log(`  ask Status (trivial)   ${fmt(m.supervisorAsk.perSec).padStart(12)} asks/s   p50 ${ms3(m.supervisorAsk.p50Ms)} ms   p99 ${ms3(m.supervisorAsk.p99Ms)} ms   ×${m.supervisorAskVsRawQuery.toFixed(2)} of raw query   peak RSS ${m.peakRssMb.toFixed(0)} MB`);
  console.log('');
  console.log('assets  days   bars  run                             bars/s   node/batch   ms/date extra   asks/s   parity');
  let allOk = true;
  for (const s of scenarios) {
    const head = `${String(s.assets).padStart(6)} ${String(s.days).padStart(5)} ${String(s.bars).padStart(6)}`;
    console.log(`${head}  ${'batch (runDays)'.padEnd(24)}  ${fmt(s.batchBarsPerSec).padStart(12)}   ${'1.00'.padStart(10)}   ${'-'.padStart(13)}        -   ${s.trades} trades, capital ${s.finalCapital.toFixed(2)}`);
    for (const r of s.node) {
      allOk &&= r.parity.ok;
      const name = (r.mode === 'streaming' ? `streaming rows=${r.batchRows}` : 'day-file') + (r.forewarnerDaily ? '' : ', no MC');
      const par = r.parity.ok ? `ok${r.parity.tradesIdentical && r.parity.daysIdentical ? '' : ' (trades/days not byte-identical)'}` : `FAIL trades ${r.parity.trades.join(' vs ')}, capital ${r.parity.finalCapital.join(' vs ')}`;
      console.log(`${' '.repeat(head.length)}  ${name.padEnd(24)}  ${fmt(r.barsPerSec).padStart(12)}   ${r.overhead.toFixed(2).padStart(10)}   ${r.perDateOverheadMs.toFixed(2).padStart(13)} ${fmt(r.asksPerSec).padStart(8)}   ${par}`);
    }
  }
  console.log('');
  console.log('from day files (both sides read and decode the parquet files)');
  console.log('assets  days   backtest ms   node day-file ms (no MC)   ×      node day-file ms (daily MC)   ×');
  for (const s of scenarios) {
    const [a, b] = s.files.node;
    console.log(`${String(s.assets).padStart(6)} ${String(s.days).padStart(5)}   ${s.files.batchMs.toFixed(1).padStart(11)}   ${a.ms.toFixed(1).padStart(24)}   ${a.overhead.toFixed(3)}   ${b.ms.toFixed(1).padStart(27)}   ${b.overhead.toFixed(3)}`);
  }
  console.log('');
  console.log('assets  bar-to-decision (rows=1)  p50 / p99 / max ms   store put/s   get/s   putFeatures writes/s   node start ms (min)   peak RSS');
  for (const s of scenarios) {
    const l = s.latencyBatchRows1;
    const startMs = Math.min(...s.node.map((r) => r.startMs));
    console.log(
      `${String(s.assets).padStart(6)}  ${`${ms3(l.p50Ms)} / ${ms3(l.p99Ms)} / ${ms3(l.maxMs)}`.padStart(43)}  ${fmt(s.store.putPerSec).padStart(12)} ${fmt(s.store.getPerSec).padStart(7)} ${fmt(s.store.putFeaturesWritesPerSec).padStart(22)} ${startMs.toFixed(1).padStart(15)}   ${s.peakRssMb.toFixed(0)} MB`,
    );
  }
  console.log('');
  console.log(`load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} → ${loadAfter.map((x) => x.toFixed(2)).join(' ')}   ${os.cpus().length} cpus   node ${process.version}   ${((now() - t0) / 1000).toFixed(0)} s`);

  const file = fileURLToPath(new URL('./actors.json', import.meta.url));
  const json = {
    bench: 'actors',
    node: process.version,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemMb: Math.round(os.totalmem() / 2 ** 20), platform: `${os.platform()} ${os.release()}`, arch: os.arch() },
    loadAvg: { before: loadBefore, after: loadAfter },
    settings: { repeats: REPEATS, bestOf: 'best of repeats after one warm-up', seed: SEED, barsPerDay: BARS_PER_DAY, dispatchN: DISPATCH_N, askN: ASK_N, storeN: STORE_N, featuresPerSymbol: FEATURES_PER_SYMBOL, framesInMemory: true, forewarnerThreads: 0 },
    parityOk: allOk,
    micro: m,
    scenarios,
    elapsedSec: (now() - t0) / 1000,
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${file}`);
  if (!allOk) {
    console.error('PARITY FAILED: node results differ from the batch backtest');
    process.exit(1);
  }
  console.log('parity ok');
}

const i = process.argv.indexOf('--child');
if (i >= 0) {
  const kind = process.argv[i + 1];
  const result = kind === 'micro' ? await micro() : await scenario({ assets: Number(process.argv[i + 2]), days: Number(process.argv[i + 3]) });
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
} else parent();
