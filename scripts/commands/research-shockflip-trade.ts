// dolphin research zombie | select | meta-model | report: the ShockFlip blueprint's Steps 2–4 and the
// research report, over the same inputs as divergence-map / diamond-hunter (trade files or the
// seeded synthetic generator; optionally an events_annotated.csv and a bars CSV instead). Thin:
// parses flags, maps the YAML onto the research options, calls research/shockflip, writes files.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadShockflipConfig, type ShockflipConfig } from '../../config/shockflip-schema.ts';
import { DataError } from '../../market/errors.ts';
import { toSvg } from '../../report/charts.ts';
import { jsonText } from '../../research/shockflip/csv.ts';
import { physicsCheck } from '../../research/shockflip/diamond.ts';
import { readEventsCsv, type EventRow } from '../../research/shockflip/events.ts';
import { MetaModelInputError } from '../../research/shockflip/meta-model-booster.ts';
import { featureValue, metaSamples } from '../../research/shockflip/meta-model-dataset.ts';
import { StepGateError, type MetaModelGate, type StepOutcome } from '../../research/shockflip/meta-model-gate.ts';
import type { MetaModelOptionsInput } from '../../research/shockflip/meta-model-options.ts';
import { metaModelPdCsv, metaModelRulesCsv, metaModelSummary } from '../../research/shockflip/meta-model-output.ts';
import { runMetaModel, type MetaModelReport } from '../../research/shockflip/meta-model.ts';
import { parseHeatmapCsv, type HeatmapRow } from '../../research/shockflip/report-heatmap.ts';
import { researchReportHtml, type SvgRenderer } from '../../research/shockflip/report-html.ts';
import { buildResearchBars } from '../../research/shockflip/research-bars.ts';
import type { SelectionOptions } from '../../research/shockflip/selection-options.ts';
import { selectionCsv, selectionSummary } from '../../research/shockflip/selection-output.ts';
import { runSelection, type SelectionEvent, type SelectionReport } from '../../research/shockflip/selection.ts';
import { studyFromBars } from '../../research/shockflip/study.ts';
import { parsePriceBarsCsv, tradeEventsFromRows } from '../../research/shockflip/zombie-inputs.ts';
import { ShockflipOptionError, type ZombieOptionsInput } from '../../research/shockflip/zombie-options.ts';
import { zombieSummary, zombieTradesCsv } from '../../research/shockflip/zombie-output.ts';
import type { PriceBars, TradeEvent } from '../../research/shockflip/zombie-sim.ts';
import { runZombie, type ZombieReport } from '../../research/shockflip/zombie.ts';
import { guarded, UsageError } from '../cli-errors.ts';
import { DEFAULT_SHOCKFLIP_CONFIG, loadShockflipInputs } from './research-shockflip.ts';

export interface TradeCommandOptions {
  trades?: string[];
  synthetic?: string;
  /** events_annotated.csv to use instead of recomputing the events */
  events?: string;
  /** bars CSV (start, open, high, low, close): with --events, instead of --trades / --synthetic */
  bars?: string;
  /** bootstrap_snap_ci.json: Step 1's verdict and diamond threshold instead of recomputing them */
  physics?: string;
  /** heatmap_report.csv for the report's heatmap */
  heatmap?: string;
  config?: string;
  out: string;
}

/** Everything the four commands share: bars, the event rows and their simulation inputs, Step 1. */
export interface TradeInputs {
  config: ShockflipConfig;
  source: string;
  bars: PriceBars;
  barMs: number;
  rows: EventRow[];
  events: TradeEvent[];
  step1: StepOutcome;
  /** the diamond threshold Step 1 used (config value or in-sample p90, as threshold_source says) */
  threshold: number;
  notes: string[];
}

