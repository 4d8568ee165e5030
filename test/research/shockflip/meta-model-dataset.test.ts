import test from 'ava';
import type { EventRow } from '../../../research/shockflip/events.ts';
import { MetaModelInputError } from '../../../research/shockflip/meta-model-booster.ts';
import { featureValue, metaSamples } from '../../../research/shockflip/meta-model-dataset.ts';
import { zombieOptions } from '../../../research/shockflip/zombie-options.ts';
import { barsOf, ev, flat, MINUTE } from './zombie-fixtures.ts';

function row(rel_vol: number): EventRow {
  return {
    entry_ts: 0, side: 'long', rel_vol, flow_z: 0.5, div_score: 0, z_velocity: 0, atr: 1, did_snap: 1, mfe6_atr: 1, mfe10_atr: 1,
    entry_close: 100, donchian_loc: 0.1, vwap_dist: -0.3, spread: 0, trade_concentration: 0.2, atr_pctile: 0.7,
  };
}

test('samples: diamond events only, each traded alone; a trade still open at the data end has no label', (t) => {
  const rows = Array.from({ length: 30 }, () => flat(100));
  rows[3] = [100, 102, 100, 102]; // TP for the event at bar 1
  const bars = barsOf(rows);
  const o = zombieOptions({ long: { tpMult: 2, slMult: 1 }, relVolThreshold: 5 });
  const r = metaSamples([row(9), row(2), row(9)], [ev(1, 1, { rel_vol: 9 }), ev(2, 1, { rel_vol: 2 }), ev(25, 1, { rel_vol: 9 })], bars, MINUTE, o, { zombie: true, partial: false }, ['rel_vol', 'atr_pctile']);
  t.is(r.samples.length, 1);
  t.is(r.openAtEnd, 1); // bar 25's trade: no TP, SL or zombie check before the data ends
  t.deepEqual(r.samples[0].x, [9, 0.7]);
  t.true(Math.abs(r.samples[0].pnl - 0.02) < 1e-15);
  // labelled when the exit bar (3) has closed
  t.is(r.samples[0].labelEnd, bars.ts[3] + MINUTE);
});

test('a feature the events do not carry is named with the available columns', (t) => {
  t.is(featureValue(row(1), 'vwap_dist'), -0.3);
  const err = t.throws(() => featureValue(row(1), 'spread_z'), { instanceOf: MetaModelInputError });
  t.regex(err.message, /feature spread_z is not a column of the events \(entry_ts, side, rel_vol/);
});
