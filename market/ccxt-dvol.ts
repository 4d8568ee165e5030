// The ACB's `dvol_btc` factor (bible §10.2, "BTC implied vol"): Deribit's DVOL index, the 30-day
// implied volatility of BTC options in annualised percent (the thresholds 55 and 80 are on this scale).
// ccxt's unified fetchVolatilityHistory(deribit) reads `get_historical_volatility`, which is
// *realised* volatility, not DVOL; DVOL is `public/get_volatility_index_data`, reached through
// ccxt's implicit API method so ccxt's throttle, timeout and error mapping still apply.
import { NotSupported, type Exchange } from 'ccxt';
import { CcxtPayloadError } from './ccxt-errors.ts';

export interface DvolOptions {
  /** Deribit currency (default 'BTC') */
  currency?: string;
  /** candle resolution in seconds as Deribit names it: '1', '60', '3600', '43200' or '1D' (default '60') */
  resolution?: string;
  /** how far back to look for the latest candle (ms, default 1 h) */
  lookbackMs?: number;
}

export const DVOL_METHOD = 'publicGetGetVolatilityIndexData';

export interface DvolReading {
  /** the close of the latest DVOL candle, annualised % */
  value: number;
  /** that candle's open time, epoch ms */
  ts: number;
}

/** The latest DVOL value at or before nowMs. The exchange must be ccxt's `deribit`. */
export async function fetchDvol(deribit: Exchange, nowMs: number, opts: DvolOptions = {}): Promise<DvolReading> {
  const currency = opts.currency ?? 'BTC';
  const lookbackMs = opts.lookbackMs ?? 3_600_000;
  const endpoint = `${DVOL_METHOD}(${currency})`;
  const method = (deribit as unknown as Record<string, unknown>)[DVOL_METHOD];
  // NotSupported is a permanent ccxt error: the factor is disabled, not retried
  if (typeof method !== 'function') throw new NotSupported(`${deribit.id} has no ${DVOL_METHOD}: DVOL needs ccxt's deribit exchange`);
  const response: unknown = await method.call(deribit, {
    currency,
    start_timestamp: Math.floor(nowMs - lookbackMs),
    end_timestamp: Math.floor(nowMs),
    resolution: opts.resolution ?? '60',
  });
  const data = (response as { result?: { data?: unknown } } | null)?.result?.data;
  if (!Array.isArray(data)) throw new CcxtPayloadError(endpoint, currency, `answer has no result.data array: ${JSON.stringify(response)?.slice(0, 80)}`);
  let latest: DvolReading | null = null;
  data.forEach((row: unknown, i: number) => {
    // [ts, open, high, low, close]
    if (!Array.isArray(row) || row.length < 5) throw new CcxtPayloadError(endpoint, currency, `result.data[${i}] is not [ts, open, high, low, close]: ${JSON.stringify(row)}`);
    const ts: unknown = row[0];
    const close: unknown = row[4];
    if (typeof ts !== 'number' || !Number.isFinite(ts)) throw new CcxtPayloadError(endpoint, currency, `result.data[${i}] ts is invalid: ${JSON.stringify(ts)}`);
    if (typeof close !== 'number' || !Number.isFinite(close) || close <= 0) throw new CcxtPayloadError(endpoint, currency, `result.data[${i}] close is invalid: ${JSON.stringify(close)}`);
    if (ts <= nowMs && (latest === null || ts > latest.ts)) latest = { value: close, ts };
  });
  if (latest === null) throw new CcxtPayloadError(endpoint, currency, `no DVOL candle in the last ${lookbackMs} ms before ${new Date(nowMs).toISOString()}`);
  return latest;
}
