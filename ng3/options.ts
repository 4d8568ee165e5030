// Options of the NG3 kernel, their defaults and their validation. docs/ng3.md explains each choice.
import { Ng3OptionsError } from './errors.ts';

export interface Ng3Options {
  /** number of assets (columns of closes per bar) */
  assets: number;
  /** rolling windows in bars, strictly increasing; default [50, 150, 300, 750] (bible §3.1) */
  windows?: readonly number[];
  /** k: velocity v(t) = (λ̂(t) − λ̂(t−k)) / k and instability compares the eigenvectors at t and t−k; default 1 */
  lag?: number;
  /** windows that get an instability column; default [50, 150] (bible §3.1); each must be in `windows` */
  instabilityWindows?: readonly number[];
  /** K: recompute each window's running sums exactly from its returns every K returns; 0 = never; default 10 000 */
  recomputeEvery?: number;
  /**
   * rebuild a window's sums at once when some asset's Σx² falls below 1/decayLimit of its peak since
   * the last rebuild (the rounding of large subtracted values would dominate); 0 = never; default 1e4
   */
  decayLimit?: number;
  /** target relative error of λmax (estimated from the Lanczos residual); default 1e-10 */
  tolerance?: number;
  /** largest Krylov space before a restart; default 24 */
  maxKrylov?: number;
  /** restarts before giving up on a bar (the best Ritz value is kept and counted as unconverged); default 20 */
  maxRestarts?: number;
  /** fewer active (non-constant) assets than this ⇒ λ̂ is NaN; default 2 */
  minAssets?: number;
  /** an asset is excluded when its centred sum of squares ≤ varianceFloor × its raw sum of squares; default 1e-12 */
  varianceFloor?: number;
}

export type ResolvedNg3Options = Readonly<Required<Omit<Ng3Options, 'windows' | 'instabilityWindows'>>> & {
  readonly windows: readonly number[];
  readonly instabilityWindows: readonly number[];
};

export const NG3_DEFAULTS = {
  windows: [50, 150, 300, 750],
  lag: 1,
  instabilityWindows: [50, 150],
  recomputeEvery: 10_000,
  decayLimit: 1e4,
  tolerance: 1e-10,
  maxKrylov: 24,
  maxRestarts: 20,
  minAssets: 2,
  varianceFloor: 1e-12,
} as const;

function int(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new Ng3OptionsError(name, `must be an integer ≥ ${min}, got ${v}`);
  return v;
}

function nonNegative(name: string, v: number): number {
  if (!(v >= 0 && v < Infinity)) throw new Ng3OptionsError(name, `must be a finite number ≥ 0, got ${v}`);
  return v;
}

function inUnit(name: string, v: number): number {
  if (!(v > 0 && v < 1)) throw new Ng3OptionsError(name, `must be in (0, 1), got ${v}`);
  return v;
}

export function resolveNg3Options(o: Ng3Options): ResolvedNg3Options {
  const windows = [...(o.windows ?? NG3_DEFAULTS.windows)];
  if (windows.length === 0) throw new Ng3OptionsError('windows', 'needs at least one window');
  windows.forEach((w, i) => {
    int(`windows[${i}]`, w, 2); // one return has no variance
    if (i > 0 && w <= windows[i - 1]) throw new Ng3OptionsError('windows', `must be strictly increasing, got ${windows.join(', ')}`);
  });
  const instabilityWindows = [...(o.instabilityWindows ?? NG3_DEFAULTS.instabilityWindows.filter((w) => windows.includes(w)))];
  for (const w of instabilityWindows) {
    if (!windows.includes(w)) throw new Ng3OptionsError('instabilityWindows', `${w} is not one of the windows ${windows.join(', ')}`);
  }
  const maxKrylov = int('maxKrylov', o.maxKrylov ?? NG3_DEFAULTS.maxKrylov, 2);
  return {
    assets: int('assets', o.assets, 1),
    windows,
    lag: int('lag', o.lag ?? NG3_DEFAULTS.lag, 1),
    instabilityWindows,
    recomputeEvery: int('recomputeEvery', o.recomputeEvery ?? NG3_DEFAULTS.recomputeEvery, 0),
    decayLimit: nonNegative('decayLimit', o.decayLimit ?? NG3_DEFAULTS.decayLimit),
    tolerance: inUnit('tolerance', o.tolerance ?? NG3_DEFAULTS.tolerance),
    maxKrylov,
    maxRestarts: int('maxRestarts', o.maxRestarts ?? NG3_DEFAULTS.maxRestarts, 0),
    minAssets: int('minAssets', o.minAssets ?? NG3_DEFAULTS.minAssets, 1),
    varianceFloor: inUnit('varianceFloor', o.varianceFloor ?? NG3_DEFAULTS.varianceFloor),
  };
}
