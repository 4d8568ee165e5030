import test from 'ava';
import { CHAMPION } from '../../engine/config.ts';
import { mcScale, mcStatus, type McConfig } from '../../engine/forewarner.ts';
import type { ForewarnerReport } from '../../engine/types.ts';
import { falling, makeDays, runFrames } from '../helpers/frames.ts';

const FW = CHAMPION.forewarner;
const r = (catastrophicProbability: number, envelopeScore: number): ForewarnerReport => ({ catastrophicProbability, envelopeScore });

test('§12 RED: catastrophic probability > 0.25 or envelope score < −1.0', (t) => {
  t.is(mcStatus(r(0.2501, 1), FW), 'RED');
  t.is(mcStatus(r(0, -1.0001), FW), 'RED');
  t.is(mcStatus(r(0.25, -1.0), FW), 'ORANGE'); // both exactly at the RED bounds: not RED
});

test('§12 ORANGE: not RED and (envelope < 0 or catastrophic probability > 0.10)', (t) => {
  t.is(mcStatus(r(0.1001, 0.5), FW), 'ORANGE');
  t.is(mcStatus(r(0, -0.0001), FW), 'ORANGE');
  t.is(mcStatus(r(0.1, 0), FW), 'OK'); // both exactly at the ORANGE bounds
  t.is(mcStatus(r(0, 2), FW), 'OK');
});

test('§12 day_mc_scale is 0.5 on ORANGE, 1.0 otherwise', (t) => {
  t.deepEqual([mcScale('OK', FW), mcScale('ORANGE', FW), mcScale('RED', FW)], [1.0, 0.5, 1.0]);
});

// Engine: one asset falling 1 bp/bar, vel_div −0.06 throughout, 300-row days. Without a halt the
// trades are (entry, exit): (100,196) (197,293) (294,390) (400,496) (497,593) (594,690) (700,796) (797,893).
const frames = makeDays({ days: 3, rows: 300, assets: ['FALLUSDT'], price: (_a, g) => falling(g), velDiv: () => -0.06 });

test('§12 RED halts entries for the whole day; the carried position still exits; entries resume next day', (t) => {
  const status: Record<string, ForewarnerReport> = { '2026-01-02': r(0.5, 0) };
  const { trades, days } = runFrames(frames, { providers: { forewarner: (date) => status[date] ?? r(0, 1) } });
  t.deepEqual(days.map((d) => d.mcStatus), ['OK', 'RED', 'OK']);
  t.deepEqual(
    trades.map((x) => [x.entryBar, x.exitBar, x.exitReason]),
    [
      [100, 196, 'FIXED_TP'],
      [197, 293, 'FIXED_TP'],
      [294, 390, 'FIXED_TP'], // opened on day 0, exits normally on the RED day
      [700, 796, 'FIXED_TP'],
      [797, 893, 'FIXED_TP'], // then 894 opens and stays open
    ],
  );
  t.is(days[1].trades, 1);
});

test('§12 the forewarner is asked once per day with max_leverage = 5.0 · day base boost', (t) => {
  const calls: Array<[string, number]> = [];
  const forewarner = (date: string, cfg: McConfig) => (calls.push([date, cfg.max_leverage]), r(0, 1));
  runFrames(frames, {
    providers: { forewarner },
    plan: [{ acb: { boost: 1.3, beta: 0 } }, { acb: null }, { acb: { boost: 1.5, beta: 0.8 } }],
  });
  t.deepEqual(calls, [
    ['2026-01-01', 6.5],
    ['2026-01-02', 5.0],
    ['2026-01-03', 7.5],
  ]);
});

test('§12 ORANGE halves the regime size multiplier: ceiling 5·0.5 = 2.5 caps leverage at 2.5', (t) => {
  // no ACB: rsm = 1.0 · 0.5 = 0.5; raw = 5.0 · 0.5 = 2.5; ceiling = min(5 · 0.5, 6) = 2.5
  const { trades, days } = runFrames(frames.slice(0, 1), { providers: { forewarner: () => r(0.15, 0) } });
  t.is(days[0].mcStatus, 'ORANGE');
  t.true(trades.length > 0);
  for (const x of trades) {
    t.is(x.entry.regimeSizeMult, 0.5);
    t.is(x.leverage, 2.5);
  }
});
