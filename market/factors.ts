// Per-date ACB v6 external factors (§10.2) and an optional per-date posture, from CSV or JSON.

import { readFile, writeFile } from 'node:fs/promises';
import { POSTURES, type ExternalFactors, type Posture } from '../engine/types.ts';
import { formatNumberCell, parseNumberCell, splitLines, unquote } from './cells.ts';
import { DataError, quoteCell } from './errors.ts';
import { isIsoDate } from './time.ts';

export interface DayFactors {
  factors: ExternalFactors;
  posture: Posture;
}

export const FACTOR_COLUMNS = ['funding_btc', 'dvol_btc', 'fng', 'taker'] as const;
type FactorName = (typeof FACTOR_COLUMNS)[number];
const KNOWN = new Set<string>(['date', ...FACTOR_COLUMNS, 'posture']);

/**
 * Reads `date,funding_btc,dvol_btc,fng,taker[,posture]` (CSV, any column order) or JSON (an array of
 * such objects, or an object keyed by date). A missing factor is NaN, a missing posture APEX. Unknown
 * columns are errors: a misspelt factor name would otherwise silently read as "unknown" every day.
 */
export async function readFactors(path: string): Promise<Map<string, DayFactors>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DataError({ file: path }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return path.toLowerCase().endsWith('.json') ? parseFactorsJson(path, text) : parseFactorsCsv(path, text);
}

export function parseFactorsCsv(file: string, text: string): Map<string, DayFactors> {
  const lines = splitLines(text);
  if (lines.length === 0) throw new DataError({ file }, 'empty file: no header row');
  const header = lines[0].split(',').map(unquote);
  header.forEach((name) => checkKey(file, undefined, name));
  if (!header.includes('date')) throw new DataError({ file, column: 'date' }, 'header: missing required column');
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new DataError({ file, column: name }, 'header: duplicate column name');
    seen.add(name);
  }

  const out = new Map<string, DayFactors>();
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    if (cells.length !== header.length) {
      throw new DataError({ file, row: r, column: cells.length < header.length ? header[cells.length] : undefined }, `expected ${header.length} cells, found ${cells.length}`);
    }
    const record: Record<string, string> = {};
    header.forEach((name, j) => (record[name] = unquote(cells[j])));
    addDay(file, r, record, out);
  }
  return out;
}

export function parseFactorsJson(file: string, text: string): Map<string, DayFactors> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new DataError({ file }, `not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const out = new Map<string, DayFactors>();
  if (Array.isArray(doc)) {
    doc.forEach((entry, i) => addDay(file, i + 1, asRecord(file, i + 1, entry), out));
  } else if (isPlainObject(doc)) {
    Object.entries(doc).forEach(([date, entry], i) => {
      const record = asRecord(file, i + 1, entry);
      if (record.date !== undefined && record.date !== date) {
        throw new DataError({ file, row: i + 1, column: 'date' }, `date ${quoteCell(String(record.date))} differs from its key ${quoteCell(date)}`);
      }
      addDay(file, i + 1, { ...record, date }, out);
    });
  } else {
    throw new DataError({ file }, 'expected an array of day objects or an object keyed by date');
  }
  return out;
}

function asRecord(file: string, row: number, entry: unknown): Record<string, unknown> {
  if (!isPlainObject(entry)) throw new DataError({ file, row }, 'expected an object');
  for (const key of Object.keys(entry)) checkKey(file, row, key);
  return entry;
}

function checkKey(file: string, row: number | undefined, key: string): void {
  if (!KNOWN.has(key)) {
    throw new DataError({ file, row, column: key }, `unknown column (expected date, ${FACTOR_COLUMNS.join(', ')}, posture)`);
  }
}

function addDay(file: string, row: number, record: Record<string, unknown>, out: Map<string, DayFactors>): void {
  const date = record.date;
  if (typeof date !== 'string' || !isIsoDate(date.trim())) {
    throw new DataError({ file, row, column: 'date' }, `not a YYYY-MM-DD date (${quoteCell(String(date ?? ''))})`);
  }
  const day = date.trim();
  if (out.has(day)) throw new DataError({ file, row, column: 'date' }, `duplicate date ${day}`);
  const factors = {} as ExternalFactors;
  for (const name of FACTOR_COLUMNS) factors[name] = factorValue(file, row, name, record[name]);
  out.set(day, { factors, posture: postureValue(file, row, record.posture) });
}

function factorValue(file: string, row: number, column: FactorName, v: unknown): number {
  if (v === undefined || v === null) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const x = parseNumberCell(v);
    if (x !== null) return x;
  }
  throw new DataError({ file, row, column }, `not a number (${quoteCell(typeof v === 'string' ? v : JSON.stringify(v))})`);
}

function postureValue(file: string, row: number, v: unknown): Posture {
  if (v === undefined || v === null) return 'APEX';
  if (typeof v === 'string') {
    const s = v.trim().toUpperCase();
    if (s.length === 0) return 'APEX';
    if ((POSTURES as readonly string[]).includes(s)) return s as Posture;
  }
  throw new DataError({ file, row, column: 'posture' }, `not a posture (${quoteCell(String(v))}; expected ${POSTURES.join(', ')})`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Writes factors as CSV (`date,funding_btc,dvol_btc,fng,taker,posture`), dates in order. */
export async function writeFactorsCsv(path: string, days: ReadonlyMap<string, DayFactors>): Promise<void> {
  const lines = ['date,' + FACTOR_COLUMNS.join(',') + ',posture'];
  for (const date of [...days.keys()].sort()) {
    const { factors, posture } = days.get(date)!;
    lines.push([date, ...FACTOR_COLUMNS.map((name) => formatNumberCell(factors[name])), posture].join(','));
  }
  await writeFile(path, lines.join('\n') + '\n');
}
