// dolphin paper: the node on live market data through ccxt, trading on paper through the engine —
// trades → 5 s bars → NG3-lite signal → the live feed → Dolphin in streaming mode; order books → the
// OB actor; funding, taker ratio, DVOL and fear & greed → the ACB. Results go to the PnL map at each
// date change; /health shows the bars, the signal, the posture and Dolphin's open day as they happen.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Exchange } from 'ccxt';
import { liveBarsMapName } from '../../actors/keys.ts';
import { runLiveFeed, type LiveFeedReport } from '../../actors/live-feed.ts';
import { LiveJournal } from '../../actors/live-journal.ts';
import { liveSignalBars, type LiveSignalStats, type TradePoller } from '../../actors/live-signal.ts';
import { championConfig, loadEngineConfig } from '../../config/engine-schema.ts';
import { loadPaperConfig, parsePaperConfig, type PaperConfig } from '../../config/paper-schema.ts';
import { loadShockflipConfig } from '../../config/shockflip-schema.ts';
import { createCcxtExchange, type CcxtExchangeConfig } from '../../market/ccxt-exchange.ts';
import { CcxtFactorsSource } from '../../market/ccxt-factors.ts';
import type { FearGreedSource } from '../../market/ccxt-fng.ts';
import { CcxtObSource } from '../../market/ccxt-ob-source.ts';
import { CcxtTradesSource } from '../../market/ccxt-trades.ts';
import { monitorSettings, ShockflipMonitor } from '../../research/shockflip/live-monitor.ts';
import { DeribitOptionSource } from '../../research/volume-shock/deribit-source.ts';
import { LiveTrader } from '../../research/volume-shock/live-trader.ts';
import { ReplaySource } from '../../research/volume-shock/replay-source.ts';
import { simulate } from '../../research/volume-shock/simulator.ts';
import type { ChainUpdate, UnderlyingTick } from '../../research/volume-shock/types.ts';
import { volumeShockActor, type DecisionLatency, type ShockSource } from '../../actors/volume-shock.ts';
import { loadVolumeShockConfig } from '../../config/volume-shock-schema.ts';
import { Histogram, type Registry } from 'prom-client';
import { openStore } from '../../store/open-store.ts';
import { nodeMetrics, serveHttp } from '../../supervision/http-server.ts';
import { createLogger } from '../../supervision/log.ts';
import { DolphinNode } from '../../supervision/node.ts';
import { guarded, parsePortFlag, UsageError } from '../cli-errors.ts';

export const DEFAULT_PAPER_CONFIG = 'config/paper.yaml';

export interface PaperOptions {
  config?: string;
  port?: string;
  logLevel?: string;
  /** ms of the node's clock to run (overrides paper.duration_ms) */
  duration?: string;
}

/** Test hooks: a clock and a sleep that run faster than life, and a way to stop. */
export interface PaperHooks {
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  /** the config already parsed (tests), instead of a file */
  config?: PaperConfig;
  onStarted?(node: DolphinNode): void;
  /** the /health and /metrics base URL, once the server listens */
  onListening?(url: string): void;
  /** runs before the node stops (tests read the store here) */
  beforeStop?(node: DolphinNode): Promise<void>;
}

export interface PaperReport {
  feed: LiveFeedReport;
  signal: LiveSignalStats;
  dolphin: Record<string, unknown>;
}

