// dolphin node: the long-lived actor tree on the embedded or Hazelcast store, replaying day files as its bar
// source; /health and /metrics over HTTP; results written like the backtest's when the replay ends.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { nodeInputsFrom } from '../../actors/inputs.ts';
import { championConfig, loadEngineConfig } from '../../config/engine-schema.ts';
import { loadNodeConfig, parseNodeConfig, type NodeConfig } from '../../config/node-schema.ts';
import { runDays } from '../../engine/run.ts';
import type { RunResult } from '../../engine/types.ts';
import { dayFrames, loadRunInputs } from '../../market/run-inputs.ts';
import { writeResults } from '../../report/write-results.ts';
import { openStore } from '../../store/open-store.ts';
import { nodeMetrics, serveHttp } from '../../supervision/http-server.ts';
import { createLogger } from '../../supervision/log.ts';
import { DolphinNode } from '../../supervision/node.ts';
import { guarded, parsePortFlag, UsageError } from '../cli-errors.ts';
import { printSummary } from '../print-summary.ts';
import { progress } from '../progress.ts';
import { parseCapital } from './backtest.ts';
import { ensureSample } from './sample.ts';

export interface NodeOptions {
  config?: string;
  data?: string;
  replay?: string;
  factors?: string;
  ng3?: string;
  from?: string;
  to?: string;
  mode?: string;
  speed?: string;
  chaos?: string;
  port?: string;
  capital?: string;
  out: string;
  exitWhenDone?: boolean;
  parity?: boolean;
  logLevel?: string;
}

export const DEFAULT_NODE_CONFIG = 'config/node.yaml';

