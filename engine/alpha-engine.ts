// NDAlphaEngine (bible §13): the bar loop. processDay = beginDay + processBar per row + endDay,
// so a day fed bar by bar through processBar gives exactly what processDay gives.
import type { EngineConfig } from './config.ts';
import { settleExit } from './fees.ts';
import { evaluateExit, obAdjustedLimits, pnlPct, slippedExitPrice } from './exits.ts';
import { mcScale, mcStatus, type Forewarner } from './forewarner.ts';
import { bestAsset } from './irp.ts';
import { stressAdjustedBeta, type ObProvider } from './ob.ts';
import { PriceBook } from './price-book.ts';
import { MT19937 } from './rng.ts';
import { confidence, directionConfirm, obConfirm, passesGate, thresholds, type DcResult } from './signal.ts';
import { SizerStats } from './sizer-stats.ts';
import {
  bookMinCapacity,
  checkSnapshot,
  copyEntry,
  copyTrade,
  ENGINE_SNAPSHOT_VERSION,
  type EngineSnapshot,
  type SnapshotOptions,
} from './snapshot.ts';
import {
  bucketBoost,
  clampLeverage,
  dynamicLeverage,
  effectiveFraction,
  leverageCeiling,
  regimeSizeMult,
  signalBucket,
  streakMult,
  strengthScore,
  trendMult,
} from './sizing.ts';
import type {
  DayFrame,
  DayResult,
  EntryDiagnostics,
  ExitReason,
  McStatus,
  OpenPositionRecord,
  Posture,
  TradeRecord,
} from './types.ts';

export { EngineSnapshotError, type EngineSnapshot, type PositionSnapshot, type SnapshotOptions } from './snapshot.ts';

export interface EngineProviders {
  ob?: ObProvider | null;
  forewarner?: Forewarner | null;
}

/** What the day starts with: its posture and, when ACB is on, its boost and beta (§13.1). */
export interface DayStart {
  date: string;
  assets: readonly string[];
  posture: Posture;
  acb: { boost: number; beta: number; signals?: number } | null;
}

/** One bar; prices are aligned with the assets given to beginDay. Reused by callers freely. */
export interface BarInput {
  row: number; // row index within the day (the fallback volume gate)
  ts: number; // epoch ms, NaN when unknown
  velDiv: number;
  v50: number;
  v750: number;
  prices: ArrayLike<number>;
}

interface Position {
  tradeId: number;
  asset: number; // global asset index
  direction: -1 | 1;
  entryPrice: number;
  entryBar: number;
  entryDate: string;
  entryTs: number;
  notional: number;
  leverage: number;
  fraction: number;
  bucket: number;
  entry: EntryDiagnostics;
}

export class AlphaEngine {
  // Fields fall in three kinds; snapshot() / restore() and beginDay rely on the split:
  //  - from the constructor's arguments: cfg, ob, forewarner, direction, threshold, extreme,
  //    pricesOf, irpScratch (scratch: written before every read);
  //  - carried across days, all in EngineSnapshot: capital, rng, stats, assetNames (assetIndex is
  //    its inverse), book, vdHistory/vdCount/vdHead, barCount, globalBarIdx, lastExitBar,
  //    position, nextTradeId, closed, lastDate;
  //  - per day, each set by beginDay before it is read: day … dayBars below.
  // test/engine/snapshot.test.ts lists the three kinds and fails on a field that is in none.
  readonly cfg: EngineConfig;
  capital: number;
  private readonly ob: ObProvider | null;
  private readonly forewarner: Forewarner | null;
  private rng: MT19937; // replaced only by restore
  private readonly direction: -1 | 1;
  private readonly threshold: number;
  private readonly extreme: number;
  private stats = new SizerStats(); // replaced only by restore

  // assets in first-seen order; histories survive across days (§13, SPEC-NOTES)
  private readonly assetNames: string[] = [];
  private readonly assetIndex = new Map<string, number>();
  private book: PriceBook; // replaced only by restore
  private readonly pricesOf: (a: number, out: Float64Array) => boolean;
  private readonly irpScratch: Float64Array;

