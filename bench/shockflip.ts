// ShockFlip research speed (issue 6 item 10): trades/s building 1-minute research bars (goal ≥ 5 M/s),
// and the time of a 10 000-resample bootstrap of 1 000 events (goal < 100 ms); for context also the
// market/ BarBuilder on the same trades, the rest of the study (features, detector, events) and the
// synthetic generator. Best and median of several rounds; the first (cold, unoptimised) round is
// reported apart. Writes bench/shockflip.json.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadShockflipConfig } from '../config/shockflip-schema.ts';
import { buildBars } from '../market/bar-builder.ts';
import { bootstrapMean } from '../research/shockflip/bootstrap.ts';
import { buildResearchBars } from '../research/shockflip/research-bars.ts';
import { studyFromBars } from '../research/shockflip/study.ts';
import { generateSyntheticTicks } from '../research/shockflip/synthetic-ticks.ts';
import { concatColumns, tradesFromColumns, type TradeColumns } from '../research/shockflip/trade-columns.ts';

interface Timing {
  coldMs: number;
  bestMs: number;
  medianMs: number;
  rounds: number;
}

function time(rounds: number, fn: () => void): Timing {
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  const cold = ms[0];
  const warm = ms.slice(1).sort((a, b) => a - b);
  return { coldMs: round(cold), bestMs: round(warm[0]), medianMs: round(warm[Math.floor(warm.length / 2)]), rounds };
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** The synthetic trades repeated k times, each copy shifted past the previous one (time-ordered). */
function repeat(t: TradeColumns, k: number): TradeColumns {
  const span = t.ts[t.length - 1] - t.ts[0] + 60_000;
  const parts: TradeColumns[] = [];
  for (let i = 0; i < k; i++) parts.push({ ...t, ts: t.ts.map((x) => x + i * span) });
  return concatColumns(parts);
}

const cfg = loadShockflipConfig(fileURLToPath(new URL('../config/strategies_shockflip_only.yaml', import.meta.url)));
const barMs = cfg.shock_flip.bars.bar_ms;

let t0 = performance.now();
const gen = generateSyntheticTicks({ seed: 1 });
const genMs = performance.now() - t0;
const trades = repeat(gen.trades, 4);
console.log(`synthetic: ${gen.trades.length} trades in ${genMs.toFixed(0)} ms; bench set ${trades.length} trades (4 copies of 60 days)`);

const bars = time(8, () => void buildResearchBars(trades, { barMs }));
const barsPerSec = trades.length / (bars.bestMs / 1000);
const barsPerSecMedian = trades.length / (bars.medianMs / 1000);
console.log(`research bars: best ${bars.bestMs} ms, median ${bars.medianMs} ms → ${(barsPerSec / 1e6).toFixed(1)} M trades/s (median ${(barsPerSecMedian / 1e6).toFixed(1)} M/s; cold ${bars.coldMs} ms)`);

// the existing object-per-trade builder, for comparison (trade objects built outside the timing)
const small = gen.trades;
const objects = tradesFromColumns(small);
const market = time(4, () => void buildBars(objects, { barMs, emptyBars: 'fill' }));
const marketPerSec = small.length / (market.bestMs / 1000);
console.log(`market/bar-builder on the same kind of trades: ${(marketPerSec / 1e6).toFixed(1)} M trades/s`);

const b60 = buildResearchBars(small, { barMs });
const study = time(3, () => void studyFromBars(b60, cfg));
console.log(`features + detector + events over ${b60.length} bars: best ${study.bestMs} ms`);

const snaps = Array.from({ length: 1000 }, (_, i) => (i % 5 === 0 ? 0 : 1));
const pc = cfg.shock_flip.physics_check;
const boot = time(21, () => void bootstrapMean(snaps, pc.bootstrap_resamples, pc.bootstrap_seed, pc.ci_level));
console.log(`bootstrap ${pc.bootstrap_resamples} × 1000 events: cold ${boot.coldMs} ms, best ${boot.bestMs} ms, median ${boot.medianMs} ms`);

t0 = performance.now();
const result = {
  date: new Date().toISOString(),
  node: process.version,
  loadavg: loadavg().map((x) => round(x)),
  synthetic: { trades: gen.trades.length, ms: round(genMs) },
  researchBars: { trades: trades.length, ...bars, tradesPerSec: Math.round(barsPerSec), tradesPerSecMedian: Math.round(barsPerSecMedian), goal: 5_000_000, met: barsPerSecMedian >= 5_000_000 },
  marketBarBuilder: { trades: small.length, ...market, tradesPerSec: Math.round(marketPerSec) },
  study: { bars: b60.length, ...study },
  bootstrap: { events: 1000, resamples: pc.bootstrap_resamples, ...boot, goalMs: 100, met: boot.medianMs < 100 },
};
writeFileSync(fileURLToPath(new URL('./shockflip.json', import.meta.url)), JSON.stringify(result, null, 2) + '\n');
console.log('wrote bench/shockflip.json');
