// The benchmark suite (`npm run bench`): runs each benchmark in its own process, then gathers what users
// care about into bench/results.json and one table — engine bars/s at 48 and 400 assets; NG3-lite bars/s
// at 48 and 400 assets against the naive full-decomposition baseline measured in the same run; the actor
// tree's overhead over the batch backtest; feature-store operations/s; forewarner Monte-Carlo paths/s;
// the peak memory of each. Each figure names the file it came from.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const BENCHES = ['engine', 'actors', 'forewarner', 'ng3'] as const;
type Json = Record<string, any>; // figures read back from our own benches' JSON

/** Runs bench/<name>.ts with a probe that records its process's peak RSS. */
function run(name: string): { seconds: number; peakRssMb: number } {
  const rssFile = `${os.tmpdir()}/dolphin-bench-${name}-${process.pid}.rss`;
  const t0 = performance.now();
  execFileSync(process.execPath, ['--import=tsx', `--import=${HERE}rss-probe.mjs`, `${HERE}${name}.ts`], { stdio: 'inherit', env: { ...process.env, DOLPHIN_RSS_FILE: rssFile } });
  return { seconds: (performance.now() - t0) / 1000, peakRssMb: Number(readFileSync(rssFile, 'utf8')) };
}

/** A figure a bench should have written; its absence means that bench changed its output. */
function must<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`bench/run-all: ${what} missing from the bench output`);
  return x;
}

const read = (file: string): Json => JSON.parse(readFileSync(`${HERE}${file}`, 'utf8')) as Json;

function gather(runs: Record<string, { seconds: number; peakRssMb: number }>): Json {
  const engine = read('results-engine.json');
  const actors = read('actors.json');
  const fw = read('forewarner.json');
  const ng3 = read('ng3.json');
  const byAssets = (rows: Json[], n: number, what: string) => must(rows.find((r) => r.assets === n), `${what} at ${n} assets`);
  const ng3Kernel = (n: number) => must((ng3.kernel as Json[]).find((k) => k.assets === n && k.data === 'market' && !k.detached) ?? (ng3.kernel as Json[]).find((k) => k.assets === n), `ng3 kernel at ${n} assets`);
  const node = (s: Json, mode: string, rows: number | null, mc: boolean) => (s.node as Json[]).find((r) => r.mode === mode && r.batchRows === (mode === 'day-file' ? null : rows) && r.forewarnerDaily === mc);
  const fwDefault = must((fw.results as Json[]).find((r) => r.case.name === 'default'), 'forewarner default case');
  return {
    engine: [48, 400].map((n) => {
      const e = byAssets(engine.results, n, 'engine');
      return { assets: n, barsPerSec: e.allLayersBarsPerSec, vsPlainScan: e.allLayersVsScan, peakRssMb: e.peakRssMb, from: 'bench/results-engine.json' };
    }),
    ng3: [48, 400].map((n) => {
      const k = ng3Kernel(n);
      const naive = byAssets(ng3.naive, n, 'ng3 naive');
      return { assets: n, barsPerSec: k.barsPerSecMedian, msPerBar: k.msPerBarMedian, naiveBarsPerSec: naive.barsPerSec, vsNaive: k.barsPerSecMedian / naive.barsPerSec, from: 'bench/ng3.json' };
    }),
    ng3WholeSeries48: Math.max(...(ng3.wholeSeries as Json[]).map((w) => w.barsPerSec)),
    actorTree: (actors.scenarios as Json[]).map((s) => ({
      assets: s.assets,
      batchBarsPerSec: s.batchBarsPerSec,
      dayFile: { noMc: node(s, 'day-file', null, false)?.overhead, withMc: node(s, 'day-file', null, true)?.overhead },
      streaming240: { noMc: node(s, 'streaming', 240, false)?.overhead, withMc: node(s, 'streaming', 240, true)?.overhead, barsPerSecNoMc: node(s, 'streaming', 240, false)?.barsPerSec },
      fromFiles: s.files,
      p99BarToDecisionMs: s.latencyBatchRows1.p99Ms,
      peakRssMb: s.peakRssMb,
      from: 'bench/actors.json',
    })),
    store: (actors.scenarios as Json[]).map((s) => ({ assets: s.assets, putPerSec: s.store.putPerSec, getPerSec: s.store.getPerSec, featureWritesPerSec: s.store.putFeaturesWritesPerSec, from: 'bench/actors.json' })),
    forewarner: (fwDefault.modes as Json[]).map((m) => ({ mode: m.mode, pathsPerSec: m.pathsPerSec, peakRssMb: m.peakRssMb, from: 'bench/forewarner.json' })),
    nactDispatchPerSec: actors.micro.nactDispatchMsgPerSec,
    processes: runs,
  };
}

function table(r: Json): string {
  const f = (x: number | undefined, d = 0) => (x === undefined ? '-' : x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const lines = [
    'what                                         48 assets          400 assets',
    `engine bars/s (all layers)              ${f(r.engine[0].barsPerSec).padStart(14)}  ${f(r.engine[1].barsPerSec).padStart(18)}`,
    `NG3-lite bars/s (one thread, median)    ${f(r.ng3[0].barsPerSec).padStart(14)}  ${f(r.ng3[1].barsPerSec).padStart(18)}`,
    `NG3-lite × naive full decomposition     ${f(r.ng3[0].vsNaive, 1).padStart(14)}  ${f(r.ng3[1].vsNaive, 1).padStart(18)}`,
    `NG3-lite ms per bar                     ${f(r.ng3[0].msPerBar, 3).padStart(14)}  ${f(r.ng3[1].msPerBar, 3).padStart(18)}`,
    `node day-file / batch (no MC, memory)   ${f(r.actorTree[0].dayFile.noMc, 2).padStart(14)}  ${f(r.actorTree[1].dayFile.noMc, 2).padStart(18)}`,
    `node day-file / batch (daily MC)        ${f(r.actorTree[0].dayFile.withMc, 2).padStart(14)}  ${f(r.actorTree[1].dayFile.withMc, 2).padStart(18)}`,
    `node streaming 240 bars/s (no MC)       ${f(r.actorTree[0].streaming240.barsPerSecNoMc).padStart(14)}  ${f(r.actorTree[1].streaming240.barsPerSecNoMc).padStart(18)}`,
    `bar-to-decision p99 ms                  ${f(r.actorTree[0].p99BarToDecisionMs, 3).padStart(14)}  ${f(r.actorTree[1].p99BarToDecisionMs, 3).padStart(18)}`,
    `store put/s · get/s                     ${`${f(r.store[0].putPerSec)} · ${f(r.store[0].getPerSec)}`.padStart(14)}`,
    `forewarner MC paths/s (${r.forewarner.map((m: Json) => m.mode).join(' / ')})   ${r.forewarner.map((m: Json) => f(m.pathsPerSec)).join(' / ')}`,
    `peak RSS MB per bench process           ${Object.entries(r.processes as Record<string, { peakRssMb: number }>).map(([k, v]) => `${k} ${f(v.peakRssMb)}`).join(', ')}`,
  ];
  return lines.join('\n');
}

const runs: Record<string, { seconds: number; peakRssMb: number }> = {};
const loadBefore = os.loadavg();
for (const b of BENCHES) runs[b] = run(b);
const results = { bench: 'suite', node: process.version, cpus: os.cpus().length, loadAvg: { before: loadBefore, after: os.loadavg() }, ...gather(runs) };
writeFileSync(`${HERE}results.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${table(results)}\n\nwrote ${HERE}results.json`);
