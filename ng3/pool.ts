// Worker pool for whole-series NG3 columns. The unit of work is one window: a window's series depend
// only on the closes and the options (window-set.ts), so any split of windows over any number of
// threads gives bit-identical columns to computeColumns() on one thread. vel_div is derived here, on
// the calling thread, with the same expression the kernel uses. Windows are the natural split: the
// correlation needs every asset, and cutting time into chunks would change the Lanczos warm starts.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { assembleColumns, seriesLength, type ComputeOptions, type WindowSeries } from './columns.ts';
import { Ng3OptionsError } from './errors.ts';
import { resolveNg3Options } from './options.ts';
import type { Ng3Task } from './pool-task.ts';

// Workers inherit this process's execArgv: when that registers tsx the .ts task loads directly;
// otherwise the .mjs entry loads it through tsx's API (as workers/forewarner-pool.ts does).
const TASK_ENTRY = new URL(process.execArgv.some((a) => a.includes('tsx')) ? './pool-task.ts' : './pool-task.mjs', import.meta.url).href;

export interface Ng3PoolOptions {
  /** worker threads; default: one per core, at most 4 (there are four windows by default) */
  threads?: number;
}

/** computeColumns() after close(): a lifecycle bug in the caller. */
export class Ng3PoolClosedError extends Error {
  override readonly name = 'Ng3PoolClosedError';
  constructor() {
    super('ng3 pool is closed');
  }
}

export class Ng3Pool {
  readonly threads: number;
  readonly #piscina: Piscina;
  #closed: Promise<void> | null = null;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(opts: Ng3PoolOptions = {}) {
    const threads = opts.threads ?? Math.max(1, Math.min(4, availableParallelism()));
    if (!Number.isInteger(threads) || threads < 1) throw new Ng3OptionsError('threads', `must be a positive integer, got ${threads}`);
    this.threads = threads;
    this.#piscina = new Piscina({ filename: TASK_ENTRY, minThreads: threads, maxThreads: threads, idleTimeout: Infinity });
    // a dying worker also rejects the tasks it held; an unheard 'error' event would crash the process
    this.#piscina.on('error', () => {});
  }

  /** Same columns as computeColumns(prices, options), computed with one task per window. */
  computeColumns(prices: readonly ArrayLike<number>[], options: ComputeOptions = {}): Promise<Record<string, Float64Array>> {
    if (this.#closed) return Promise.reject(new Ng3PoolClosedError());
    const run = this.#run(prices, options);
    this.#pending.add(run);
    const forget = () => this.#pending.delete(run);
    run.then(forget, forget);
    return run;
  }

  async #run(prices: readonly ArrayLike<number>[], options: ComputeOptions): Promise<Record<string, Float64Array>> {
    const { diagnostics, ...rest } = options;
    const o = resolveNg3Options({ ...rest, assets: prices.length }); // bad options fail here, not in a worker
    const bars = seriesLength(prices);
    const shared = new SharedArrayBuffer(prices.length * bars * 8);
    prices.forEach((p, a) => new Float64Array(shared, a * bars * 8, bars).set(p));
    const tasks = o.windows.map((w) => {
      const task: Ng3Task = { prices: shared, assets: prices.length, bars, options: rest, windows: [w] };
      return this.#piscina.run(task) as Promise<WindowSeries[]>;
    });
    const series = (await Promise.all(tasks)).flat();
    return assembleColumns(o, series, diagnostics ?? false);
  }

  /** Lets every request already made settle, then stops the threads. Safe to call more than once. */
  close(): Promise<void> {
    this.#closed ??= Promise.allSettled([...this.#pending]).then(() => this.#piscina.close());
    return this.#closed;
  }
}
