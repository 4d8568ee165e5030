import test from 'ava';
import { DataError } from '../../../market/errors.ts';
import type { EventRow } from '../../../research/shockflip/events.ts';
import { parsePriceBarsCsv, tradeEventsFromRows } from '../../../research/shockflip/zombie-inputs.ts';

const CSV = 'start,open,high,low,close,volume\n2024-01-01T00:00:00Z,100,101,99,100.5,3\n2024-01-01T00:01:00Z,100.5,102,100,101,4\n';

function row(over: Partial<EventRow>): EventRow {
  return {
    entry_ts: Date.UTC(2024, 0, 1, 0, 1), side: 'long', rel_vol: 9, flow_z: 0, div_score: 0, z_velocity: 0, atr: 1, did_snap: 1,
    mfe6_atr: 1, mfe10_atr: 1, entry_close: 100.5, donchian_loc: 0, vwap_dist: 0, spread: 0, trade_concentration: 0, ...over,
  };
}

test('bars CSV: start time and OHLC by name, other columns ignored', (t) => {
  const b = parsePriceBarsCsv(CSV, 'bars.csv');
  t.deepEqual(Array.from(b.ts), [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 1)]);
  t.deepEqual(Array.from(b.close), [100.5, 101]);
});

test('bars CSV errors name the file, row and column', (t) => {
  t.is(t.throws(() => parsePriceBarsCsv('start,open,high,low\n', 'b.csv'), { instanceOf: DataError }).message, 'b.csv column close: missing column');
  t.is(t.throws(() => parsePriceBarsCsv(CSV.replace('102', 'abc'), 'b.csv'), { instanceOf: DataError }).message, 'b.csv row 2 column high: not a finite number ("abc")');
  t.regex(t.throws(() => parsePriceBarsCsv(CSV.replace('101,99', '99.9,99'), 'b.csv'), { instanceOf: DataError }).message, /b.csv row 1: inconsistent bar/);
  t.is(t.throws(() => parsePriceBarsCsv(CSV.replace('00:01:00Z', '00:00:00Z'), 'b.csv'), { instanceOf: DataError }).message, 'b.csv row 2 column start: bar times must increase');
});

test('events map to the bar that ends at entry_ts, and the entry close must match', (t) => {
  const b = parsePriceBarsCsv(CSV, 'bars.csv');
  const [e] = tradeEventsFromRows([row({})], b, 60_000);
  t.deepEqual(e, { barIndex: 0, ts: Date.UTC(2024, 0, 1, 0, 1), side: 1, rel_vol: 9, atr: 1 });
  t.is(t.throws(() => tradeEventsFromRows([row({ entry_close: 99 })], b, 60_000, 'ev.csv'), { instanceOf: DataError }).message,
    "ev.csv row 1 column entry_close: entry_close 99 differs from the signal bar's close 100.5");
  t.regex(t.throws(() => tradeEventsFromRows([row({ entry_ts: Date.UTC(2024, 0, 2) })], b, 60_000, 'ev.csv'), { instanceOf: DataError }).message, /^ev.csv row 1 column entry_ts: no bar starts/);
});