  private readonly vdHistory: Float64Array;
  private vdCount = 0;
  private vdHead = 0;

  private barCount = 0;
  private globalBarIdx = 0;
  private lastExitBar = -1;
  private position: Position | null = null;
  private nextTradeId = 1;
  private readonly closed: TradeRecord[] = [];
  private lastDate: string | null = null; // the last day ended

  // per-day state
  private day: DayStart | null = null;
  private dayCols: Int32Array = new Int32Array(0);
  private dayBaseBoost = 1.0;
  private dayBeta = 0.0;
  private dayMcScale = 1.0;
  private dayMcStatus: McStatus = 'OK';
  private regimeDdHalt = false;
  private rsm = 1.0;
  private dayStartCapital = 0;
  private dayTrades = 0;
  private dayBars = 0;

  constructor(cfg: EngineConfig, capital: number, providers: EngineProviders = {}) {
    this.cfg = cfg;
    this.capital = capital;
    this.ob = providers.ob ?? null;
    this.forewarner = providers.forewarner ?? null;
    this.rng = new MT19937(cfg.seed);
    this.direction = cfg.direction;
    ({ threshold: this.threshold, extreme: this.extreme } = thresholds(cfg.signal, cfg.direction));
    const bl = cfg.bar_loop;
    this.book = new PriceBook(bl.price_history_cap, bl.price_history_keep, bookMinCapacity(cfg));
    const w = cfg.irp.irp_window;
    this.pricesOf = (a, out) => {
      if (this.book.length(a) < w) return false;
      this.book.copyLast(a, w, out);
      return true;
    };
    this.irpScratch = new Float64Array(cfg.irp.irp_window);
    this.vdHistory = new Float64Array(Math.max(16, cfg.bar_loop.vel_div_history_cap));
  }

  /** Per-day initialisation of §13.1: posture, ACB scales 1 and 3, the MC-Forewarner gate. */
  beginDay(start: DayStart): void {
    if (this.day !== null) throw new Error(`beginDay(${start.date}) while ${this.day.date} is still open`);
    this.day = start;
    this.dayCols = new Int32Array(start.assets.length);
    start.assets.forEach((name, i) => (this.dayCols[i] = this.registerAsset(name)));
    this.regimeDdHalt = false;
    this.rsm = 1.0; // recomputed on every bar before it is read; reset so no day inherits one
    this.dayBaseBoost = start.acb?.boost ?? 1.0;
    const beta = start.acb?.beta ?? 0.0;
    this.dayBeta =
      this.ob !== null && start.acb !== null
        ? stressAdjustedBeta(beta, this.ob.macro(this.globalBarIdx), this.cfg.acb.ob_stress_beta_boost)
        : beta;
    this.dayMcStatus = 'OK';
    this.dayMcScale = 1.0;
    if (this.forewarner !== null) {
      const report = this.forewarner(start.date, {
        max_leverage: this.cfg.sizing.max_leverage * this.dayBaseBoost,
      });
      this.dayMcStatus = mcStatus(report, this.cfg.forewarner);
      this.dayMcScale = mcScale(this.dayMcStatus, this.cfg.forewarner);
    }
    // §11.7 / SPEC-NOTES: TURTLE and HIBERNATE halt entries with or without a forewarner
    if (this.dayMcStatus === 'RED' || start.posture === 'TURTLE' || start.posture === 'HIBERNATE') {
      this.regimeDdHalt = true;
    }
    this.dayStartCapital = this.capital;
    this.dayTrades = 0;
    this.dayBars = 0;
  }

