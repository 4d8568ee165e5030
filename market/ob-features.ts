// Order-book features (bible §9): per-asset signal and placement quality, market-wide macro, computed
// from one snapshot per symbol per 500 ms cycle (§16.2). The bible names the fields but gives no
// formulas; the ones here are ours, each number a parameter below (docs/ob-features.md has them all).
// Deterministic: the same snapshots in the same cycles give the same features; no clock is read.
import type { ObMacro, ObPlacement, ObProvider, ObSignal } from '../engine/ob.ts';
import { ObDataError, validateSnapshot, type ObLevel, type ObSnapshot } from './ob-snapshot.ts';
import { OB_STALE_AFTER_MS } from './ob-staleness.ts';

export interface ObFeatureParams {
  /** levels per side summed into depth and imbalance (top-N) */
  depth_levels: number;
  /** snapshots in the imbalance moving average (§9.1 "imbalance_ma5") */
  imbalance_ma_window: number;
  /** N in "fraction of the last N snapshots sustaining the sign" (§9.1); 10 = one 5 s engine bar */
  persistence_window: number;
  /** snapshots back that withdrawal velocity compares against (4 = 2 s at 500 ms) */
  withdrawal_lookback: number;
  /** snapshots in the rolling median of depth that depth quality is measured against (600 = 5 min) */
  depth_median_window: number;
  /** snapshots of depth averaged in depth quality's numerator, so one noisy book does not swing it */
  depth_quality_smoothing: number;
  /** USDT notional of a typical order of this node (capital × fraction × leverage), for fill probability */
  trade_notional_usd: number;
  /** per-asset cascade: withdrawal velocity at or below this (1/s)… */
  cascade_withdrawal_velocity: number;
  /** …and |imbalance| of the snapshot at or above this (one side swept)… */
  cascade_min_imbalance: number;
  /** …and |mid move| over the withdrawal lookback at or above this many bps */
  cascade_min_move_bps: number;
  /** a triggered cascade flag is held this long (one engine bar), so a 5 s bar cannot miss it */
  cascade_hold_ms: number;
  /** macro +1 (withdrawal stress) when the median withdrawal velocity is at or below this (1/s)… */
  regime_stress_velocity: number;
  /** …or the median depth quality is at or below this */
  regime_stress_depth_quality: number;
  /** macro −1 (calm) when the median depth quality is at or above this… */
  regime_calm_depth_quality: number;
  /** …and the median withdrawal velocity is at or above this (1/s) */
  regime_calm_velocity: number;
  /** OB-3: leverage multiplier = 1 + gain · direction · market imbalance, clamped to [floor, cap] */
  market_mult_gain: number;
  market_mult_floor: number;
  market_mult_cap: number;
  /** an asset's features older than this at the cycle time are left out of macro and the engine view */
  max_age_ms: number;
  /** a gap longer than this between two snapshots of a symbol restarts its short windows */
  gap_reset_ms: number;
}

export const OB_FEATURE_PARAMS: Readonly<ObFeatureParams> = Object.freeze({
  depth_levels: 5,
  imbalance_ma_window: 5,
  persistence_window: 10,
  withdrawal_lookback: 4,
  depth_median_window: 600,
  depth_quality_smoothing: 5,
  trade_notional_usd: 10_000,
  cascade_withdrawal_velocity: -0.25,
  cascade_min_imbalance: 0.5,
  cascade_min_move_bps: 15,
  cascade_hold_ms: 5_000,
  regime_stress_velocity: -0.05,
  regime_stress_depth_quality: 0.7,
  regime_calm_depth_quality: 1.05,
  regime_calm_velocity: -0.02,
  market_mult_gain: 1.0,
  market_mult_floor: 0.85,
  market_mult_cap: 1.2,
  max_age_ms: OB_STALE_AFTER_MS,
  gap_reset_ms: OB_STALE_AFTER_MS,
});

const COUNT_PARAMS = [
  'depth_levels',
  'imbalance_ma_window',
  'persistence_window',
  'withdrawal_lookback',
  'depth_median_window',
  'depth_quality_smoothing',
] as const;

