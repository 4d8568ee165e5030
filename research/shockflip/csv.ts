// Writing the research tables: RFC 4180 cells, numbers as the shortest text that reads back to the
// same double, NaN as an empty cell (pandas reads it back as NaN), "\n" endings, a final newline —
// identical inputs give identical bytes.

export type Cell = string | number | boolean | null;

export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  // ±Infinity as Python writes it (float('inf') and pandas read it back)
  if (typeof v === 'number') return v !== v ? '' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : Object.is(v, -0) ? '0' : String(v);
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return lines.join('\n') + '\n';
}

/** JSON with NaN and ±Infinity as null (JSON has no such numbers), two-space indent, final newline. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
