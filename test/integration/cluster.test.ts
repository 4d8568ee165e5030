// Several nodes, one store (issue 4 item 2, docs/cluster.md): three DolphinNodes — three actor systems —
// in one process on one embedded cluster. Each singleton (ACB writer, watchdog, forewarner, Dolphin)
// runs on exactly one node; when its node dies another takes over within the configured time; the
// order-book symbols are split across the live nodes by shard and re-split when one dies.
import test, { type ExecutionContext } from 'ava';
import { nodeInputsOf } from '../../actors/inputs.ts';
import type { SingletonRole } from '../../actors/context.ts';
import { parseNodeConfig } from '../../config/node-schema.ts';
import { EmbeddedCluster } from '../../store/embedded.ts';
import { createLogger } from '../../supervision/log.ts';
import { DolphinNode } from '../../supervision/node.ts';
import { memoryRun } from '../helpers/node-run.ts';
import { until } from '../supervision/helpers.ts';

const ROLES: SingletonRole[] = ['acb', 'watchdog', 'forewarner', 'dolphin'];
const SYMBOLS = Array.from({ length: 24 }, (_, i) => `S${i}USDT`);
const TIMING = { retry_ms: 20, lease_loss_ms: 80, heartbeat_ms: 15, dead_after_ms: 80 };

async function threeNodes(t: ExecutionContext) {
  const r = memoryRun({ seed: 4, days: 2, assets: 6, bars: 120 });
  const cluster = new EmbeddedCluster();
  const ids = ['node-a', 'node-b', 'node-c'];
  const nodes: DolphinNode[] = [];
  for (const id of ids) {
    const config = parseNodeConfig(
      {
        http: { port: null },
        forewarner: { threads: 0 },
        cluster: { enabled: true, node_id: id, ...TIMING },
        actors: { ob_symbols: SYMBOLS, ob_cycle_ms: 20, watchdog_cycle_ms: 20 },
      },
      'test',
    );
    const inputs = nodeInputsOf(r.plan, r.cfg, async (d) => r.frames.get(d)!);
    nodes.push(await DolphinNode.start({ config, engine: r.cfg, inputs, store: cluster.connect(id), log: createLogger({ level: 'silent' }) }));
  }
  t.teardown(async () => {
    for (const n of nodes) await n.stop();
  });
  return { cluster, ids, nodes };
}


const leaders = (nodes: readonly DolphinNode[], role: SingletonRole, alive = nodes) => alive.filter((n) => n.ctx.cluster.leads(role)).length;

test.serial('each singleton runs on exactly one of three nodes, and the OB symbols are split with one owner each', async (t) => {
  const { nodes } = await threeNodes(t);
  await until('every role led', () => ROLES.every((role) => leaders(nodes, role) === 1));
  await until('all three nodes in every view', () => nodes.every((n) => n.ctx.cluster.liveNodes().length === 3));
  for (let i = 0; i < 20; i++) {
    for (const role of ROLES) t.is(leaders(nodes, role), 1, `${role}: one leader`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const shares = nodes.map((n) => n.ctx.cluster.ownSymbols(SYMBOLS));
  t.deepEqual(shares.flat().sort(), [...SYMBOLS].sort(), 'every symbol streamed by exactly one node');
  t.true(shares.every((s) => s.length > 0), 'every node streams a share');
});

test.serial('only the elected watchdog writes the posture and only the elected ACB writes the boost', async (t) => {
  const { nodes } = await threeNodes(t);
  await until('every role led', () => ROLES.every((role) => leaders(nodes, role) === 1));
  const acks = await Promise.all(nodes.map((n) => n.tree.get('acb').ask({ type: 'AcbDayStart', date: n.ctx.inputs.dates[0] }, 2_000)));
  const wrote = acks.map((a) => a.type === 'Ack' && a.detail?.skipped === undefined);
  t.deepEqual(wrote, nodes.map((n) => n.ctx.cluster.leads('acb')));
  const dogs = await Promise.all(nodes.map((n) => n.tree.get('watchdog').ask({ type: 'WatchdogDayStart', date: n.ctx.inputs.dates[0], now: Date.now() }, 2_000)));
  t.deepEqual(
    dogs.map((a) => a.type === 'Ack' && a.detail?.written === true),
    nodes.map((n) => n.ctx.cluster.leads('watchdog')),
  );
});

test.serial('when the leading node dies another takes over every singleton within retry + lease + slack, and its OB symbols move', async (t) => {
  const { cluster, ids, nodes } = await threeNodes(t);
  await until('every role led', () => ROLES.every((role) => leaders(nodes, role) === 1));
  await until('all three nodes in every view', () => nodes.every((n) => n.ctx.cluster.liveNodes().length === 3));
  // kill whichever node leads the ACB writer
  const victim = nodes.findIndex((n) => n.ctx.cluster.leads('acb'));
  const rolesLost = ROLES.filter((role) => nodes[victim].ctx.cluster.leads(role));
  const alive = nodes.filter((_, i) => i !== victim);
  cluster.kill(ids[victim]);
  const took = await until('a live node leads every role again', () => ROLES.every((role) => leaders(nodes, role, alive) === 1));
  t.log(`roles ${rolesLost.join(', ')} taken over in ${took.toFixed(0)} ms`);
  t.true(took < TIMING.retry_ms + TIMING.lease_loss_ms + 500);
  await until('the dead node leaves the live views', () => alive.every((n) => n.ctx.cluster.liveNodes().length === 2));
  const shares = alive.map((n) => n.ctx.cluster.ownSymbols(SYMBOLS));
  t.deepEqual(shares.flat().sort(), [...SYMBOLS].sort(), 'the two survivors stream every symbol between them');
});

test.serial('a node that stops hands its singletons over at once (unlocks, no lease wait)', async (t) => {
  const { nodes } = await threeNodes(t);
  await until('every role led', () => ROLES.every((role) => leaders(nodes, role) === 1));
  const victim = nodes.find((n) => n.ctx.cluster.leads('dolphin'))!;
  const alive = nodes.filter((n) => n !== victim);
  await victim.stop();
  const took = await until('dolphin led by a live node', () => leaders(nodes, 'dolphin', alive) === 1);
  t.true(took < TIMING.retry_ms + 200, `${took.toFixed(0)} ms`);
});
