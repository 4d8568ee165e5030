// IRP asset selection (bible §5): impulse-response profile per asset, ARS, ranking, the walk.
import type { IrpParams } from './config.ts';
import type { ObProvider } from './ob.ts';

export interface IrpMetrics {
  mfe: number;
  mae: number;
  efficiency: number;
  alignment: number;
  noise: number;
  latency: number;
}

export interface Ranking {
  asset: string;
  /** position in the engine's asset order, for the stable sort */
  order: number;
  ars: number;
  /** direction whose profile won: the ranking's action is SHORT when −1 */
  direction: -1 | 1;
  metrics: IrpMetrics;
}

/** §5.2 compute_irp_nb over prices[0..n): returns are absolute price differences × direction. */
export function computeIrp(prices: Float64Array, n: number, direction: -1 | 1): IrpMetrics {
  const nRet = n - 1;
  const s = profileSums(prices, nRet, direction, SUMS);
  const mfe = s.maxCum; // max(0, max(cumsum))
  const mae = Math.abs(s.minCum); // |min(min(cumsum), 0)|
  return {
    mfe,
    mae,
    efficiency: mfe / (mae + 1e-6),
    alignment: s.positive / nRet,
    noise: s.ss / nRet,
    latency: latencyTo10pct(prices, nRet, direction, mfe),
  };
}

/** The running sums of one profile: the kernel's single pass plus numpy's two-pass variance. */
interface ProfileSums {
  maxCum: number;
  minCum: number;
  positive: number;
  negative: number;
  ss: number;
}

const SUMS: ProfileSums = { maxCum: 0, minCum: 0, positive: 0, negative: 0, ss: 0 };

/** Fills `out` for returns (prices[i+1] − prices[i])·direction, i < nRet; `out` is reused, not allocated per asset. */
function profileSums(prices: Float64Array, nRet: number, direction: -1 | 1, out: ProfileSums): ProfileSums {
  let cum = 0;
  let maxCum = 0;
  let minCum = 0;
  let positive = 0;
  let negative = 0;
  let sum = 0;
  for (let i = 0; i < nRet; i++) {
    const r = (prices[i + 1] - prices[i]) * direction;
    cum += r;
    if (cum > maxCum) maxCum = cum;
    if (cum < minCum) minCum = cum;
    if (r > 0) positive++;
    else if (r < 0) negative++;
    sum += r;
  }
  const mean = sum / nRet;
  // population variance, two-pass for accuracy like numpy's var
  let ss = 0;
  for (let i = 0; i < nRet; i++) {
    const d = (prices[i + 1] - prices[i]) * direction - mean;
    ss += d * d;
  }
  out.maxCum = maxCum;
  out.minCum = minCum;
  out.positive = positive;
  out.negative = negative;
  out.ss = ss;
  return out;
}

/** i+1 for the first return index whose cumsum reaches 10 % of mfe; 50 when mfe = 0. */
function latencyTo10pct(prices: Float64Array, nRet: number, direction: -1 | 1, mfe: number): number {
  if (mfe === 0) return 50;
  const target = 0.1 * mfe;
  let cum = 0;
  for (let i = 0; i < nRet; i++) {
    cum += (prices[i + 1] - prices[i]) * direction;
    if (cum >= target) return i + 1;
  }
  return 50;
}

/** §5.3 */
export function computeArs(m: IrpMetrics): number {
  return 0.5 * Math.log1p(m.efficiency) + 0.35 * m.alignment - 0.15 * m.noise * 1000;
}

/** §5.4 filter gates of the kernel. */
function passesKernelFilters(m: IrpMetrics, p: IrpParams): boolean {
  return !(m.noise > p.filter_max_noise || m.latency > p.filter_max_latency || m.alignment < p.filter_min_alignment);
}

/** OB sub-1: ARS moved ±5 %/10 % by depth quality, scaled on |ARS| so the sign never flips the meaning. */
export function obAdjustArs(ars: number, depthQuality: number): number {
  let adj = 0;
  if (depthQuality >= 1.5) adj = 0.1;
  else if (depthQuality >= 1.0) adj = 0.05;
  else if (depthQuality < 0.3) adj = -0.1;
  else if (depthQuality < 0.6) adj = -0.05;
  return ars + Math.abs(ars) * adj;
}

export interface RankInput {
  assets: readonly string[];
  /** fills out[0..window) with an asset's newest prices, or returns false if it has fewer than window */
  pricesOf: (assetIndex: number, out: Float64Array) => boolean;
  window: number;
}

