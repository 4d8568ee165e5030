// The four CLI commands end to end on small files (--bars + --events, hourly bars via a config copy).
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsCsv, type EventRow } from '../../../research/shockflip/events.ts';
import { metaModelCommand, reportCommand, selectCommand, zombieCommand } from '../../../scripts/commands/research-shockflip-trade.ts';
import { UsageError } from '../../../scripts/cli-errors.ts';
import { lcg } from './meta-model-fixtures.ts';

const HOUR = 3_600_000;

function fixture(dir: string): { bars: string; events: string; config: string } {
  const rnd = lcg(9);
  const n = 24 * 150; // five months of hourly bars from 2024-01-01
  const lines = ['start,open,high,low,close'];
  const close: number[] = [];
  let p = 100;
  for (let i = 0; i < n; i++) {
    const o = p;
    p = Math.max(1, p * (1 + (rnd() - 0.5) * 0.01));
    close.push(p);
    lines.push(`${new Date(Date.UTC(2024, 0, 1) + i * HOUR).toISOString()},${o},${Math.max(o, p) * 1.002},${Math.min(o, p) * 0.998},${p}`);
  }
  const rows: EventRow[] = [];
  for (let i = 30; i < n - 20; i += 17) {
    rows.push({
      entry_ts: Date.UTC(2024, 0, 1) + (i + 1) * HOUR, side: rnd() < 0.5 ? 'long' : 'short', rel_vol: 2 + 10 * rnd(), flow_z: rnd() * 4 - 2,
      div_score: rnd(), z_velocity: rnd(), atr: close[i] * 0.004, did_snap: rnd() < 0.6 ? 1 : 0, mfe6_atr: rnd(), mfe10_atr: rnd(),
      entry_close: close[i], donchian_loc: rnd(), vwap_dist: rnd(), spread: rnd(), trade_concentration: rnd(), atr_pctile: rnd(), spread_z: rnd(),
    });
  }
  const bars = join(dir, 'bars.csv');
  const events = join(dir, 'events_annotated.csv');
  const config = join(dir, 'config.yaml');
  writeFileSync(bars, lines.join('\n') + '\n');
  writeFileSync(events, eventsCsv(rows));
  writeFileSync(config, readFileSync('config/strategies_shockflip_only.yaml', 'utf8').replace('bar_ms: 60000', 'bar_ms: 3600000'));
  return { bars, events, config };
}

test('zombie, select, meta-model and report run from a bars CSV and events_annotated.csv', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-trade-'));
  try {
    const f = fixture(dir);
    const out = join(dir, 'out');
    const common = { bars: f.bars, events: f.events, config: f.config, out };
    const z = await zombieCommand(common, false);
    t.is(z.report.runs.length, 3);
    t.true(z.report.runs[0].stats.trades > 0);
    t.deepEqual(z.files.map((p) => p.slice(out.length + 1)), ['zombie_trades.csv', 'zombie_summary.json']);
    t.regex(readFileSync(z.files[0], 'utf8'), /^run,entry_ts,exit_ts,side,diamond,/);

    const s = await selectCommand(common, false);
    t.deepEqual(s.report.oosMonths, ['2024-04', '2024-05']);
    t.is(JSON.parse(readFileSync(join(out, 'selection_summary.json'), 'utf8')).verdict.step, 3);

    // random snaps: Step 1 cannot pass at 85 %, so Step 4 refuses with exit code 2 (UsageError)
    const refused = await t.throwsAsync(metaModelCommand(common, false), { instanceOf: UsageError });
    t.regex(refused.message, /meta-model refused[\s\S]*Step 1 \(physics check\) did not pass/);

    // a passing Step 1 from bootstrap_snap_ci.json still leaves Steps 2–3 to pass
    const physics = join(dir, 'bootstrap_snap_ci.json');
    writeFileSync(physics, JSON.stringify({ verdict: 'pass', reasons: [], diamond_threshold: 7.7379 }));
    const again = await t.throwsAsync(metaModelCommand({ ...common, physics }, false), { instanceOf: UsageError });
    t.notRegex(again.message, /Step 1 \(/);

    const r = await reportCommand(common, false);
    t.regex(r.html, /<figure id="diamond-examples"/);
    t.regex(r.html, /meta-model refused/);
    t.true(r.files[0].endsWith('shockflip_report.html'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--bars without --events is a usage error', async (t) => {
  await t.throwsAsync(zombieCommand({ bars: 'x.csv', out: 'unused' }, false), { instanceOf: UsageError, message: /--bars goes with --events/ });
});
