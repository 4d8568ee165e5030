// Research-vs-live parity (issue 6 item 9): the live pipeline, fed the synthetic ticks one trade at a
// time, fires the same signals — same bars, same sides — as the research study over the whole file,
// and a zero-parameter P&L of those decisions (close-to-close over the event horizon) differs by
// less than the config's parity_max_abs_pnl_diff.
import test from 'ava';
import { LiveShockflip } from '../../../research/shockflip/live.ts';
import { runShockflipStudy } from '../../../research/shockflip/study.ts';
import { generateSyntheticTicks } from '../../../research/shockflip/synthetic-ticks.ts';
import { smallConfig } from './shockflip-test-helpers.ts';

test('fed trade by trade, the live pipeline fires exactly the research study’s signals; their P&L agrees within 1e-8', (t) => {
  t.timeout(60_000);
  // short windows keep the live history (and the test) small; the shipped windows behave the same
  const p = smallConfig();
  const { trades } = generateSyntheticTicks({ seed: 3, bars: 6 * 1440 });
  const research = runShockflipStudy(trades, p);
  const live = new LiveShockflip(p);
  const signals: Array<{ bar: number; side: number; price: number }> = [];
  for (let i = 0; i < trades.length; i++) for (const s of live.push(trades.ts[i], trades.price[i], trades.amount[i], trades.side[i] as 1 | -1)) signals.push(s);
  for (const s of live.advance(trades.ts[trades.length - 1] + 2 * live.barMs)) signals.push(s);

  t.true(research.signals.length >= 5, `${research.signals.length} research signals`);
  t.deepEqual(signals.map((s) => [s.bar, s.side]), research.signals.map((s) => [s.bar, s.side]));
  const h = p.event_study.mfe_long_horizon_bars;
  const close = research.bars.close;
  const pnlOf = (bar: number, side: number, entry: number) => side * (close[Math.min(bar + h, close.length - 1)] / entry - 1);
  const researchPnl = research.signals.reduce((s, x) => s + pnlOf(x.bar, x.side, close[x.bar]), 0);
  const livePnl = signals.reduce((s, x) => s + pnlOf(x.bar, x.side, x.price), 0);
  t.true(Math.abs(researchPnl - livePnl) < p.monitoring.parity_max_abs_pnl_diff, `research ${researchPnl} vs live ${livePnl}`);
});
