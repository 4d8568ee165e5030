// The seed's VolumeShockRiskManager as an admission check: may this intent open now, and how big?
//   latency: detection-to-order over the limit (5 min) → no trade
//   concurrent positions (3), liquidity (1000 contracts a day), no entry in the last 30 min of a session
//   high volatility (at-the-money IV >= 40 %, the "VIX < 40" rule) → size × 0.5
//   per trade: risk (stop distance × size × point value) <= min(2 %, flow-type limit) of equity
//   per day: realised loss today + open risk + this trade's risk <= 5 % of the day's starting equity
import type { FlowTypeParams, RiskParams } from './params.ts';
import type { TradeIntent } from './types.ts';

export type Refusal = 'LATENCY' | 'MAX_CONCURRENT' | 'ILLIQUID' | 'NEAR_CLOSE' | 'RISK_BUDGET';

export interface RiskState {
  equity: number;
  dayStartEquity: number;
  /** realised net PnL of trades closed today */
  realizedToday: number;
  /** money at risk (to the stop) of each open position */
  openRisks: readonly number[];
}

export interface RiskSettings {
  risk: RiskParams;
  flowType: FlowTypeParams;
  pointValue: number;
  minContracts: number;
}

export type Admission = { ok: true; size: number; risk: number; capped: boolean } | { ok: false; reason: Refusal };

export function admit(intent: TradeIntent, now: number, sessionEnd: number | undefined, st: RiskState, s: RiskSettings): Admission {
  const r = s.risk;
  if ((now - intent.event.time) / 60_000 > r.execution_latency_limit_minutes) return { ok: false, reason: 'LATENCY' };
  if (st.openRisks.length >= r.max_concurrent) return { ok: false, reason: 'MAX_CONCURRENT' };
  if (!(intent.event.dailyOptionVolume >= r.min_daily_option_volume)) return { ok: false, reason: 'ILLIQUID' };
  if (sessionEnd !== undefined && now >= sessionEnd - r.exit_before_close_minutes * 60_000) return { ok: false, reason: 'NEAR_CLOSE' };

  let size = intent.size;
  if (intent.event.atmIv !== null && intent.event.atmIv >= r.high_vol_iv) size *= r.high_vol_size_multiplier;
  const perContract = intent.stopDistance * s.pointValue;
  const tradeCap = (Math.min(r.max_risk_per_trade, s.flowType.max_risk_per_trade) * st.equity) / perContract;
  const dayUsed = Math.max(0, -st.realizedToday) + st.openRisks.reduce((a, b) => a + b, 0);
  const dayCap = Math.max(0, r.max_daily_risk * st.dayStartEquity - dayUsed) / perContract;
  const capped = Math.min(size, tradeCap, dayCap);
  if (!(capped >= s.minContracts) || !(perContract > 0)) return { ok: false, reason: 'RISK_BUDGET' };
  return { ok: true, size: capped, risk: capped * perContract, capped: capped < size };
}
