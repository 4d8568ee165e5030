// This node's place in a cluster of nodes (docs/cluster.md): its heartbeat in DOLPHIN_NODES, one
// election per singleton (ACB writer, watchdog, forewarner, and the Dolphin of the strategy's colour),
// and the order-book symbols it streams. Actors see it only as a ClusterView.
import type { Logger } from 'pino';
import type { ClusterView, SingletonRole } from '../actors/context.ts';
import type { StrategyColor } from '../store/names.ts';
import type { FeatureStore } from '../store/port.ts';
import { SingletonElection } from './election.ts';
import { Membership } from './membership.ts';
import { symbolsOf } from './shard-split.ts';

export interface ClusterSettings {
  node_id: string;
  retry_ms: number;
  lease_loss_ms: number;
  heartbeat_ms: number;
  dead_after_ms: number;
}

const ROLES: readonly SingletonRole[] = ['acb', 'watchdog', 'forewarner', 'dolphin'];

export class NodeCluster implements ClusterView {
  readonly nodeId: string;
  private readonly elections: Map<SingletonRole, SingletonElection>;
  private readonly membership: Membership;

  private constructor(store: FeatureStore, s: ClusterSettings, color: StrategyColor, log: Logger) {
    this.nodeId = s.node_id;
    this.membership = new Membership(store, {
      nodeId: s.node_id,
      heartbeatMs: s.heartbeat_ms,
      deadAfterMs: s.dead_after_ms,
      log,
      onChange: (live) => log.info({ live }, 'cluster membership changed'),
      onConflict: (other) => log.error({ other }, `another process heartbeats as node ${s.node_id}: node ids must be unique`),
    });
    const electionOf = (role: SingletonRole) =>
      new SingletonElection(store, {
        // one Dolphin per colour in the cluster: BLUE and GREEN strategies trade side by side
        role: role === 'dolphin' ? `dolphin-${color.toLowerCase()}` : role,
        nodeId: s.node_id,
        retryMs: s.retry_ms,
        leaseLossMs: s.lease_loss_ms,
        log,
        onElected: (fence) => log.info({ role, fence: String(fence) }, 'elected'),
        onDemoted: (reason) => log.warn({ role, reason }, 'demoted'),
      });
    this.elections = new Map(ROLES.map((r) => [r, electionOf(r)]));
  }

  /** Heartbeats first (so the symbol split sees this node), then runs for every singleton. */
  static async join(store: FeatureStore, s: ClusterSettings, color: StrategyColor, log: Logger): Promise<NodeCluster> {
    const c = new NodeCluster(store, s, color, log.child({ component: 'cluster', node: s.node_id }));
    await c.membership.start();
    for (const e of c.elections.values()) e.start();
    return c;
  }

  leads(role: SingletonRole): boolean {
    return this.elections.get(role)!.isLeader();
  }

  holdsAcbLock(): boolean {
    return this.leads('acb');
  }

  ownSymbols(symbols: readonly string[]): readonly string[] {
    const live = this.membership.view();
    // not in our own view (store unreachable, first heartbeat not landed): stream nothing rather than twice
    return live.includes(this.nodeId) ? symbolsOf(this.nodeId, live, symbols) : [];
  }

  liveNodes(): readonly string[] {
    return this.membership.view();
  }

  summary(): { nodeId: string; live: readonly string[]; leads: SingletonRole[] } {
    return { nodeId: this.nodeId, live: this.liveNodes(), leads: ROLES.filter((r) => this.leads(r)) };
  }

  /** Hands every singleton over (unlocks with the fences) and removes the heartbeat. */
  async leave(): Promise<void> {
    await Promise.all([...this.elections.values()].map((e) => e.stop()));
    await this.membership.stop();
  }
}