/** Defaults overlaid with `overrides`; throws RangeError naming the first bad parameter. */
export function resolveObParams(overrides: Partial<ObFeatureParams> = {}): Readonly<ObFeatureParams> {
  const p: ObFeatureParams = { ...OB_FEATURE_PARAMS, ...overrides };
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`OB feature param ${k} must be a finite number, got ${v}`);
  }
  for (const k of COUNT_PARAMS) {
    if (!Number.isInteger(p[k]) || p[k] < 1) throw new RangeError(`OB feature param ${k} must be an integer >= 1, got ${p[k]}`);
  }
  for (const k of ['trade_notional_usd', 'max_age_ms', 'gap_reset_ms'] as const) {
    if (p[k] <= 0) throw new RangeError(`OB feature param ${k} must be > 0, got ${p[k]}`);
  }
  if (!(p.market_mult_floor <= 1 && 1 <= p.market_mult_cap)) {
    throw new RangeError(`OB feature params need market_mult_floor <= 1 <= market_mult_cap, got ${p.market_mult_floor}, ${p.market_mult_cap}`);
  }
  return Object.freeze(p);
}

export interface ObAssetFeatures {
  symbol: string;
  /** ts of the snapshot these features were computed from */
  ts: number;
  /** a new snapshot arrived this cycle; false = carried over from an earlier cycle */
  updated: boolean;
  /** (bid − ask) / (bid + ask) over top-N sizes of the latest snapshot, [−1, 1] */
  imbalance: number;
  /** mean imbalance over the last `imbalance_ma_window` snapshots, [−1, 1] */
  imbalanceMa5: number;
  /** share of the last `persistence_window` snapshots whose imbalance has the MA's sign, [0, 1] */
  persistence: number;
  /** relative change of top-N depth per second over `withdrawal_lookback` snapshots; < 0 = thinning */
  withdrawalVelocity: number;
  /** smoothed top-N depth / its rolling median; 1 = normal, [0, ∞) */
  depthQuality: number;
  /** share of a typical order fillable at the best price on the thinner side, [0, 1] */
  fillProbability: number;
  /** in a liquidation cascade (triggered within `cascade_hold_ms`) */
  cascade: boolean;
  /** top-N depth, both sides, base units */
  depth: number;
}

export interface ObMacroFeatures extends ObMacro {
  /** assets whose features are at most `max_age_ms` old at the cycle time (the ones counted here) */
  symbols: number;
  /** mean imbalanceMa5 over those assets, [−1, 1]; drives OB-3 */
  marketImbalance: number;
  /** median over those assets; 0 when there are none (the watchdog's Cat3 inputs, §11.2) */
  depthQuality: number;
  fillProbability: number;
  withdrawalVelocity: number;
}

export interface ObCycleFeatures {
  /** the cycle time given to update() */
  ts: number;
  /** every symbol ever seen, sorted by symbol; check `updated` / `ts` for freshness */
  assets: ObAssetFeatures[];
  macro: ObMacroFeatures;
  /** snapshots that failed validation this cycle (each names its symbol and level); not ingested */
  rejected: ObDataError[];
}

interface Sample {
  ts: number;
  imbalance: number;
  depth: number;
  /** NaN when both sides are empty */
  mid: number;
}

/** Fixed-capacity window that keeps its values sorted for an O(n) update and O(1) median. */
class RollingMedian {
  private readonly fifo: number[] = [];
  private readonly sorted: number[] = [];
  constructor(private readonly cap: number) {}

  push(x: number): void {
    if (this.fifo.length === this.cap) this.sorted.splice(lowerBound(this.sorted, this.fifo.shift()!), 1);
    this.fifo.push(x);
    this.sorted.splice(lowerBound(this.sorted, x), 0, x);
  }

  median(): number {
    const n = this.sorted.length;
    const m = n >> 1;
    return n % 2 === 1 ? this.sorted[m] : (this.sorted[m - 1] + this.sorted[m]) / 2;
  }
}

function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class SymbolState {
  recent: Sample[] = [];
  readonly depths: RollingMedian;
  lastTs = -Infinity;
  lastCascadeTs = -Infinity;
  features: ObAssetFeatures | null = null;
  constructor(p: ObFeatureParams) {
    this.depths = new RollingMedian(p.depth_median_window);
  }
}