/** §5.4 rank_assets_irp_nb: better of direct and inverse profile, filters, stable sort by ARS desc. */
export function rankAssets(
  input: RankInput,
  regimeDirection: -1 | 1,
  p: IrpParams,
  ob: ObProvider | null,
  barIdx: number,
  scratch: Float64Array,
): Ranking[] {
  const out: Ranking[] = [];
  for (let a = 0; a < input.assets.length; a++) {
    if (!input.pricesOf(a, scratch)) continue;
    const direct = computeIrp(scratch, input.window, regimeDirection);
    const inverse = computeIrp(scratch, input.window, (-regimeDirection) as -1 | 1);
    const arsDirect = computeArs(direct);
    const arsInverse = computeArs(inverse);
    const useInverse = arsInverse > arsDirect; // inverse wins only when strictly higher
    const metrics = useInverse ? inverse : direct;
    if (!passesKernelFilters(metrics, p)) continue;
    let ars = useInverse ? arsInverse : arsDirect;
    if (ob !== null) {
      const placement = ob.placement(input.assets[a], barIdx);
      if (placement !== null) ars = obAdjustArs(ars, placement.depthQuality);
    }
    out.push({
      asset: input.assets[a],
      order: a,
      ars,
      direction: useInverse ? ((-regimeDirection) as -1 | 1) : regimeDirection,
      metrics,
    });
  }
  out.sort((x, y) => y.ars - x.ars || x.order - y.order);
  return out;
}

/** §5.5 walk: alignment gate, direction gate, OB depth gate; no fallback asset. */
export function selectAsset(
  rankings: readonly Ranking[],
  regimeDirection: -1 | 1,
  p: IrpParams,
  ob: ObProvider | null,
  barIdx: number,
): Ranking | null {
  for (const r of rankings) {
    if (p.min_irp_alignment > 0 && r.metrics.alignment < p.min_irp_alignment) continue;
    if (r.direction !== regimeDirection) continue;
    if (ob !== null) {
      const placement = ob.placement(r.asset, barIdx);
      if (placement !== null && placement.depthQuality < p.ob_min_depth_quality) continue;
    }
    return r;
  }
  return null;
}

export interface Pick {
  index: number;
  ars: number;
  alignment: number;
}

/**
 * The asset selectAsset(rankAssets(...)) would pick, in one pass and without sorting: the walk's
 * first passing entry of a stable ARS-descending sort is the highest ARS among assets passing every
 * gate, ties to the earliest. The inverse profile is derived exactly from the direct one (IEEE
 * negation is exact: cumsum(−r) = −cumsum(r), the variance is unchanged), and latency is computed
 * for the winner only. A property test holds this equal to the literal two-step version.
 */
export function bestAsset(
  input: RankInput,
  regimeDirection: -1 | 1,
  p: IrpParams,
  ob: ObProvider | null,
  barIdx: number,
  scratch: Float64Array,
): Pick | null {
  const n = input.window;
  const nRet = n - 1;
  let best: Pick | null = null;
  for (let a = 0; a < input.assets.length; a++) {
    if (!input.pricesOf(a, scratch)) continue;
    const { maxCum, minCum, positive, negative, ss } = profileSums(scratch, nRet, regimeDirection, SUMS);
    const noise = ss / nRet;
    const alignment = positive / nRet;
    const arsDirect = 0.5 * Math.log1p(maxCum / (Math.abs(minCum) + 1e-6)) + 0.35 * alignment - 0.15 * noise * 1000;
    const arsInverse = 0.5 * Math.log1p((0 - minCum) / (maxCum + 1e-6)) + 0.35 * (negative / nRet) - 0.15 * noise * 1000;
    // direction gate: an asset whose inverse profile wins is skipped
    if (arsInverse > arsDirect) continue;
    if (alignment < p.filter_min_alignment || (p.min_irp_alignment > 0 && alignment < p.min_irp_alignment)) continue;
    if (noise > p.filter_max_noise) continue;
    if (latencyTo10pct(scratch, nRet, regimeDirection, maxCum) > p.filter_max_latency) continue;
    let ars = arsDirect;
    if (ob !== null) {
      const placement = ob.placement(input.assets[a], barIdx);
      if (placement !== null) {
        if (placement.depthQuality < p.ob_min_depth_quality) continue;
        ars = obAdjustArs(ars, placement.depthQuality);
      }
    }
    if (best === null || ars > best.ars) best = { index: a, ars, alignment };
  }
  return best;
}
