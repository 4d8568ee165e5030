// The Deribit option source through ccxt against the loopback fake (test/helpers/fake-deribit.ts):
// chain, option trades with their side, greeks, the perpetual's price and signed flow — and the
// strategy finds the fixtures' 80 BTC call block. Never the network.
import test from 'ava';
import { CcxtPayloadError, CcxtSourceError } from '../../../market/ccxt-errors.ts';
import { DeribitOptionSource } from '../../../research/volume-shock/deribit-source.ts';
import { VolumeShockStrategy } from '../../../research/volume-shock/strategy.ts';
import { fakeDeribitFor, FIXTURE_NOW } from '../../helpers/fake-deribit.ts';
import { near, paramsWith } from './helpers.ts';

async function setup(t: Parameters<typeof fakeDeribitFor>[0], over: Record<string, unknown> = {}) {
  const { fake, connect } = await fakeDeribitFor(t);
  const p = paramsWith({ deribit: over });
  const src = new DeribitOptionSource(connect(), { deribit: p.deribit, profile: p.sources.deribit, referencePrice: p.exposure.reference_price });
  return { fake, src, p };
}

test('one poll: every listed option, the last 5 minutes of option trades with their taker side, and the perpetual', async (t) => {
  const { src } = await setup(t);
  const { update, tick, gaps } = await src.poll(FIXTURE_NOW);
  t.is(update.contracts.length, 10);
  t.is(update.prints.length, 7);
  t.deepEqual(update.prints.filter((p) => p.contractId === 'BTC-27MAR26-70000-C').map((p) => [p.amount, p.side]), [[40, 1], [25, 1], [15, 1]]);
  t.deepEqual(update.prints.find((p) => p.contractId === 'BTC-27MAR26-65000-P')!.side, -1);
  t.like(update, { time: FIXTURE_NOW, day: '2026-03-07', underlying: 'BTC', price: 68_040.5 });
  t.deepEqual(gaps, { missingDelta: 0, optionTradesTruncated: false, perpetualTradesTruncated: false });
  // perpetual: USD amounts, buys minus sells, over the reference price
  near(t, tick.flow!, 70_000 / 2700, 1e-12);
});

test('greeks come from the exchange for the instruments that traded; the others have no delta yet', async (t) => {
  const { src } = await setup(t);
  const { update } = await src.poll(FIXTURE_NOW);
  const delta = (id: string) => update.contracts.find((c) => c.id === id)!.delta;
  t.is(delta('BTC-27MAR26-70000-C'), 0.42105);
  t.is(delta('BTC-27MAR26-65000-P'), -0.34623);
  t.is(delta('BTC-27MAR26-80000-C'), null);
  near(t, update.contracts.find((c) => c.id === 'BTC-27MAR26-70000-C')!.iv!, 0.481, 1e-12);
});

test('until days of history exist, a strike\'s baseline is its 24 h volume per 5-minute window', async (t) => {
  const { src } = await setup(t);
  const { update } = await src.poll(FIXTURE_NOW);
  near(t, update.baselineHints!.get('2026-03-27|70000')!, (96 + 40.5) / 288, 1e-12);
  near(t, update.dailyVolumeHint!, 432.9, 1e-12);
});

test('the strategy flags the 80 BTC call block at 70 000 as a bullish shock', async (t) => {
  const { src, p } = await setup(t);
  const { update } = await src.poll(FIXTURE_NOW);
  const d = new VolumeShockStrategy(p, 'deribit').onUpdate(update);
  t.deepEqual(d.scan.alerts.map((a) => a.strikeKey), ['2026-03-27|70000']);
  // 80 bought calls at 0.42105 minus 0.5 sold puts at −0.57895, in BTC, × 68 040.5 / 2700
  near(t, d.scan.alerts[0].netDelta, (80 * 0.42105 + 0.5 * 0.57895) * (68_040.5 / 2700), 1e-9);
  t.is(d.intents[0].prediction.direction, 1);
});

test('the next poll reads only trades since the last one, each trade once', async (t) => {
  const { fake, src } = await setup(t);
  await src.poll(FIXTURE_NOW);
  fake.optionTrades.push({ ...fake.optionTrades[0], trade_id: 'late-1', timestamp: FIXTURE_NOW + 30_000, amount: 3 });
  const { update } = await src.poll(FIXTURE_NOW + 60_000);
  t.deepEqual(update.prints.map((p) => p.amount), [3]);
  const calls = fake.requests.filter((r) => r.endpoint === 'get_last_trades_by_currency_and_time');
  t.is(calls[1].query.start_timestamp, String(FIXTURE_NOW));
});

test('more perpetual trades than the page cap leave the flow unknown rather than partial', async (t) => {
  const { fake, src } = await setup(t, { max_trade_pages: 1 });
  const base = fake.perpetualTrades[0];
  for (let i = 0; i < 1000; i++) fake.perpetualTrades.push({ ...base, trade_id: `x${i}`, timestamp: FIXTURE_NOW - 1000 });
  const { tick, gaps } = await src.poll(FIXTURE_NOW);
  t.true(gaps.perpetualTradesTruncated);
  t.is(tick.flow, undefined);
});

test('the greeks cap leaves the smaller instruments without a delta, and says how many', async (t) => {
  const { src } = await setup(t, { max_greeks_per_poll: 1 });
  const { update, gaps } = await src.poll(FIXTURE_NOW);
  t.is(update.contracts.find((c) => c.id === 'BTC-27MAR26-70000-C')!.delta, 0.42105);
  t.is(gaps.missingDelta, 4);
});

test('an exchange outage is a retryable CcxtSourceError naming the call', async (t) => {
  const { fake, src } = await setup(t);
  fake.fail({ endpoint: 'get_book_summary_by_currency', failure: { kind: 'status', status: 503, body: 'Service Unavailable' } });
  const err = await t.throwsAsync(src.poll(FIXTURE_NOW), { instanceOf: CcxtSourceError });
  t.is(err!.endpoint, 'fetchOptionChain');
  t.true(err!.retryable);
});

test('a truncated answer is a CcxtSourceError, not an empty list of trades', async (t) => {
  const { fake, src } = await setup(t);
  fake.fail({ endpoint: 'get_last_trades_by_currency_and_time', failure: { kind: 'malformed' } });
  const err = await t.throwsAsync(src.poll(FIXTURE_NOW), { instanceOf: CcxtSourceError });
  t.is(err!.kind, 'BadResponse');
});

test('a trade without a direction is a payload error naming the trade', async (t) => {
  const { fake, src } = await setup(t);
  const { direction: _dropped, ...rest } = fake.optionTrades[2];
  fake.optionTrades[2] = rest;
  await t.throwsAsync(src.poll(FIXTURE_NOW), { instanceOf: CcxtPayloadError, message: /result\.trades\[2\] has no direction buy\/sell/ });
});