export async function loadTradeInputs(o: TradeCommandOptions, showProgress: boolean): Promise<TradeInputs> {
  const fromFiles = o.bars !== undefined;
  if (fromFiles && (o.events === undefined || o.trades !== undefined || o.synthetic !== undefined)) {
    throw new UsageError('--bars goes with --events and replaces --trades / --synthetic');
  }
  let config: ShockflipConfig;
  let bars: PriceBars;
  let barMs: number;
  let rows: EventRow[];
  let events: TradeEvent[];
  let source: string;
  const notes: string[] = [];
  if (fromFiles) {
    config = loadShockflipConfig(o.config ?? DEFAULT_SHOCKFLIP_CONFIG);
    barMs = config.shock_flip.bars.bar_ms;
    bars = parsePriceBarsCsv(await readText(o.bars!), o.bars!);
    rows = await readEventsCsv(o.events!);
    events = tradeEventsFromRows(rows, bars, barMs, o.events);
    source = `${o.bars}, ${o.events}`;
  } else {
    const inputs = await loadShockflipInputs(o, showProgress);
    config = inputs.config;
    notes.push(...inputs.notes);
    barMs = config.shock_flip.bars.bar_ms;
    const rb = buildResearchBars(inputs.trades, { barMs, source: inputs.source });
    const s = studyFromBars(rb, config);
    bars = { ts: rb.start, open: rb.open, high: rb.high, low: rb.low, close: rb.close };
    source = inputs.source;
    if (o.events !== undefined) {
      rows = await readEventsCsv(o.events);
      events = tradeEventsFromRows(rows, bars, barMs, o.events);
    } else {
      rows = s.study.events;
      events = rows.map((r, k) => ({ barIndex: s.study.bars[k], ts: r.entry_ts, side: r.side === 'long' ? 1 : -1, rel_vol: r.rel_vol, atr: r.atr }));
    }
  }
  const { step1, threshold } = o.physics !== undefined ? await readPhysics(o.physics) : computePhysics(rows, config);
  return { config, source, bars, barMs, rows, events, step1, threshold, notes };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new DataError({ file: path }, `cannot read: ${(err as Error).message}`, { cause: err });
  }
}

/** Step 1 from bootstrap_snap_ci.json as diamond-hunter writes it (verdict, reasons, diamond_threshold). */
async function readPhysics(path: string): Promise<{ step1: StepOutcome; threshold: number }> {
  let j: { verdict?: unknown; reasons?: unknown; diamond_threshold?: unknown };
  try {
    j = JSON.parse(await readText(path)) as typeof j;
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError({ file: path }, `not JSON: ${(err as Error).message}`);
  }
  if (typeof j.verdict !== 'string') throw new DataError({ file: path, column: 'verdict' }, 'missing: not a bootstrap_snap_ci.json from diamond-hunter');
  if (typeof j.diamond_threshold !== 'number') throw new DataError({ file: path, column: 'diamond_threshold' }, 'missing or not a number');
  const reasons = Array.isArray(j.reasons) ? j.reasons.map(String) : [];
  return { step1: { passed: j.verdict === 'pass', reasons: [`verdict ${j.verdict}`, ...reasons], source: path }, threshold: j.diamond_threshold };
}

function computePhysics(rows: readonly EventRow[], c: ShockflipConfig): { step1: StepOutcome; threshold: number } {
  const p = physicsCheck(rows, c.shock_flip.physics_check, c.shock_flip.diamond_filter);
  return { step1: { passed: p.verdict === 'pass', reasons: [`verdict ${p.verdict}`, ...p.reasons], source: 'physics check on these events' }, threshold: p.threshold };
}

// ——— YAML → research options. Keys the schema does not have yet keep the research defaults
// (docs/shockflip-trading.md lists them).

export function zombieOptionsFrom(c: ShockflipConfig, threshold: number): ZombieOptionsInput {
  return {
    cooldownBars: c.risk.cooldown_bars,
    long: { tpMult: c.risk.long.tp_mult, slMult: c.risk.long.sl_mult },
    short: { tpMult: c.risk.short.tp_mult, slMult: c.risk.short.sl_mult },
    relVolThreshold: threshold,
    zombie: { bar: c.zombie.exit_bar, mfeAtr: c.zombie.mfe_atr_mult, mode: c.zombie.exit_mode },
    partialTake: { atrMult: c.zombie.partial_take_atr, fraction: c.zombie.partial_take_fraction },
    verdict: { minPfImprovement: c.zombie.min_pf_improvement, minTradesPerMonth: c.zombie.min_trades_per_month },
  };
}

export function selectionOptionsFrom(c: ShockflipConfig): Partial<SelectionOptions> {
  return {
    features: c.selection.features,
    buckets: c.selection.buckets,
    alpha: c.selection.fdr_q,
    minSignificantMonths: c.selection.min_oos_months,
    oosMonthCount: c.selection.min_oos_months,
    minEventsPerBucket: c.shock_flip.diamond_filter.min_events_per_bucket,
  };
}

export function metaModelOptionsFrom(c: ShockflipConfig): MetaModelOptionsInput {
  const m = c.meta_model;
  return {
    features: m.features,
    cv: { trainMonths: m.train_months, testMonths: m.test_months },
    booster: { nEstimators: m.n_trees, maxDepth: m.max_depth, learningRate: m.learning_rate, minSamplesLeaf: m.min_samples_leaf },
  };
}

/** Options errors come from the YAML's values: report them as bad input (exit 2), not as a crash. */
function asUsage<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof ShockflipOptionError || err instanceof MetaModelInputError || err instanceof StepGateError) throw new UsageError(err.message);
    throw err;
  }
}

// ——— the steps