  /** §13.1 loop body + §13.2 process_bar, for one bar arriving on its own (streaming). */
  processBar(bar: BarInput): void {
    this.requireDay();
    const cols = this.dayCols;
    const prices = bar.prices;
    const book = this.book;
    const barIdx = this.globalBarIdx;
    for (let a = 0; a < cols.length; a++) {
      const p = prices[a];
      if (p > 0) book.push(cols[a], p, barIdx);
    }
    this.step(bar.row, bar.ts, bar.velDiv);
  }

  /** Everything of a bar after its prices are in the book. */
  private step(row: number, ts: number, velDiv: number): void {
    const day = this.day!;
    const barIdx = this.globalBarIdx;
    const volOk = row >= this.cfg.bar_loop.min_day_row;
    this.rsm = regimeSizeMult(velDiv, this.threshold, this.extreme, this.dayBaseBoost, this.dayBeta, this.dayMcScale, this.cfg.sizing.leverage_convexity);

    this.barCount += 1;
    this.pushVelDiv(velDiv);
    if (this.position !== null) this.managePosition(barIdx, ts, day);
    if (
      this.position === null &&
      barIdx > this.lastExitBar &&
      !this.regimeDdHalt &&
      this.barCount >= this.cfg.bar_loop.lookback &&
      volOk
    ) {
      this.tryEntry(barIdx, velDiv, ts, day);
    }
    this.globalBarIdx += 1;
    this.dayBars += 1;
  }

  /** Closes the day and returns its result {date, pnl, capital, boost, beta, mc_status, trades}. */
  endDay(): DayResult {
    const day = this.requireDay();
    this.day = null;
    this.lastDate = day.date;
    return {
      date: day.date,
      pnl: this.capital - this.dayStartCapital,
      capital: this.capital,
      boost: this.dayBaseBoost,
      beta: this.dayBeta,
      mcStatus: this.dayMcStatus,
      posture: day.posture,
      trades: this.dayTrades,
      bars: this.dayBars,
      signals: day.acb?.signals ?? null,
    };
  }

  /** §13.1 process_day over a whole frame: processBar's path, reading prices straight from the columns. */
  processDay(frame: DayFrame, posture: Posture, acb: DayStart['acb']): DayResult {
    this.beginDay({ date: frame.date, assets: frame.assets, posture, acb });
    const cols = this.dayCols;
    const columns = frame.prices;
    const book = this.book;
    for (let r = 0; r < frame.rows; r++) {
      const barIdx = this.globalBarIdx;
      for (let a = 0; a < cols.length; a++) {
        const p = columns[a][r];
        if (p > 0) book.push(cols[a], p, barIdx);
      }
      this.step(r, frame.timestamps !== null ? frame.timestamps[r] : NaN, frame.velDiv[r]);
    }
    return this.endDay();
  }

  /**
   * §7.3 / §10.5 sub-day ACB update. Callers apply it between bars (the pending-flag pattern);
   * a force exit fills at the held asset's latest price and counts as the next bar's exit.
   */
  updateAcbBoost(boost: number, beta: number): void {
    const old = this.dayBaseBoost;
    this.dayBaseBoost = boost;
    this.dayBeta = beta;
    const x = this.cfg.exits;
    if (this.position !== null && this.day !== null && old >= x.subday_exit_boost_from && boost < x.subday_exit_boost_below) {
      const pos = this.position;
      this.executeExit('SUBDAY_ACB_NORMALIZATION', this.book.lastPrice(pos.asset), this.globalBarIdx, NaN, this.day.date);
    }
  }

