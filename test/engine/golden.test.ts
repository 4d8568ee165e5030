// Golden fidelity: the engine on the three synthetic days of ../shared/golden/engine-synth-3d must
// reproduce the independent implementation's trades one for one (asset, bars, exit reason exactly;
// money figures within 1e-9 relative), its day results and its summary.
// A fresh clone has no ../shared: the tests are then skipped (see the log line below).
import test, { type ExecutionContext } from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finiteMedian, percentile } from '../../engine/acb.ts';
import { CHAMPION } from '../../engine/config.ts';
import { planAcb, runDays, type RunPlan } from '../../engine/run.ts';
import type { DayFrame, ExternalFactors, OpenPositionRecord, Posture, RunResult, TradeRecord } from '../../engine/types.ts';
import { readDayFile } from '../../market/day-file.ts';
import { readFactors } from '../../market/factors.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GOLDEN = join(resolve(repoRoot, '..', 'shared'), 'golden', 'engine-synth-3d');
const has = existsSync(join(GOLDEN, 'expected', 'trades.jsonl'));
// Skipped with the reason in the title when the golden directory is absent.
const gtest = (title: string, fn: (t: ExecutionContext) => Promise<void>): void =>
  has ? test(title, fn) : test.skip(`${title} [skipped: ${GOLDEN} is absent — fresh clone without ../shared]`, fn);

type Json = Record<string, unknown>;
const REL = 1e-9;

interface Loaded {
  result: RunResult;
  plan: RunPlan;
  expectedTrades: Json[];
  expectedDays: Json[];
  expectedSummary: Json;
}

let loaded: Promise<Loaded> | null = null;
function load(): Promise<Loaded> {
  loaded ??= (async () => {
    const dayFiles = readdirSync(join(GOLDEN, 'days')).filter((f) => f.endsWith('.csv')).sort();
    const frames: DayFrame[] = [];
    for (const f of dayFiles) frames.push(await readDayFile(join(GOLDEN, 'days', f)));
    const factors = await readFactors(join(GOLDEN, 'factors.csv'));
    const plan: RunPlan = {
      dates: frames.map((f) => f.date),
      w750ByDate: new Map(frames.map((f) => [f.date, finiteMedian(f.v750)])),
      factorsByDate: new Map<string, ExternalFactors>([...factors].map(([d, x]) => [d, x.factors])),
      postureByDate: new Map<string, Posture>([...factors].map(([d, x]) => [d, x.posture])),
      capital: 25_000,
    };
    const result = await runDays(frames, plan, CHAMPION);
    const jsonl = (name: string) =>
      readFileSync(join(GOLDEN, 'expected', name), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Json);
    return {
      result,
      plan,
      expectedTrades: jsonl('trades.jsonl'),
      expectedDays: jsonl('days.jsonl'),
      expectedSummary: JSON.parse(readFileSync(join(GOLDEN, 'expected', 'summary.json'), 'utf8')) as Json,
    };
  })();
  return loaded;
}

