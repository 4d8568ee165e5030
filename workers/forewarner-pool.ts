// Worker pool for the MC-Forewarner model (bible §12, §16.4). The paths split into chunks that run on
// piscina threads; the merge is independent of the split, so the report equals assessEnvelope's exactly.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { mergeChunks, planChunks, resolveMcParams, type McChunk, type McInput, type McReport } from '../engine/forewarner-mc.ts';
import type { ForewarnerTask } from './forewarner-task.ts';

// Workers inherit this process's execArgv. When that registers tsx (ava's --import=tsx, the tsx CLI)
// the .ts task loads directly; otherwise the .mjs entry loads it through tsx's scoped API. Always using
// the .mjs would work too, but piscina first tries require() on it, which tsx's hooks make slow.
const TASK_ENTRY = new URL(process.execArgv.some((a) => a.includes('tsx')) ? './forewarner-task.ts' : './forewarner-task.mjs', import.meta.url).href;

export interface ForewarnerPoolOptions {
  /** worker threads; default: one per spare core, at most 4 (the actor loop keeps a core) */
  threads?: number;
  /** chunks per assessment; default 2 × threads, so a slow chunk does not leave a thread idle */
  chunks?: number;
}

/** assess() after close(): a lifecycle bug in the caller, not a model error. */
export class ForewarnerPoolClosedError extends Error {
  override readonly name = 'ForewarnerPoolClosedError';
  constructor() {
    super('forewarner pool is closed');
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`forewarner pool: ${name} must be a positive integer, got ${v}`);
  return v;
}

export class ForewarnerPool {
  readonly threads: number;
  readonly chunks: number;
  readonly #piscina: Piscina;
  #closed: Promise<void> | null = null;
  readonly #pending = new Set<Promise<McReport>>();

  constructor(opts: ForewarnerPoolOptions = {}) {
    this.threads = positiveInt('threads', opts.threads ?? Math.max(1, Math.min(4, availableParallelism() - 1)));
    this.chunks = positiveInt('chunks', opts.chunks ?? 2 * this.threads);
    this.#piscina = new Piscina({
      filename: TASK_ENTRY,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: Infinity, // threads live until close(): loading tsx per assessment costs more than the work
    });
    // piscina also emits 'error' when a worker dies (e.g. fails to load); the tasks it held or would
    // run already reject with that error, and an unheard 'error' event would crash the process
    this.#piscina.on('error', () => {});
  }

  /** The report for one request; rejects with the model's own error (a RangeError naming the bad field). */
  assess(input: McInput): Promise<McReport> {
    if (this.#closed) return Promise.reject(new ForewarnerPoolClosedError());
    const run = this.#run(input);
    this.#pending.add(run);
    const forget = () => this.#pending.delete(run);
    run.then(forget, forget);
    return run;
  }

  async #run(input: McInput): Promise<McReport> {
    const p = resolveMcParams(input.params);
    // too little history: nothing to simulate, and the neutral report needs no worker (it still validates)
    if (input.outcomes.length < p.min_outcomes) return mergeChunks(input, []);
    const parts = planChunks(p.paths, this.chunks).map(
      ({ firstPath, count }) => this.#piscina.run({ input, firstPath, count } satisfies ForewarnerTask) as Promise<McChunk>,
    );
    return mergeChunks(input, await Promise.all(parts));
  }

  /** Lets every assessment already asked for settle, then stops the threads. Safe to call more than once. */
  close(): Promise<void> {
    // piscina's own close() drops tasks still queued for a thread, which would fail an accepted request
    this.#closed ??= Promise.allSettled([...this.#pending]).then(() => this.#piscina.close());
    return this.#closed;
  }
}
