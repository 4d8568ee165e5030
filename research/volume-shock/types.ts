// The data every Volume Shock source produces and the detector, classifier and book consume.
// A source turns its own format (SPX end-of-day rows, Deribit JSON, the simulator) into these.
import type { FlowType } from './params.ts';

export type OptionType = 'call' | 'put';

/** One listed option and its greeks at the time of a chain update. */
export interface ContractQuote {
  /** the source's instrument id, e.g. `SPXW180131C02635000`, `BTC-27SEP24-40000-C` */
  id: string;
  /** YYYY-MM-DD */
  expiry: string;
  strike: number;
  type: OptionType;
  /** per contract, with its own sign: calls in [0, 1], puts in [-1, 0]; null = not known now */
  delta: number | null;
  /** implied volatility as a fraction (0.15), null when unknown */
  iv: number | null;
}

/** Traded option volume: one print (a trade) or, at daily granularity, a contract's whole day. */
export interface OptionPrint {
  /** epoch ms */
  time: number;
  contractId: string;
  /** contracts, > 0 */
  amount: number;
  /** the customer (aggressor) side: +1 buy, -1 sell, 0 unknown */
  side: 1 | -1 | 0;
}

export interface ChainUpdate {
  /** epoch ms of the snapshot */
  time: number;
  /** the session date the update belongs to (YYYY-MM-DD): per-day volumes key the 10-day baseline */
  day: string;
  underlying: string;
  /** the hedge instrument's price at `time` */
  price: number;
  contracts: readonly ContractQuote[];
  /** prints since the previous update (each print is handed over once) */
  prints: readonly OptionPrint[];
  /**
   * per strike key, a volume per window to use while the strike has fewer observed days than the
   * baseline needs (Deribit: the exchange's rolling 24 h volume / windows per day)
   */
  baselineHints?: ReadonlyMap<string, number>;
  /** the chain's daily option volume to use while it has fewer observed days than the baseline needs */
  dailyVolumeHint?: number;
}

/** The underlying (hedge instrument) at one time; `flow` is its signed traded volume since the last tick. */
export interface UnderlyingTick {
  time: number;
  /** the session date (YYYY-MM-DD): the daily risk budget resets when it changes */
  day: string;
  price: number;
  /** buyer-initiated minus seller-initiated volume in exposure units; absent when the source has none */
  flow?: number;
  /** epoch ms of the session's close, when the session has one */
  sessionEnd?: number;
}

export type Urgency = 'GAMMA_EMERGENCY' | 'INSTITUTIONAL_SWEEP' | 'ROUTINE_HEDGING';

/** One strike whose recent volume passed the detector's tests. */
export interface StrikeAlert {
  strikeKey: string;
  expiry: string;
  strike: number;
  time: number;
  /** contracts in the window (calls + puts) */
  recentVolume: number;
  callVolume: number;
  putVolume: number;
  /** baseline contracts per window */
  normalVolume: number;
  volumeRatio: number;
  /** the customers' net delta created, in exposure units (see delta.ts for the sign) */
  netDelta: number;
  responseMinutes: number;
  urgency: Urgency;
  pressure: number;
  /** when the window's volume crossed the thresholds: the print that made the shock (detector.ts onset) */
  onsetTime: number;
}

/** The alerts of one scan and group, classified (the seed's volume_shock_data + classification record). */
export interface ShockEvent {
  id: string;
  time: number;
  underlying: string;
  group: string;
  alerts: readonly StrikeAlert[];
  strikesAffected: number;
  totalVolume: number;
  concentrationRatio: number;
  netDelta: number;
  responseMinutes: number;
  pressure: number;
  volumeRatio: number;
  flowType: FlowType;
  onsetTime: number;
  /** at-the-money implied volatility of the chain (fraction), null when unknown */
  atmIv: number | null;
  /** the chain's average daily option volume over the baseline days (liquidity filter) */
  dailyOptionVolume: number;
}

export type Direction = 1 | -1;

/** The seed's hedge prediction: what the market makers must do and what we trade. */
export interface HedgePrediction {
  /** +1: customers net long delta, the market makers buy the underlying: we go long */
  direction: Direction;
  /** underlying units the market makers must trade (exposure units) */
  quantity: number;
  /** expected move in price units of the underlying */
  magnitude: number;
  /** expected response time, minutes */
  timingMinutes: number;
  /** upper end of the flow type's response range, minutes */
  maxResponseMinutes: number;
  confidence: number;
}

/** An order the strategy wants: the event, its prediction, a size, exits. */
export interface TradeIntent {
  event: ShockEvent;
  prediction: HedgePrediction;
  /** contracts before the risk caps */
  size: number;
  /** price distance of the stop and of the target (positive) */
  stopDistance: number;
  targetDistance: number;
  maxHoldMinutes: number;
  /** when the order reaches the market (detection + latency) */
  entryAfter: number;
}
