// Turns a day file's decoded columns into a validated DayFrame. Both readers (CSV, parquet) end here so
// the two formats cannot disagree on what a valid day is.

import { basename } from 'node:path';
import { META_COLUMNS, SIGNAL_COLUMNS, type DayFrame } from '../engine/types.ts';
import { DataError } from './errors.ts';
import { isIsoDate } from './time.ts';

export interface ReadDayOptions {
  /** accept NaN or blank `vel_div` cells (such bars never pass the entry gate); ±Infinity stays an error */
  allowNaNVelDiv?: boolean;
}

/** A day file decoded into numbers, before validation. */
export interface RawDay {
  file: string;
  date: string;
  rows: number;
  /** every column but `timestamp`, in file order */
  names: string[];
  /** parallel to names; the builder takes ownership (prices are normalised in place) */
  columns: Float64Array[];
  /** epoch ms, or null without a timestamp column */
  timestamps: Float64Array | null;
}

export const TIMESTAMP_COLUMN = 'timestamp';
export const VEL_DIV_COLUMN = 'vel_div';

const DAY_FILE_NAME = /^(\d{4}-\d{2}-\d{2})\.(parquet|csv)$/;

/** The date a day file is for, from its name `YYYY-MM-DD.parquet|csv`. */
export function dayFileDate(file: string): string {
  const m = DAY_FILE_NAME.exec(basename(file));
  if (m === null || !isIsoDate(m[1])) {
    throw new DataError({ file }, 'a day file must be named YYYY-MM-DD.parquet or YYYY-MM-DD.csv');
  }
  return m[1];
}

export function dayFileFormat(file: string): 'parquet' | 'csv' {
  if (file.endsWith('.parquet')) return 'parquet';
  if (file.endsWith('.csv')) return 'csv';
  throw new DataError({ file }, 'unknown day file format: expected .parquet or .csv');
}

/** Header checks that need no data: names present and unique, vel_div there. */
export function checkHeader(file: string, header: readonly string[]): void {
  const seen = new Set<string>();
  for (let j = 0; j < header.length; j++) {
    const name = header[j];
    if (name.length === 0) throw new DataError({ file }, `header: column ${j + 1} has no name`);
    if (seen.has(name)) throw new DataError({ file, column: name }, 'header: duplicate column name');
    seen.add(name);
  }
  if (!seen.has(VEL_DIV_COLUMN)) {
    throw new DataError({ file, column: VEL_DIV_COLUMN }, 'header: missing required column');
  }
}

export function buildDayFrame(raw: RawDay, options: ReadDayOptions = {}): DayFrame {
  const { file, rows, names, columns, timestamps } = raw;
  const byName = new Map<string, Float64Array>();
  for (let j = 0; j < names.length; j++) byName.set(names[j], columns[j]);

  const velDiv = byName.get(VEL_DIV_COLUMN);
  if (velDiv === undefined) {
    throw new DataError({ file, column: VEL_DIV_COLUMN }, 'header: missing required column');
  }
  checkVelDiv(file, velDiv, options.allowNaNVelDiv === true);
  if (timestamps !== null) checkTimestamps(file, timestamps);

  const signal = (name: string): Float64Array => byName.get(name) ?? new Float64Array(rows).fill(NaN);
  const assets: string[] = [];
  const prices: Float64Array[] = [];
  for (let j = 0; j < names.length; j++) {
    if (META_COLUMNS.has(names[j])) continue;
    normalisePrices(file, names[j], columns[j]);
    assets.push(names[j]);
    prices.push(columns[j]);
  }

  return {
    date: raw.date,
    rows,
    timestamps,
    velDiv,
    v50: signal('v50_lambda_max_velocity'),
    v150: signal('v150_lambda_max_velocity'),
    v300: signal('v300_lambda_max_velocity'),
    v750: signal('v750_lambda_max_velocity'),
    instability50: signal('instability_50'),
    instability150: signal('instability_150'),
    assets,
    prices,
  };
}

function checkVelDiv(file: string, v: Float64Array, allowNaN: boolean): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x - x === 0) continue; // finite
    if (x !== x) {
      if (allowNaN) continue;
      throw new DataError({ file, row: i + 1, column: VEL_DIV_COLUMN }, 'missing or NaN value (the signal must be finite)');
    }
    // -Infinity would pass the entry gate as an infinitely strong signal: never accepted.
    throw new DataError({ file, row: i + 1, column: VEL_DIV_COLUMN }, `infinite value (${x})`);
  }
}

function checkTimestamps(file: string, ts: Float64Array): void {
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (!Number.isFinite(t)) {
      throw new DataError({ file, row: i + 1, column: TIMESTAMP_COLUMN }, 'missing or unreadable timestamp');
    }
    if (i === 0) continue;
    const prev = ts[i - 1];
    if (t === prev) {
      throw new DataError({ file, row: i + 1, column: TIMESTAMP_COLUMN }, `duplicate timestamp (same as row ${i})`);
    }
    if (t < prev) {
      throw new DataError({ file, row: i + 1, column: TIMESTAMP_COLUMN }, `timestamp out of order (earlier than row ${i})`);
    }
  }
}

// Empty, NaN and non-positive prices all mean "no price"; one spelling (NaN) keeps the engine simple.
function normalisePrices(file: string, asset: string, p: Float64Array): void {
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    if (x > 0) {
      if (x === Infinity) throw new DataError({ file, row: i + 1, column: asset }, 'infinite price');
    } else {
      p[i] = NaN;
    }
  }
}

/**
 * The frame's columns in file order (signals, then assets), checked for shape; shared by both writers.
 * A malformed frame is a bug in the caller, hence RangeError rather than DataError.
 */
export function frameColumns(frame: DayFrame): [string, Float64Array][] {
  const signals: Float64Array[] = [
    frame.velDiv, frame.v50, frame.v150, frame.v300, frame.v750, frame.instability50, frame.instability150,
  ];
  const cols: [string, Float64Array][] = SIGNAL_COLUMNS.map((name, i) => [name, signals[i]]);
  if (frame.assets.length !== frame.prices.length) {
    throw new RangeError(`day ${frame.date}: ${frame.assets.length} assets but ${frame.prices.length} price columns`);
  }
  const seen = new Set<string>();
  frame.assets.forEach((a, i) => {
    if (META_COLUMNS.has(a) || seen.has(a) || a.length === 0 || /[,\r\n"]/.test(a)) {
      throw new RangeError(`day ${frame.date}: asset name ${JSON.stringify(a)} cannot be a column`);
    }
    seen.add(a);
    cols.push([a, frame.prices[i]]);
  });
  for (const [name, values] of cols) {
    if (values.length !== frame.rows) {
      throw new RangeError(`day ${frame.date}: column ${name} has ${values.length} values, expected ${frame.rows}`);
    }
  }
  if (frame.timestamps !== null && frame.timestamps.length !== frame.rows) {
    throw new RangeError(`day ${frame.date}: ${frame.timestamps.length} timestamps, expected ${frame.rows}`);
  }
  return cols;
}
