// Timestamps in day files come as ISO strings or epoch numbers of unknown unit; all become epoch ms.

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses an ISO-8601 date-time to epoch ms. Without an offset the time is taken as UTC (day files are
 * UTC; Date.parse would use the local zone). Returns NaN when the text is not such a date-time.
 */
export function parseIsoMs(text: string): number {
  const m = ISO.exec(text.trim());
  if (m === null) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 60) return NaN;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (frac !== undefined) ms += Number(frac) * 1000;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    ms -= sign * offsetMin * 60_000;
  }
  return ms;
}

/**
 * Converts an epoch number to ms, guessing the unit from its size: below 1e11 it is seconds (1e11 s is
 * the year 5138), below 1e14 ms, below 1e17 µs, else ns. Any date from 1973 to 5138 is read right.
 */
export function epochToMs(x: number): number {
  const a = Math.abs(x);
  if (a < 1e11) return x * 1000;
  if (a < 1e14) return x;
  if (a < 1e17) return x / 1e3;
  return x / 1e6;
}

/** A timestamp cell of a CSV day file: ISO text or an epoch number. NaN when it is neither. */
export function parseTimestampCell(cell: string): number {
  const s = cell.trim();
  if (s.length === 0) return NaN;
  if (s.charCodeAt(0) === 34) return parseTimestampCell(s.slice(1, -1));
  const x = Number(s);
  if (Number.isFinite(x)) return epochToMs(x);
  return parseIsoMs(s);
}

/** ISO text for integral ms (without a `.000` tail, like the golden files); null when not integral. */
export function formatIsoMs(ms: number): string | null {
  // Outside years 0000-9999 toISOString writes a 6-digit year that ISO readers reject.
  if (!Number.isInteger(ms) || ms < -62_167_219_200_000 || ms > 253_402_300_799_999) return null;
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Epoch ms of midnight UTC of a YYYY-MM-DD date. */
export function dateToMs(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** YYYY-MM-DD of the UTC date n days after `date`. */
export function addDays(date: string, n: number): string {
  return new Date(dateToMs(date) + n * 86_400_000).toISOString().slice(0, 10);
}
