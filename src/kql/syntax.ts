/**
 * Analyses of a query's syntax tree (kusto.ts parses; nothing here binds): the `let` statements, the
 * calls of a function and the names a query references, plus rewriting text at a node's span. They see
 * what Kusto sees, so a string or a comment that spells `ago(` or `]` is never taken for code.
 */
import { parseSyntax, type KNode } from './kusto.js';

export { parseSyntax, type KNode };

/** The value of each `let NAME = value` (the first, in text order, where a name is declared twice). */
export function letValues(root: KNode): Map<string, KNode> {
  const lets = new Map<string, KNode>();
  for (const statement of root.find('LetStatement')) {
    const name = statement.node('Name')?.simpleName;
    const value = statement.node('Expression');
    if (name !== undefined && value && !lets.has(name)) lets.set(name, value);
  }
  return lets;
}

/** The calls of function `name` (`name(...)`; a column or a string of that name is not one). */
export function callsOf(root: KNode, name: string): KNode[] {
  return root.find('FunctionCallExpression').filter((call) => call.node('Name')?.simpleName === name);
}

/** A call's arguments. */
export function argumentsOf(call: KNode): KNode[] {
  return call.node('ArgumentList')?.list('Expressions') ?? [];
}

/** True when the text references `name` (a table, a function, a column) outside strings and comments. */
export function referencesName(text: string, name: string): boolean {
  // a text that never spells the name cannot reference it (even `['Name']` spells it): no parse needed
  if (!text.includes(name)) return false;
  return parseSyntax(text)
    .find('NameReference')
    .some((ref) => ref.simpleName === name);
}

export interface Edit {
  start: number;
  length: number;
  text: string;
}

/** Applies non-overlapping edits (spans in `text`) at once. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.start + edit.length);
  return out;
}