export async function runPaper(o: PaperOptions, hooks: PaperHooks = {}): Promise<PaperReport> {
  const config = hooks.config ?? withFlags(loadPaperConfigOrDefault(o.config), o);
  const p = config.paper;
  const engine = config.engine_config ? loadEngineConfig(config.engine_config) : championConfig();
  const clock = hooks.clock ?? Date.now;
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = createLogger({ level: o.logLevel ?? 'info', destination: process.stderr });

  const exchange = exchangeOf(p);
  const deribit = p.deribit ? exchangeOf(p, 'deribit') : null;
  const obSource = new CcxtObSource(exchange, { clock, logger: log.child({ component: 'ccxt-ob' }) });
  const factors = new CcxtFactorsSource({ exchange, deribit, fearGreed: fearGreedOf(p.fear_greed), logger: log.child({ component: 'ccxt-factors' }) });
  const trades = new CcxtTradesSource(exchange, { symbols: p.assets, logger: log.child({ component: 'ccxt-trades' }) });

  const volumeShock = p.volume_shock.enabled ? await volumeShockDef(p, clock) : null;
  const opened = await openStore(config.store, config.cluster.enabled ? config.cluster.node_id : 'paper-1', log);
  const node = await DolphinNode.start({ config: { ...config, mode: 'streaming' }, engine, inputs: liveInputs(p.w750_threshold), store: opened.store, log, now: clock, obSource, extraActors: volumeShock ? [volumeShock.def] : [] });
  hooks.onStarted?.(node);
  const shockflip = p.shockflip.enabled ? shockflipMonitor(p.shockflip.config, log.child({ component: 'shockflip' })) : null;
  const polled = shockflip === null ? trades : tapTrades(trades, p.shockflip.symbol, shockflip);
  const stats: LiveSignalStats = { polls: 0, trades: 0, late: 0, gaps: 0, bars: 0, below002: 0, below005: 0, lastBar: null };
  const metrics = nodeMetrics(node);
  volumeShock?.observe(volumeShockMetrics(metrics.registry));
  const dolphinStatus = async () => {
    const r = await node.tree.get('dolphin').ask({ type: 'Status' }, 2_000).catch((e: Error) => ({ type: 'Error', detail: { error: e.message } }));
    return r.type === 'StatusReply' ? r.detail : { error: (r as { detail: unknown }).detail };
  };
  const http = config.http.port === null ? null : await serveHttp(node, metrics, { host: config.http.host, port: config.http.port }, async () => ({ paper: { exchange: exchange.id, signal: stats, dolphin: await dolphinStatus() }, ...(shockflip ? { shockflip: shockflip.status() } : {}) }));
  if (http) {
    log.info({ url: http.url }, 'paper: /health and /metrics');
    hooks.onListening?.(http.url);
  }

  await obWarmup(node, p.ob_warmup_ms, log);
  const abort = new AbortController();
  hooks.signal?.addEventListener('abort', () => abort.abort());
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const duration = o.duration !== undefined ? positive('--duration', o.duration) : p.duration_ms;
  try {
    const bars = liveSignalBars(polled, { assets: p.assets, barMs: p.bar_ms, pollMs: p.poll_ms, graceMs: p.grace_ms, windows: p.windows, clock, sleep, untilMs: duration === null ? null : clock() + duration, signal: abort.signal, log: log.child({ component: 'live-signal' }) }, stats);
    const feed = await runLiveFeed(
      node.tree,
      bars,
      {
        names: { dolphin: 'dolphin', acb: 'acb', watchdog: 'watchdog', forewarner: 'forewarner', features: 'features' },
        askTimeoutMs: config.feed.ask_timeout_ms,
        forewarner: config.feed.forewarner_daily,
        forewarnerBlocks: config.forewarner_gate,
        maxLeverage: engine.sizing.max_leverage,
        batchRows: config.feed.batch_rows,
        maxRetries: config.feed.max_retries_per_date,
        now: clock,
        factors: async () => (await factors.read(clock())).factors,
        factorsEveryMs: p.factors_every_ms,
        onBar: (bar) => {
          node.lastBar = { ...bar, atMs: clock() };
        },
        onBatch: (rows, ms) => {
          metrics.bars.inc(rows);
          metrics.batchLatency.observe(ms / 1000);
        },
        signal: abort.signal,
        // uncommitted bars survive a stop when the store does (Hazelcast, or embedded with persist_path)
        journal: new LiveJournal(opened.store.map(liveBarsMapName(engine.direction))),
      },
      log.child({ component: 'live-feed' }),
    );
    return { feed, signal: stats, dolphin: await dolphinStatus() };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await hooks.beforeStop?.(node);
    await node.stop();
    http?.server.close();
    await opened.close();
  }
}

/**
 * The survival stack takes its first reading as it is and recovers slowly (§11.4): a first reading
 * before the order books arrive would hold the node in HIBERNATE for an hour or more. Wait for them.
 */
async function obWarmup(node: DolphinNode, ms: number, log: ReturnType<typeof createLogger>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const r = await node.tree.get('ob').ask({ type: 'Status' }, 2_000).catch(() => null);
    const q = r?.type === 'StatusReply' ? (r.detail.quality as { stale?: boolean } | null) : null;
    if (q?.stale === false) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  log.warn({ waitedMs: ms }, 'order books still stale after the warm-up wait: starting anyway (the watchdog will read Cat3 low)');
}

/**
 * The Volume Shock trader as an actor of the node: actors/ may not import research/, so the source
 * and the trader are composed here. Its decisions' latencies go to /metrics once the registry exists.
 */
async function volumeShockDef(p: PaperConfig['paper'], clock: () => number) {
  const v = p.volume_shock;
  const params = loadVolumeShockConfig(v.config ?? undefined);
  let source: ShockSource<ChainUpdate, UnderlyingTick>;
  const trader = new LiveTrader(params, v.source === 'sim' ? 'sim' : 'deribit');
  if (v.source === 'sim') {
    const sim = simulate({ sim: params.simulator, mode: 'planted', seed: v.seed, contractMultiplier: params.sources.sim.contract_multiplier, referencePrice: params.exposure.reference_price });
    const replay = new ReplaySource(sim.updates, sim.ticks);
    // the simulator's warm-up days are the baseline history a live trader would load at start
    for (let i = 0; i < params.simulator.warmup_days * params.simulator.session_minutes && replay.remaining > 0; i++) {
      const { update, tick } = await replay.poll(0);
      trader.cycle(update, tick);
    }
    source = replay;
  } else {
    source = new DeribitOptionSource(exchangeOf(p, 'deribit'), { deribit: params.deribit, profile: params.sources.deribit, referencePrice: params.exposure.reference_price });
  }
  let record: ((d: DecisionLatency) => void) | null = null;
  const def = volumeShockActor({ now: clock }, {
    source,
    trader,
    cycleMs: v.cycle_ms ?? params.deribit.poll_seconds * 1000,
    onDecision: (d) => record?.(d),
  });
  return { def, observe: (r: (d: DecisionLatency) => void) => (record = r) };
}

