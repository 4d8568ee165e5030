// Calendar months in UTC: the unit of the blueprint's out-of-sample months and of the meta-model's
// time-block CV (train 3 months / test 1 month). Months are non-overlapping by construction.

/** "YYYY-MM" of an epoch-ms time, UTC. */
export function monthKey(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
  return new Date(ms).toISOString().slice(0, 7);
}

/** Months since 1970-01 (UTC): consecutive months differ by exactly 1. */
export function monthIndex(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth() - 1970 * 12;
}

/** Epoch ms of the first instant of month index m. */
export function monthStartMs(m: number): number {
  return Date.UTC(1970 + Math.floor(m / 12), ((m % 12) + 12) % 12, 1);
}

/** "YYYY-MM" of a month index. */
export function monthLabel(m: number): string {
  return monthKey(monthStartMs(m));
}

/** Average Gregorian month in ms (365.2425 / 12 days): the unit of "trades per month". */
export const MONTH_MS = (365.2425 / 12) * 86_400_000;

/** Month index of a "YYYY-MM" label. */
export function monthIndexOfLabel(label: string): number {
  return (Number(label.slice(0, 4)) - 1970) * 12 + Number(label.slice(5, 7)) - 1;
}
