// ShockFlip running live: the bar-by-bar pipeline (live.ts) plus the blueprint's monitoring
// (monitoring.ts) on its clock — the weekly rel_vol drift check, the monthly physics audit and the
// realtime signal-rate alarm. Reports go to a callback (the node logs them) and to status() (/health).
import { LiveShockflip, type LiveSignal } from './live.ts';
import { physicsAudit, relVolDrift, signalRate, type AuditCheck, type DriftCheck, type MonitorSettings, type RateCheck } from './monitoring.ts';
import type { ShockflipParams } from './params.ts';

export type MonitorReport = { kind: 'signal'; signal: LiveSignal } | { kind: 'drift'; check: DriftCheck } | { kind: 'audit'; check: AuditCheck } | { kind: 'rate'; check: RateCheck };

/** The monitoring settings of config/strategies_shockflip_only.yaml's `monitoring` section. */
export function monitorSettings(p: ShockflipParams & { monitoring: { rel_vol_drift_max: number; reversion_floor: number; trades_alarm_fraction: number; expected_signals_per_month: number; drift_check_days: number; audit_days: number } }): MonitorSettings {
  const m = p.monitoring;
  return {
    rel_vol_drift_max: m.rel_vol_drift_max,
    reversion_floor: m.reversion_floor,
    trades_alarm_fraction: m.trades_alarm_fraction,
    expected_signals_per_month: m.expected_signals_per_month,
    drift_every_ms: m.drift_check_days * 86_400_000,
    audit_every_ms: m.audit_days * 86_400_000,
  };
}

export class ShockflipMonitor {
  private readonly live: LiveShockflip;
  private firstTs: number | null = null;
  private signals: LiveSignal[] = [];
  private lastDrift: DriftCheck | null = null;
  private lastAudit: AuditCheck | null = null;
  private lastRate: RateCheck | null = null;
  private nextDrift = NaN;
  private nextAudit = NaN;

  constructor(
    private readonly p: ShockflipParams,
    private readonly s: MonitorSettings,
    private readonly report: (r: MonitorReport) => void = () => {},
  ) {
    this.live = new LiveShockflip(p, { keepBars: Math.ceil(Math.max(s.drift_every_ms, s.audit_every_ms) / p.shock_flip.bars.bar_ms) });
  }

  trade(ts: number, price: number, amount: number, side: 1 | -1): void {
    this.start(ts);
    this.take(this.live.push(ts, price, amount, side), ts);
  }

  /** The clock moved without trades: quiet bars close, and due checks run. */
  advance(nowMs: number): void {
    this.start(nowMs);
    this.take(this.live.advance(nowMs), nowMs);
  }

  status(): Record<string, unknown> {
    return {
      bars: this.live.barCount,
      signals: this.signals.length,
      lastSignal: this.signals.at(-1) ?? null,
      rate: this.lastRate,
      drift: this.lastDrift,
      audit: this.lastAudit,
      reestimateRelVol: this.lastDrift?.reestimate ?? false,
      retrainingSuspended: this.lastAudit?.suspendRetraining ?? false,
    };
  }

  private start(ts: number): void {
    if (this.firstTs !== null) return;
    this.firstTs = ts;
    this.nextDrift = ts + this.s.drift_every_ms;
    this.nextAudit = ts + this.s.audit_every_ms;
  }

  private take(signals: LiveSignal[], now: number): void {
    for (const signal of signals) {
      this.signals.push(signal);
      this.report({ kind: 'signal', signal });
    }
    const rate = signalRate(this.signals.length, now - this.firstTs!, now, this.s);
    // the alarm is reported when it starts and when it ends, not on every trade
    if (rate.alarm !== (this.lastRate?.alarm ?? false)) this.report({ kind: 'rate', check: rate });
    this.lastRate = rate;
    if (now >= this.nextDrift) {
      this.lastDrift = relVolDrift(this.live.recentBars(this.s.drift_every_ms), this.p, this.s);
      this.report({ kind: 'drift', check: this.lastDrift });
      this.nextDrift += this.s.drift_every_ms;
    }
    if (now >= this.nextAudit) {
      this.lastAudit = physicsAudit(this.live.recentBars(this.s.audit_every_ms), this.p, this.s);
      this.report({ kind: 'audit', check: this.lastAudit });
      this.nextAudit += this.s.audit_every_ms;
    }
  }
}
