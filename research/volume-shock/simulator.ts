// A seeded market of option order flow and market-maker hedging where the true hedge flows are known.
//
// Each session minute: the underlying moves by noise (minute_vol_points) plus the price impact of
// whatever the market makers are hedging; its signed volume is noise (noise_flow_per_minute) plus
// their hedge trades. Option volume is background (Poisson, densest at the money, random side) plus
// planted flows after the warm-up days: gamma emergencies (one strike near the money, a big block),
// institutional sweeps (3–5 adjacent out-of-the-money strikes in the same minute) and ambiguous single
// strikes. In 'planted' mode the market makers hedge each planted flow's delta (hedge_ratio) after a
// delay that shrinks with the exposure, spread over a duration set by the flow type, moving the
// price by impact × √quantity. In 'noise' mode the same option flow arrives and nobody hedges.
// The chain lists every contract at each session's first update and, after that, the contracts
// that traded (with fresh deltas): what the detector needs, without 100 quotes a minute.
import { Prng } from '../../market/prng.ts';
import type { SimulatorParams } from './params.ts';
import { normCdf } from './stats.ts';
import type { ChainUpdate, ContractQuote, OptionPrint, OptionType, UnderlyingTick } from './types.ts';

export type SimMode = 'planted' | 'noise';
export type PlantedKind = 'gamma' | 'sweep' | 'ambiguous';

export interface PlantedFlow {
  time: number;
  kind: PlantedKind;
  contracts: { id: string; amount: number; side: 1 | -1 }[];
  /** the customers' net delta, exposure units */
  customerDelta: number;
  /** what the market makers trade (0 in noise mode), with its timing */
  hedgeQuantity: number;
  hedgeStartMinutes: number;
  hedgeDurationMinutes: number;
  /** total permanent price impact of the hedge */
  impactPoints: number;
}

export interface SimOutput {
  updates: ChainUpdate[];
  ticks: UnderlyingTick[];
  truth: PlantedFlow[];
}

export interface SimSettings {
  sim: SimulatorParams;
  mode: SimMode;
  seed: number;
  contractMultiplier: number;
  referencePrice: number;
}

/** Black–Scholes delta with zero rates: calls N(d1), puts N(d1) − 1. */
export function bsDelta(type: OptionType, spot: number, strike: number, years: number, iv: number): number {
  const st = iv * Math.sqrt(Math.max(years, 1e-6));
  const d1 = (Math.log(spot / strike) + (st * st) / 2) / st;
  const n = normCdf(d1);
  return type === 'call' ? n : n - 1;
}

interface Contract {
  id: string;
  strike: number;
  type: OptionType;
}

interface HedgeProgram {
  /** absolute minute index (across days) at which it starts, fractional */
  start: number;
  duration: number;
  quantity: number;
  impact: number;
}

const MINUTE = 60_000;
const OPEN_UTC_MS = 14.5 * 3_600_000; // 09:30 New York (winter)

export function simulate(s: SimSettings): SimOutput {
  const p = s.sim;
  const rng = new Prng(s.seed);
  const expiry = addDays(p.start_date, Math.round(p.expiry_days));
  const atm0 = Math.round(p.spot / p.strike_step) * p.strike_step;
  const contracts: Contract[] = [];
  for (let i = -p.strikes_each_side; i <= p.strikes_each_side; i++) {
    const strike = atm0 + i * p.strike_step;
    for (const type of ['call', 'put'] as const) contracts.push({ id: `SIM${expiry.replaceAll('-', '')}${type === 'call' ? 'C' : 'P'}${strike}`, strike, type });
  }
  const quote = (c: Contract, spot: number, years: number): ContractQuote => ({ id: c.id, expiry, strike: c.strike, type: c.type, delta: bsDelta(c.type, spot, c.strike, years, p.iv), iv: p.iv });

  const updates: ChainUpdate[] = [];
  const ticks: UnderlyingTick[] = [];
  const truth: PlantedFlow[] = [];
  const programs: HedgeProgram[] = [];
  let spot = p.spot;
  let date = p.start_date;
  const totalDays = p.warmup_days + p.days;
  for (let d = 0; d < totalDays; d++, date = nextWeekday(date)) {
    const open = Date.parse(`${date}T00:00:00Z`) + OPEN_UTC_MS;
    const sessionEnd = open + p.session_minutes * MINUTE;
    const years = Math.max(1, p.expiry_days - calendarDays(p.start_date, date)) / 365;
    const flowMinutes = d < p.warmup_days ? [] : plannedFlowMinutes(rng, p);
    ticks.push({ time: open, day: date, price: spot, flow: 0, sessionEnd });
    for (let m = 1; m <= p.session_minutes; m++) {
      const time = open + m * MINUTE;
      const absMinute = d * p.session_minutes + m;
      // the underlying over minute (m−1, m]: noise, plus the hedges trading in it
      let flow = p.noise_flow_per_minute * rng.normal();
      let move = p.minute_vol_points * rng.normal();
      for (const h of programs) {
        const share = overlap(absMinute - 1, absMinute, h.start, h.start + h.duration) / h.duration;
        if (share > 0) {
          flow += share * h.quantity;
          move += share * h.impact;
        }
      }
      spot += move;
      const prints: OptionPrint[] = [];
      const traded = new Set<Contract>();
      for (const c of contracts) {
        const w = Math.exp(-((c.strike - spot) ** 2) / (2 * p.background_width_points ** 2));
        const k = rng.poisson(p.background_per_minute * w);
        if (k > 0) {
          prints.push({ time: time - MINUTE / 2, contractId: c.id, amount: k, side: rng.next() < 0.5 ? 1 : -1 });
          traded.add(c);
        }
      }
      while (flowMinutes.length > 0 && flowMinutes[0] === m) {
        flowMinutes.shift();
        const planted = plant(rng, p, s, contracts, spot, years, time - MINUTE / 2, absMinute);
        if (planted === null) continue;
        truth.push(planted.flow);
        if (planted.program !== null) programs.push(planted.program);
        for (const c of planted.flow.contracts) {
          prints.push({ time: planted.flow.time, contractId: c.id, amount: c.amount, side: c.side });
          traded.add(contracts.find((x) => x.id === c.id)!);
        }
      }
      const listed = m === 1 ? contracts : [...traded];
      updates.push({ time, day: date, underlying: 'SIM', price: spot, contracts: listed.map((c) => quote(c, spot, years)), prints });
      ticks.push({ time, day: date, price: spot, flow, sessionEnd });
    }
    // hedges still running at the close stop there: the next session starts flat
    programs.length = 0;
  }
  return { updates, ticks, truth };
}

