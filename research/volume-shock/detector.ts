// The seed's VolumeShockDetectionEngine.detect_volume_shock, per strike:
//   recent = volume of the last N minutes; normal = 10-day baseline per window;
//   ratio = recent / max(normal, 1); alert when ratio > 4 and recent > 100, then
//   net delta → response time → pressure = |delta| / rt²; keep when pressure > threshold.
// A strike that alerted stays quiet for one window, so the same prints never alert twice.
import { netDeltaOfPrints, type ExposureScale } from './delta.ts';
import type { DetectorParams, ResponseTimeParams } from './params.ts';
import { estimateResponseTime, pressure } from './response-time.ts';
import type { ChainUpdate, StrikeAlert } from './types.ts';
import { VolumeBook } from './volume-book.ts';

export interface DetectorSettings {
  detector: DetectorParams;
  responseTime: ResponseTimeParams;
  sessionMinutes: number;
  contractMultiplier: number;
  referencePrice: number;
  assumeSide: 1 | -1;
}

/** Why strikes with volume in the window did not alert (counts per scan, for logs and the report). */
export interface ScanSkips {
  noBaseline: number;
  belowThreshold: number;
  cooldown: number;
  noDelta: number;
  lowPressure: number;
}

export interface Scan {
  alerts: StrikeAlert[];
  skips: ScanSkips;
}

export class VolumeShockDetector {
  readonly book: VolumeBook;
  private readonly lastAlert = new Map<string, number>();

  constructor(private readonly s: DetectorSettings) {
    this.book = new VolumeBook({
      windowMinutes: s.detector.window_minutes,
      sessionMinutes: s.sessionMinutes,
      baselineDays: s.detector.baseline_days,
      baselineMinDays: s.detector.baseline_min_days,
    });
  }

  /** Adds the update to the book, then tests every strike that traded in the window. */
  scan(u: ChainUpdate): Scan {
    this.book.add(u);
    const d = this.s.detector;
    const skips: ScanSkips = { noBaseline: 0, belowThreshold: 0, cooldown: 0, noDelta: 0, lowPressure: 0 };
    const alerts: StrikeAlert[] = [];
    const scale: ExposureScale = { contractMultiplier: this.s.contractMultiplier, price: u.price, referencePrice: this.s.referencePrice, assumeSide: this.s.assumeSide };
    for (const [key, prints] of this.book.windowByStrike()) {
      let callVolume = 0;
      let putVolume = 0;
      for (const p of prints) {
        if (p.type === 'call') callVolume += p.amount;
        else putVolume += p.amount;
      }
      const recent = callVolume + putVolume;
      // the absolute test first: it needs no baseline and rules out almost every strike
      if (!(recent > d.min_contracts)) {
        skips.belowThreshold += 1;
        continue;
      }
      const normal = this.book.baseline(key, u.day);
      if (normal === null) {
        skips.noBaseline += 1;
        continue;
      }
      const ratio = recent / Math.max(normal, d.baseline_floor);
      if (!(ratio > d.min_ratio)) {
        skips.belowThreshold += 1;
        continue;
      }
      const last = this.lastAlert.get(key);
      if (last !== undefined && u.time - last < this.book.windowMs) {
        skips.cooldown += 1;
        continue;
      }
      const { netDelta, missingDelta } = netDeltaOfPrints(prints, this.book.quotes, scale);
      if (missingDelta > 0) {
        skips.noDelta += 1;
        continue;
      }
      const rt = estimateResponseTime(netDelta, this.s.responseTime);
      const pr = pressure(netDelta, rt.minutes);
      if (!(pr > d.pressure_threshold)) {
        skips.lowPressure += 1;
        continue;
      }
      this.lastAlert.set(key, u.time);
      const onsetTime = onset(prints, Math.max(d.min_contracts, d.min_ratio * Math.max(normal, d.baseline_floor)));
      const [expiry, strike] = key.split('|');
      alerts.push({
        strikeKey: key,
        expiry,
        strike: Number(strike),
        time: u.time,
        recentVolume: recent,
        callVolume,
        putVolume,
        normalVolume: normal,
        volumeRatio: ratio,
        netDelta,
        responseMinutes: rt.minutes,
        urgency: rt.urgency,
        pressure: pr,
        onsetTime,
      });
    }
    // the seed's _rank_and_prioritize_alerts: highest pressure first (strike key breaks ties, for determinism)
    alerts.sort((a, b) => b.pressure - a.pressure || (a.strikeKey < b.strikeKey ? -1 : 1));
    return { alerts, skips };
  }
}

/**
 * When the shock became detectable: the time of the print that took the window's volume past both
 * thresholds. The window's oldest print would date a block by the background volume before it.
 */
export function onset(prints: readonly { time: number; amount: number }[], threshold: number): number {
  const sorted = [...prints].sort((a, b) => a.time - b.time);
  let cum = 0;
  for (const p of sorted) {
    cum += p.amount;
    if (cum > threshold) return p.time;
  }
  return sorted[sorted.length - 1].time;
}