function volumeShockMetrics(registry: Registry): (d: DecisionLatency) => void {
  const decision = new Histogram({ name: 'dolphin_volume_shock_decision_latency_seconds', help: 'Volume Shock: chain in hand → trade decision', labelNames: ['flow_type', 'outcome'], buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1], registers: [registry] });
  const age = new Histogram({ name: 'dolphin_volume_shock_signal_age_seconds', help: 'Volume Shock: shock onset → trade decision', labelNames: ['flow_type'], buckets: [5, 15, 30, 60, 120, 300, 600], registers: [registry] });
  return (d) => {
    decision.labels(d.flowType, d.outcome).observe(d.decisionSeconds);
    age.labels(d.flowType).observe(d.signalAgeSeconds);
  };
}

/** ShockFlip's live pipeline with its monitoring; each report is a log line (warnings for the checks that ask for action). */
function shockflipMonitor(configPath: string, log: ReturnType<typeof createLogger>): ShockflipMonitor {
  const p = loadShockflipConfig(configPath);
  return new ShockflipMonitor(p, monitorSettings(p), (r) => {
    if (r.kind === 'signal') log.info({ signal: r.signal }, 'ShockFlip signal');
    else if (r.kind === 'drift') (r.check.reestimate ? log.warn : log.info).call(log, { check: r.check }, r.check.reestimate ? 'rel_vol_90 drifted: re-estimate the diamond threshold' : 'rel_vol drift check');
    else if (r.kind === 'audit') (r.check.suspendRetraining ? log.warn : log.info).call(log, { check: r.check }, r.check.suspendRetraining ? 'physics audit failed: suspend retraining' : 'physics audit passed');
    else (r.check.alarm ? log.warn : log.info).call(log, { check: r.check }, r.check.alarm ? 'ShockFlip signals below half the expected rate' : 'ShockFlip signal rate back to normal');
  });
}

/** The trades poller, with one asset's trades also handed to the ShockFlip monitor. */
function tapTrades(source: TradePoller, symbol: string, monitor: ShockflipMonitor): TradePoller {
  return {
    async poll(nowMs) {
      const polled = await source.poll(nowMs);
      for (const t of polled.get(symbol)?.trades ?? []) monitor.trade(t.ts, t.price, t.amount, t.side === 'buy' ? 1 : -1);
      monitor.advance(nowMs);
      return polled;
    },
  };
}

/** Live runs have no preloaded dates: the ACB works from the day's live factors. */
function liveInputs(w750Threshold: number | null) {
  return {
    dates: [],
    acbDays: null,
    w750Threshold: w750Threshold ?? NaN,
    factorsByDate: new Map(),
    postureByDate: new Map(),
    loadDay: (date: string) => Promise.reject(new Error(`paper trading reads no day files (asked for ${date})`)),
  };
}

function exchangeOf(p: PaperConfig['paper'], id = p.exchange.id): Exchange {
  const c: CcxtExchangeConfig = { exchangeId: id, enableRateLimit: p.exchange.rate_limit, timeoutMs: p.exchange.timeout_ms };
  if (p.exchange.api_origin !== null) c.apiOrigin = p.exchange.api_origin;
  return createCcxtExchange(c);
}

function fearGreedOf(s: string | null): FearGreedSource | null {
  if (s === null) return null;
  return /^https?:\/\//.test(s) ? { url: s } : { file: s };
}

function loadPaperConfigOrDefault(path: string | undefined): PaperConfig {
  if (path !== undefined) return loadPaperConfig(path);
  return existsSync(DEFAULT_PAPER_CONFIG) ? loadPaperConfig(DEFAULT_PAPER_CONFIG) : parsePaperConfig({}, 'defaults');
}

function withFlags(c: PaperConfig, o: PaperOptions): PaperConfig {
  const out = structuredClone(c);
  if (o.port !== undefined) out.http.port = parsePortFlag(o.port);
  return out;
}

function positive(flag: string, text: string): number {
  const x = Number(text);
  if (!Number.isFinite(x) || x <= 0) throw new UsageError(`${flag} must be a positive number, got "${text}"`);
  return x;
}

export function registerPaper(program: Command): void {
  program
    .command('paper')
    .description('run the node on live exchange data through ccxt, trading on paper through the engine')
    .option('--config <file>', `paper config YAML (default: ${DEFAULT_PAPER_CONFIG})`)
    .option('--port <n>', 'HTTP port for /health and /metrics, or "none"')
    .option('--duration <ms>', 'stop after this many milliseconds (default: until Ctrl-C)')
    .option('--log-level <level>', 'pino level for the node log on stderr', 'info')
    .action(
      guarded(async (o: PaperOptions) => {
        const r = await runPaper(o);
        console.log(JSON.stringify({ bars: r.signal.bars, trades_polled: r.signal.trades, feed: r.feed, dolphin: r.dolphin }, null, 2));
      }),
    );
}