/** Runs the node; resolves when it has stopped (after the replay with exitWhenDone, else on a signal). */
export async function runNode(o: NodeOptions): Promise<{ result: RunResult; parity: boolean | null }> {
  const config = withFlags(o.config ? loadNodeConfig(o.config) : existsSync(DEFAULT_NODE_CONFIG) ? loadNodeConfig(DEFAULT_NODE_CONFIG) : parseNodeConfig({}, 'defaults'), o);
  if (config.cluster.enabled) {
    // a replay drives this node's own actors date by date; in a cluster the singletons may lead elsewhere
    throw new UsageError('cluster.enabled: a replay runs on a lone node (docs/cluster.md); several nodes share live work: dolphin paper');
  }
  const engine = config.engine_config ? loadEngineConfig(config.engine_config) : championConfig();
  const data = o.replay ?? o.data ?? (await ensureSample(o.out));
  const factors = o.factors ?? (existsSync(join(data, 'factors.csv')) ? join(data, 'factors.csv') : undefined);
  const run = await loadRunInputs({ dataDir: data, factorsPath: factors, ng3Dir: o.ng3, from: o.from, to: o.to, strict: false, capital: config.capital });
  for (const w of run.warnings) console.error(`warning: ${w}`);

  const log = createLogger({ level: o.logLevel ?? 'info', destination: process.stderr });
  const opened = await openStore(config.store, 'node-1', log);
  log.info({ store: opened.where }, 'store connected');
  const node = await DolphinNode.start({ config, engine, inputs: nodeInputsFrom(run, engine), store: opened.store, log, describe: run.plan.inputs ?? {} });
  const metrics = nodeMetrics(node);
  const feedState = { dates: run.plan.dates.length, done: 0, finished: false };
  const http = config.http.port === null ? null : await serveHttp(node, metrics, { host: config.http.host, port: config.http.port }, () => ({ feed: feedState }));
  if (http) console.error(`node: /health and /metrics at ${http.url}`);

  const abort = new AbortController();
  const stopped = new Promise<void>((resolveStop) => {
    const onSignal = (sig: string) => {
      console.error(`node: ${sig}: stopping`);
      abort.abort();
      resolveStop();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });

  const bar = progress(run.plan.dates.length, 'node replay');
  node.chaos.start();
  let result: RunResult | null = null;
  let parity: boolean | null = null;
  try {
    const feed = await node.replay({
      signal: abort.signal,
      onDay: (d) => {
        feedState.done += 1;
        metrics.days.inc();
        bar.tick(d);
      },
      onBatch: (rows, ms) => {
        metrics.bars.inc(rows);
        metrics.batchLatency.observe(ms / 1000);
      },
    });
    bar.stop();
    node.chaos.stop();
    feedState.finished = true;
    result = await node.results();
    result.inputs = { ...result.inputs, feed };
    const outDir = resolve(o.out, 'node');
    await writeResults(outDir, result);
    printSummary(result, outDir);
    if (config.chaos.rate > 0) console.log(`chaos: ${JSON.stringify(node.chaos.summary())}; feed resumed ${feed.resumes} time(s)`);
    if (o.parity) parity = await checkParity(result, run, engine);
    if (!o.exitWhenDone) {
      console.error('node: replay done; still serving /health and /metrics (Ctrl-C to stop)');
      await stopped;
    }
  } finally {
    bar.stop();
    await node.stop();
    http?.server.close();
    await opened.close();
  }
  return { result, parity };
}

/** The same days through the batch backtest: the node must give the same trades and days (DESIGN invariant 5). */
async function checkParity(result: RunResult, run: Awaited<ReturnType<typeof loadRunInputs>>, engine: ReturnType<typeof championConfig>): Promise<boolean> {
  const batch = await runDays(dayFrames(run.refs), run.plan, engine);
  const same = JSON.stringify(batch.trades) === JSON.stringify(result.trades) && JSON.stringify(batch.days) === JSON.stringify(result.days);
  console.log(
    same
      ? `parity: the node's ${result.trades.length} trades and ${result.days.length} days equal the batch backtest's exactly`
      : `parity: DIFFERENT from the batch backtest (node ${result.trades.length} trades, final capital ${result.summary.finalCapital}; batch ${batch.trades.length}, ${batch.summary.finalCapital})`,
  );
  return same;
}

function withFlags(c: NodeConfig, o: NodeOptions): NodeConfig {
  const out = structuredClone(c);
  if (o.mode !== undefined) {
    if (o.mode !== 'streaming' && o.mode !== 'day-file') throw new UsageError(`--mode must be streaming or day-file, got "${o.mode}"`);
    out.mode = o.mode;
  }
  if (o.speed !== undefined) out.feed.speed = nonNegative('--speed', o.speed);
  if (o.chaos !== undefined) {
    const rate = nonNegative('--chaos', o.chaos);
    if (rate > 1) throw new UsageError(`--chaos is a probability per interval, in [0, 1]; got ${o.chaos}`);
    out.chaos.rate = rate;
    // drills kill often: restart fast and do not escalate
    out.supervision = { ...out.supervision, max_restarts: Math.max(out.supervision.max_restarts, 1_000_000), backoff_max_ms: Math.min(out.supervision.backoff_max_ms, 20) };
  }
  if (o.port !== undefined) out.http.port = parsePortFlag(o.port);
  if (o.capital !== undefined) out.capital = parseCapital(o.capital);
  return out;
}

function nonNegative(flag: string, text: string): number {
  const x = Number(text);
  if (!Number.isFinite(x) || x < 0) throw new UsageError(`${flag} must be a non-negative number, got "${text}"`);
  return x;
}

export function registerNode(program: Command): void {
  program
    .command('node')
    .description('run the supervised actor tree, replaying day files as its bar source; /health and /metrics over HTTP')
    .option('--config <file>', `node config YAML (default: ${DEFAULT_NODE_CONFIG})`)
    .option('--replay <dir>', 'day files to replay (default: the seeded sample, generated into --out)')
    .option('--data <dir>', 'the same as --replay (the backtest\'s name for it)')
    .option('--factors <file>', 'per-date ACB factors and postures (default: <data>/factors.csv when present)')
    .option('--ng3 <dir>', 'an NG3 eigenvalues folder: scan_global w750 per date, Indicators factors where --factors has none')
    .option('--from <date>', 'first date (inclusive)')
    .option('--to <date>', 'last date (inclusive)')
    .option('--mode <mode>', 'streaming | day-file (overrides the config)')
    .option('--speed <x>', '0 = as fast as possible, 1 = real time (5 s bars)')
    .option('--chaos <rate>', 'kill or break a random actor with this probability every chaos interval')
    .option('--port <n>', 'HTTP port for /health and /metrics, or "none"')
    .option('--capital <x>', 'initial capital')
    .option('--out <dir>', 'results go to <out>/node', 'out')
    .option('--exit-when-done', 'stop after the replay instead of serving /health until a signal')
    .option('--parity', 'also run the batch backtest and compare (exit code 1 when they differ)')
    .option('--log-level <level>', 'pino level for the node log on stderr', 'info')
    .action(
      guarded(async (o: NodeOptions) => {
        const { parity } = await runNode(o);
        if (parity === false) process.exitCode = 1;
      }),
    );
}
