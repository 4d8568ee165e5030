// What the node owns beyond any one actor's life: the order-book source and the forewarner's
// worker pool. Built from the node config; closed by the node at shutdown.
import type { NodeConfig } from '../config/node-schema.ts';
import { assessEnvelope } from '../engine/forewarner-mc.ts';
import { RecordedObSource } from '../market/ob-source-recorded.ts';
import { SyntheticObSource } from '../market/ob-source-synthetic.ts';
import type { ObSource } from '../market/ob-source.ts';
import { ForewarnerPool } from '../workers/forewarner-pool.ts';
import type { Assess } from './context.ts';

export interface NodeResources {
  obSource: ObSource;
  assess: Assess;
  close(): Promise<void>;
}

/** `obSource`: a source the caller built (the paper command's exchange); else the config's. */
export async function openResources(c: NodeConfig, given?: ObSource): Promise<NodeResources> {
  const obSource = given ?? (await obSourceOf(c));
  const pool = c.forewarner.threads > 0 ? new ForewarnerPool({ threads: c.forewarner.threads }) : null;
  return {
    obSource,
    assess: pool ? (input) => pool.assess(input) : async (input) => assessEnvelope(input),
    async close() {
      await pool?.close();
      await obSource.close?.();
    },
  };
}

async function obSourceOf(c: NodeConfig): Promise<ObSource> {
  const a = c.actors;
  if (a.ob_source === 'ccxt') throw new Error('actors.ob_source "ccxt" needs an exchange: run `dolphin paper --config config/paper.yaml`, which connects one');
  if (a.ob_source === 'recorded') {
    if (a.ob_recording === null) throw new Error('actors.ob_source is "recorded" but actors.ob_recording names no file');
    return RecordedObSource.open(a.ob_recording);
  }
  return new SyntheticObSource({ seed: a.ob_seed, stepMs: a.ob_cycle_ms });
}
