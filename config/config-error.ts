// A typed configuration error whose message names the source file, the key path and, when known, the line.
import type { z } from 'zod';

export interface ConfigIssue {
  /** dotted key path, e.g. "sizing.max_leverage"; "" for the document itself */
  path: string;
  message: string;
  /** set for a key the schema does not know, so callers can tell typos from bad values */
  unknownKey?: boolean;
  line?: number;
  column?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly source: string;
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(issues.map((issue) => formatIssue(source, issue)).join('\n'));
    this.source = source;
    this.issues = issues;
  }
}

function formatIssue(source: string, issue: ConfigIssue): string {
  const line = issue.line === undefined ? '' : ` (line ${issue.line})`;
  if (issue.unknownKey) return `${source}: unknown key ${issue.path}${line}`;
  const where = issue.path === '' ? '' : `${issue.path}: `;
  return `${source}: ${where}${issue.message}${line}`;
}

export type PathKey = string | number;

/** Finds the line of a key path in the source, when the value came from a file. */
export type Locate = (path: readonly PathKey[]) => { line: number; column: number } | undefined;

export function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Turns zod's issues into ConfigIssues that quote the offending value, so the message stands alone. */
export function issuesFromZod(error: z.ZodError, input: unknown, locate?: Locate): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        out.push({ path: joinPath(keyPath), message: 'unknown key', unknownKey: true, ...locate?.(keyPath) });
      }
      continue;
    }
    const value = valueAt(input, path);
    out.push({ path: joinPath(path), message: describe(issue, value), ...locate?.(path) });
  }
  return out;
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined) return 'missing';
  switch (issue.code) {
    case 'invalid_type':
      // zod reports a non-integer as expected "int"; say it the way a config author would
      return issue.expected === 'int'
        ? `must be an integer, got ${show(value)}`
        : `expected ${issue.expected}, got ${show(value)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(show).join(', ')}, got ${show(value)}`;
    default:
      return `${issue.message}, got ${show(value)}`;
  }
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PathKey, unknown>)[key];
  }
  return node;
}

function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
