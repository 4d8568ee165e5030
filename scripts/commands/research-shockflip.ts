// dolphin research divergence-map | diamond-hunter: the ShockFlip blueprint's first two research
// scripts over aggressor-tagged trades (files or the seeded synthetic generator). Thin: parses flags,
// loads the config and the trades, calls research/shockflip, prints where the results went.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadShockflipConfig, type ShockflipConfig } from '../../config/shockflip-schema.ts';
import { csvText } from '../../research/shockflip/csv.ts';
import { runDiamondHunter, type DiamondHunterResult } from '../../research/shockflip/diamond-hunter.ts';
import { runDivergenceMap, type DivergenceMapResult } from '../../research/shockflip/divergence-map.ts';
import type { ShockflipParams } from '../../research/shockflip/params.ts';
import { buildResearchBars } from '../../research/shockflip/research-bars.ts';
import { studyFromBars, type ShockflipStudy } from '../../research/shockflip/study.ts';
import { generateSyntheticTicks, type PlantedEvent } from '../../research/shockflip/synthetic-ticks.ts';
import type { TradeColumns } from '../../research/shockflip/trade-columns.ts';
import { loadTrades } from '../../research/shockflip/trade-files.ts';
import { guarded, UsageError } from '../cli-errors.ts';
import { progress } from '../progress.ts';

export const DEFAULT_SHOCKFLIP_CONFIG = 'config/strategies_shockflip_only.yaml';

export interface ShockflipCommandOptions {
  /** trade files and/or directories */
  trades?: string[];
  /** seed of the synthetic generator (instead of --trades) */
  synthetic?: string;
  config?: string;
  out: string;
}

export interface ShockflipInputs {
  config: ShockflipConfig;
  trades: TradeColumns;
  source: string;
  /** warnings for the user: skipped files, reordered trades */
  notes: string[];
  /** set for synthetic input: what was planted */
  planted?: PlantedEvent[];
}

// The schema's output must be usable wherever research/ asks for its own ShockflipParams shape; this
// line fails to compile if the two drift apart.
const asParams = (c: ShockflipConfig): ShockflipParams => c;

