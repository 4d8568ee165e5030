// Reads a YAML config file into plain data, keeping enough of the document to point at a key's line.
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { ConfigError, type Locate } from './config-error.ts';

export interface YamlFile {
  source: string;
  data: unknown;
  locate: Locate;
}

export function readYamlFile(path: string): YamlFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(path, [{ path: '', message: `cannot read: ${reason}` }]);
  }
  return parseYaml(text, path);
}

export function parseYaml(text: string, source: string): YamlFile {
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: "yes"/"on" stay strings, duplicate keys are errors
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => ({
        path: '',
        // prettyErrors appends "at line L, column C:" and a code excerpt; the line goes in the issue instead
        message: `invalid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
        line: e.linePos?.[0].line,
        column: e.linePos?.[0].col,
      })),
    );
  }
  const locate: Locate = (path) => {
    const node = doc.getIn(path, true);
    const offset = isNode(node) ? node.range?.[0] : undefined;
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return { source, data: doc.toJS(), locate };
}
