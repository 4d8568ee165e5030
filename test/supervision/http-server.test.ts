// /health and /metrics of a running node, over a real loopback socket.
import test from 'ava';
import { nodeMetrics, serveHttp } from '../../supervision/http-server.ts';
import { memoryRun, startNode } from '../helpers/node-run.ts';

test('/health reports every actor running, the store connected, the posture and the last bar; /metrics exposes restarts, dead letters and bar latency', async (t) => {
  const r = memoryRun({ seed: 2, days: 2, assets: 6, bars: 160 });
  const { node, cluster } = await startNode(r, {});
  const metrics = nodeMetrics(node);
  const { server, url } = await serveHttp(node, metrics, { host: '127.0.0.1', port: 0 }, () => ({ feed: { done: 0 } }));
  t.teardown(async () => {
    server.close();
    await node.stop();
  });
  await node.replay({ onBatch: (rows, ms) => metrics.batchLatency.observe(ms / 1000) });
  const health = (await (await fetch(`${url}/health`)).json()) as {
    status: string;
    actors: Record<string, { state: string }>;
    store: { connected: boolean };
    posture: { posture: string; source: string };
    lastBar: { date: string; row: number };
  };
  t.is(health.status, 'ok');
  t.like(health.posture, { posture: r.plan.postureByDate.get(r.plan.dates[1]) ?? 'APEX', source: 'atomic' });
  t.like(health.lastBar, { date: r.plan.dates[1], row: 159 });
  t.deepEqual(Object.keys(health.actors), ['features', 'acb', 'ob', 'watchdog', 'forewarner', 'dolphin']);
  t.true(health.store.connected);
  node.tree.kill('acb', 'test');
  cluster.setReachable(false);
  const degraded = (await (await fetch(`${url}/health`)).json()) as { status: string; posture: { posture: null; error: string } };
  t.is(degraded.status, 'degraded');
  t.is(degraded.posture.posture, null);
  cluster.setReachable(true);
  const text = await (await fetch(`${url}/metrics`)).text();
  t.regex(text, /dolphin_actor_restarts\{actor="acb"\} 1/);
  t.regex(text, /dolphin_dead_letters \d+/);
  t.regex(text, /dolphin_bar_batch_seconds_count [1-9]\d*/);
  t.is((await fetch(`${url}/nothing`)).status, 404);
});