export async function loadShockflipInputs(o: ShockflipCommandOptions, showProgress: boolean): Promise<ShockflipInputs> {
  const hasTrades = o.trades !== undefined && o.trades.length > 0;
  if (hasTrades === (o.synthetic !== undefined)) throw new UsageError('give either --trades FILE|DIR … or --synthetic SEED');
  const config = loadShockflipConfig(o.config ?? DEFAULT_SHOCKFLIP_CONFIG);
  if (o.synthetic !== undefined) {
    const seed = Number(o.synthetic);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--synthetic must be an integer seed >= 0, got "${o.synthetic}"`);
    const g = generateSyntheticTicks({ seed, barMs: config.shock_flip.bars.bar_ms, snapHorizonBars: config.event_study.snap_horizon_bars });
    return { config, trades: g.trades, source: `synthetic seed ${seed}`, notes: [], planted: g.planted };
  }
  const files = o.trades!;
  const bar = showProgress ? progress(files.length, 'reading') : null;
  const loaded = await loadTrades(files, (f) => bar?.tick(f));
  bar?.stop();
  const notes = loaded.skipped.map((s) => `skipped ${s.file}: ${s.reason}`);
  if (loaded.reordered > 0) notes.push(`${loaded.reordered} trades were out of time order and were sorted into place`);
  return { config, trades: loaded.trades, source: loaded.files.map((f) => f.file).join(', '), notes };
}

function study(inputs: ShockflipInputs): ShockflipStudy {
  const p = asParams(inputs.config);
  const bars = buildResearchBars(inputs.trades, { barMs: p.shock_flip.bars.bar_ms, source: inputs.source });
  return studyFromBars(bars, p);
}

async function writePlanted(outDir: string, planted: readonly PlantedEvent[] | undefined): Promise<void> {
  if (planted === undefined) return;
  await mkdir(outDir, { recursive: true });
  const rows = planted.map((p) => [new Date(p.entryTs).toISOString(), p.side > 0 ? 'long' : 'short', p.diamond, p.snap, p.relVol]);
  await writeFile(join(outDir, 'planted_events.csv'), csvText(['entry_ts', 'side', 'diamond', 'snap', 'planned_rel_vol'], rows));
}

export async function divergenceMapCommand(o: ShockflipCommandOptions, showProgress = true): Promise<DivergenceMapResult> {
  const inputs = await loadShockflipInputs(o, showProgress);
  if (showProgress) for (const n of inputs.notes) console.error(`note: ${n}`);
  const outDir = resolve(o.out);
  const result = await runDivergenceMap({ trades: inputs.trades, params: inputs.config, outDir, source: inputs.source, study: study(inputs) });
  await writePlanted(outDir, inputs.planted);
  return result;
}

export async function diamondHunterCommand(o: ShockflipCommandOptions, showProgress = true): Promise<DiamondHunterResult> {
  const inputs = await loadShockflipInputs(o, showProgress);
  if (showProgress) for (const n of inputs.notes) console.error(`note: ${n}`);
  const outDir = resolve(o.out);
  const result = await runDiamondHunter({ trades: inputs.trades, params: inputs.config, outDir, source: inputs.source, study: study(inputs) });
  await writePlanted(outDir, inputs.planted);
  return result;
}

const pct = (x: unknown): string => (typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a');

function commonOptions(cmd: Command): Command {
  return cmd
    .option('--trades <paths...>', 'trade files or a directory: .parquet, .json[.gz] (freqtrade rows, ccxt dicts, Binance trades), .jsonl, .csv[.gz] (with header, or Binance public trades/aggTrades), Binance websocket capture .gz')
    .option('--synthetic <seed>', 'use the seeded synthetic tick generator (planted ShockFlip events) instead of --trades')
    .option('--config <file>', 'ShockFlip research config', DEFAULT_SHOCKFLIP_CONFIG)
    .requiredOption('--out <dir>', 'folder for the results');
}

/** Adds `divergence-map` and `diamond-hunter` to the `research` command. */
export function registerShockflipCommands(research: Command): void {
  commonOptions(research.command('divergence-map'))
    .description('divergence episodes by intensity × duration and how they resolve: events_FULL.csv, heatmap_report.csv')
    .action(
      guarded(async (o: ShockflipCommandOptions) => {
        const r = await divergenceMapCommand(o);
        const s = r.summary;
        console.log(`divergence episodes: ${String(s.divergence_events)} (reversion ${pct(s.p_reversion)}, breakout ${pct(s.p_breakout)}, churn ${pct(s.p_churn)})`);
        console.log(`cells with N >= ${String(s.min_events_per_cell)}: ${String(s.cells_meeting_min_n)} of ${r.heatmap.length}`);
        for (const f of r.files) console.log(`wrote ${f}`);
      }),
    );
  commonOptions(research.command('diamond-hunter'))
    .description('ShockFlip events, snap rate by rel_vol decile, the physics check with bootstrap CIs: events_annotated.csv, diamond_candidates.csv, bootstrap_snap_ci.json')
    .action(
      guarded(async (o: ShockflipCommandOptions) => {
        const r = await diamondHunterCommand(o);
        const b = r.bootstrap;
        console.log(`ShockFlip events: ${r.events.length}; baseline snap rate ${pct(b.baseline_snap_rate)} [${pct(b.baseline_CI_lower)}, ${pct(b.baseline_CI_upper)}]`);
        console.log(`diamond (rel_vol >= ${String(b.diamond_threshold)}, ${String(b.threshold_source)}): n = ${String(b.diamond_n)}, snap rate ${pct(b.diamond_snap_rate)} [${pct(b.diamond_CI_lower)}, ${pct(b.diamond_CI_upper)}]`);
        console.log(`rel_vol percentiles: ${Object.entries(r.candidates.percentiles).map(([q, v]) => `p${q} = ${Number.isFinite(v) ? v.toFixed(4) : 'n/a'}`).join(', ')}`);
        console.log(`physics check: ${r.physics.verdict.toUpperCase()} — ${r.physics.reasons.join('; ')}`);
        for (const f of r.files) console.log(`wrote ${f}`);
      }),
    );
}
