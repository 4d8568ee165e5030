// CSV cells (RFC 4180) with round-trip number formatting, shared by trades.csv and daily.csv.

export type Cell = string | number | null;

/** Numbers as String(x): the shortest text that parses back to the same double. null is empty. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Header plus rows, "\n" line ends and a final newline, so identical input gives identical bytes. */
export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return lines.join('\n') + '\n';
}
