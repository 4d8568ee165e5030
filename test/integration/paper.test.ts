// dolphin paper end to end against a fake exchange on 127.0.0.1 (never the network): a seeded market
// of 8 perpetuals traded through ccxt for 25 simulated minutes across midnight, at 150× real time.
// Checks the bars and their signal, the OB features in the shards, the watchdog's posture, at least
// one paper trade, and the day's result in the PnL map.
import test from 'ava';
import { parsePaperConfig } from '../../config/paper-schema.ts';
import { readPosture } from '../../store/posture.ts';
import { FEATURE_SHARD_MAPS, pnlMapName } from '../../store/names.ts';
import { parsePnlDay } from '../../store/payloads.ts';
import { runPaper } from '../../scripts/commands/paper.ts';
import { FakeExchange } from '../helpers/fake-exchange.ts';
import { FakeMarket } from '../helpers/fake-market.ts';

const SPEED = 150;

test('paper trading on the fake exchange: bars with vel_div, OB features, posture, paper trades and the day in the PnL map', async (t) => {
  t.timeout(90_000);
  const simStart = Date.parse('2026-03-07T23:40:00Z');
  const t0 = performance.now();
  const clock = () => simStart + Math.floor((performance.now() - t0) * SPEED);
  const fake = await FakeExchange.start();
  t.teardown(() => fake.close());
  const symbols = Array.from({ length: 8 }, (_, i) => `SIM${i}USDT`);
  const market = new FakeMarket(fake, { symbols, seed: 7, startMs: simStart - 600_000, clock });
  market.advance();
  const ticker = setInterval(() => market.advance(), 5);
  t.teardown(() => clearInterval(ticker));

  const config = parsePaperConfig(
    {
      http: { host: '127.0.0.1', port: 0 },
      forewarner: { threads: 0 },
      posture_source: 'survival',
      // the clock runs 150× real time: a book is stale after 2 simulated minutes (0.8 s real), so a
      // loaded CI machine's slow cycles are not read as a stale market. The watchdog's own cycle (2 s real,
      // 5 simulated minutes) must not take the survival stack's first reading before the first books
      // land: that reading is taken as it is and recovers at 2 % of the gap per minute (§11.4).
      actors: { ob_source: 'ccxt', ob_symbols: symbols.slice(0, 4), ob_cycle_ms: 10, ob_stale_after_ms: 120_000, watchdog_cycle_ms: 2_000 },
      paper: {
        exchange: { api_origin: fake.origin, rate_limit: false, timeout_ms: 3_000 },
        deribit: false,
        fear_greed: null,
        assets: symbols,
        poll_ms: 1_000,
        grace_ms: 1_500,
        // short windows so the signal is live within minutes (the default longest window is 750 bars ≈ 1 h)
        windows: [10, 20, 40, 60],
        duration_ms: 25 * 60_000,
        // ShockFlip's live pipeline and monitoring on one asset's trades: its status on /health
        shockflip: { enabled: true, symbol: 'SIM0USDT' },
        // the Volume Shock trader as a node actor, on the seeded simulator's flows (one update per 5 ms)
        volume_shock: { enabled: true, source: 'sim', cycle_ms: 5 },
      },
    },
    'test',
  );
  const seen: { shards: number; features: number; posture: string | null; pnl: Array<[string, string]>; health: Record<string, any> | null; watchdog?: unknown; metrics?: string } = { shards: 0, features: 0, posture: null, pnl: [], health: null };
  let url = '';
  const r = await runPaper(
    { logLevel: 'silent' },
    {
      config,
      clock,
      sleep: (ms) => new Promise((res) => setTimeout(res, ms / SPEED)),
      onListening: (u) => (url = u),
      beforeStop: async (node) => {
        seen.health = (await (await fetch(`${url}/health`)).json()) as Record<string, any>;
        seen.metrics = await (await fetch(`${url}/metrics`)).text();
        const store = node.ctx.store;
        for (const name of FEATURE_SHARD_MAPS) {
          const keys = await store.map(name).keys();
          if (keys.length > 0) seen.shards += 1;
          seen.features += keys.length;
        }
        seen.posture = (await readPosture(store)).posture;
        const w = await node.tree.get('watchdog').ask({ type: 'Status' }, 5_000);
        if (w.type === 'StatusReply') seen.watchdog = { rm: w.detail.rm, breakdown: w.detail.breakdown, sensors: w.detail.sensors };
        seen.pnl = await store.map(pnlMapName('BLUE')).entries();
      },
    },
  );
  t.log(JSON.stringify({ feed: r.feed, signal: r.signal, capital: r.dolphin.capital, seen: { ...seen, pnl: seen.pnl.length, health: undefined, metrics: undefined } }));

  // bars: one per 5 s over ~25 minutes, every one with its signal after the windows filled
  t.true(r.signal.bars >= 250, `${r.signal.bars} bars`);
  t.is(r.feed.bars, r.signal.bars);
  t.is(r.signal.late, 0);
  t.true(r.signal.below002 > 0, 'vel_div crossed −0.02');
  t.true(fake.requests.every((q) => q.status === 200), 'every request answered');
  // OB features for the 4 OB symbols (and MARKET) written to their shards
  t.true(seen.features >= 4 * 5, `${seen.features} feature keys in ${seen.shards} shards`);
  // posture written by the watchdog's survival stack
  t.is(seen.posture, 'APEX');
  // the date change at midnight committed 2026-03-07 to the PnL map, with the day's paper trades
  t.is(seen.pnl.length, 1);
  const day = parsePnlDay(seen.pnl[0][1], { map: pnlMapName('BLUE'), key: seen.pnl[0][0] });
  t.is(day.date, '2026-03-07');
  t.true(day.trades >= 1, `${day.trades} paper trades on 2026-03-07`);
  t.not(day.capital, 25_000);
  // /health showed it live: the posture, the last bar, the signal and Dolphin's open day
  t.is(seen.health?.status, 'ok');
  t.is(seen.health?.posture?.posture, 'APEX');
  t.is(seen.health?.lastBar?.date, '2026-03-08');
  t.true(seen.health?.paper?.signal?.bars > 0);
  t.is(seen.health?.paper?.dolphin?.openDay, '2026-03-08');
  t.regex(seen.metrics ?? '', /dolphin_volume_shock_decision_latency_seconds_count\{[^}]*\} [1-9]/, 'Volume Shock decisions timed on /metrics');
  t.is(seen.health?.actors?.['volume-shock']?.state, 'running');
  t.true(seen.health?.shockflip?.bars >= 20, `ShockFlip closed ${seen.health?.shockflip?.bars} one-minute bars`);
});
