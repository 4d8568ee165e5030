import test from 'ava';
import { binIndex, durationLabels, scanDivergences } from '../../../research/shockflip/divergence.ts';
import type { BarFeatures } from '../../../research/shockflip/features.ts';
import { buildHeatmap, HEATMAP_COLUMNS, heatmapCsv } from '../../../research/shockflip/heatmap.ts';
import type { DivergenceMapParams } from '../../../research/shockflip/params.ts';
import { makeBars, shippedConfig } from './shockflip-test-helpers.ts';

const dm = (over: Partial<DivergenceMapParams> = {}): DivergenceMapParams => ({ ...shippedConfig().shock_flip.divergence_map, ...over });

function feats(div: number[], atr = 1): BarFeatures {
  const n = div.length;
  const nan = (): Float64Array => new Float64Array(n).fill(NaN);
  return {
    length: n, imbalance: nan(), flowZ: nan(), relVol: nan(), trueRange: nan(), atr: new Float64Array(n).fill(atr), donchianLoc: nan(),
    vwapRoll: nan(), vwapDist: nan(), spread: nan(), tradeConcentration: nan(), zVelocity: nan(), divScore: Float64Array.from(div),
  };
}

test('bins: duration labels from edges, intensity by edges', (t) => {
  t.deepEqual(durationLabels([2, 4, 8]), ['0-1', '2-3', '4-7', '8+']);
  t.deepEqual(durationLabels([1, 3]), ['0', '1-2', '3+']);
  const edges = [1.5, 2, 3];
  t.deepEqual([1, 1.5, 1.99, 2, 3, 9].map((x) => binIndex(x, edges)), [0, 1, 1, 2, 3, 3]);
});

test('an episode is a same-sign run of |div| ≥ threshold, confirmed on the bar after it, resolved from that close', (t) => {
  // bars 2–4 divergent (+: flow buys, price fell); bar 5 confirms; price then rises 0.5 ATR at bar 7
  const div = [0, 0, 1.2, 2.5, 1.1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const close = div.map(() => 100);
  const high = close.map((c) => c + 0.25), low = close.map((c) => c - 0.25);
  high[7] = 100.5;
  high[9] = 101;
  const b = makeBars({ close, high, low });
  const r = scanDivergences(b, feats(div), dm());
  t.is(r.events.length, 1);
  const e = r.events[0];
  t.like(e, { startBar: 2, lastBar: 4, confirmBar: 5, direction: 1, intensity: 2.5, duration: 2, intBin: 'high', durBin: '2-3', outcome: 'reversion', barsToOutcome: 2, refClose: 100, atr: 1 });
  t.is(e.favAtr, 1);
  t.is(e.advAtr, 0.25);
});

test('breakout when the price first moves against the flow; tie in one bar follows `tie`; churn when neither', (t) => {
  const div = [0, -3.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const close = div.map(() => 50);
  const high = close.map((c) => c + 0.25), low = close.map((c) => c - 0.25);
  // direction −1 (flow sells while price rose): breakout = price goes on up
  high[4] = 50.5;
  low[6] = 49;
  const r = scanDivergences(makeBars({ close, high, low }), feats(div), dm());
  t.like(r.events[0], { direction: -1, intBin: 'xhigh', durBin: '0-1', outcome: 'breakout', barsToOutcome: 2 });

  const tieLow = low.slice();
  tieLow[4] = 49.5;
  for (const tie of ['breakout', 'reversion', 'churn'] as const) {
    const rt = scanDivergences(makeBars({ close, high, low: tieLow }), feats(div), dm({ tie }));
    t.is(rt.events[0].outcome, tie);
  }
  const flat = scanDivergences(makeBars({ close, high: close.map((c) => c + 0.25), low: close.map((c) => c - 0.25) }), feats(div), dm());
  t.is(flat.events[0].outcome, 'churn');
  t.true(Number.isNaN(flat.events[0].barsToOutcome));
});

test('a sign flip ends one episode and starts the next; episodes without a full horizon are dropped', (t) => {
  const div = [0, 1.5, -1.5, -1.6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.2];
  const close = div.map(() => 10);
  const r = scanDivergences(makeBars({ close }), feats(div), dm());
  t.deepEqual(r.events.map((e) => [e.startBar, e.lastBar, e.confirmBar, e.direction]), [[1, 1, 2, 1], [2, 3, 4, -1]]);
  t.is(r.droppedHorizon, 1);
});

test('heatmap: every cell in label order, shares sum to 1, N ≥ min flagged, blueprint columns', (t) => {
  t.deepEqual([...HEATMAP_COLUMNS].slice(0, 8), ['int_bin', 'dur_bin', 'total', 'p_reversion', 'p_breakout', 'p_churn', 'avg_mag_reversion', 'avg_mag_breakout']);
  const mk = (intBin: string, durBin: string, outcome: 'reversion' | 'breakout' | 'churn', fav: number, adv: number) => ({
    startBar: 0, lastBar: 0, confirmBar: 1, direction: 1 as const, intensity: 3, duration: 0, intBin, durBin, outcome,
    barsToOutcome: 1, favAtr: fav, advAtr: adv, refClose: 1, atr: 1,
  });
  const events = [
    ...Array.from({ length: 12 }, () => mk('xhigh', '0-1', 'reversion', 1, 0.2)),
    ...Array.from({ length: 3 }, () => mk('xhigh', '0-1', 'breakout', 0.1, 2)),
    mk('low', '8+', 'churn', 0.3, 0.3),
  ];
  const cells = buildHeatmap(events, dm());
  t.is(cells.length, 16);
  const x = cells.find((c) => c.int_bin === 'xhigh' && c.dur_bin === '0-1')!;
  t.like(x, { total: 15, p_reversion: 0.8, p_breakout: 0.2, p_churn: 0, avg_mag_reversion: 1, avg_mag_breakout: 2, meets_min_n: true });
  const l = cells.find((c) => c.int_bin === 'low' && c.dur_bin === '8+')!;
  t.like(l, { total: 1, p_churn: 1, meets_min_n: false });
  t.true(Number.isNaN(l.avg_mag_reversion));
  const csv = heatmapCsv(cells).split('\n');
  t.is(csv[0], 'int_bin,dur_bin,total,p_reversion,p_breakout,p_churn,avg_mag_reversion,avg_mag_breakout,meets_min_n');
  t.true(csv.includes('xhigh,0-1,15,0.8,0.2,0,1,2,1'));
  t.true(csv.includes('low,0-1,0,,,,,,0'));
});
