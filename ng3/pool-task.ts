// Piscina task: the NG3 series of some windows over prices shared by every task (no copy per task).
import { runWindows, type WindowSeries } from './columns.ts';
import { resolveNg3Options, type Ng3Options } from './options.ts';

export interface Ng3Task {
  /** assets × bars closes, asset-major (asset a's bars at [a·bars, (a+1)·bars)) */
  prices: SharedArrayBuffer;
  assets: number;
  bars: number;
  options: Omit<Ng3Options, 'assets'>;
  windows: number[];
}

/** Returns plain data: the Float64Arrays come back by structured clone. */
export default function ng3Task({ prices, assets, bars, options, windows }: Ng3Task): WindowSeries[] {
  const o = resolveNg3Options({ ...options, assets });
  const series = Array.from({ length: assets }, (_, a) => new Float64Array(prices, a * bars * 8, bars));
  return runWindows(series, o, windows);
}
