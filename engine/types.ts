// Shared value types of the engine. Column-major day frames keep the bar loop on typed arrays.

export type Posture = 'APEX' | 'STALKER' | 'TURTLE' | 'HIBERNATE';
export const POSTURES: readonly Posture[] = ['APEX', 'STALKER', 'TURTLE', 'HIBERNATE'];

/** -1 = SHORT (blue, champion), +1 = LONG (green). */
export type Direction = -1 | 1;

export type McStatus = 'OK' | 'ORANGE' | 'RED';

export type ExitReason =
  | 'FIXED_TP'
  | 'STOP_LOSS'
  | 'MAX_HOLD'
  | 'HIBERNATE_HALT'
  | 'SUBDAY_ACB_NORMALIZATION';

/** The signal columns of a day file (bible §3.1), in file order. */
export const SIGNAL_COLUMNS = [
  'vel_div',
  'v50_lambda_max_velocity',
  'v150_lambda_max_velocity',
  'v300_lambda_max_velocity',
  'v750_lambda_max_velocity',
  'instability_50',
  'instability_150',
] as const;

/** Columns that are never asset prices (bible §14.3 meta_cols plus timestamp). */
export const META_COLUMNS: ReadonlySet<string> = new Set<string>([
  ...SIGNAL_COLUMNS,
  'timestamp',
  'scan_number',
]);

/** One calendar date of bars, column-major. Missing prices are NaN. */
export interface DayFrame {
  date: string; // YYYY-MM-DD
  rows: number;
  /** epoch milliseconds per row, or null when the file has no timestamp column */
  timestamps: Float64Array | null;
  velDiv: Float64Array;
  v50: Float64Array;
  v150: Float64Array;
  v300: Float64Array;
  v750: Float64Array;
  instability50: Float64Array;
  instability150: Float64Array;
  /** asset column names, in file order */
  assets: string[];
  /** prices[a][row] = close of assets[a] on that row (NaN or <= 0 means no price) */
  prices: Float64Array[];
}

/** Per-date external factors for ACB v6 (bible §10.2); NaN when unknown. */
export interface ExternalFactors {
  funding_btc: number;
  dvol_btc: number;
  fng: number;
  taker: number;
}

/** Daily MC-Forewarner report (bible §12). */
export interface ForewarnerReport {
  catastrophicProbability: number;
  envelopeScore: number;
}

/** One closed trade, as written to trades.csv / trades.jsonl. */
export interface TradeRecord {
  tradeId: number;
  date: string; // exit date: a trade belongs to the date it exits on
  entryDate: string;
  entryBar: number; // global 0-based bar index across the run
  exitBar: number;
  entryTs: string | null;
  exitTs: string | null;
  asset: string;
  direction: Direction;
  entryPrice: number;
  exitPrice: number; // after slippage
  exitTriggerPrice: number; // bar price the exit rule saw
  leverage: number;
  notional: number;
  fraction: number;
  exitReason: ExitReason;
  barsHeld: number;
  pnlPctPrice: number;
  pnlPctRaw: number;
  rngEntryDraw: number | null;
  rngExitDraw: number | null;
  rngObDraw: number | null;
  entryFee: number;
  exitFee: number;
  grossPnl: number;
  netPnl: number;
  capitalAfter: number;
  entry: EntryDiagnostics;
}

/** Why an entry was sized the way it was (diagnostics carried on the trade). */
export interface EntryDiagnostics {
  capitalAtEntry: number;
  velDiv: number;
  velDivTrend: number;
  bucket: number;
  bucketBoost: number;
  streakMult: number;
  trendMult: number;
  strengthScore: number;
  sizeLeverage: number;
  regimeSizeMult: number;
  marketObMult: number;
  clampedMaxLeverage: number;
  rawLeverage: number;
  dc: 'CONFIRM' | 'NEUTRAL' | 'CONTRADICT';
  signalConfidence: number;
  ars: number;
  irpAlignment: number;
  posture: Posture;
}

/** A position still open at the end of a run: neither closed nor marked to market. */
export interface OpenPositionRecord {
  tradeId: number;
  asset: string;
  direction: Direction;
  entryPrice: number;
  entryBar: number;
  entryDate: string;
  entryTs: string | null;
  notional: number;
  leverage: number;
  fraction: number;
  entry: EntryDiagnostics;
}

/** What processDay returns (bible §13.1) plus the fields the golden run carries. */
export interface DayResult {
  date: string;
  pnl: number;
  capital: number;
  boost: number;
  beta: number;
  mcStatus: McStatus;
  posture: Posture;
  trades: number;
  bars: number;
  signals: number | null;
}

export interface Summary {
  initialCapital: number;
  finalCapital: number;
  roi: number;
  profitFactor: number;
  sharpe: number;
  maxDrawdown: number;
  winRate: number;
  trades: number;
  exitReasons: Record<string, number>;
  bars: number;
  days: number;
}

/** Everything a run produced; the report writers take this. */
export interface RunResult {
  summary: Summary;
  days: DayResult[];
  trades: TradeRecord[];
  openPosition: OpenPositionRecord | null;
  /** the inputs of the run (paths, dates, config, seed), echoed into summary.json */
  inputs: Record<string, unknown>;
}
