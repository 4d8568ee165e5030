// Whole-series NG3 columns. runWindows() is the per-window work (also what a pool task runs);
// assembleColumns() names the columns and derives vel_div, identically for one thread or many.
import { Ng3InputError, Ng3OptionsError } from './errors.ts';
import { ng3ColumnNames, velDiv } from './kernel.ts';
import { resolveNg3Options, type Ng3Options, type ResolvedNg3Options } from './options.ts';
import { WindowSet } from './window-set.ts';
import { OUT } from './window-track.ts';

/** One window's series, one value per bar. */
export interface WindowSeries {
  window: number;
  lambdaMax: Float64Array;
  lambdaNorm: Float64Array;
  velocity: Float64Array;
  instability: Float64Array;
  active: Float64Array;
  /** matrix-vector products spent per bar */
  products: Float64Array;
  /** bars whose eigen-solve ran out of restarts */
  unconverged: number;
  /** exact rebuilds of the running sums (scheduled every K returns, or after a decay) */
  rebuilds: number;
}

export type ComputeOptions = Omit<Ng3Options, 'assets'> & {
  /** also return lambda_max_<w>, lambda_norm_<w>, active_<w>, products_<w> per window */
  diagnostics?: boolean;
};

/** Checks that every asset has the same number of bars; returns it. */
export function seriesLength(prices: readonly ArrayLike<number>[]): number {
  if (prices.length === 0) throw new Ng3InputError('no assets');
  const bars = prices[0].length;
  prices.forEach((p, a) => {
    if (p.length !== bars) throw new Ng3InputError(`asset ${a} has ${p.length} bars, asset 0 has ${bars}`);
  });
  return bars;
}

/** Runs the given windows over every bar of `prices` (one array per asset). */
export function runWindows(prices: readonly ArrayLike<number>[], o: ResolvedNg3Options, windows: readonly number[]): WindowSeries[] {
  const bars = seriesLength(prices);
  if (prices.length !== o.assets) throw new Ng3InputError(`${prices.length} price series for ${o.assets} assets`);
  for (const w of windows) if (!o.windows.includes(w)) throw new Ng3OptionsError('windows', `${w} is not one of ${o.windows.join(', ')}`);
  const set = new WindowSet(o, windows);
  const out = windows.map((window) => ({
    window,
    lambdaMax: new Float64Array(bars),
    lambdaNorm: new Float64Array(bars),
    velocity: new Float64Array(bars),
    instability: new Float64Array(bars),
    active: new Float64Array(bars),
    products: new Float64Array(bars),
    unconverged: 0,
    rebuilds: 0,
  }));
  const closes = new Float64Array(o.assets);
  for (let t = 0; t < bars; t++) {
    for (let a = 0; a < o.assets; a++) closes[a] = prices[a][t];
    set.push(closes);
    for (let i = 0; i < windows.length; i++) {
      const r = set.tracks[i].out;
      const s = out[i];
      // on bar 0 no window has stepped: `out` still holds its initial values (NaN, active 0)
      s.lambdaMax[t] = r[OUT.lambdaMax];
      s.lambdaNorm[t] = r[OUT.lambdaNorm];
      s.velocity[t] = r[OUT.velocity];
      s.instability[t] = r[OUT.instability];
      s.active[t] = r[OUT.active];
      s.products[t] = r[OUT.products];
    }
  }
  set.tracks.forEach((tr, i) => {
    out[i].unconverged = tr.unconverged;
    out[i].rebuilds = tr.rebuilds;
  });
  return out;
}

/** Day-file columns from every window's series (in any order): vel_div, velocities, instabilities. */
export function assembleColumns(o: ResolvedNg3Options, series: readonly WindowSeries[], diagnostics = false): Record<string, Float64Array> {
  const byWindow = o.windows.map((w) => {
    const s = series.find((x) => x.window === w);
    if (!s) throw new Ng3InputError(`no series for window ${w}`);
    return s;
  });
  const bars = byWindow[0].velocity.length;
  const names = ng3ColumnNames(o);
  const cols: Record<string, Float64Array> = {};
  const vd = new Float64Array(bars);
  const v = new Float64Array(byWindow.length);
  for (let t = 0; t < bars; t++) {
    for (let i = 0; i < byWindow.length; i++) v[i] = byWindow[i].velocity[t];
    vd[t] = velDiv(v);
  }
  cols[names[0]] = vd;
  byWindow.forEach((s, i) => (cols[names[1 + i]] = s.velocity));
  for (const w of o.instabilityWindows) cols[`instability_${w}`] = byWindow[o.windows.indexOf(w)].instability;
  if (diagnostics) {
    for (const s of byWindow) {
      cols[`lambda_max_${s.window}`] = s.lambdaMax;
      cols[`lambda_norm_${s.window}`] = s.lambdaNorm;
      cols[`active_${s.window}`] = s.active;
      cols[`products_${s.window}`] = s.products;
    }
  }
  return cols;
}

/** NG3 columns for whole series on this thread: one price array per asset, all the same length. */
export function computeColumns(prices: readonly ArrayLike<number>[], options: ComputeOptions = {}): Record<string, Float64Array> {
  const { diagnostics, ...rest } = options;
  const o = resolveNg3Options({ ...rest, assets: prices.length });
  return assembleColumns(o, runWindows(prices, o, o.windows), diagnostics ?? false);
}
