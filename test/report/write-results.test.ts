import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../engine/types.ts';
import { DAILY_CSV_COLUMNS } from '../../report/daily-csv.ts';
import { TRADES_CSV_COLUMNS } from '../../report/trades-csv.ts';
import { writeResults } from '../../report/write-results.ts';
import { emptyRun, makeTrades, smallRun } from './fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'dolphin-report-'));
let n = 0;
const freshDir = () => join(root, `run-${++n}`, 'nested');
test.after.always(() => rmSync(root, { recursive: true, force: true }));

/** Minimal RFC 4180 reader: enough to check what csvCell wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  return rows;
}

function read(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

test('writes the four files into a new folder', async (t) => {
  const dir = freshDir();
  const { files } = await writeResults(dir, smallRun());
  t.deepEqual(files, ['summary.json', 'trades.csv', 'daily.csv', 'report.html'].map((f) => join(dir, f)));
  for (const f of files) t.true(existsSync(f));
  t.false(existsSync(join(dir, 'trades.jsonl')));
});

test('summary.json: snake_case summary, open position and inputs', async (t) => {
  const dir = freshDir();
  const run = smallRun();
  await writeResults(dir, run);
  const text = read(dir, 'summary.json');
  t.true(text.endsWith('}\n'));
  t.true(text.startsWith('{\n  "initial_capital": 25000,\n'));
  const s = JSON.parse(text);
  t.deepEqual(Object.keys(s), [
    'initial_capital',
    'final_capital',
    'roi',
    'profit_factor',
    'sharpe',
    'max_drawdown',
    'win_rate',
    'trades',
    'exit_reasons',
    'bars',
    'days',
    'open_position',
    'inputs',
  ]);
  t.is(s.final_capital, run.summary.finalCapital);
  t.is(s.profit_factor, run.summary.profitFactor);
  t.deepEqual(s.exit_reasons, { FIXED_TP: 2, MAX_HOLD: 1 });
  t.is(s.trades, 3);
  t.is(s.days, 2);
  t.deepEqual(s.inputs, run.inputs);
  // the golden summary.json's open_position keys, plus market_ob_mult
  t.deepEqual(Object.keys(s.open_position), [
    'trade_id', 'asset', 'direction', 'entry_price', 'entry_bar', 'entry_date', 'entry_ts', 'notional',
    'leverage', 'fraction', 'capital_at_entry', 'vel_div', 'vel_div_trend', 'bucket', 'bucket_boost',
    'streak_mult', 'trend_mult', 'strength_score', 'size_leverage', 'regime_size_mult', 'market_ob_mult',
    'clamped_max_leverage', 'raw_leverage', 'dc', 'signal_confidence', 'ars', 'irp_alignment', 'posture',
  ]);
  t.is(s.open_position.direction, -1);
  t.is(s.open_position.posture, 'STALKER');
  t.is(s.open_position.entry_price, 0.07573767687286367);
});

test('summary.json: an infinite profit factor is null with a note', async (t) => {
  const dir = freshDir();
  const run = smallRun();
  run.summary.profitFactor = Infinity;
  await writeResults(dir, run);
  const s = JSON.parse(read(dir, 'summary.json'));
  t.is(s.profit_factor, null);
  t.is(s.profit_factor_note, 'Infinity: no losing trades (gross loss is 0)');
  t.deepEqual(Object.keys(s).slice(3, 5), ['profit_factor', 'profit_factor_note']);
  t.false('sharpe_note' in s);
});

test('trades.csv: header, one row per trade, full precision, quoting, null as empty', async (t) => {
  const dir = freshDir();
  const run = smallRun();
  await writeResults(dir, run);
  const rows = parseCsv(read(dir, 'trades.csv'));
  t.deepEqual(rows[0], [...TRADES_CSV_COLUMNS]);
  t.is(rows.length, 1 + run.trades.length);
  t.true(rows.every((r) => r.length === TRADES_CSV_COLUMNS.length));
  const col = (name: string) => TRADES_CSV_COLUMNS.indexOf(name as (typeof TRADES_CSV_COLUMNS)[number]);
  const [first, second] = [rows[1], rows[2]];
  t.is(first[col('direction')], 'SHORT');
  t.is(Number(first[col('entry_price')]), run.trades[0].entryPrice);
  t.is(Number(first[col('capital_after')]), run.trades[0].capitalAfter);
  t.is(first[col('exit_ts')], '');
  t.is(first[col('posture_at_entry')], 'APEX');
  t.is(first[col('vel_div_entry')], String(run.trades[0].entry.velDiv));
  t.is(second[col('asset')], 'RNDR,"X"');
  t.is(read(dir, 'trades.csv').split('\n')[2].split(',')[7], '"RNDR');
});

test('daily.csv: header, one row per day, return on the start-of-day capital', async (t) => {
  const dir = freshDir();
  const run = smallRun();
  await writeResults(dir, run);
  const rows = parseCsv(read(dir, 'daily.csv'));
  t.deepEqual(rows[0], [...DAILY_CSV_COLUMNS]);
  t.deepEqual(rows[0], ['date', 'pnl', 'capital', 'boost', 'beta', 'mc_status', 'posture', 'trades', 'bars', 'signals', 'return']);
  t.is(rows.length, 3);
  const d = run.days[1];
  t.deepEqual(rows[2], [
    d.date,
    String(d.pnl),
    String(d.capital),
    String(d.boost),
    String(d.beta),
    'OK',
    'APEX',
    '1',
    '1440',
    '',
    String(d.pnl / (d.capital - d.pnl)),
  ]);
});

function assertOffline(t: import('ava').ExecutionContext, html: string): void {
  t.false(/<script\b/i.test(html), 'no script element');
  t.false(/<link\b/i.test(html), 'no link element');
  t.false(/@import|@font-face/i.test(html), 'no CSS import or web font');
  t.false(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i.test(html), 'no src/href to another host');
  t.false(/url\(\s*["']?\s*(?:https?:)?\/\//i.test(html), 'no CSS url() to another host');
  // the only URLs allowed are SVG namespace declarations
  const withoutNamespaces = html.replace(/\sxmlns(?::\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
  t.false(/https?:\/\//i.test(withoutNamespaces), 'no URL besides xmlns');
}

test('report.html: five inline SVG charts, tables, nothing fetched', async (t) => {
  const dir = freshDir();
  await writeResults(dir, smallRun());
  const html = read(dir, 'report.html');
  t.true(html.startsWith('<!DOCTYPE html>'));
  t.is(html.match(/<svg\b/g)?.length, 5);
  t.is(html.match(/<\/svg>/g)?.length, 5);
  for (const id of ['equity', 'drawdown', 'daily-pnl', 'pnl-histogram', 'exit-reasons']) t.true(html.includes(`id="${id}"`));
  t.true(html.includes('FTMUSDT'));
  t.true(html.includes('RNDR,&quot;X&quot;'));
  t.true(html.includes('ICPUSDT'), 'open position shown');
  t.true(html.includes('2026-01-01 to 2026-01-02'));
  assertOffline(t, html);
  // SVG ids are unique across the page (five charts must not share "clip1")
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  t.is(new Set(ids).size, ids.length);
});

test('report.html escapes what the run carries', async (t) => {
  const dir = freshDir();
  const run = smallRun();
  run.inputs = { note: '<script src="https://evil.example/x.js"></script>' };
  await writeResults(dir, run);
  const html = read(dir, 'report.html');
  t.false(/<script\b/i.test(html));
  t.true(html.includes('&lt;script src=&quot;https://evil.example/x.js&quot;&gt;'));
});

test('writing twice gives byte-identical files', async (t) => {
  const a = freshDir();
  const b = freshDir();
  const filesA = (await writeResults(a, smallRun(), { tradesJsonl: true })).files;
  const filesB = (await writeResults(b, smallRun(), { tradesJsonl: true })).files;
  t.is(filesA.length, 5);
  for (let i = 0; i < filesA.length; i++) {
    t.true(readFileSync(filesA[i]).equals(readFileSync(filesB[i])), filesA[i]);
  }
  // and over the same folder
  await writeResults(a, smallRun(), { tradesJsonl: true });
  t.true(readFileSync(join(a, 'report.html')).equals(readFileSync(join(b, 'report.html'))));
});

test('zero trades: files are written, charts carry a note', async (t) => {
  const dir = freshDir();
  await writeResults(dir, emptyRun(), { tradesJsonl: true });
  t.is(read(dir, 'trades.csv'), TRADES_CSV_COLUMNS.join(',') + '\n');
  t.is(read(dir, 'trades.jsonl'), '');
  t.is(parseCsv(read(dir, 'daily.csv')).length, 2);
  const s = JSON.parse(read(dir, 'summary.json'));
  t.is(s.trades, 0);
  t.is(s.open_position, null);
  t.deepEqual(s.exit_reasons, {});
  const html = read(dir, 'report.html');
  t.is(html.match(/<svg\b/g)?.length, 5);
  t.is(html.match(/>no trades<\/text>/g)?.length, 4);
  t.true(html.includes('Daily PnL'));
  assertOffline(t, html);
});

test('zero days and one trade on one day render too', async (t) => {
  const none: RunResult = { ...emptyRun(), days: [] };
  none.summary = { ...none.summary, days: 0, bars: 0 };
  await writeResults(freshDir(), none);

  const one = emptyRun();
  one.trades = makeTrades(
    [{ date: '2026-01-01', entryBar: 100, exitBar: 112, asset: 'FTMUSDT', netPnl: 12.5, exitReason: 'FIXED_TP' }],
    25000,
  );
  one.summary = { ...one.summary, trades: 1, exitReasons: { FIXED_TP: 1 }, profitFactor: Infinity };
  const dir = freshDir();
  await writeResults(dir, one);
  const html = read(dir, 'report.html');
  t.is(html.match(/<svg\b/g)?.length, 5);
  t.false(html.includes('>no trades</text>'));
  t.true(html.includes('<td>Infinity</td>'));
});