/** Session minutes with a planted flow, sorted: Poisson count, uniform times, none in the last hour. */
function plannedFlowMinutes(rng: Prng, p: SimulatorParams): number[] {
  const count = rng.poisson(p.flows_per_day);
  const last = Math.max(6, p.session_minutes - p.last_flow_minutes_before_close);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(5 + rng.int(last - 5));
  return out.sort((a, b) => a - b);
}

function uniform(rng: Prng, [lo, hi]: readonly [number, number]): number {
  return lo + (hi - lo) * rng.next();
}

function plant(
  rng: Prng,
  p: SimulatorParams,
  s: SimSettings,
  contracts: readonly Contract[],
  spot: number,
  years: number,
  time: number,
  absMinute: number,
): { flow: PlantedFlow; program: HedgeProgram | null } | null {
  const u = rng.next();
  const kind: PlantedKind = u < p.gamma_share ? 'gamma' : u < p.gamma_share + p.sweep_share ? 'sweep' : 'ambiguous';
  const type: OptionType = rng.next() < 0.5 ? 'call' : 'put';
  const side: 1 | -1 = rng.next() < 0.5 ? 1 : -1;
  const ofType = contracts.filter((c) => c.type === type).sort((a, b) => a.strike - b.strike);
  const atm = ofType.reduce((best, c) => (Math.abs(c.strike - spot) < Math.abs(best.strike - spot) ? c : best), ofType[0]);
  const atmIndex = ofType.indexOf(atm);
  let picked: Contract[];
  let sizes: readonly [number, number];
  if (kind === 'gamma') {
    picked = [ofType[clampIndex(atmIndex + rng.int(5) - 2, ofType.length)]];
    sizes = p.gamma_contracts;
  } else if (kind === 'sweep') {
    const [dLo, dHi] = p.sweep_delta;
    const band = ofType.filter((c) => {
      const a = Math.abs(bsDelta(c.type, spot, c.strike, years, p.iv));
      return a >= dLo && a <= dHi;
    });
    const want = Math.round(uniform(rng, p.sweep_strikes));
    if (band.length === 0) return null;
    const from = rng.int(Math.max(1, band.length - want + 1));
    picked = band.slice(from, from + want);
    sizes = p.sweep_contracts;
  } else {
    picked = [ofType[clampIndex(atmIndex + rng.int(21) - 10, ofType.length)]];
    sizes = p.ambiguous_contracts;
  }
  const units = (s.contractMultiplier * spot) / s.referencePrice;
  const legs = picked.map((c) => ({ id: c.id, amount: Math.round(uniform(rng, sizes)), side, delta: bsDelta(c.type, spot, c.strike, years, p.iv) }));
  const customerDelta = legs.reduce((sum, l) => sum + l.side * l.amount * l.delta * units, 0);
  const hedge = s.mode === 'planted' ? p.hedge_ratio * customerDelta : 0;
  const delay = Math.max(0.5, p.response_intercept_minutes - p.response_slope_minutes * Math.log(Math.max(Math.abs(customerDelta), 1) / 1000) + p.response_noise_minutes * rng.normal());
  const duration = uniform(rng, kind === 'gamma' ? p.gamma_duration_minutes : p.sweep_duration_minutes);
  const impact = Math.sign(hedge) * p.impact_points_per_sqrt_unit * Math.sqrt(Math.abs(hedge));
  const flow: PlantedFlow = {
    time,
    kind,
    contracts: legs.map(({ id, amount, side: sd }) => ({ id, amount, side: sd })),
    customerDelta,
    hedgeQuantity: hedge,
    hedgeStartMinutes: delay,
    hedgeDurationMinutes: duration,
    impactPoints: impact,
  };
  // the order printed half a minute before absMinute's end; the hedge starts `delay` after it
  const program = hedge === 0 ? null : { start: absMinute - 0.5 + delay, duration, quantity: hedge, impact };
  return { flow, program };
}

function clampIndex(i: number, n: number): number {
  return Math.min(n - 1, Math.max(0, i));
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function calendarDays(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function nextWeekday(date: string): string {
  let d = addDays(date, 1);
  while ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addDays(d, 1);
  return d;
}
