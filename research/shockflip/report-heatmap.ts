// Reads heatmap_report.csv (written by the divergence map) for the report's heatmap: the blueprint's
// columns int_bin, dur_bin, total, p_reversion, p_breakout, p_churn, …; meets_min_n when present.
import { parseNumberCell, splitLines, unquote } from '../../market/cells.ts';
import { DataError, quoteCell } from '../../market/errors.ts';
import type { HeatmapCell } from './heatmap.ts';

/** The columns the report draws, of the divergence map's heatmap cells. */
export type HeatmapRow = Pick<HeatmapCell, 'int_bin' | 'dur_bin' | 'total' | 'p_reversion' | 'p_breakout' | 'p_churn'>;

const NUMBERS = ['total', 'p_reversion', 'p_breakout', 'p_churn'] as const;

export function parseHeatmapCsv(text: string, file: string): HeatmapRow[] {
  const lines = splitLines(text);
  if (lines.length === 0) throw new DataError({ file }, 'empty file: no header row');
  const header = lines[0].split(',').map(unquote);
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new DataError({ file, column: name }, `missing column (header: ${quoteCell(lines[0])})`);
    return i;
  };
  const idx = { int_bin: col('int_bin'), dur_bin: col('dur_bin'), total: col('total'), p_reversion: col('p_reversion'), p_breakout: col('p_breakout'), p_churn: col('p_churn') };
  return lines.slice(1).map((line, r) => {
    const cells = line.split(',');
    if (cells.length !== header.length) throw new DataError({ file, row: r + 1 }, `expected ${header.length} cells, found ${cells.length}`);
    const row = { int_bin: unquote(cells[idx.int_bin]), dur_bin: unquote(cells[idx.dur_bin]) } as HeatmapRow;
    for (const k of NUMBERS) {
      const x = parseNumberCell(cells[idx[k]]);
      if (x === null) throw new DataError({ file, row: r + 1, column: k }, `not a number (${quoteCell(cells[idx[k]])})`);
      row[k] = x;
    }
    return row;
  });
}
