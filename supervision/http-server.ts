// GET /health (JSON: actors, store, dead letters, feed progress) and GET /metrics (Prometheus text,
// prom-client). One registry per node, so several nodes in one process (tests) do not collide.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { readPosture } from '../store/posture.ts';
import type { DolphinNode } from './node.ts';

export interface NodeMetrics {
  registry: Registry;
  batchLatency: Histogram;
  bars: Counter;
  days: Counter;
}

export function nodeMetrics(node: DolphinNode): NodeMetrics {
  const registry = new Registry();
  const tree = node.tree;
  const actorGauge = (name: string, help: string, pick: (h: ReturnType<typeof tree.health>[string]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['actor'],
      registers: [registry],
      collect() {
        for (const [actor, h] of Object.entries(tree.health())) this.set({ actor }, pick(h));
      },
    });
  actorGauge('dolphin_actor_restarts', 'restarts of each actor since the node started', (h) => h.restarts);
  actorGauge('dolphin_actor_mailbox_depth', 'messages sent to the running incarnation and not yet handled', (h) => h.mailboxDepth);
  actorGauge('dolphin_actor_running', '1 when the actor is running', (h) => (h.state === 'running' ? 1 : 0));
  new Gauge({
    name: 'dolphin_dead_letters',
    help: 'messages that could not be delivered or were refused',
    registers: [registry],
    collect() {
      this.set(tree.deadLetters.count);
    },
  });
  new Gauge({
    name: 'dolphin_store_connected',
    help: '1 when the store is reachable',
    registers: [registry],
    collect() {
      this.set(node.ctx.store.health().connected ? 1 : 0);
    },
  });
  return {
    registry,
    batchLatency: new Histogram({ name: 'dolphin_bar_batch_seconds', help: 'feed → Dolphin → answer, per bar batch', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1], registers: [registry] }),
    bars: new Counter({ name: 'dolphin_bars_total', help: 'bars delivered to Dolphin', registers: [registry] }),
    days: new Counter({ name: 'dolphin_days_total', help: 'dates the feed completed', registers: [registry] }),
  };
}

/** The posture Dolphin would read now (§14.4), or why it cannot be read. */
async function postureNow(node: DolphinNode): Promise<Record<string, unknown>> {
  try {
    const r = await readPosture(node.ctx.store);
    return { posture: r.posture, source: r.source, rm: r.payload?.rm ?? null, timestampMs: r.payload?.timestampMs ?? null };
  } catch (e) {
    return { posture: null, error: (e as Error).message };
  }
}

/** The node's health: ok when every actor runs and the store is reachable. */
export async function healthOf(node: DolphinNode, extra: Record<string, unknown> = {}): Promise<{ status: 'ok' | 'degraded' | 'failed'; [k: string]: unknown }> {
  const actors = node.tree.health();
  const store = node.ctx.store.health();
  const posture = await postureNow(node);
  const states = Object.values(actors).map((a) => a.state);
  const status = states.includes('failed') ? 'failed' : !store.connected || states.some((s) => s !== 'running') ? 'degraded' : 'ok';
  const dl = node.tree.deadLetters;
  return { status, actors, store, cluster: node.cluster?.summary() ?? null, posture, lastBar: node.lastBar, deadLetters: { count: dl.count, byReason: dl.counts(), recent: dl.recent(10) }, chaos: node.chaos.summary(), ...extra };
}

export async function serveHttp(node: DolphinNode, metrics: NodeMetrics, o: { host: string; port: number }, extra: () => Record<string, unknown> | Promise<Record<string, unknown>>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      Promise.resolve(extra())
        .then((x) => healthOf(node, x))
        .then(
        (h) => {
          res.writeHead(h.status === 'failed' ? 503 : 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(h));
        },
        (e: Error) => {
          res.writeHead(500);
          res.end(e.message);
        },
      );
    } else if (req.method === 'GET' && path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        (e: Error) => {
          res.writeHead(500);
          res.end(e.message);
        },
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('GET /health or /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  const a = server.address() as AddressInfo;
  return { server, url: `http://${a.address}:${a.port}` };
}
