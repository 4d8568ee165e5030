// The recorded SPX option chains (../shared/data/options-spx-2018/SPX_2018.csv, optopsy's format):
// one row per contract and quote date with end-of-day volume and greeks. End-of-day data makes the
// study daily: each date is one chain update whose prints are the day's volume (side unknown), at
// 16:00 New York (21:00 UTC, Jan–Feb has no daylight saving), and one underlying observation at
// `underlying_last`. The file starts with a UTF-8 BOM and its `exchange` header has a leading space.
import { readFileSync } from 'node:fs';
import { DataError, quoteCell } from '../../market/errors.ts';
import type { ChainUpdate, ContractQuote, OptionPrint, UnderlyingTick } from './types.ts';

export const SPX_REQUIRED = ['underlying', 'underlying_last', 'optionroot', 'type', 'expiration', 'quotedate', 'strike', 'volume', 'impliedvol', 'delta'] as const;

const CLOSE_UTC_MS = 21 * 3_600_000;

export interface SpxChains {
  updates: ChainUpdate[];
  ticks: UnderlyingTick[];
  /** quote dates, YYYY-MM-DD, ascending */
  dates: string[];
  rows: number;
  expiries: string[];
}

export function loadSpxChains(file: string): SpxChains {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError({ file }, `cannot read: ${(e as Error).message}`, { cause: e });
  }
  return parseSpxChains(text, file);
}

export function parseSpxChains(text: string, file: string): SpxChains {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new DataError({ file }, 'empty file');
  const header = lines[0].split(',').map((h) => h.trim());
  const col = new Map(header.map((h, i) => [h, i]));
  for (const name of SPX_REQUIRED) if (!col.has(name)) throw new DataError({ file, column: name }, `missing column (header: ${header.join(', ')})`);

  const byDate = new Map<string, { price: number; underlying: string; contracts: ContractQuote[]; prints: OptionPrint[]; ids: Set<string> }>();
  const expiries = new Set<string>();
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    const row = r; // 1-based data row, header excluded
    if (cells.length !== header.length) throw new DataError({ file, row }, `${cells.length} cells, the header has ${header.length}`);
    const cell = (name: (typeof SPX_REQUIRED)[number]) => cells[col.get(name)!].trim();
    const num = (name: (typeof SPX_REQUIRED)[number]): number => {
      const c = cell(name);
      const x = c === '' ? NaN : Number(c);
      if (!Number.isFinite(x)) throw new DataError({ file, row, column: name }, `not a number (${quoteCell(c)})`);
      return x;
    };
    const date = usDate(cell('quotedate'), file, row, 'quotedate');
    const expiry = usDate(cell('expiration'), file, row, 'expiration');
    const type = cell('type');
    if (type !== 'call' && type !== 'put') throw new DataError({ file, row, column: 'type' }, `expected call or put, got ${quoteCell(type)}`);
    const price = num('underlying_last');
    if (!(price > 0)) throw new DataError({ file, row, column: 'underlying_last' }, `must be > 0, got ${price}`);
    const volume = num('volume');
    if (volume < 0) throw new DataError({ file, row, column: 'volume' }, `must be >= 0, got ${volume}`);
    const delta = num('delta');
    if (delta < -1 || delta > 1 || (type === 'call' && delta < 0) || (type === 'put' && delta > 0)) {
      throw new DataError({ file, row, column: 'delta' }, `${delta} is not a ${type} delta`);
    }
    const iv = num('impliedvol');
    const id = cell('optionroot');
    if (id === '') throw new DataError({ file, row, column: 'optionroot' }, 'empty contract id');

    let day = byDate.get(date);
    if (day === undefined) {
      day = { price, underlying: cell('underlying'), contracts: [], prints: [], ids: new Set() };
      byDate.set(date, day);
    } else if (day.price !== price) {
      throw new DataError({ file, row, column: 'underlying_last' }, `${price} differs from ${day.price} earlier on ${date}`);
    }
    if (day.ids.has(id)) throw new DataError({ file, row, column: 'optionroot' }, `${id} appears twice on ${date}`);
    day.ids.add(id);
    expiries.add(expiry);
    const time = Date.parse(`${date}T00:00:00Z`) + CLOSE_UTC_MS;
    day.contracts.push({ id, expiry, strike: num('strike'), type, delta, iv: iv > 0 ? iv : null });
    if (volume > 0) day.prints.push({ time, contractId: id, amount: volume, side: 0 });
  }

  const dates = [...byDate.keys()].sort();
  const updates: ChainUpdate[] = [];
  const ticks: UnderlyingTick[] = [];
  for (const date of dates) {
    const d = byDate.get(date)!;
    const time = Date.parse(`${date}T00:00:00Z`) + CLOSE_UTC_MS;
    updates.push({ time, day: date, underlying: d.underlying, price: d.price, contracts: d.contracts, prints: d.prints });
    ticks.push({ time, day: date, price: d.price });
  }
  return { updates, ticks, dates, rows: lines.length - 1, expiries: [...expiries].sort() };
}

/** MM/DD/YYYY → YYYY-MM-DD, checked. */
function usDate(text: string, file: string, row: number, column: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (m !== null) {
    const iso = `${m[3]}-${m[1]}-${m[2]}`;
    if (new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) === iso) return iso;
  }
  throw new DataError({ file, row, column }, `expected a date MM/DD/YYYY, got ${quoteCell(text)}`);
}
