import test from 'ava';
import { zombieOptions, ShockflipOptionError } from '../../../research/shockflip/zombie-options.ts';
import { MONTH_MS } from '../../../research/shockflip/stats-months.ts';
import { pfImprovement, profitFactor, runZombie } from '../../../research/shockflip/zombie.ts';
import { barsOf, ev, flat, T0 } from './zombie-fixtures.ts';

test('profit factor: gains over losses, with the edge cases spelled out', (t) => {
  t.is(profitFactor([0.02, -0.01, 0.03, -0.01]), 2.5);
  t.is(profitFactor([0.01]), Infinity);
  t.true(Number.isNaN(profitFactor([])));
  t.true(Number.isNaN(profitFactor([0, 0])));
  t.is(profitFactor([-0.01]), 0);
  t.is(pfImprovement(1.2, Infinity), Infinity);
  t.is(pfImprovement(Infinity, Infinity), 0);
});

// Four diamond trades over exactly one month of bars: two zombies that drift to −0.8 ATR and stop out
// at −1 ATR without the rule, two winners at +2 ATR. Baseline PF 4/2 = 2; with the bar-3 zombie exit
// the losers leave at −0.2 ATR: PF 4/0.4 = 10.
function fourTrades(): { bars: ReturnType<typeof barsOf>; events: ReturnType<typeof ev>[] } {
  const rows: [number, number, number, number][] = [];
  const loser = [flat(100), flat(99.9), flat(99.85), flat(99.8), flat(99.5), [99.5, 99.5, 98.9, 99]] as [number, number, number, number][];
  const winner = [flat(100), flat(100.6), flat(101), [101, 102, 101, 102]] as [number, number, number, number][];
  const starts: number[] = [];
  for (const seg of [loser, winner, loser, winner]) {
    starts.push(rows.length);
    rows.push(...seg, flat(100), flat(100));
  }
  const step = MONTH_MS / (rows.length - 1);
  const bars = barsOf(rows, T0, step);
  return { bars, events: starts.map((s) => ({ ...ev(s, 1), ts: T0 + s * step })) };
}

const small = {
  long: { tpMult: 2, slMult: 1 },
  cooldownBars: 0,
  zombie: { bar: 3, mode: 'exit' as const },
  verdict: { minTradesPerMonth: 4 },
};

test('Step 2 passes when the zombie exit lifts PF by ≥ 0.15 at ≥ the trades/month floor', (t) => {
  const { bars, events } = fourTrades();
  const r = runZombie(bars, events, small);
  t.true(Math.abs(r.months - 1) < 1e-12);
  const [base, zombie] = r.runs;
  t.is(base.stats.trades, 4);
  t.deepEqual(base.stats.exitReasons, { sl: 2, tp: 2 });
  t.true(Math.abs(base.stats.profitFactor - 2) < 1e-9);
  t.deepEqual(zombie.stats.exitReasons, { zombie: 2, tp: 2 });
  t.true(Math.abs(zombie.stats.profitFactor - 10) < 1e-6);
  t.true(r.verdict.passed);
  t.deepEqual(r.verdict.reasons, []);
  t.true(Math.abs(r.verdict.tradesPerMonth - 4) < 1e-9);
  t.deepEqual(zombie.stats.byMonth, [{ month: '2024-01', trades: 4 }]);
});

test('Step 2 fails, naming each unmet criterion', (t) => {
  const { bars, events } = fourTrades();
  const r = runZombie(bars, events, { ...small, verdict: { minTradesPerMonth: 20, minPfImprovement: 100 } });
  t.false(r.verdict.passed);
  t.is(r.verdict.reasons.length, 2);
  t.regex(r.verdict.reasons[0], /PF improvement/);
  t.regex(r.verdict.reasons[1], /trades\/month is below the floor of 20/);
});

test('options: defaults are the blueprint values; bad values are refused', (t) => {
  const d = zombieOptions();
  t.deepEqual([d.long, d.short, d.cooldownBars, d.relVolThreshold], [{ tpMult: 27.5, slMult: 9 }, { tpMult: 15, slMult: 6.5 }, 10, 7.7379]);
  t.deepEqual([d.zombie.bar, d.zombie.mfeAtr, d.zombie.mode, d.partialTake.atrMult], [10, 0.5, 'breakeven', 0.5]);
  t.deepEqual([d.verdict.minPfImprovement, d.verdict.minTradesPerMonth], [0.15, 20]);
  t.throws(() => zombieOptions({ cooldownBars: -1 }), { instanceOf: ShockflipOptionError, message: /cooldownBars/ });
  t.throws(() => zombieOptions({ partialTake: { fraction: 1 } }), { instanceOf: ShockflipOptionError });
  t.throws(() => zombieOptions({ zombie: { bar: 0 } }), { instanceOf: ShockflipOptionError });
});