  /**
   * The engine's state between days as plain data (see EngineSnapshot), sharing nothing with the
   * engine. Only between days: throws while a day is open. `withTrades: false` leaves the closed
   * trades out (the caller keeps them); an engine restored from it starts with no trades.
   */
  snapshot(options: SnapshotOptions = {}): EngineSnapshot {
    if (this.day !== null) {
      throw new Error(`snapshot() while ${this.day.date} is open: snapshots are taken between days, after endDay`);
    }
    const p = this.position;
    return {
      version: ENGINE_SNAPSHOT_VERSION,
      seed: this.cfg.seed,
      lastDate: this.lastDate,
      capital: this.capital,
      rng: this.rng.getState(),
      stats: this.stats.state(),
      assets: [...this.assetNames],
      book: this.book.state(),
      velDiv: {
        ring: this.vdHistory.slice(0, this.cfg.bar_loop.vel_div_history_cap),
        count: this.vdCount,
        head: this.vdHead,
      },
      barCount: this.barCount,
      globalBarIdx: this.globalBarIdx,
      lastExitBar: this.lastExitBar,
      // the asset by name: indices are this engine's, names survive a restore
      position: p === null ? null : { ...p, asset: this.assetNames[p.asset], entry: copyEntry(p.entry) },
      nextTradeId: this.nextTradeId,
      trades: options.withTrades === false ? null : this.closed.map(copyTrade),
    };
  }

  /**
   * The engine `snapshot` was taken from, continuing exactly where it stopped: the next day it
   * processes gives what the original engine would have given. `snapshot` is checked first
   * (EngineSnapshotError naming the field: wrong version, a seed other than cfg.seed, a missing,
   * mistyped or inconsistent field) and copied, never kept. `cfg` should be the configuration the
   * snapshot was taken under; the seed and the history sizes are checked, the rest is trusted.
   */
  static restore(cfg: EngineConfig, snapshot: unknown, providers: EngineProviders = {}): AlphaEngine {
    const s = checkSnapshot(cfg, snapshot);
    const e = new AlphaEngine(cfg, s.capital, providers);
    e.rng = MT19937.fromState(s.rng);
    e.stats = SizerStats.fromState(s.stats);
    e.book = PriceBook.fromState(s.book, bookMinCapacity(cfg));
    for (const name of s.assets) {
      e.assetIndex.set(name, e.assetNames.length);
      e.assetNames.push(name);
    }
    e.vdHistory.set(s.velDiv.ring);
    e.vdCount = s.velDiv.count;
    e.vdHead = s.velDiv.head;
    e.barCount = s.barCount;
    e.globalBarIdx = s.globalBarIdx;
    e.lastExitBar = s.lastExitBar;
    const p = s.position;
    e.position = p === null ? null : { ...p, asset: e.assetIndex.get(p.asset)!, entry: copyEntry(p.entry) };
    e.nextTradeId = s.nextTradeId;
    if (s.trades !== null) for (const t of s.trades) e.closed.push(copyTrade(t));
    e.lastDate = s.lastDate;
    return e;
  }

  get trades(): readonly TradeRecord[] {
    return this.closed;
  }

  get bars(): number {
    return this.globalBarIdx;
  }

  get currentDate(): string | null {
    return this.day?.date ?? null;
  }

  /** The date of the last day ended (restored with a snapshot), null before the first. */
  get lastDayEnded(): string | null {
    return this.lastDate;
  }

  openPosition(): OpenPositionRecord | null {
    const p = this.position;
    if (p === null) return null;
    return {
      tradeId: p.tradeId,
      asset: this.assetNames[p.asset],
      direction: p.direction,
      entryPrice: p.entryPrice,
      entryBar: p.entryBar,
      entryDate: p.entryDate,
      entryTs: isoOrNull(p.entryTs),
      notional: p.notional,
      leverage: p.leverage,
      fraction: p.fraction,
      entry: p.entry,
    };
  }

  private requireDay(): DayStart {
    if (this.day === null) throw new Error('processBar outside a day: call beginDay first');
    return this.day;
  }

  private registerAsset(name: string): number {
    let g = this.assetIndex.get(name);
    if (g === undefined) {
      g = this.assetNames.length;
      this.assetNames.push(name);
      this.assetIndex.set(name, g);
      this.book.add();
    }
    return g;
  }

  private pushVelDiv(vd: number): void {
    const cap = this.cfg.bar_loop.vel_div_history_cap;
    this.vdHistory[this.vdHead] = vd;
    this.vdHead = (this.vdHead + 1) % cap;
    if (this.vdCount < cap) this.vdCount += 1;
  }

