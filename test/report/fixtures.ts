// Hand-built RunResults for the report tests: small and exact, or large and pseudo-random but seeded.
import type {
  DayResult,
  EntryDiagnostics,
  ExitReason,
  OpenPositionRecord,
  RunResult,
  TradeRecord,
} from '../../engine/types.ts';

function entry(capitalAtEntry: number, velDiv: number): EntryDiagnostics {
  return {
    capitalAtEntry,
    velDiv,
    velDivTrend: -0.0123,
    bucket: 0,
    bucketBoost: 1.3,
    streakMult: 1.1,
    trendMult: 1.3,
    strengthScore: 1,
    sizeLeverage: 5,
    regimeSizeMult: 1.9516577810972207,
    marketObMult: 1,
    clampedMaxLeverage: 6,
    rawLeverage: 9.758288905486104,
    dc: 'CONFIRM',
    signalConfidence: 0.9,
    ars: 1.7690120934150189,
    irpAlignment: 0.5918367346938775,
    posture: 'APEX',
  };
}

interface TradeSpec {
  date: string;
  entryBar: number;
  exitBar: number;
  asset: string;
  netPnl: number;
  exitReason: ExitReason;
}

export function makeTrades(specs: readonly TradeSpec[], initialCapital: number): TradeRecord[] {
  let capital = initialCapital;
  return specs.map((s, i) => {
    const capitalAtEntry = capital;
    capital += s.netPnl;
    const notional = capitalAtEntry * 0.2 * 6;
    return {
      tradeId: i + 1,
      date: s.date,
      entryDate: s.date,
      entryBar: s.entryBar,
      exitBar: s.exitBar,
      entryTs: `${s.date}T01:40:00Z`,
      exitTs: null,
      asset: s.asset,
      direction: -1,
      entryPrice: 27.931486713040137,
      exitPrice: 27.661396059083557,
      exitTriggerPrice: 27.655864886106336,
      leverage: 6,
      notional,
      fraction: 0.2,
      exitReason: s.exitReason,
      barsHeld: s.exitBar - s.entryBar,
      pnlPctPrice: 0.009669755739514013,
      pnlPctRaw: 0.009869755739514013,
      rngEntryDraw: 0.3745401188473625,
      rngExitDraw: s.exitReason === 'STOP_LOSS' ? null : 0.9507143064099162,
      rngObDraw: 0.7319939418114051,
      entryFee: notional * 0.000314,
      exitFee: notional * 0.00035,
      grossPnl: s.netPnl + notional * 0.000664,
      netPnl: s.netPnl,
      capitalAfter: capital,
      entry: entry(capitalAtEntry, -0.07532803552001166),
    };
  });
}

function summarise(initialCapital: number, days: DayResult[], trades: TradeRecord[]) {
  const exitReasons: Record<string, number> = {};
  for (const t of trades) exitReasons[t.exitReason] = (exitReasons[t.exitReason] ?? 0) + 1;
  const wins = trades.filter((t) => t.netPnl > 0);
  const losses = trades.filter((t) => t.netPnl <= 0);
  const gross = (ts: TradeRecord[]) => ts.reduce((s, t) => s + Math.abs(t.netPnl), 0);
  const finalCapital = days.length > 0 ? days[days.length - 1].capital : initialCapital;
  return {
    initialCapital,
    finalCapital,
    roi: finalCapital / initialCapital - 1,
    profitFactor: losses.length === 0 ? (wins.length > 0 ? Infinity : 0) : gross(wins) / gross(losses),
    sharpe: 1.25,
    maxDrawdown: 0.0123,
    winRate: trades.length > 0 ? wins.length / trades.length : 0,
    trades: trades.length,
    exitReasons,
    bars: days.reduce((s, d) => s + d.bars, 0),
    days: days.length,
  };
}

function day(date: string, pnl: number, capital: number, trades: number): DayResult {
  return {
    date,
    pnl,
    capital,
    boost: 1.626381484247684,
    beta: 0.2,
    mcStatus: 'OK',
    posture: 'APEX',
    trades,
    bars: 1440,
    signals: trades % 2 === 0 ? 2.5 : null,
  };
}

export const OPEN_POSITION: OpenPositionRecord = {
  tradeId: 4,
  asset: 'ICPUSDT',
  direction: -1,
  entryPrice: 0.07573767687286367,
  entryBar: 2870,
  entryDate: '2026-01-02',
  entryTs: '2026-01-02T23:48:00Z',
  notional: 15883.556726499275,
  leverage: 6,
  fraction: 0.10315789473684209,
  entry: { ...entry(25180.5, -0.07112614983662001), posture: 'STALKER', dc: 'NEUTRAL' },
};

/** Three trades over two days, an open position at the end. */
export function smallRun(): RunResult {
  const initial = 25000;
  const trades = makeTrades(
    [
      { date: '2026-01-01', entryBar: 100, exitBar: 112, asset: 'FTMUSDT', netPnl: 276.17267218542037, exitReason: 'FIXED_TP' },
      { date: '2026-01-01', entryBar: 121, exitBar: 241, asset: 'RNDR,"X"', netPnl: -120.5, exitReason: 'MAX_HOLD' },
      { date: '2026-01-02', entryBar: 1540, exitBar: 1551, asset: 'BTCUSDT', netPnl: 24.827327814579633, exitReason: 'FIXED_TP' },
    ],
    initial,
  );
  const days = [day('2026-01-01', 155.67267218542037, 25155.67267218542, 2), day('2026-01-02', 24.827327814579633, 25180.5, 1)];
  return {
    summary: summarise(initial, days, trades),
    days,
    trades,
    openPosition: OPEN_POSITION,
    inputs: { data: 'days/', from: '2026-01-01', to: '2026-01-02', capital: initial, seed: 42, config: { direction: -1 } },
  };
}

/** No trades at all, one day. */
export function emptyRun(): RunResult {
  const days = [day('2026-01-01', 0, 25000, 0)];
  return { summary: summarise(25000, days, []), days, trades: [], openPosition: null, inputs: { data: 'days/' } };
}

/** A large run for timing: n trades spread over the given number of days, seeded. */
export function largeRun(nTrades: number, nDays: number): RunResult {
  let state = 12345;
  const rand = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const initial = 25000;
  const reasons: ExitReason[] = ['FIXED_TP', 'MAX_HOLD', 'STOP_LOSS', 'HIBERNATE_HALT'];
  const dates = Array.from({ length: nDays }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
  const specs = Array.from({ length: nTrades }, (_, i) => {
    const d = Math.floor((i * nDays) / nTrades);
    return {
      date: dates[d],
      entryBar: d * 1440 + 100 + (i % 10) * 120,
      exitBar: d * 1440 + 110 + (i % 10) * 120,
      asset: `A${i % 48}USDT`,
      netPnl: (rand() - 0.45) * 400,
      exitReason: reasons[Math.floor(rand() * 4)],
    };
  });
  const trades = makeTrades(specs, initial);
  let capital = initial;
  const days = dates.map((date) => {
    const own = trades.filter((t) => t.date === date);
    const pnl = own.reduce((s, t) => s + t.netPnl, 0);
    capital += pnl;
    return day(date, pnl, capital, own.length);
  });
  return { summary: summarise(initial, days, trades), days, trades, openPosition: null, inputs: { data: 'large' } };
}
