/**
 * `project-away _Source` (or a pattern that matches it, `_*`): Telltale's provenance column is not a
 * column of any table, so Kusto's binder rejects the name (KS109). The query means "leave provenance
 * out": the item is blanked from the text (spaces, so every later error position stays true) and the
 * whole result goes without `_Source`, as with `telltale kql --no-source`. Internal columns never
 * appear either way: the binder's columns are the only ones a projection lists.
 */
import type { SchemaSet } from '../store/schema.js';
import { analyze, parseSyntax, type Analysis, type KNode } from './kusto.js';
import { SOURCE_COLUMN } from '../store/schema.js';
import { matcher } from './op-by-names.js';

export interface SourceAwayAnalysis extends Analysis {
  /** The query as bound: the `_Source` items of project-away blanked. */
  query: string;
  /** A project-away named `_Source` (or a pattern matching it): the result leaves it out. */
  dropSource: boolean;
}

/** A project-away item (name or `*` pattern) that names the provenance column. */
function namesSource(item: KNode): boolean {
  return matcher(item.simpleName ?? item.text.trim())(SOURCE_COLUMN);
}

/** The text span to blank so that `item` leaves its project-away (and the operator too when alone). */
function itemSpan(query: string, op: KNode, item: KNode, gone: Set<number>): [number, number] {
  const items = op.list('Expressions').filter((x) => x === item || !gone.has(x.start));
  const i = items.findIndex((x) => x.start === item.start);
  const end = item.start + item.length;
  if (items.length === 1) return [Math.max(0, query.lastIndexOf('|', op.start)), end];
  if (i < items.length - 1) return [item.start, items[i + 1].start];
  const prev = items[i - 1];
  return [prev.start + prev.length, end];
}

/** `query` with [from, to) turned into spaces (newlines kept), so every later position stays true. */
export function blank(query: string, [from, to]: [number, number]): string {
  return query.slice(0, from) + query.slice(from, to).replace(/[^\n]/g, ' ') + query.slice(to);
}

function projectAwayItems(root: KNode): Array<{ op: KNode; item: KNode }> {
  return root
    .find('ProjectAwayOperator')
    .flatMap((op) => op.list('Expressions').map((item) => ({ op, item })))
    .filter(({ item }) => namesSource(item));
}

/**
 * Parses and binds `query`, first removing `project-away _Source`; a pattern such as `_*` stays (it may
 * remove real columns) unless Kusto rejects it for matching none.
 */
export function analyzeWithoutSource(query: string, schemas: SchemaSet): SourceAwayAnalysis {
  // every query is compiled through here: parse a second time only when it can hold a project-away
  if (!query.includes('project-away')) return { ...analyze(query, schemas), query, dropSource: false };
  const found = projectAwayItems(parseSyntax(query));
  let text = query;
  const gone = new Set<number>(); // the starts of the items blanked so far
  const remove = (op: KNode, item: KNode) => {
    text = blank(text, itemSpan(text, op, item, gone));
    gone.add(item.start);
  };
  for (const { op, item } of found) if (!item.text.includes('*')) remove(op, item);
  let analysis = analyze(text, schemas);
  for (let pass = 0; pass < found.length; pass++) {
    const errors = analysis.diagnostics.filter((d) => d.severity === 'Error');
    const hit = found.find(({ item }) => !gone.has(item.start) && errors.some((d) => d.start === item.start));
    if (!hit) break;
    remove(hit.op, hit.item);
    analysis = analyze(text, schemas);
  }
  return { ...analysis, query: text, dropSource: found.length > 0 };
}
