// Bad market data is reported, never skipped: every error says where it is so a person can fix the file.

export interface DataErrorLocation {
  /** the file (or directory) the problem is in, as the caller named it */
  file: string;
  /** 1-based data row, header excluded; absent when the problem is not in one row */
  row?: number;
  column?: string;
}

export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string;
  readonly row?: number;
  readonly column?: string;
  /** the problem without its location, e.g. `not a number ("abc")` */
  readonly detail: string;

  constructor(where: DataErrorLocation, detail: string, options?: { cause?: unknown }) {
    super(formatLocation(where) + ': ' + detail, options);
    this.file = where.file;
    if (where.row !== undefined) this.row = where.row;
    if (where.column !== undefined) this.column = where.column;
    this.detail = detail;
  }
}

// The path is kept as the caller gave it: a base name alone is ambiguous across data directories.
function formatLocation({ file, row, column }: DataErrorLocation): string {
  let s = file;
  if (row !== undefined) s += ` row ${row}`;
  if (column !== undefined) s += ` column ${column}`;
  return s;
}

/** Shortens a cell for an error message so a corrupt line cannot flood the log. */
export function quoteCell(cell: string): string {
  const s = cell.length > 40 ? cell.slice(0, 40) + '…' : cell;
  return JSON.stringify(s);
}