function zombieStep(t: TradeInputs): ZombieReport {
  return asUsage(() => runZombie(t.bars, t.events, zombieOptionsFrom(t.config, t.threshold)));
}

/** Step 3 on the diamond events (the blueprint's "for Diamond subset, recompute divergence metrics"). */
function selectionStep(t: TradeInputs): SelectionReport {
  const o = selectionOptionsFrom(t.config);
  return asUsage(() => {
    const sel: SelectionEvent[] = t.rows
      .filter((r) => r.rel_vol >= t.threshold)
      .map((r) => ({ ts: r.entry_ts, did_snap: r.did_snap, features: Object.fromEntries((o.features ?? []).map((f) => [f, featureValue(r, f)])) }));
    return runSelection(sel, o);
  });
}

function gateOf(t: TradeInputs, z: ZombieReport, s: SelectionReport | string): MetaModelGate {
  return {
    step1: t.step1,
    step2: { passed: z.verdict.passed, reasons: z.verdict.reasons },
    step3: typeof s === 'string' ? { passed: false, reasons: [s] } : { passed: s.verdict.passed, reasons: s.verdict.reasons },
  };
}

function metaModelStep(t: TradeInputs, z: ZombieReport, gate: MetaModelGate): MetaModelReport {
  const o = metaModelOptionsFrom(t.config);
  const rules = { zombie: true, partial: z.options.verdict.variant === 'zombie_partial' };
  return asUsage(() => {
    const data = metaSamples(t.rows, t.events, t.bars, t.barMs, z.options, rules, o.features ?? []);
    return runMetaModel(gate, data.samples, o);
  });
}

function selectionOrReason(t: TradeInputs): SelectionReport | string {
  try {
    return selectionStep(t);
  } catch (err) {
    if (err instanceof UsageError) return `selection could not run: ${err.message}`;
    throw err;
  }
}

// ——— files

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

async function writeAll(outDir: string, files: readonly [string, string][]): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const out: string[] = [];
  for (const [name, text] of files) {
    const p = join(outDir, name);
    await writeAtomic(p, text);
    out.push(p);
  }
  return out;
}

/**
 * vega-lite → SVG as report/charts.ts renders its charts: text measured by vega's estimator (not
 * node-canvas, so bytes do not depend on the machine) and ids renumbered per chart with its
 * stableSvgIds. report/charts.ts keeps its own toSvg private; exporting it would remove these lines.
 */
export const renderSvg: SvgRenderer = toSvg;

// ——— commands

export async function zombieCommand(o: TradeCommandOptions, showProgress = true): Promise<{ report: ZombieReport; files: string[] }> {
  const t = await loadTradeInputs(o, showProgress);
  if (showProgress) for (const n of t.notes) console.error(`note: ${n}`);
  const report = zombieStep(t);
  const files = await writeAll(resolve(o.out), [['zombie_trades.csv', zombieTradesCsv(report)], ['zombie_summary.json', jsonText(zombieSummary(report))]]);
  return { report, files };
}

export async function selectCommand(o: TradeCommandOptions, showProgress = true): Promise<{ report: SelectionReport; files: string[] }> {
  const t = await loadTradeInputs(o, showProgress);
  if (showProgress) for (const n of t.notes) console.error(`note: ${n}`);
  const report = selectionStep(t);
  const files = await writeAll(resolve(o.out), [['selection_report.csv', selectionCsv(report)], ['selection_summary.json', jsonText(selectionSummary(report))]]);
  return { report, files };
}

export async function metaModelCommand(o: TradeCommandOptions, showProgress = true): Promise<{ report: MetaModelReport; files: string[] }> {
  const t = await loadTradeInputs(o, showProgress);
  if (showProgress) for (const n of t.notes) console.error(`note: ${n}`);
  const z = zombieStep(t);
  const report = metaModelStep(t, z, gateOf(t, z, selectionOrReason(t)));
  const files = await writeAll(resolve(o.out), [
    ['meta_model_summary.json', jsonText(metaModelSummary(report))],
    ['meta_model.json', jsonText(report.model)],
    ['meta_model_pd.csv', metaModelPdCsv(report)],
    ['meta_model_rules.csv', metaModelRulesCsv(report)],
  ]);
  return { report, files };
}

