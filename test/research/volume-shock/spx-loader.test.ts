// The SPX end-of-day chains: the real file in ../shared/data (skipped, saying why, when absent) and
// hand-made files for the errors, which must name the file, row and column.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { DataError } from '../../../market/errors.ts';
import { loadSpxChains, parseSpxChains } from '../../../research/volume-shock/spx-loader.ts';
import { runStudy } from '../../../research/volume-shock/study.ts';
import { paramsWith } from './helpers.ts';

// ../shared/data relative to the project root, as the CLI's default
const DEFAULT_SPX_DATA = fileURLToPath(new URL('../../../../shared/data/options-spx-2018/SPX_2018.csv', import.meta.url));
const hasData = existsSync(DEFAULT_SPX_DATA);
const shared = (title: string, fn: (t: ExecutionContext) => void): void =>
  hasData ? test(title, fn) : test.skip(`${title} [skipped: ${DEFAULT_SPX_DATA} is absent]`, fn);

shared('the SPX file reads as 14 438 contracts over 40 quote dates, two front-month expiries, BOM and " exchange" header handled', (t) => {
  const spx = loadSpxChains(DEFAULT_SPX_DATA);
  t.is(spx.rows, 14_438);
  t.is(spx.dates.length, 40);
  t.deepEqual([spx.dates[0], spx.dates[39]], ['2018-01-02', '2018-02-28']);
  t.deepEqual(spx.expiries, ['2018-01-31', '2018-02-28']);
  const first = spx.updates[0];
  t.like(first, { day: '2018-01-02', underlying: 'SPXW', price: 2695.79, time: Date.parse('2018-01-02T21:00:00Z') });
  t.is(first.contracts.length, 330);
  t.deepEqual(first.contracts[0], { id: 'SPXW180131C01200000', expiry: '2018-01-31', strike: 1200, type: 'call', delta: 1, iv: 0.0908 });
  t.true(first.prints.every((p) => p.side === 0 && p.amount > 0), 'end-of-day volume has no side');
  t.is(spx.ticks.find((k) => k.day === '2018-02-05')!.price, 2648.98);
});

shared('the daily SPX study trades at most once a date, so it cannot reach the 50 trades the verdict needs', (t) => {
  const spx = loadSpxChains(DEFAULT_SPX_DATA);
  const r = runStudy({ source: 'spx', updates: spx.updates, ticks: spx.ticks }, paramsWith());
  t.true(r.trades.length <= spx.dates.length);
  t.true(r.trades.length < 50);
  t.true(r.observations.every((o) => o.kind === 'price' && o.responseMinutes === null), 'no flow series, no response time');
});

const HEADER = '\uFEFFunderlying,underlying_last, exchange,optionroot,optionext,type,expiration,quotedate,strike,last,bid,ask,volume,openinterest,impliedvol,delta,gamma,theta,vega,optionalias';
const row = (over: Partial<Record<string, string>> = {}) => {
  const r = { underlying: 'SPXW', underlying_last: '2695.79', exchange: 'W', optionroot: 'SPXW180131C02700000', optionext: '', type: 'call', expiration: '01/31/2018', quotedate: '01/02/2018', strike: '2700', last: '20', bid: '19', ask: '21', volume: '150', openinterest: '10', impliedvol: '0.09', delta: '0.5', gamma: '0', theta: '0', vega: '0', optionalias: 'x', ...over };
  return Object.values(r).join(',');
};
const parse = (...rows: string[]) => parseSpxChains([HEADER, ...rows].join('\r\n') + '\r\n', 'spx.csv');

test('a hand-made chain parses: one update per date, volume as side-unknown prints at 21:00 UTC', (t) => {
  const c = parse(row(), row({ optionroot: 'P', type: 'put', delta: '-0.5', volume: '0' }));
  t.is(c.updates.length, 1);
  t.deepEqual(c.updates[0].prints, [{ time: Date.parse('2018-01-02T21:00:00Z'), contractId: 'SPXW180131C02700000', amount: 150, side: 0 }]);
});

test('a cell that is not a number names the file, row and column', (t) => {
  const err = t.throws(() => parse(row(), row({ optionroot: 'B', volume: 'abc' })), { instanceOf: DataError });
  t.is(err!.message, 'spx.csv row 2 column volume: not a number ("abc")');
});

test('a put with a positive delta is refused, naming where', (t) => {
  const err = t.throws(() => parse(row({ type: 'put', delta: '0.4' })), { instanceOf: DataError });
  t.is(err!.message, 'spx.csv row 1 column delta: 0.4 is not a put delta');
});

test('a missing column and a short row are errors', (t) => {
  t.throws(() => parseSpxChains('underlying,strike\nSPXW,2700\n', 'spx.csv'), { instanceOf: DataError, message: /column underlying_last: missing column/ });
  t.throws(() => parse('SPXW,2695.79'), { instanceOf: DataError, message: /spx\.csv row 1: 2 cells, the header has 20/ });
});

test('two underlying prices on one date are an error, not a silent pick', (t) => {
  t.throws(() => parse(row(), row({ optionroot: 'B', underlying_last: '2700' })), { instanceOf: DataError, message: /row 2 column underlying_last: 2700 differs from 2695.79/ });
});
