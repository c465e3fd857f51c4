/**
 * Provenance computed after the fact. A summarize's `_Source` list (the up to 10 smallest `file:line`
 * of each group) costs a heap per group: over a million groups it was most of a hunt's time, for groups
 * that a later `where` almost all dropped. A grouped summarize therefore leaves its lists out and records
 * how to compute them (its input and its key expressions); operators that keep rows and keys intact
 * (where, sort, take, top, an extend or project that keeps the keys, a further summarize) pass that on,
 * and the list is computed where it is needed — for the groups still there, from their input rows
 * (joined back on the keys). Same rows in, same aggregate: the lists are the ones the inline summarize
 * gives. Consumers that never read provenance (a semi join's right side, toscalar, `in (subquery)`)
 * drop it instead.
 */
import { SOURCE_COLUMN } from '../store/schema.js';
import type { Compiler, DeferredSource, Relation } from './context.js';
import type { KNode } from './kusto.js';
import { sourceAggregate } from './relation.js';
import { ident } from './sql.js';

const keyName = (i: number) => ident(`_tt_k${i}`);

/** Same key: NULLs group together in a summarize, so they match here too. */
function sameKeys(left: string[], right: string[]): string {
  return left.map((l, i) => `${l} IS NOT DISTINCT FROM ${right[i]}`).join(' AND ');
}

/** The relation with its `_Source` lists in place (a relation without deferred provenance unchanged). */
export function settle(rel: Relation, c: Compiler): Relation {
  const d = rel.deferred;
  if (!d) return rel;
  const done = { ...rel, deferred: undefined };
  // read once: a `take` without order must name the same rows in both places below
  const rows = c.cte(`SELECT * FROM ${rel.from}`, true);
  const wantedKeys = d.keys.map((k, i) => `${ident(k.name)} AS ${keyName(i)}`);
  const wanted = c.cte(`SELECT DISTINCT ${wantedKeys.join(', ')} FROM ${rows}`);
  const w = d.keys.map((_, i) => `w.${keyName(i)}`);
  const keyed = (from: string) =>
    c.cte(`SELECT *, ${d.keys.map((k, i) => `${k.sql} AS ${keyName(i)}`).join(', ')} FROM ${from}`);
  let input = d.input;
  if (input.deferred) {
    // a summarize over a summarize: its input's lists are needed for the rows that reach these groups only
    const i = d.keys.map((_, n) => `i.${keyName(n)}`);
    const exclude = d.keys.map((_, n) => keyName(n)).join(', ');
    const restricted = c.cte(
      `SELECT i.* EXCLUDE (${exclude}) FROM ${keyed(input.from)} AS i SEMI JOIN ${wanted} AS w ON ${sameKeys(i, w)}`,
    );
    input = settle({ ...input, from: restricted }, c);
  }
  const aggregate = sourceAggregate(input);
  if (!aggregate) return done;
  const i = d.keys.map((_, n) => `i.${keyName(n)}`);
  const lists = c.cte(
    `SELECT ${w.join(', ')}, ${aggregate} AS ${ident(SOURCE_COLUMN)} FROM ${keyed(input.from)} AS i ` +
      `JOIN ${wanted} AS w ON ${sameKeys(i, w)} GROUP BY ${w.join(', ')}`,
  );
  const r = d.keys.map((k) => `r.${ident(k.name)}`);
  const p = d.keys.map((_, n) => `p.${keyName(n)}`);
  const from = c.cte(
    `SELECT r.*, p.${ident(SOURCE_COLUMN)} FROM ${rows} AS r LEFT JOIN ${lists} AS p ON ${sameKeys(r, p)}`,
  );
  return { ...done, from, source: 'list' };
}

/** The relation for a consumer that never reads `_Source`: deferred lists are simply not computed. */
export function withoutDeferred(rel: Relation): Relation {
  return rel.deferred ? { ...rel, deferred: undefined } : rel;
}

/** The by-names of `x = e` items, or undefined when an item is not of that form. */
function assignedNames(op: KNode): string[] | undefined {
  const names: string[] = [];
  for (const e of op.list('Expressions')) {
    const name = e.kind === 'SimpleNamedExpression' ? e.node('Name')?.simpleName : undefined;
    if (name === undefined) return undefined;
    names.push(name);
  }
  return names;
}

/** A project that lists each key as itself (`project A, Key, B = f(x)`) and assigns no key. */
function projectKeepsKeys(op: KNode, keys: Set<string>): boolean {
  const plain = new Set<string>();
  for (const e of op.list('Expressions')) {
    if (e.kind === 'NameReference' && e.symbol?.kind === 'Column') plain.add(e.simpleName ?? '');
    else if (e.kind === 'SimpleNamedExpression') {
      if (keys.has(e.node('Name')?.simpleName ?? '')) return false;
    } else return false;
  }
  return [...keys].every((k) => plain.has(k));
}

const KEEP_ROWS_AND_KEYS = new Set(['FilterOperator', 'SortOperator', 'TakeOperator', 'TopOperator']);
/** Operators that aggregate a deferred input themselves (aggregateSelect nests the deferral). */
export const AGGREGATES = new Set([
  'SummarizeOperator',
  'CountOperator',
  'DistinctOperator',
  'TopHittersOperator',
]);

/** True when `op` keeps the rows' groups and key columns, so the lists can still be computed after it. */
export function keepsDeferred(op: KNode, d: DeferredSource): boolean {
  if (KEEP_ROWS_AND_KEYS.has(op.kind) || AGGREGATES.has(op.kind)) return true;
  const keys = new Set(d.keys.map((k) => k.name));
  if (op.kind === 'ExtendOperator') {
    const names = assignedNames(op);
    return names !== undefined && names.every((n) => !keys.has(n));
  }
  if (op.kind === 'ProjectOperator') return projectKeepsKeys(op, keys);
  return false;
}