export class ObFeatureEngine {
  readonly params: Readonly<ObFeatureParams>;
  private readonly states = new Map<string, SymbolState>();
  private readonly keep: number;

  constructor(params: Partial<ObFeatureParams> = {}) {
    this.params = resolveObParams(params);
    const p = this.params;
    this.keep = Math.max(p.imbalance_ma_window, p.persistence_window, p.withdrawal_lookback + 1, p.depth_quality_smoothing);
  }

  /**
   * Ingests one cycle's snapshots and returns every symbol's latest features plus macro. Invalid
   * snapshots are returned in `rejected`, never ingested. A snapshot not newer than the symbol's last
   * one (a source repeating its latest book) is ignored, so windows count distinct books.
   */
  update(snapshots: readonly ObSnapshot[], nowMs: number): ObCycleFeatures {
    if (!Number.isFinite(nowMs)) throw new RangeError(`ObFeatureEngine.update: nowMs must be finite, got ${nowMs}`);
    const rejected: ObDataError[] = [];
    const valid: ObSnapshot[] = [];
    for (const s of snapshots) {
      try {
        valid.push(validateSnapshot(s));
      } catch (e) {
        if (!(e instanceof ObDataError)) throw e;
        rejected.push(e);
      }
    }
    // Per symbol in time order; a stable sort keeps the source's order among equal timestamps.
    valid.sort((a, b) => a.ts - b.ts);
    const updated = new Set<string>();
    for (const s of valid) {
      let st = this.states.get(s.symbol);
      if (st === undefined) this.states.set(s.symbol, (st = new SymbolState(this.params)));
      if (s.ts <= st.lastTs) continue;
      this.ingest(st, s);
      updated.add(s.symbol);
    }
    const assets: ObAssetFeatures[] = [];
    for (const sym of [...this.states.keys()].sort()) {
      const f = this.states.get(sym)!.features;
      if (f !== null) assets.push({ ...f, updated: updated.has(sym) });
    }
    return { ts: nowMs, assets, macro: macroOf(assets, nowMs, this.params), rejected };
  }

  private ingest(st: SymbolState, s: ObSnapshot): void {
    const p = this.params;
    const bid = topDepth(s.bids, p.depth_levels);
    const ask = topDepth(s.asks, p.depth_levels);
    const sample: Sample = { ts: s.ts, imbalance: imbalanceOf(bid, ask), depth: bid + ask, mid: midOf(s) };
    const last = st.recent[st.recent.length - 1];
    if (last !== undefined && s.ts - last.ts > p.gap_reset_ms) st.recent = [];
    st.recent.push(sample);
    if (st.recent.length > this.keep) st.recent.shift();
    st.depths.push(sample.depth);
    st.lastTs = s.ts;

    const r = st.recent;
    // clamped only against rounding: a mean of values in [−1, 1]
    const ma = Math.min(1, Math.max(-1, mean(r, p.imbalance_ma_window, (x) => x.imbalance)));
    const sign = Math.sign(ma);
    let same = 0;
    const nPers = Math.min(p.persistence_window, r.length);
    for (let i = r.length - nPers; i < r.length; i++) if (sign !== 0 && Math.sign(r[i].imbalance) === sign) same++;

    const ref = r[r.length - 1 - Math.min(p.withdrawal_lookback, r.length - 1)];
    const dtS = (s.ts - ref.ts) / 1000;
    const velocity = dtS > 0 && ref.depth > 0 ? (sample.depth / ref.depth - 1) / dtS : 0;
    const moveBps = ref.mid > 0 && sample.mid > 0 ? (sample.mid / ref.mid - 1) * 1e4 : 0;

    const median = st.depths.median();
    const depthQuality = median > 0 ? mean(r, p.depth_quality_smoothing, (x) => x.depth) / median : 0;

    if (
      velocity <= p.cascade_withdrawal_velocity &&
      Math.abs(sample.imbalance) >= p.cascade_min_imbalance &&
      Math.abs(moveBps) >= p.cascade_min_move_bps
    ) {
      st.lastCascadeTs = s.ts;
    }

    st.features = {
      symbol: s.symbol,
      ts: s.ts,
      updated: true,
      imbalance: sample.imbalance,
      imbalanceMa5: ma,
      persistence: same / nPers,
      withdrawalVelocity: velocity,
      depthQuality,
      fillProbability: fillProbabilityOf(s, p.trade_notional_usd),
      cascade: s.ts - st.lastCascadeTs <= p.cascade_hold_ms,
      depth: sample.depth,
    };
  }
}

