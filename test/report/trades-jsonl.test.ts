import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRADES_CSV_COLUMNS } from '../../report/trades-csv.ts';
import { tradesJsonl, writeTradesJsonl } from '../../report/write-results.ts';
import { smallRun } from './fixtures.ts';

// Key order of /work/shared/golden/engine-synth-3d/expected/trades.jsonl.
const GOLDEN_KEYS = [
  'date', 'entry_date', 'entry_bar', 'exit_bar', 'entry_ts', 'exit_ts', 'asset', 'direction', 'entry_price',
  'exit_price', 'exit_trigger_price', 'leverage', 'notional', 'fraction', 'exit_reason', 'bars_held',
  'pnl_pct_price', 'pnl_pct_raw', 'rng_entry_draw', 'rng_exit_draw', 'rng_ob_draw', 'entry_fee', 'exit_fee',
  'gross_pnl', 'net_pnl', 'capital_after', 'capital_at_entry', 'vel_div_entry', 'vel_div_trend', 'bucket',
  'bucket_boost', 'streak_mult', 'trend_mult', 'strength_score', 'size_leverage', 'regime_size_mult',
  'clamped_max_leverage', 'raw_leverage', 'dc', 'signal_confidence', 'ars', 'irp_alignment', 'posture_at_entry',
];

test('trades.jsonl uses the golden key names and order, plus trade_id and market_ob_mult', (t) => {
  const run = smallRun();
  const lines = tradesJsonl(run.trades).split('\n');
  t.is(lines.pop(), '');
  t.is(lines.length, run.trades.length);
  const first = JSON.parse(lines[0]);
  const keys = Object.keys(first);
  t.deepEqual(
    keys.filter((k) => k !== 'trade_id' && k !== 'market_ob_mult'),
    GOLDEN_KEYS,
  );
  t.is(keys[0], 'trade_id');
  t.is(keys[keys.indexOf('regime_size_mult') + 1], 'market_ob_mult');
  t.is(first.direction, 'SHORT');
  t.is(first.exit_ts, null);
  t.is(first.net_pnl, run.trades[0].netPnl);
});

test('trades.csv and trades.jsonl carry the same fields', (t) => {
  const keys = Object.keys(JSON.parse(tradesJsonl(smallRun().trades).split('\n')[0]));
  t.deepEqual([...TRADES_CSV_COLUMNS].sort(), [...keys].sort());
});

test('writeTradesJsonl writes trades.jsonl into the folder', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'dolphin-jsonl-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'out');
  const run = smallRun();
  const path = await writeTradesJsonl(dir, run.trades);
  t.is(path, join(dir, 'trades.jsonl'));
  t.is(readFileSync(path, 'utf8'), tradesJsonl(run.trades));
});
