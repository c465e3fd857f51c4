/**
 * `union isfuzzy=true A, B, (C | …)`: an input that names a table, function or view the workspace does
 * not have is left out, as if it were never written. Kusto.Language binds such an input with an open
 * schema (any column name binds to it), so every later operator would see columns that no input
 * provides. Instead the input is blanked from the text (spaces, so error positions stay true) and the
 * query is bound again: every operator after the union then sees exactly the columns the engine gives.
 */
import type { SchemaSet } from '../store/schema.js';
import { analyze, type Analysis, type KNode } from './kusto.js';
import { kqlError } from './errors.js';
import { blank } from './source-away.js';

/** Kusto.Language's warning for a name in a fuzzy union input that resolves to nothing. */
const FUZZY_UNKNOWN = 'KS205';

function isFuzzy(op: KNode): boolean {
  return op.list('Parameters').some((p) => {
    const name = (p.node('Name')?.simpleName ?? p.node('Name')?.text.trim())?.toLowerCase();
    return name === 'isfuzzy' && p.node('Expression')?.text.trim().toLowerCase() === 'true';
  });
}

const end = (n: KNode) => n.start + n.length;

/**
 * The spans to blank so that the `missing` inputs leave `op`: each with its comma (the one before it
 * when a kept input precedes, else the one after). When no input is kept and the union is piped
 * (`T | union isfuzzy=true Missing`), the whole `| union …` goes; a union left with no input at all
 * fails, as Kusto fails it.
 */
function spans(query: string, op: KNode, missing: Set<number>): Array<[number, number]> {
  const inputs = op.list('Expressions');
  const kept = inputs.filter((e) => !missing.has(e.start));
  if (!kept.length) {
    const pipe = query.lastIndexOf('|', op.start);
    const piped = pipe >= 0 && query.slice(pipe + 1, op.start).trim() === '';
    if (piped) return [[pipe, end(op)]];
    const names = inputs.map((e) => e.text.trim()).join(', ');
    const why = `union isfuzzy=true: no input resolves to a table, function or view (${names}); Kusto fails such a query too.`;
    throw kqlError(query, FUZZY_UNKNOWN, why, op.start, op.length);
  }
  return inputs.flatMap((e, i): Array<[number, number]> => {
    if (!missing.has(e.start)) return [];
    const before = inputs
      .slice(0, i)
      .reverse()
      .find((x) => kept.includes(x));
    if (before) return [[end(before), end(e)]];
    const after = inputs.slice(i + 1).find((x) => kept.includes(x))!;
    return [[e.start, after.start]];
  });
}

/**
 * Fuzzy unions with the starts of their inputs that hold a KS205 name. A name belongs to the innermost
 * fuzzy input around it: `(union isfuzzy=true T, Gone | …)` loses `Gone`, not the whole subquery.
 */
function missingInputs(analysis: Analysis): Array<[KNode, Set<number>]> {
  const at = analysis.diagnostics.filter((d) => d.code === FUZZY_UNKNOWN).map((d) => d.start);
  if (!at.length) return [];
  const unions = analysis.root.find('UnionOperator').filter(isFuzzy);
  const inputs = unions.flatMap((op) => op.list('Expressions').map((e) => ({ op, e })));
  const out = new Map<number, [KNode, Set<number>]>();
  for (const p of at) {
    const around = inputs.filter(({ e }) => p >= e.start && p < end(e));
    if (!around.length) continue;
    const { op, e } = around.reduce((a, b) => (b.e.length < a.e.length ? b : a));
    const entry = out.get(op.start) ?? [op, new Set<number>()];
    entry[1].add(e.start);
    out.set(op.start, entry);
  }
  return [...out.values()];
}

/**
 * Binds `query` with the missing inputs of its fuzzy unions left out. Unions nest (an input may hold a
 * fuzzy union of its own), so it repeats until a bind finds nothing more to leave out.
 */
export function analyzeWithoutMissing(
  query: string,
  schemas: SchemaSet,
  first: Analysis = analyze(query, schemas),
): Analysis & { query: string } {
  let text = query;
  let analysis = first;
  for (;;) {
    // spans may overlap (an input that holds a fuzzy union of its own): blanking twice is harmless
    const edits = missingInputs(analysis).flatMap(([op, missing]) => spans(text, op, missing));
    const next = edits.reduce(blank, text);
    if (next === text) return { ...analysis, query: text };
    text = next;
    analysis = analyze(text, schemas);
  }
}