export async function reportCommand(o: TradeCommandOptions, showProgress = true): Promise<{ html: string; files: string[] }> {
  const t = await loadTradeInputs(o, showProgress);
  if (showProgress) for (const n of t.notes) console.error(`note: ${n}`);
  const heatmap: HeatmapRow[] | null = o.heatmap === undefined ? null : parseHeatmapCsv(await readText(o.heatmap), o.heatmap);
  const z = zombieStep(t);
  const selection = selectionOrReason(t);
  let metaModel: MetaModelReport | string;
  try {
    metaModel = metaModelStep(t, z, gateOf(t, z, selection));
  } catch (err) {
    // a refusal is a result of the research, shown in the report, not a failure of the command
    if (err instanceof UsageError) metaModel = err.message;
    else throw err;
  }
  const html = await researchReportHtml({
    source: t.source,
    bars: t.bars,
    events: t.events,
    zombie: z,
    physics: t.step1,
    selection,
    metaModel,
    heatmap,
    charts: {
      snapAtrMult: t.config.event_study.did_snap_atr_mult,
      heatmapMinN: t.config.shock_flip.divergence_map.min_events_per_cell,
      buckets: t.config.shock_flip.physics_check.rel_vol_buckets,
    },
  }, renderSvg);
  const files = await writeAll(resolve(o.out), [['shockflip_report.html', html]]);
  return { html, files };
}

// ——— registration

function options(cmd: Command): Command {
  return cmd
    .option('--trades <paths...>', 'trade files or a directory (as divergence-map / diamond-hunter)')
    .option('--synthetic <seed>', 'use the seeded synthetic tick generator instead of --trades')
    .option('--events <file>', 'events_annotated.csv to use instead of recomputing the events')
    .option('--bars <file>', 'bars CSV (start, open, high, low, close), with --events, instead of --trades / --synthetic')
    .option('--physics <file>', "bootstrap_snap_ci.json: Step 1's verdict and diamond threshold (default: recomputed)")
    .option('--config <file>', 'ShockFlip research config', DEFAULT_SHOCKFLIP_CONFIG)
    .requiredOption('--out <dir>', 'folder for the results');
}

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

/** Adds `zombie`, `select`, `meta-model` and `report` to the `research` command. */
export function registerShockflipTradeCommands(research: Command): void {
  options(research.command('zombie'))
    .description('Step 2: trade the diamond events with legacy TP/SL, + the bar-10 zombie exit, + the 0.5-ATR partial take: zombie_trades.csv, zombie_summary.json')
    .action(guarded(async (o: TradeCommandOptions) => {
      const { report, files } = await zombieCommand(o);
      for (const r of report.runs) console.log(`${r.name.padEnd(15)} trades ${String(r.stats.trades).padStart(5)}  PF ${fmt(r.stats.profitFactor)}  trades/month ${fmt(r.stats.tradesPerMonth, 1)}`);
      const v = report.verdict;
      console.log(`Step 2: ${v.passed ? 'PASS' : 'FAIL'} (PF +${fmt(v.pfImprovement)} with ${v.variant})${v.passed ? '' : ' — ' + v.reasons.join('; ')}`);
      for (const f of files) console.log(`wrote ${f}`);
    }));
  options(research.command('select'))
    .description('Step 3: divergence-context lift per feature on the diamond events, Fisher exact + BH FDR, in ≥ 2 OOS months: selection_report.csv, selection_summary.json')
    .action(guarded(async (o: TradeCommandOptions) => {
      const { report, files } = await selectCommand(o);
      for (const f of report.features) console.log(`${f.feature.padEnd(20)} ${f.selected ? 'selected' : 'not selected'}${f.note ? ' — ' + f.note : ''}`);
      console.log(`Step 3: ${report.verdict.passed ? 'PASS' : 'FAIL'}`);
      for (const f of files) console.log(`wrote ${f}`);
    }));
  options(research.command('meta-model'))
    .description('Step 4 (only after Steps 1–3 pass): boosted trees on the diamond events, rolling time-block CV, monotonicity and interpretability: meta_model_summary.json, meta_model.json, meta_model_pd.csv, meta_model_rules.csv')
    .action(guarded(async (o: TradeCommandOptions) => {
      const { report, files } = await metaModelCommand(o);
      console.log(`OOS: ${report.oos.taken} of ${report.oos.testN} trades taken, PF ${fmt(report.oos.pfAll)} → ${fmt(report.oos.pfTaken)}`);
      console.log(`Step 4: ${report.acceptance.passed ? 'PASS' : 'FAIL'}${report.acceptance.passed ? ` (${report.acceptance.pending})` : ' — ' + report.acceptance.reasons.join('; ')}`);
      for (const f of files) console.log(`wrote ${f}`);
    }));
  options(research.command('report'))
    .description('the ShockFlip research report (HTML): example diamond events, cumulative returns by bucket, MFE survival, the divergence heatmap, Steps 1–4')
    .option('--heatmap <file>', 'heatmap_report.csv from divergence-map')
    .action(guarded(async (o: TradeCommandOptions) => {
      const { files } = await reportCommand(o);
      for (const f of files) console.log(`wrote ${f}`);
    }));
}
