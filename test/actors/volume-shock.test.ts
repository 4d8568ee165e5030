// VolumeShockActor: each cycle polls its source and hands the chain to the trader (the same
// detector, classifier, sizing and paper book as the study), paper-trades the hedge flow, and
// reports every decision's latency through the metrics hook. A failing source never stops it.
import test from 'ava';
import { volumeShockActor, type DecisionLatency, type ShockSource } from '../../actors/volume-shock.ts';
import { LiveTrader } from '../../research/volume-shock/live-trader.ts';
import { ReplaySource } from '../../research/volume-shock/replay-source.ts';
import { simulate } from '../../research/volume-shock/simulator.ts';
import type { ChainUpdate, UnderlyingTick } from '../../research/volume-shock/types.ts';
import { paramsWith } from '../research/volume-shock/helpers.ts';
import { status, treeOf } from './helpers.ts';

const ASK = 5_000;
const NO_TIMER = 1_000_000; // cycles are asked for, never timed
const params = paramsWith({ simulator: { days: 2, warmup_days: 5 } });
const sim = simulate({ sim: params.simulator, mode: 'planted', seed: 3, contractMultiplier: 100, referencePrice: 2700 });

async function tree(t: Parameters<typeof treeOf>[0], source: ShockSource<ChainUpdate, UnderlyingTick>, onDecision?: (d: DecisionLatency) => void) {
  let tick = 0;
  const clock = () => (tick += 3); // every decision takes 3 ms of this clock
  const trader = new LiveTrader(params, 'sim');
  const sup = await treeOf(t, [volumeShockActor({ now: () => 0 }, { source, trader, cycleMs: NO_TIMER, onDecision, clock })]);
  return { actor: sup.get('volume-shock'), trader };
}

test('over a replayed simulated session the actor detects shocks, paper-trades them and reports each decision\'s latency', async (t) => {
  const decisions: DecisionLatency[] = [];
  const source = new ReplaySource(sim.updates, sim.ticks);
  const { actor } = await tree(t, source, (d) => decisions.push(d));
  let opened = 0;
  while (source.remaining > 0) {
    const r = await actor.ask({ type: 'ObCycle', now: 0 }, ASK);
    if (r.type === 'Ack' && r.ok) opened += Number(r.detail?.opened ?? 0);
  }
  t.true(decisions.length >= sim.truth.length * 0.8, `${decisions.length} decisions for ${sim.truth.length} planted flows`);
  t.true(opened > 0);
  t.true(decisions.every((d) => d.decisionSeconds === 0.003), 'decision latency is the injected clock\'s 3 ms');
  t.true(decisions.every((d) => d.signalAgeSeconds >= 0.003 && d.signalAgeSeconds < 120), 'the shock is at most a minute and a bit old when decided');
  t.true(decisions.some((d) => d.flowType === 'GAMMA_EMERGENCY'));
  const s = await status(actor);
  t.like(s, { source: 'replay', sourceErrors: 0, events: decisions.length });
  t.true((s.paper as { trades: number }).trades > 0, 'trades closed on paper');
});

test('a failing source skips the cycle, is counted, and the actor keeps running', async (t) => {
  let failing = true;
  const replay = new ReplaySource(sim.updates, sim.ticks);
  const flaky: ShockSource<ChainUpdate, UnderlyingTick> = { name: 'flaky', poll: (now) => (failing ? Promise.reject(new Error('HTTP 503')) : replay.poll(now)) };
  const { actor } = await tree(t, flaky);
  t.like(await actor.ask({ type: 'ObCycle', now: 0 }, ASK), { type: 'Ack', ok: false, error: 'HTTP 503' });
  failing = false;
  t.like(await actor.ask({ type: 'ObCycle', now: 0 }, ASK), { type: 'Ack', ok: true });
  t.like(await status(actor), { cycles: 2, sourceErrors: 1, lastError: 'HTTP 503' });
  t.is(actor.incarnation, 1, 'never restarted');
});

test('a message the actor does not take goes to the dead letters, not into the trader', async (t) => {
  const { actor, trader } = await tree(t, new ReplaySource(sim.updates, sim.ticks));
  const r = await actor.ask({ type: 'Tick', date: '2025-01-06', row: 0, ts: 0 } as never, ASK);
  t.like(r, { type: 'Ack', ok: false });
  t.like(trader.status(), { cycles: 0 });
});
