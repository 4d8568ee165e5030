// Engine throughput: bars/s at 48 and 400 assets with every layer on (IRP, DC, alpha layers, ACB,
// OB provider, forewarner), against a plain scan of the same price columns measured in the same run.
// Each scenario runs in its own process so its peak RSS is its own. Writes bench/results-engine.json.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AlphaEngine } from '../engine/alpha-engine.ts';
import { CHAMPION, type EngineConfig } from '../engine/config.ts';
import type { DayFrame } from '../engine/types.ts';
import { SyntheticObProvider } from '../market/ob-synthetic.ts';
import { generateDays } from '../market/synthetic.ts';

interface Scenario {
  assets: number;
  days: number;
}

interface Figures {
  assets: number;
  bars: number;
  trades: number;
  scanBarsPerSec: number;
  legacyBarsPerSec: number;
  allLayersBarsPerSec: number;
  allLayersVsScan: number;
  peakRssMb: number;
  framesMb: number;
}

const SCENARIOS: Scenario[] = [
  { assets: 48, days: 30 },
  { assets: 400, days: 6 },
];
const REPEATS = 5;

/** The floor: touch every price cell once, as the bar loop must. */
function scan(frames: DayFrame[]): number {
  let s = 0;
  for (const f of frames) for (let r = 0; r < f.rows; r++) for (let a = 0; a < f.assets.length; a++) s += f.prices[a][r] > 0 ? 1 : 0;
  return s;
}

function runEngine(frames: DayFrame[], cfg: EngineConfig, allLayers: boolean): number {
  const engine = new AlphaEngine(cfg, 25_000, allLayers
    ? { ob: new SyntheticObProvider({ seed: 1 }), forewarner: () => ({ catastrophicProbability: 0.05, envelopeScore: 0.5 }) }
    : {});
  frames.forEach((f, i) => engine.processDay(f, 'APEX', { boost: 1 + 0.1 * (i % 4), beta: i % 2 ? 0.8 : 0.2 }));
  return engine.trades.length;
}

/** Best of REPEATS, in bars per second. */
function measure(bars: number, fn: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return bars / best;
}

function child(s: Scenario): Figures {
  const frames = generateDays({ seed: 11, startDate: '2026-01-01', days: s.days, assets: s.assets });
  const bars = frames.reduce((n, f) => n + f.rows, 0);
  const scanRate = measure(bars, () => scan(frames));
  const legacy = measure(bars, () => runEngine(frames, CHAMPION, false));
  const all = measure(bars, () => runEngine(frames, CHAMPION, true));
  return {
    assets: s.assets,
    bars,
    trades: runEngine(frames, CHAMPION, true),
    scanBarsPerSec: Math.round(scanRate),
    legacyBarsPerSec: Math.round(legacy),
    allLayersBarsPerSec: Math.round(all),
    allLayersVsScan: all / scanRate,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    framesMb: (bars * s.assets * 8) / 2 ** 20,
  };
}

function parent(): void {
  const self = fileURLToPath(import.meta.url);
  const results: Figures[] = SCENARIOS.map((s) => {
    const out = execFileSync(process.execPath, ['--import=tsx', self, '--child', String(s.assets), String(s.days)], { encoding: 'utf8' });
    return JSON.parse(out) as Figures;
  });
  const goal: Record<number, number> = { 48: 1_000_000, 400: 100_000 };
  console.log('assets   bars      scan bars/s   legacy bars/s   all layers bars/s   goal        peak RSS');
  for (const r of results) {
    console.log(
      `${String(r.assets).padStart(6)} ${String(r.bars).padStart(7)} ${r.scanBarsPerSec.toLocaleString('en').padStart(13)} ${r.legacyBarsPerSec.toLocaleString('en').padStart(15)} ${r.allLayersBarsPerSec.toLocaleString('en').padStart(19)}   ${(goal[r.assets] ?? 0).toLocaleString('en').padStart(9)}   ${r.peakRssMb.toFixed(0)} MB`,
    );
  }
  const file = fileURLToPath(new URL('./results-engine.json', import.meta.url));
  writeFileSync(file, `${JSON.stringify({ bench: 'engine', node: process.version, repeats: REPEATS, results }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

const i = process.argv.indexOf('--child');
if (i >= 0) process.stdout.write(JSON.stringify(child({ assets: Number(process.argv[i + 1]), days: Number(process.argv[i + 2]) })));
else parent();
