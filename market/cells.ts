// Text-cell parsing shared by the CSV readers (day files and factors).

/**
 * Parses one numeric cell. Blank and NaN spellings give NaN; `inf` spellings (Python's) give ±Infinity.
 * Returns null when the cell is not a number at all, so the caller can name the row and column.
 */
export function parseNumberCell(cell: string): number | null {
  if (cell.length === 0) return NaN;
  const x = Number(cell);
  if (x === x) {
    // Number() reads whitespace-only as 0; a blank cell is a missing value, not zero.
    if (x === 0 && cell.trim().length === 0) return NaN;
    return x;
  }
  return parseSpecial(cell);
}

function parseSpecial(cell: string): number | null {
  let s = cell.trim();
  if (s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34) {
    s = s.slice(1, -1).trim();
    if (s.length === 0) return NaN;
    const x = Number(s);
    if (x === x) return x;
  }
  switch (s.toLowerCase()) {
    case 'nan':
    case '+nan':
    case '-nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return null;
  }
}

/** Strips surrounding whitespace and one pair of double quotes (header names may be quoted). */
export function unquote(cell: string): string {
  const s = cell.trim();
  if (s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34) {
    return s.slice(1, -1).replace(/""/g, '"').trim();
  }
  return s;
}

/** Prints a number so that Number() gives back the same bits (String() alone loses the sign of -0). */
export function formatNumberCell(x: number): string {
  if (x !== x) return '';
  if (x === 0 && 1 / x < 0) return '-0';
  return String(x);
}

/**
 * Splits a text file into lines: drops a UTF-8 BOM, accepts CRLF, and drops trailing blank lines
 * (an editor's final newline) but keeps blank lines inside the data so they are reported.
 */
export function splitLines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  while (lines.length > 0 && lines[lines.length - 1].trim().length === 0) lines.pop();
  return lines;
}