function topDepth(levels: readonly ObLevel[], n: number): number {
  let d = 0;
  for (let i = 0; i < Math.min(n, levels.length); i++) d += levels[i][1];
  return d;
}

/** (bid − ask) / (bid + ask); 0 for an empty book. */
export function imbalanceOf(bidDepth: number, askDepth: number): number {
  const total = bidDepth + askDepth;
  return total > 0 ? (bidDepth - askDepth) / total : 0;
}

function midOf(s: ObSnapshot): number {
  const b = s.bids[0]?.[0];
  const a = s.asks[0]?.[0];
  if (b !== undefined && a !== undefined) return (b + a) / 2;
  return b ?? a ?? NaN;
}

/**
 * Share of a typical order (`tradeNotional` USDT) that the best level can take at its price, on the
 * thinner side (placement is asked without a direction). 1 = the whole order fits at the best price.
 */
export function fillProbabilityOf(s: ObSnapshot, tradeNotional: number): number {
  const b = s.bids[0];
  const a = s.asks[0];
  if (b === undefined || a === undefined) return 0;
  return Math.min(1, Math.min(b[0] * b[1], a[0] * a[1]) / tradeNotional);
}

function mean(r: Sample[], window: number, f: (x: Sample) => number): number {
  const n = Math.min(window, r.length);
  let sum = 0;
  for (let i = r.length - n; i < r.length; i++) sum += f(r[i]);
  return sum / n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function macroOf(assets: ObAssetFeatures[], nowMs: number, p: ObFeatureParams): ObMacroFeatures {
  const live = assets.filter((a) => nowMs - a.ts <= p.max_age_ms);
  if (live.length === 0) {
    return { cascadeCount: 0, regimeSignal: 0, symbols: 0, marketImbalance: 0, depthQuality: 0, fillProbability: 0, withdrawalVelocity: 0 };
  }
  const dq = median(live.map((a) => a.depthQuality));
  const wv = median(live.map((a) => a.withdrawalVelocity));
  const regimeSignal: -1 | 0 | 1 =
    wv <= p.regime_stress_velocity || dq <= p.regime_stress_depth_quality
      ? 1
      : dq >= p.regime_calm_depth_quality && wv >= p.regime_calm_velocity
        ? -1
        : 0;
  return {
    cascadeCount: live.filter((a) => a.cascade).length,
    regimeSignal,
    symbols: live.length,
    marketImbalance: live.reduce((s, a) => s + a.imbalanceMa5, 0) / live.length,
    depthQuality: dq,
    fillProbability: median(live.map((a) => a.fillProbability)),
    withdrawalVelocity: wv,
  };
}

/** OB-3 (§9.4): 1 + gain · direction · marketImbalance, clamped to [floor, cap] = [0.85, 1.20]. */
export function marketMultiplier(marketImbalance: number, direction: -1 | 1, p: Readonly<ObFeatureParams> = OB_FEATURE_PARAMS): number {
  return Math.min(p.market_mult_cap, Math.max(p.market_mult_floor, 1 + p.market_mult_gain * direction * marketImbalance));
}

// ---- feature-store view (bible §15: key "<feature>_<SYMBOL>" in the symbol's shard) ----

/** The pseudo-symbol the macro features are written under, e.g. `regime_signal_MARKET`. */
export const OB_MACRO_SYMBOL = 'MARKET';

export interface ObFeatureValue {
  feature: string;
  symbol: string;
  /** `<feature>_<SYMBOL>` (§15.2) */
  key: string;
  value: number;
}

export function featureKey(feature: string, symbol: string): string {
  return `${feature}_${symbol}`;
}

/**
 * The store writes of one cycle: per asset updated this cycle, the §9 field names (imbalance_ma5,
 * imbalance_persistence, withdrawal_velocity, depth_quality, fill_probability) plus ours (imbalance,
 * ob_cascade 0/1, ob_ts); then macro under OB_MACRO_SYMBOL (cascade_count, regime_signal, ob_symbols,
 * ob_ts, and — when any asset is live — imbalance_ma5, depth_quality, fill_probability,
 * withdrawal_velocity as market aggregates). Carried-over assets are not rewritten: their ob_ts ages.
 */
export function featureValues(cycle: ObCycleFeatures): ObFeatureValue[] {
  const out: ObFeatureValue[] = [];
  const put = (feature: string, symbol: string, value: number): void => {
    out.push({ feature, symbol, key: featureKey(feature, symbol), value });
  };
  for (const a of cycle.assets) {
    if (!a.updated) continue;
    put('imbalance', a.symbol, a.imbalance);
    put('imbalance_ma5', a.symbol, a.imbalanceMa5);
    put('imbalance_persistence', a.symbol, a.persistence);
    put('withdrawal_velocity', a.symbol, a.withdrawalVelocity);
    put('depth_quality', a.symbol, a.depthQuality);
    put('fill_probability', a.symbol, a.fillProbability);
    put('ob_cascade', a.symbol, a.cascade ? 1 : 0);
    put('ob_ts', a.symbol, a.ts);
  }
  const m = cycle.macro;
  const M = OB_MACRO_SYMBOL;
  put('cascade_count', M, m.cascadeCount);
  put('regime_signal', M, m.regimeSignal);
  put('ob_symbols', M, m.symbols);
  put('ob_ts', M, cycle.ts);
  if (m.symbols > 0) {
    put('imbalance_ma5', M, m.marketImbalance);
    put('depth_quality', M, m.depthQuality);
    put('fill_probability', M, m.fillProbability);
    put('withdrawal_velocity', M, m.withdrawalVelocity);
  }
  return out;
}

// ---- engine view ----

/**
 * The engine's ObProvider over the latest cycle. Live use: `barIdx` is ignored — the answer is always
 * the latest cycle's (the actor calls set() every 500 ms; the engine reads it at its 5 s bars). An
 * asset with no features, or older than `max_age_ms` at the cycle time, gets null (the engine then
 * skips its OB gates for it); before any cycle, macro is neutral and the multiplier 1.0.
 */
export class LiveObProvider implements ObProvider {
  private cycle: ObCycleFeatures | null = null;
  private readonly bySymbol = new Map<string, ObAssetFeatures>();
  readonly params: Readonly<ObFeatureParams>;

  constructor(latest: ObCycleFeatures | null = null, params: Partial<ObFeatureParams> = {}) {
    this.params = resolveObParams(params);
    if (latest !== null) this.set(latest);
  }

  set(cycle: ObCycleFeatures): void {
    this.cycle = cycle;
    this.bySymbol.clear();
    for (const a of cycle.assets) if (cycle.ts - a.ts <= this.params.max_age_ms) this.bySymbol.set(a.symbol, a);
  }

  get latest(): ObCycleFeatures | null {
    return this.cycle;
  }

  signal(asset: string, _barIdx?: number): ObSignal | null {
    const a = this.bySymbol.get(asset);
    return a === undefined ? null : { imbalanceMa5: a.imbalanceMa5, persistence: a.persistence, withdrawalVelocity: a.withdrawalVelocity };
  }

  placement(asset: string, _barIdx?: number): ObPlacement | null {
    const a = this.bySymbol.get(asset);
    return a === undefined ? null : { depthQuality: a.depthQuality, fillProbability: a.fillProbability };
  }

  macro(_barIdx?: number): ObMacro {
    const m = this.cycle?.macro;
    return m === undefined ? { cascadeCount: 0, regimeSignal: 0 } : { cascadeCount: m.cascadeCount, regimeSignal: m.regimeSignal };
  }

  marketMultiplier(direction: -1 | 1, _barIdx?: number): number {
    return this.cycle === null ? 1.0 : marketMultiplier(this.cycle.macro.marketImbalance, direction, this.params);
  }
}

/** The engine's view of one cycle (see LiveObProvider). */
export function toEngineView(latest: ObCycleFeatures, params: Partial<ObFeatureParams> = {}): LiveObProvider {
  return new LiveObProvider(latest, params);
}
