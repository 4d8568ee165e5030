// The pipeline on the real XRP/ETH trades of ../shared/data (12,477 trades, 2.5 days): figures pinned
// as docs/shockflip-real-data.md reports them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDiamondHunter } from '../../../research/shockflip/diamond-hunter.ts';
import { runDivergenceMap } from '../../../research/shockflip/divergence-map.ts';
import { EVENT_COLUMNS } from '../../../research/shockflip/events.ts';
import { runShockflipStudy } from '../../../research/shockflip/study.ts';
import { loadTrades } from '../../../research/shockflip/trade-files.ts';
import { dataTest, shippedConfig, tempDir, xrpDir } from './shockflip-test-helpers.ts';

dataTest('XRP/ETH: 3,560 one-minute bars, and no ShockFlip event — the bounded imbalance never reaches |z| 2.2', async (t) => {
  const cfg = shippedConfig();
  const { trades } = await loadTrades([xrpDir]);
  const s = runShockflipStudy(trades, cfg);
  t.is(s.bars.length, 3560);
  t.is(Array.from(s.bars.trades).filter((n) => n === 0).length, 1091);
  let maxZ = 0;
  for (const z of s.features.flowZ) if (Math.abs(z) > maxZ) maxZ = Math.abs(z);
  t.true(maxZ < cfg.shock_flip.detector.jump_band, `max |flow_z| ${maxZ}`);
  t.is(s.signals.length, 0);

  const out = tempDir(t);
  const dm = await runDivergenceMap({ trades, params: cfg, outDir: join(out, 'dm'), study: s });
  t.is(dm.events.length, 54);
  t.is(readFileSync(join(out, 'dm', 'heatmap_report.csv'), 'utf8').split('\n')[0],
    'int_bin,dur_bin,total,p_reversion,p_breakout,p_churn,avg_mag_reversion,avg_mag_breakout,meets_min_n');
  const dh = await runDiamondHunter({ trades, params: cfg, outDir: join(out, 'dh'), study: s });
  t.is(dh.physics.verdict, 'inconclusive');
  t.true(readFileSync(join(out, 'dh', 'events_annotated.csv'), 'utf8').startsWith(EVENT_COLUMNS.join(',')));
  const ci = JSON.parse(readFileSync(join(out, 'dh', 'bootstrap_snap_ci.json'), 'utf8')) as Record<string, unknown>;
  t.is(ci.baseline_n, 0);
  t.is(ci.baseline_snap_rate, null);
});

dataTest('XRP/ETH with the delta flow source: shocks exist, but at the channel extreme of their own side', async (t) => {
  const cfg = shippedConfig();
  cfg.shock_flip.detector.source = 'delta';
  const { trades } = await loadTrades([xrpDir]);
  const s = runShockflipStudy(trades, cfg);
  const d = cfg.shock_flip.detector;
  let jumps = 0;
  for (const z of s.features.flowZ) if (Math.abs(z) >= d.jump_band) jumps++;
  t.is(jumps, 85);
  t.is(s.signals.length, 0);
  const loose = structuredClone(cfg);
  loose.shock_flip.detector.require_extreme = false;
  t.true(runShockflipStudy(trades, loose).signals.length > 0);
});
