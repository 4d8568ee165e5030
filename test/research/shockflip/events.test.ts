import { join } from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import { DataError } from '../../../market/errors.ts';
import { EVENT_COLUMNS, eventsCsv, parseEventsCsv, readEventsCsv, writeEventsCsv, type EventRow } from '../../../research/shockflip/events.ts';
import { same, tempDir } from './shockflip-test-helpers.ts';

const num = fc.oneof(fc.double(), fc.constant(NaN));
const rowArb: fc.Arbitrary<EventRow> = fc.record({
  entry_ts: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  side: fc.constantFrom('long' as const, 'short' as const),
  rel_vol: num, flow_z: num, div_score: num, z_velocity: num, atr: num,
  did_snap: fc.constantFrom(0 as const, 1 as const),
  mfe6_atr: num, mfe10_atr: num, entry_close: num, donchian_loc: num, vwap_dist: num, spread: num, trade_concentration: num,
  atr_pctile: num, spread_z: num,
});

test('the header is the blueprint\'s events_annotated.csv columns, in its order, then the two extras', (t) => {
  t.deepEqual([...EVENT_COLUMNS], [
    'entry_ts', 'side', 'rel_vol', 'flow_z', 'div_score', 'z_velocity', 'atr', 'did_snap', 'mfe6_atr', 'mfe10_atr',
    'entry_close', 'donchian_loc', 'vwap_dist', 'spread', 'trade_concentration',
  ]);
  t.is(eventsCsv([]), `${EVENT_COLUMNS.join(',')},atr_pctile,spread_z\n`);
});

test('write → read gives the same rows, bit for bit (NaN as an empty cell, ±inf as inf/-inf, -0 as 0)', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 20 }), (rows) => {
        const back = parseEventsCsv(eventsCsv(rows));
        if (back.length !== rows.length) return false;
        return rows.every((r, i) => {
          const b = back[i] as unknown as Record<string, unknown>;
          return Object.entries(r).every(([k, v]) => (typeof v === 'number' ? same(v === 0 ? 0 : v, b[k] as number) : v === b[k]));
        });
      }),
    ),
  );
});

test('entry_ts is ISO UTC in the file; the reader accepts epoch ms, pandas booleans and extra columns in any order', (t) => {
  const row: EventRow = {
    entry_ts: Date.UTC(2019, 9, 11, 0, 5), side: 'long', rel_vol: 8.5, flow_z: 2.4, div_score: 1.1, z_velocity: 0.3, atr: 2e-6,
    did_snap: 1, mfe6_atr: 0.7, mfe10_atr: 1.2, entry_close: 0.0014, donchian_loc: 0.05, vwap_dist: -0.4, spread: 1e-4, trade_concentration: 0.2,
  };
  t.true(eventsCsv([row]).split('\n')[1].startsWith('2019-10-11T00:05:00Z,long,8.5,'));
  const cols = [...EVENT_COLUMNS].reverse();
  const pandas = `,${cols.join(',')}\n0,${cols.map((c) => (c === 'entry_ts' ? String(row.entry_ts) : c === 'did_snap' ? 'True' : String(row[c]))).join(',')}\n`;
  const [back] = parseEventsCsv(pandas);
  t.like(back, { ...row });
  t.is(back.atr_pctile, undefined);
});

test('bad cells are DataErrors naming file, row and column', (t) => {
  const good = eventsCsv([{
    entry_ts: 0, side: 'short', rel_vol: 1, flow_z: 1, div_score: 1, z_velocity: 1, atr: 1, did_snap: 0, mfe6_atr: 1, mfe10_atr: 1,
    entry_close: 1, donchian_loc: 1, vwap_dist: 1, spread: 1, trade_concentration: 1,
  }]);
  const [header, line] = good.split('\n');
  const names = header.split(',');
  const bad = (column: string, value: string): string => {
    const cells = line.split(',');
    cells[names.indexOf(column)] = value;
    return `${header}\n${cells.join(',')}\n`;
  };
  t.like(t.throws(() => parseEventsCsv(bad('side', 'flat'), 'ev.csv'), { instanceOf: DataError }), { file: 'ev.csv', row: 1, column: 'side' });
  t.like(t.throws(() => parseEventsCsv(bad('did_snap', '2'), 'ev.csv'), { instanceOf: DataError }), { row: 1, column: 'did_snap' });
  t.like(t.throws(() => parseEventsCsv(bad('entry_ts', 'yesterday'), 'ev.csv'), { instanceOf: DataError }), { row: 1, column: 'entry_ts' });
  const e = t.throws(() => parseEventsCsv(bad('vwap_dist', 'abc'), 'ev.csv'), { instanceOf: DataError });
  t.like(e, { row: 1, column: 'vwap_dist' });
  t.regex(e!.message, /ev\.csv row 1 column vwap_dist: not a number/);
  t.like(t.throws(() => parseEventsCsv(good.replace('entry_ts,', 'ts,'), 'ev.csv'), { instanceOf: DataError }), { column: 'entry_ts' });
  t.like(t.throws(() => parseEventsCsv(`${header}\n1,2\n`, 'ev.csv'), { instanceOf: DataError }), { row: 1 });
});

test('writeEventsCsv / readEventsCsv round-trip through a file', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'sub', 'events_annotated.csv');
  await writeEventsCsv(path, []);
  t.deepEqual(await readEventsCsv(path), []);
  await t.throwsAsync(readEventsCsv(join(dir, 'missing.csv')), { instanceOf: DataError });
});
