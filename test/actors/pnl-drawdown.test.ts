import test from 'ava';
import { PnlDrawdown } from '../../actors/pnl-drawdown.ts';
import { pnlDayJson } from '../../store/payloads.ts';

const MAP = 'DOLPHIN_PNL_BLUE';
const day = (date: string, capital: number): [string, string] => [
  date,
  pnlDayJson({ date, pnl: 0, capital, boost: 1, beta: 0.5, mcStatus: 'OK', trades: 0, posture: 'APEX', bars: 1440 }, MAP),
];

test('drawdown is measured from the running peak in date order, whatever order the map lists its entries in', (t) => {
  const dd = new PnlDrawdown(MAP, 100);
  // peak 120 on 01-02, latest 90 on 01-03 → 25 %
  t.is(dd.update([day('2026-01-03', 90), day('2026-01-01', 110), day('2026-01-02', 120)]), 0.25);
});

test('the initial capital counts as the first peak', (t) => {
  t.is(new PnlDrawdown(MAP, 200).update([day('2026-01-01', 150)]), 0.25);
});

test('an entry whose JSON changed is read again; a removed entry no longer counts', (t) => {
  const dd = new PnlDrawdown(MAP, 100);
  t.is(dd.update([day('2026-01-01', 100), day('2026-01-02', 50)]), 0.5);
  t.is(dd.update([day('2026-01-01', 100), day('2026-01-02', 80)]), 0.19999999999999996);
  t.is(dd.update([day('2026-01-01', 100)]), 0);
});

test('an empty map is no drawdown', (t) => {
  t.is(new PnlDrawdown(MAP, 100).update([]), 0);
});
