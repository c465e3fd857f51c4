/**
 * KqlError: every failure to compile a query, positioned in the query text. Kusto's own diagnostics keep
 * their code and message (KS142 …); constructs the translator does not handle are TT001, naming the
 * SyntaxKind, so a hunt fails loudly instead of returning a silently different answer.
 */
import type { KNode } from './kusto.js';

export const UNSUPPORTED = 'TT001';

export class KqlError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly start: number,
    readonly length: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'KqlError';
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

export function kqlError(
  query: string,
  code: string,
  message: string,
  start: number,
  length: number,
): KqlError {
  const { line, column } = lineColumn(query, start);
  return new KqlError(
    `${code}: ${message} (line ${line}, column ${column})`,
    code,
    start,
    length,
    line,
    column,
  );
}

/** TT001 for a node the translator cannot turn into SQL. */
export function unsupported(query: string, node: KNode, detail?: string): KqlError {
  return kqlError(query, UNSUPPORTED, unsupportedMessage(node, detail), node.start, node.length);
}

function unsupportedMessage(node: KNode, detail?: string): string {
  const snippet = node.text.length > 60 ? `${node.text.slice(0, 57)}...` : node.text;
  const what = detail ? `${node.kind} (${detail})` : node.kind;
  return `Unsupported KQL: ${what}: '${snippet}'`;
}

/**
 * TT001 found only while the query runs (a series function meets data it cannot answer for): the SQL
 * raises this text with `error()`, and runKql turns it back into a positioned KqlError (runtimeRefusal).
 */
export function runtimeRefusalText(node: KNode, detail: string): string {
  return `${UNSUPPORTED}@${node.start}+${node.length}: ${unsupportedMessage(node, detail)}`;
}

/** The KqlError of a run-time error raised from runtimeRefusalText, or undefined for any other error. */
export function runtimeRefusal(query: string, message: string): KqlError | undefined {
  const m = /TT001@(\d+)\+(\d+): ([^\n]*)/.exec(message);
  return m ? kqlError(query, UNSUPPORTED, m[3], Number(m[1]), Number(m[2])) : undefined;
}

/**
 * TT004: the query's columns depend on the data (`evaluate bag_unpack`). Not a failure of the query:
 * `runKql` runs `sql` (rows of key, types), passes the answer as `CompileOptions.bagKeys[id]` and
 * compiles again. `compileKql` alone raises it to a caller without a store.
 */
export class NeedsData extends KqlError {
  constructor(
    query: string,
    node: KNode,
    readonly id: string,
    readonly sql: string,
    readonly params: unknown[],
  ) {
    const e = kqlError(
      query,
      'TT004',
      `${node.text.trim()} needs the data to know its columns (runKql)`,
      node.start,
      node.length,
    );
    super(e.message, e.code, e.start, e.length, e.line, e.column);
    this.name = 'NeedsData';
  }
}