  /** history[-1] − history[-10]; 0 with fewer than 10 entries. */
  private velDivTrend(): number {
    if (this.vdCount < 10) return 0;
    const cap = this.cfg.bar_loop.vel_div_history_cap;
    const last = this.vdHistory[(this.vdHead - 1 + cap) % cap];
    const tenth = this.vdHistory[(this.vdHead - 10 + cap) % cap];
    return last - tenth;
  }

  private managePosition(barIdx: number, ts: number, day: DayStart): void {
    const pos = this.position!;
    if (!this.book.pricedOn(pos.asset, barIdx)) return; // no price on this bar: nothing is evaluated
    const price = this.book.lastPrice(pos.asset);
    if (day.posture === 'HIBERNATE') {
      this.executeExit('HIBERNATE_HALT', price, barIdx, ts, day.date);
      return;
    }
    const pnl = pnlPct(pos.entryPrice, price, pos.direction);
    const limits =
      this.ob !== null
        ? obAdjustedLimits(this.cfg.exits, pnl, this.ob.macro(barIdx), this.ob.signal(this.assetNames[pos.asset], barIdx), pos.direction)
        : { tpPct: this.cfg.exits.fixed_tp_pct, slPct: this.cfg.exits.stop_pct, maxHold: this.cfg.exits.max_hold_bars };
    const reason = evaluateExit(pnl, barIdx - pos.entryBar, limits);
    if (reason !== null) this.executeExit(reason, price, barIdx, ts, day.date);
  }

  private executeExit(reason: ExitReason, triggerPrice: number, barIdx: number, ts: number, date: string): void {
    const pos = this.position!;
    const exitPrice = slippedExitPrice(triggerPrice, reason, pos.direction, this.cfg.exits);
    const pnlPctPrice = pnlPct(pos.entryPrice, exitPrice, pos.direction);
    const asset = this.assetNames[pos.asset];
    const placement = this.ob === null ? undefined : this.ob.placement(asset, barIdx);
    const fee = settleExit(pnlPctPrice, pos.notional, reason, this.cfg.fees, this.rng, placement);
    this.capital += fee.netPnl;
    this.stats.record(pos.bucket, fee.netPnl > 0);
    this.closed.push({
      tradeId: pos.tradeId,
      date,
      entryDate: pos.entryDate,
      entryBar: pos.entryBar,
      exitBar: barIdx,
      entryTs: isoOrNull(pos.entryTs),
      exitTs: isoOrNull(ts),
      asset,
      direction: pos.direction,
      entryPrice: pos.entryPrice,
      exitPrice,
      exitTriggerPrice: triggerPrice,
      leverage: pos.leverage,
      notional: pos.notional,
      fraction: pos.fraction,
      exitReason: reason,
      barsHeld: barIdx - pos.entryBar,
      pnlPctPrice,
      pnlPctRaw: fee.pnlPctRaw,
      rngEntryDraw: fee.rngEntryDraw,
      rngExitDraw: fee.rngExitDraw,
      rngObDraw: fee.rngObDraw,
      entryFee: fee.entryFee,
      exitFee: fee.exitFee,
      grossPnl: fee.grossPnl,
      netPnl: fee.netPnl,
      capitalAfter: this.capital,
      entry: pos.entry,
    });
    this.position = null;
    this.lastExitBar = barIdx;
    this.dayTrades += 1;
  }

