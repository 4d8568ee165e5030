// The blueprint's live monitoring on its own clock: signals as they fire, the weekly rel_vol drift
// check, the monthly physics audit, and the realtime alarm when signals fall below half the expected rate.
import test from 'ava';
import { monitorSettings, ShockflipMonitor, type MonitorReport } from '../../../research/shockflip/live-monitor.ts';
import { signalRate } from '../../../research/shockflip/monitoring.ts';
import { generateSyntheticTicks } from '../../../research/shockflip/synthetic-ticks.ts';
import { smallConfig } from './shockflip-test-helpers.ts';

const DAY = 86_400_000;

test('two weeks of planted ticks: signals reported as they fire, a weekly drift check and the audit run on schedule', (t) => {
  t.timeout(60_000);
  const p = smallConfig();
  p.monitoring.drift_check_days = 7;
  p.monitoring.audit_days = 10;
  const reports: MonitorReport[] = [];
  const m = new ShockflipMonitor(p, monitorSettings(p), (r) => reports.push(r));
  const { trades } = generateSyntheticTicks({ seed: 5, bars: 15 * 1440 });
  for (let i = 0; i < trades.length; i++) m.trade(trades.ts[i], trades.price[i], trades.amount[i], trades.side[i] as 1 | -1);
  const kinds = reports.map((r) => r.kind);
  t.true(kinds.filter((k) => k === 'signal').length >= 10);
  t.is(kinds.filter((k) => k === 'drift').length, 2, 'days 7 and 14');
  t.is(kinds.filter((k) => k === 'audit').length, 1, 'day 10');
  const drift = reports.find((r) => r.kind === 'drift');
  // the synthetic diamonds sit at rel_vol 11–20 while the config's threshold is BTCUSDT's 7.74: re-estimate
  t.true(drift?.kind === 'drift' && drift.check.relVolP90 > 8 && drift.check.reestimate);
  const audit = reports.find((r) => r.kind === 'audit');
  t.true(audit?.kind === 'audit' && audit.check.episodes > 0);
  t.like(m.status(), { reestimateRelVol: true });
});

test('the realtime alarm fires once a full day has passed with signals under half the expected rate, and not before', (t) => {
  const s = { rel_vol_drift_max: 0.2, reversion_floor: 0.65, trades_alarm_fraction: 0.5, expected_signals_per_month: 30, drift_every_ms: 7 * DAY, audit_every_ms: 30 * DAY };
  t.false(signalRate(0, 0.5 * DAY, 0, s).alarm, 'too early to tell');
  t.true(signalRate(0, 2 * DAY, 0, s).alarm, '0 of 2 expected');
  t.false(signalRate(1, 2 * DAY, 0, s).alarm, '1 of 2 expected is half');
  t.true(signalRate(4, 10 * DAY, 0, s).alarm, '4 of 10 expected');
});

test('quiet hours: advance() closes bars and raises the alarm without any trade', (t) => {
  const p = smallConfig();
  const reports: MonitorReport[] = [];
  const m = new ShockflipMonitor(p, monitorSettings(p), (r) => reports.push(r));
  m.trade(Date.UTC(2024, 0, 1), 100, 1, 1);
  m.advance(Date.UTC(2024, 0, 3));
  t.true(reports.some((r) => r.kind === 'rate' && r.check.alarm));
  t.true((m.status().bars as number) >= 2 * 1440);
});
