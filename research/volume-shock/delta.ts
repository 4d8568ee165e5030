// Net delta created by option volume, in exposure units (underlying shares at the reference price).
//
// Sign convention (docs/volume-shock.md): deltas carry their own sign (put deltas are negative) and
// the result is the delta the *customers* took on. Customers buying calls or selling puts create
// positive delta; the market makers hold the opposite and hedge by buying the underlying, so a
// positive net delta predicts buying (we go long). The seed's `put_delta * -100` negates an already
// negative put delta, which books a put purchase as bullish; `seedNetDelta` keeps that formula only
// so a test can show the difference.
import type { ContractQuote, OptionPrint } from './types.ts';

export interface ExposureScale {
  /** shares (or coins) per contract: 100 for SPX, 1 for Deribit BTC options */
  contractMultiplier: number;
  /** the underlying's price now */
  price: number;
  /** exposure.reference_price */
  referencePrice: number;
  /** side of a print whose side is unknown */
  assumeSide: 1 | -1;
}

/** Exposure units per (contract × delta): multiplier × price / reference. */
export function unitsPerDelta(s: ExposureScale): number {
  return (s.contractMultiplier * s.price) / s.referencePrice;
}

/**
 * Customers' net delta from prints, with each contract's own signed delta. Prints of contracts
 * without a known delta are left out and counted, so the caller can refuse a partial figure.
 */
export function netDeltaOfPrints(
  prints: readonly OptionPrint[],
  quotes: ReadonlyMap<string, ContractQuote>,
  scale: ExposureScale,
): { netDelta: number; missingDelta: number } {
  let sum = 0;
  let missingDelta = 0;
  for (const p of prints) {
    const delta = quotes.get(p.contractId)?.delta;
    if (delta === null || delta === undefined) {
      missingDelta += 1;
      continue;
    }
    const side = p.side === 0 ? scale.assumeSide : p.side;
    sum += side * p.amount * delta;
  }
  return { netDelta: sum * unitsPerDelta(scale), missingDelta };
}

/** The corrected per-strike formula with customer buys: 100·(Vc·Δc + Vp·Δp), Δp < 0. */
export function netDeltaOfVolumes(callVolume: number, callDelta: number, putVolume: number, putDelta: number, multiplier: number): number {
  return multiplier * (callVolume * callDelta + putVolume * putDelta);
}

/** The seed's formula as written: put_volume · put_delta · −100 (wrong sign for negative put deltas). */
export function seedNetDelta(callVolume: number, callDelta: number, putVolume: number, putDelta: number, multiplier: number): number {
  return callVolume * callDelta * multiplier + putVolume * putDelta * -multiplier;
}