/** Collects "where: expected X, got Y" lines instead of stopping at the first difference. */
class Diff {
  readonly lines: string[] = [];
  exact(where: string, actual: unknown, expected: unknown): void {
    if (actual !== expected) this.lines.push(`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  close(where: string, actual: number | null, expected: unknown): void {
    if (expected === null || actual === null) return this.exact(where, actual, expected);
    const e = expected as number;
    const ok = actual === e || Math.abs(actual - e) <= REL * Math.max(Math.abs(actual), Math.abs(e));
    if (!ok) this.lines.push(`${where}: expected ${e}, got ${actual} (rel ${Math.abs(actual - e) / Math.abs(e)})`);
  }
}

const DIRECTION = { SHORT: -1, LONG: 1 } as const;

function compareTrade(d: Diff, i: number, a: TradeRecord, e: Json): void {
  const w = (k: string) => `trade ${i} (${String(e.asset)} ${String(e.entry_bar)}→${String(e.exit_bar)}) ${k}`;
  d.exact(w('asset'), a.asset, e.asset);
  d.exact(w('entry_bar'), a.entryBar, e.entry_bar);
  d.exact(w('exit_bar'), a.exitBar, e.exit_bar);
  d.exact(w('exit_reason'), a.exitReason, e.exit_reason);
  d.exact(w('date'), a.date, e.date);
  d.exact(w('entry_date'), a.entryDate, e.entry_date);
  d.exact(w('entry_ts'), a.entryTs, e.entry_ts);
  d.exact(w('exit_ts'), a.exitTs, e.exit_ts);
  d.exact(w('direction'), a.direction, DIRECTION[e.direction as keyof typeof DIRECTION]);
  d.exact(w('bars_held'), a.barsHeld, e.bars_held);
  d.exact(w('bucket'), a.entry.bucket, e.bucket);
  d.exact(w('dc'), a.entry.dc, e.dc);
  d.exact(w('posture_at_entry'), a.entry.posture, e.posture_at_entry);
  const money: Array<[string, number | null]> = [
    ['entry_price', a.entryPrice],
    ['exit_price', a.exitPrice],
    ['exit_trigger_price', a.exitTriggerPrice],
    ['leverage', a.leverage],
    ['notional', a.notional],
    ['fraction', a.fraction],
    ['pnl_pct_price', a.pnlPctPrice],
    ['pnl_pct_raw', a.pnlPctRaw],
    ['rng_entry_draw', a.rngEntryDraw],
    ['rng_exit_draw', a.rngExitDraw],
    ['rng_ob_draw', a.rngObDraw],
    ['entry_fee', a.entryFee],
    ['exit_fee', a.exitFee],
    ['gross_pnl', a.grossPnl],
    ['net_pnl', a.netPnl],
    ['capital_after', a.capitalAfter],
    ['capital_at_entry', a.entry.capitalAtEntry],
    ['vel_div_entry', a.entry.velDiv],
    ['vel_div_trend', a.entry.velDivTrend],
    ['bucket_boost', a.entry.bucketBoost],
    ['streak_mult', a.entry.streakMult],
    ['trend_mult', a.entry.trendMult],
    ['strength_score', a.entry.strengthScore],
    ['size_leverage', a.entry.sizeLeverage],
    ['regime_size_mult', a.entry.regimeSizeMult],
    ['clamped_max_leverage', a.entry.clampedMaxLeverage],
    ['raw_leverage', a.entry.rawLeverage],
    ['signal_confidence', a.entry.signalConfidence],
    ['ars', a.entry.ars],
    ['irp_alignment', a.entry.irpAlignment],
  ];
  for (const [k, v] of money) d.close(w(k), v, e[k]);
}

gtest('golden: the same trades one for one — asset, entry/exit bar and exit reason exactly', async (t) => {
  const { result, expectedTrades } = await load();
  t.is(result.trades.length, expectedTrades.length, 'number of closed trades');
  const key = (x: { asset: unknown; entry: unknown; exit: unknown; reason: unknown }) => `${String(x.asset)} ${String(x.entry)}→${String(x.exit)} ${String(x.reason)}`;
  t.deepEqual(
    result.trades.map((x) => key({ asset: x.asset, entry: x.entryBar, exit: x.exitBar, reason: x.exitReason })),
    expectedTrades.map((e) => key({ asset: e.asset, entry: e.entry_bar, exit: e.exit_bar, reason: e.exit_reason })),
  );
});

gtest('golden: every trade\'s money figures and entry diagnostics match within 1e-9 relative', async (t) => {
  const { result, expectedTrades } = await load();
  const d = new Diff();
  const n = Math.min(result.trades.length, expectedTrades.length);
  for (let i = 0; i < n; i++) compareTrade(d, i, result.trades[i], expectedTrades[i]);
  t.true(n > 0);
  t.deepEqual(d.lines.slice(0, 20), [], `${d.lines.length} differences; the first ones are shown`);
});

gtest('golden: the same day results (pnl, capital, ACB boost/beta/signals, w750 and its threshold)', async (t) => {
  const { result, expectedDays, plan } = await load();
  t.is(result.days.length, expectedDays.length);
  const acb = planAcb(plan, CHAMPION)!;
  const threshold = percentile([...plan.dates].map((x) => plan.w750ByDate.get(x)!), CHAMPION.acb.w750_threshold_pct);
  const d = new Diff();
  result.days.forEach((a, i) => {
    const e = expectedDays[i];
    const w = (k: string) => `day ${String(e.date)} ${k}`;
    d.exact(w('date'), a.date, e.date);
    d.exact(w('mc_status'), a.mcStatus, e.mc_status);
    d.exact(w('posture'), a.posture, e.posture);
    d.exact(w('trades'), a.trades, e.trades);
    d.close(w('pnl'), a.pnl, e.pnl);
    d.close(w('capital'), a.capital, e.capital);
    d.close(w('boost'), a.boost, e.boost);
    d.close(w('beta'), a.beta, e.beta);
    d.close(w('signals'), a.signals, e.signals);
    d.close(w('w750_vel'), acb.get(a.date)!.w750, e.w750_vel);
    d.close(w('w750_threshold'), threshold, e.w750_threshold);
  });
  t.deepEqual(d.lines, []);
});

gtest('golden: the same summary (roi, profit factor, Sharpe, max drawdown, win rate, exit reasons, bars)', async (t) => {
  const { result, expectedSummary: e } = await load();
  const s = result.summary;
  const d = new Diff();
  d.close('initial_capital', s.initialCapital, e.initial_capital);
  d.close('final_capital', s.finalCapital, e.final_capital);
  d.close('roi', s.roi, e.roi);
  d.close('profit_factor', s.profitFactor, e.profit_factor);
  d.close('sharpe', s.sharpe, e.sharpe);
  d.close('max_drawdown', s.maxDrawdown, e.max_drawdown);
  d.close('win_rate', s.winRate, e.win_rate);
  d.exact('trades', s.trades, e.trades);
  d.exact('bars', s.bars, e.bars);
  t.deepEqual(d.lines, []);
  t.deepEqual(s.exitReasons, e.exit_reasons);
});

gtest('golden: the position still open at the end is the same and is not among the trades', async (t) => {
  const { result, expectedSummary } = await load();
  const e = expectedSummary.open_position as Json | null;
  const a: OpenPositionRecord | null = result.openPosition;
  if (e === null || e === undefined) {
    t.is(a, null);
    return;
  }
  t.not(a, null);
  const d = new Diff();
  d.exact('trade_id', a!.tradeId, e.trade_id);
  d.exact('asset', a!.asset, e.asset);
  d.exact('direction', a!.direction, e.direction);
  d.exact('entry_bar', a!.entryBar, e.entry_bar);
  d.exact('entry_date', a!.entryDate, e.entry_date);
  d.exact('entry_ts', a!.entryTs, e.entry_ts);
  d.exact('bucket', a!.entry.bucket, e.bucket);
  d.exact('dc', a!.entry.dc, e.dc);
  d.exact('posture', a!.entry.posture, e.posture);
  const nums: Array<[string, number]> = [
    ['entry_price', a!.entryPrice],
    ['notional', a!.notional],
    ['leverage', a!.leverage],
    ['fraction', a!.fraction],
    ['capital_at_entry', a!.entry.capitalAtEntry],
    ['vel_div', a!.entry.velDiv],
    ['vel_div_trend', a!.entry.velDivTrend],
    ['bucket_boost', a!.entry.bucketBoost],
    ['streak_mult', a!.entry.streakMult],
    ['trend_mult', a!.entry.trendMult],
    ['strength_score', a!.entry.strengthScore],
    ['size_leverage', a!.entry.sizeLeverage],
    ['regime_size_mult', a!.entry.regimeSizeMult],
    ['clamped_max_leverage', a!.entry.clampedMaxLeverage],
    ['raw_leverage', a!.entry.rawLeverage],
    ['signal_confidence', a!.entry.signalConfidence],
    ['ars', a!.entry.ars],
    ['irp_alignment', a!.entry.irpAlignment],
  ];
  for (const [k, v] of nums) d.close(`open_position ${k}`, v, e[k]);
  t.deepEqual(d.lines, []);
  t.false(result.trades.some((x) => x.entryBar === a!.entryBar));
});
