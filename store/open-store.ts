// The node's store client from its config: the embedded cluster (default, in-process) or a Hazelcast
// client. Both are the same port; only start-up and shutdown differ (persisting, waiting for members).
import type { Logger } from 'pino';
import { EmbeddedCluster } from './embedded.ts';
import { StoreUnavailableError } from './errors.ts';
import { resolveHazelcastConfig } from './hazelcast-config.ts';
import { connectHazelcastStore } from './hazelcast.ts';
import type { FeatureStore } from './port.ts';

export interface StoreSettings {
  kind: 'embedded' | 'hazelcast';
  persist_path: string | null;
  hazelcast: Record<string, unknown>;
  connect_timeout_ms: number;
}

export interface OpenedStore {
  store: FeatureStore;
  /** what the operator should read in the log: where the store is */
  where: string;
  /** after the node stopped: the embedded store writes its file; Hazelcast closes the client */
  close(): Promise<void>;
}

export async function openStore(s: StoreSettings, clientName: string, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<OpenedStore> {
  if (s.kind === 'embedded') {
    const cluster = new EmbeddedCluster(s.persist_path ? { persistPath: s.persist_path } : {});
    const store = cluster.connect(clientName);
    return {
      store,
      where: s.persist_path ? `embedded (persisted to ${s.persist_path})` : 'embedded (in memory)',
      close: async () => {
        await store.close();
        if (s.persist_path) await cluster.flush();
      },
    };
  }
  const cfg = resolveHazelcastConfig(s.hazelcast, env);
  const store = await connectHazelcastStore(cfg, { logger: log });
  if (!(await store.whenConnected(s.connect_timeout_ms))) {
    await store.close();
    throw new StoreUnavailableError('connect', `no Hazelcast member of cluster ${cfg.cluster_name} at ${cfg.members.join(', ')} answered within ${s.connect_timeout_ms} ms`);
  }
  return { store, where: `hazelcast cluster ${cfg.cluster_name} at ${cfg.members.join(', ')}`, close: () => store.close() };
}