  /** §13.3 _try_entry. The vel_div gate is checked first: it reads no state and draws nothing. */
  private tryEntry(barIdx: number, velDiv: number, ts: number, day: DayStart): void {
    if (this.capital <= 0) return;
    const dir = this.direction;
    if (!passesGate(velDiv, this.threshold, dir)) return;

    const pick = this.pickAsset(barIdx);
    if (pick === null) return;
    const g = pick.asset;
    if (!this.book.pricedOn(g, barIdx)) return; // chosen asset has no price on this bar: no entry

    // signal generation: confidence, DC, OB sub-2
    let conf = confidence(velDiv, this.threshold, this.extreme);
    const dc: DcResult = this.cfg.dc.use_direction_confirm
      ? directionConfirm(this.book.series(g), this.cfg.dc, dir)
      : 'NEUTRAL';
    if (dc === 'CONTRADICT' && this.cfg.dc.dc_skip_contradicts) return;
    if (this.ob !== null) {
      const sig = this.ob.signal(this.assetNames[g], barIdx);
      if (sig !== null) {
        const adjusted = obConfirm(conf, sig, dir);
        if (adjusted === null) return;
        conf = adjusted;
      }
    }
    const dcLevMult = dc === 'CONFIRM' ? this.cfg.dc.dc_leverage_boost : 1.0;

    // sizing (§6)
    const s = this.cfg.sizing;
    const strength = strengthScore(velDiv, this.threshold, this.extreme);
    const isExtreme = dir === -1 ? velDiv <= this.extreme : velDiv >= this.extreme;
    const vdTrend = this.velDivTrend();
    const bucket = signalBucket(velDiv, this.threshold, this.extreme, dir);
    const layers = s.use_alpha_layers;
    const bBoost = layers ? bucketBoost(this.stats.wins(bucket), this.stats.total(bucket)) : 1.0;
    const sMult = layers ? streakMult(this.stats.recentLosses(5)) : 1.0;
    const tMult = layers ? trendMult(vdTrend, dir) : 1.0;
    const fraction = effectiveFraction({ strength, isExtreme, trendMult: tMult, bucketBoost: bBoost, streakMult: sMult }, s);
    const sizeLeverage = dynamicLeverage(strength, s);
    const marketObMult = this.ob !== null ? this.ob.marketMultiplier(dir, barIdx) : 1.0;
    const ceiling = leverageCeiling(this.rsm, marketObMult, day.posture, s);
    const rawLeverage = sizeLeverage * dcLevMult * this.rsm * marketObMult;
    const leverage = clampLeverage(rawLeverage, ceiling, s);
    const notional = this.capital * fraction * leverage;

    this.position = {
      tradeId: this.nextTradeId++,
      asset: g,
      direction: dir,
      entryPrice: this.book.lastPrice(g),
      entryBar: barIdx,
      entryDate: day.date,
      entryTs: ts,
      notional,
      leverage,
      fraction,
      bucket,
      entry: {
        capitalAtEntry: this.capital,
        velDiv,
        velDivTrend: vdTrend,
        bucket,
        bucketBoost: bBoost,
        streakMult: sMult,
        trendMult: tMult,
        strengthScore: strength,
        sizeLeverage,
        regimeSizeMult: this.rsm,
        marketObMult,
        clampedMaxLeverage: ceiling,
        rawLeverage,
        dc,
        signalConfidence: conf,
        ars: pick.ars,
        irpAlignment: pick.alignment,
        posture: day.posture,
      },
    };
  }

  /** §13.3 step 1: IRP over assets with a full window, or the fallback asset when IRP is off. */
  private pickAsset(barIdx: number): { asset: number; ars: number; alignment: number } | null {
    const irp = this.cfg.irp;
    if (!irp.use_asset_selection) {
      const g = this.assetIndex.get(irp.fallback_asset);
      return g === undefined ? null : { asset: g, ars: NaN, alignment: NaN };
    }
    const input = { assets: this.assetNames, window: irp.irp_window, pricesOf: this.pricesOf };
    const pick = bestAsset(input, this.direction, irp, this.ob, barIdx, this.irpScratch);
    return pick === null ? null : { asset: pick.index, ars: pick.ars, alignment: pick.alignment };
  }
}

/** ISO-8601 without milliseconds when they are zero, as the Python system prints. */
export function isoOrNull(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}
