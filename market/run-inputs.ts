// Everything a batch run needs before its first bar: the dates, each date's w750 median ("preloaded",
// §10.3), factors and postures, and warnings about suspicious inputs. Used by `dolphin backtest`.

import { resolve } from 'node:path';
import type { RunPlan } from '../engine/run.ts';
import type { DayFrame, ExternalFactors, Posture } from '../engine/types.ts';
import { checkPartialDays, listDays, readDaySummary, type DayFileRef, type PartialDayOptions } from './dataset.ts';
import { readDayFile, type ReadDayOptions } from './day-file.ts';
import { readFactors } from './factors.ts';
import { readNg3Inputs } from './ng3-files.ts';

export interface RunInputOptions {
  dataDir: string;
  from?: string | undefined;
  to?: string | undefined;
  factorsPath?: string | undefined;
  /**
   * An NG3 tree (`eigenvalues/YYYY-MM-DD/scan_*.npz`, docs/ng3-files.md): its scan_global w750
   * replaces the day file's v750 median (SPEC-NOTES), its Indicators factors fill the dates the
   * factors file does not have.
   */
  ng3Dir?: string | undefined;
  /** partial-looking days are errors instead of warnings */
  strict: boolean;
  capital: number;
  partial?: Omit<PartialDayOptions, 'strict'>;
}

export interface RunInputs {
  refs: DayFileRef[];
  plan: RunPlan;
  /** one line each, for the operator */
  warnings: string[];
}

export async function loadRunInputs(o: RunInputOptions): Promise<RunInputs> {
  const range: { from?: string; to?: string } = {};
  if (o.from !== undefined) range.from = o.from;
  if (o.to !== undefined) range.to = o.to;
  const refs = listDays(o.dataDir, range);
  const warnings: string[] = [];
  for (const r of refs) {
    if (r.shadowed !== undefined) warnings.push(`${r.date}: using ${r.path}, ignoring ${r.shadowed}`);
  }

  const summaries = await mapLimit(refs, 8, readDaySummary);
  const partial = checkPartialDays(
    summaries.map((s, i) => ({ date: s.date, rows: s.rows, path: refs[i].path })),
    { ...o.partial, strict: o.strict },
  );
  for (const w of partial) {
    warnings.push(`${w.date}: possibly partial day (${w.rows} rows, neighbours have ${w.typicalRows}); --strict refuses it`);
  }
  const w750ByDate = new Map<string, number>();
  for (const s of summaries) {
    w750ByDate.set(s.date, s.w750Median);
    if (Number.isNaN(s.w750Median)) warnings.push(`${s.date}: no finite v750_lambda_max_velocity values`);
  }

  const factorsByDate = new Map<string, ExternalFactors>();
  const postureByDate = new Map<string, Posture>();
  if (o.factorsPath !== undefined) {
    const table = await readFactors(o.factorsPath);
    const missing: string[] = [];
    for (const r of refs) {
      const day = table.get(r.date);
      if (day === undefined) {
        missing.push(r.date);
        continue;
      }
      factorsByDate.set(r.date, day.factors);
      postureByDate.set(r.date, day.posture);
    }
    if (missing.length > 0) {
      warnings.push(`no factors for ${missing.length} date(s) (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}): ACB boost 1.0 there`);
    }
  }

  if (o.ng3Dir !== undefined) await mergeNg3(o.ng3Dir, refs, w750ByDate, factorsByDate, postureByDate, warnings);

  return {
    refs,
    warnings,
    plan: {
      dates: refs.map((r) => r.date),
      w750ByDate,
      factorsByDate,
      postureByDate,
      capital: o.capital,
      inputs: {
        data: resolve(o.dataDir),
        factors: o.factorsPath === undefined ? null : resolve(o.factorsPath),
        ng3: o.ng3Dir === undefined ? null : resolve(o.ng3Dir),
        from: refs[0].date,
        to: refs[refs.length - 1].date,
        days: refs.length,
        capital: o.capital,
      },
    },
  };
}

async function mergeNg3(
  dir: string,
  refs: readonly DayFileRef[],
  w750ByDate: Map<string, number>,
  factorsByDate: Map<string, ExternalFactors>,
  postureByDate: Map<string, Posture>,
  warnings: string[],
): Promise<void> {
  const ng3 = await readNg3Inputs(dir, { from: refs[0].date, to: refs[refs.length - 1].date });
  warnings.push(...ng3.warnings);
  const noW750: string[] = [];
  for (const r of refs) {
    const w = ng3.w750.get(r.date);
    if (w !== undefined && Number.isFinite(w)) w750ByDate.set(r.date, w);
    else noW750.push(r.date);
    const f = ng3.factors.get(r.date);
    if (f !== undefined && !factorsByDate.has(r.date)) {
      factorsByDate.set(r.date, f.factors);
      if (!postureByDate.has(r.date)) postureByDate.set(r.date, f.posture);
    }
  }
  if (noW750.length > 0) warnings.push(`NG3 ${dir}: no scan_global w750 for ${noW750.length} date(s) (${noW750.slice(0, 5).join(', ')}${noW750.length > 5 ? ', …' : ''}): the day file's v750 median is used there`);
}

/**
 * The frames of the given days, in order, read lazily: the next day is read while the caller works on
 * the current one, and at most two days are in memory.
 */
export async function* dayFrames(refs: readonly DayFileRef[], options: ReadDayOptions = {}): AsyncGenerator<DayFrame> {
  let next: Promise<DayFrame> | null = refs.length > 0 ? readDayFile(refs[0].path, options) : null;
  for (let i = 0; i < refs.length; i++) {
    const current = next!;
    next = i + 1 < refs.length ? readDayFile(refs[i + 1].path, options) : null;
    // if the caller stops early the prefetch is never awaited: keep its failure from going unhandled
    next?.catch(() => {});
    yield await current;
  }
}

// Bounded parallelism: a multi-year directory must not open every file at once.
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
