// Ng3Kernel: bar-by-bar NG3-lite signal. push() takes one bar of closes and returns that bar's row.
// The row object is reused (no allocation per bar): copy what you keep before the next push().
import { Ng3InputError } from './errors.ts';
import { resolveNg3Options, type Ng3Options, type ResolvedNg3Options } from './options.ts';
import { WindowSet } from './window-set.ts';
import { OUT } from './window-track.ts';

/** Column names of the day file, in order (bible §3.1 for the default windows). */
export function ng3ColumnNames(o: ResolvedNg3Options): string[] {
  return ['vel_div', ...o.windows.map((w) => `v${w}_lambda_max_velocity`), ...o.instabilityWindows.map((w) => `instability_${w}`)];
}

export interface Ng3Row {
  /** index of this bar, from 0 */
  bar: number;
  /** v(shortest window) − v(longest window): v50 − v750 by default */
  vel_div: number;
  /** values in `Ng3Kernel.columns` order: vel_div, v…_lambda_max_velocity, instability_… */
  readonly values: Float64Array;
  /** per window, in `windows` order: */
  readonly velocity: Float64Array;
  /** λ̂ = λmax / active */
  readonly lambdaNorm: Float64Array;
  /** λmax of the correlation matrix of the active assets */
  readonly lambdaMax: Float64Array;
  /** 1 − |u(t) · u(t − lag)| for the leading unit eigenvectors u */
  readonly instability: Float64Array;
  /** assets included in the window's correlation matrix */
  readonly active: Float64Array;
}

export class Ng3Kernel {
  readonly options: ResolvedNg3Options;
  readonly columns: readonly string[];
  readonly #set: WindowSet;
  readonly #row: Ng3Row;
  /** for each instability column, the index of its window */
  readonly #instIdx: number[];

  constructor(options: Ng3Options) {
    this.options = resolveNg3Options(options);
    this.columns = ng3ColumnNames(this.options);
    this.#set = new WindowSet(this.options, this.options.windows);
    const w = this.options.windows.length;
    this.#instIdx = this.options.instabilityWindows.map((x) => this.options.windows.indexOf(x));
    const nan = (len: number) => new Float64Array(len).fill(NaN);
    this.#row = {
      bar: -1,
      vel_div: NaN,
      values: nan(this.columns.length),
      velocity: nan(w),
      lambdaNorm: nan(w),
      lambdaMax: nan(w),
      instability: nan(w),
      active: new Float64Array(w),
    };
  }

  /** Bars pushed so far. */
  get bars(): number {
    return this.#set.ring.bars;
  }

  /** Matrix-vector products per window on the last bar (0 while a window is warming up). */
  products(out: Float64Array): Float64Array {
    this.#set.tracks.forEach((t, i) => (out[i] = t.out[OUT.products]));
    return out;
  }

  /** Bars, per window, whose eigen-solve ran out of restarts (expected 0). */
  unconverged(): number[] {
    return this.#set.tracks.map((t) => t.unconverged);
  }

  /** Exact rebuilds of each window's running sums so far (scheduled every K returns, or after a decay). */
  rebuilds(): number[] {
    return this.#set.tracks.map((t) => t.rebuilds);
  }

  /** The window's current correlation matrix (n × n, excluded assets zero), as the kernel multiplies by it. */
  correlation(windowIndex: number, out: Float64Array): Float64Array {
    return this.#set.tracks[windowIndex].corr.correlation(out);
  }

  /** The window's current leading unit eigenvector (a view: valid until the next push). */
  eigenvector(windowIndex: number): Float64Array {
    return this.#set.tracks[windowIndex].vector;
  }

  push(closes: ArrayLike<number>): Ng3Row {
    if (closes.length !== this.options.assets) throw new Ng3InputError(`bar ${this.bars} has ${closes.length} closes, expected ${this.options.assets}`);
    this.#set.push(closes);
    const row = this.#row;
    const tracks = this.#set.tracks;
    for (let i = 0; i < tracks.length; i++) {
      const out = tracks[i].out;
      row.velocity[i] = out[OUT.velocity];
      row.lambdaNorm[i] = out[OUT.lambdaNorm];
      row.lambdaMax[i] = out[OUT.lambdaMax];
      row.instability[i] = out[OUT.instability];
      row.active[i] = out[OUT.active];
    }
    row.bar = this.bars - 1;
    const v = row.values;
    v[0] = row.velocity[0] - row.velocity[tracks.length - 1]; // = velDiv(row.velocity), without a boxed return
    row.vel_div = v[0];
    for (let i = 0; i < tracks.length; i++) v[1 + i] = row.velocity[i];
    for (let i = 0; i < this.#instIdx.length; i++) v[1 + tracks.length + i] = row.instability[this.#instIdx[i]];
    return row;
  }
}

/** vel_div = v(shortest) − v(longest); one expression shared by the kernel and the pool's merge. */
export function velDiv(velocity: ArrayLike<number>): number {
  return velocity[0] - velocity[velocity.length - 1];
}
