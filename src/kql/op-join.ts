/**
 * `join` and `lookup` → one SQL join (DuckDB plans it as a hash join). Column names come from the binder:
 * the left's columns, then the right's (renamed `Col1` on a clash; `lookup` drops the right's keys).
 *
 * Kusto's rules kept here: the default kind is `innerunique` (one left row per key, then an inner join);
 * string keys never are null, so "" matches ""; other null keys match nothing. Provenance: semi and anti
 * joins keep their side's `_Source`; `lookup` keeps the left's (the right is enrichment); the other
 * kinds list the sources of both rows, left first (a finding then points at the log line and at the
 * indicator that matched it).
 */
import { SOURCE_COLUMN } from '../store/schema.js';
import type { Column, Compiler, Relation, Sql } from './context.js';
import type { KNode } from './kusto.js';
import { MAX_SOURCES } from './relation.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';

interface KeyPair {
  left: string;
  right: string;
}

const LEFT = '_l';
const RIGHT = '_r';

/** `kind=…` of a join or lookup, lower-cased. */
export function operatorKind(op: KNode): string | undefined {
  for (const p of op.list('Parameters')) {
    const name = p.node('Name')?.simpleName ?? p.node('Name')?.text.trim();
    if (name?.toLowerCase() === 'kind') return p.node('Expression')?.text.trim().toLowerCase();
  }
  return undefined;
}

function side(path: KNode, c: Compiler): ['left' | 'right', string] {
  const which = path.node('Expression')?.text.trim().toLowerCase();
  const name = path.node('Selector')?.simpleName;
  if (path.kind !== 'PathExpression' || !name || (which !== '$left' && which !== '$right'))
    return c.fail(path, 'join key that is not $left.Column or $right.Column');
  return [which === '$left' ? 'left' : 'right', name];
}

function joinKeys(clause: KNode | undefined, op: KNode, c: Compiler): KeyPair[] {
  if (!clause || clause.kind !== 'JoinOnClause') return c.fail(clause ?? op, 'join without an on clause');
  // `$left.a == $right.b and $left.c == $right.d`: a conjunction of equalities is several keys
  const flat = (e: KNode): KNode[] =>
    e.kind === 'AndExpression' ? [...flat(e.node('Left')!), ...flat(e.node('Right')!)] : [e];
  return clause
    .list('Expressions')
    .flatMap(flat)
    .map((e) => {
      if (e.kind === 'NameReference' && e.simpleName) return { left: e.simpleName, right: e.simpleName };
      if (e.kind !== 'EqualExpression') return c.fail(e, 'join condition other than equality');
      const a = side(e.node('Left')!, c);
      const b = side(e.node('Right')!, c);
      if (a[0] === b[0]) return c.fail(e, 'join condition on one side only');
      return a[0] === 'left' ? { left: a[1], right: b[1] } : { left: b[1], right: a[1] };
    });
}

/**
 * `join … where cond`: any predicate over the two rows. `$left.x` / `$right.x` read the side named; a
 * bare name reads the side that has the column (the left when both do). Each side is given with the SQL
 * alias it has in the join.
 */
function whereCondition(
  clause: KNode,
  left: [Relation, string],
  right: [Relation, string],
  c: Compiler,
): string {
  const has = ([rel]: [Relation, string], name: string) => rel.columns.some((col) => col.name === name);
  const scope = {
    column: (name: string) => `${has(left, name) || !has(right, name) ? left[1] : right[1]}.${ident(name)}`,
  };
  const intercept = (node: KNode): Sql | undefined => {
    if (node.kind !== 'PathExpression') return undefined;
    const which = node.node('Expression')?.text.trim().toLowerCase();
    if (which !== '$left' && which !== '$right') return undefined;
    const [rel, alias] = which === '$left' ? left : right;
    const col = rel.columns.find((x) => x.name === node.node('Selector')?.simpleName);
    if (!col) return c.fail(node, 'join condition column');
    const sql = `${alias}.${ident(col.name)}`;
    return { sql: col.type === 'string' ? `coalesce(${sql}, '')` : sql, type: col.type };
  };
  return c.expr.scalar(clause.node('Expression')!, { c, scope, aggregate: false, intercept }).sql;
}

function typeOf(rel: Relation, name: string): string | undefined {
  return rel.columns.find((col) => col.name === name)?.type;
}

/** One key's SQL on one side: strings read as '' when missing, so that "" matches "". */
function keySql(alias: string, rel: Relation, name: string, other: string | undefined): string {
  const col = alias ? `${alias}.${ident(name)}` : ident(name);
  return typeOf(rel, name) === 'string' || other === 'string' ? `coalesce(CAST(${col} AS VARCHAR), '')` : col;
}

function condition(keys: KeyPair[], left: Relation, right: Relation): string {
  return keys
    .map((k) => {
      const lt = typeOf(left, k.left);
      const rt = typeOf(right, k.right);
      return `${keySql(LEFT, left, k.left, rt)} = ${keySql(RIGHT, right, k.right, lt)}`;
    })
    .join(' AND ');
}

/** `innerunique`: one arbitrary (here: the first by provenance) left row per key. */
function uniqueLeft(left: Relation, keys: KeyPair[], c: Compiler): Relation {
  const partition = keys.map((k) => keySql('', left, k.left, undefined)).join(', ');
  const order = left.source === 'row' ? ` ORDER BY ${ident(SOURCE_COLUMN)}` : '';
  const from = c.cte(
    `SELECT * FROM ${left.from} QUALIFY row_number() OVER (PARTITION BY ${partition}${order}) = 1`,
  );
  return { ...left, from };
}

/** SQL of the joined row's provenance list, or undefined when neither side carries one. */
function bothSources(left: Relation, right: Relation): string | undefined {
  if (left.source === 'none' && right.source === 'none') return undefined;
  const list = (alias: string, rel: Relation) => {
    const src = `${alias}.${ident(SOURCE_COLUMN)}`;
    if (rel.source === 'row') return dialect.listFilter(`[${src}]`, 's', 's IS NOT NULL');
    if (rel.source === 'list') return `coalesce(${src}, CAST([] AS VARCHAR[]))`;
    return 'CAST([] AS VARCHAR[])';
  };
  return `list_concat(${list(LEFT, left)}, ${list(RIGHT, right)})[1:${MAX_SOURCES}]`;
}

interface JoinPlan {
  sqlJoin: string; // INNER, LEFT, RIGHT, FULL, SEMI, ANTI
  keep: 'both' | 'left' | 'right';
}

const KINDS: Record<string, JoinPlan> = {
  innerunique: { sqlJoin: 'INNER', keep: 'both' },
  inner: { sqlJoin: 'INNER', keep: 'both' },
  leftouter: { sqlJoin: 'LEFT', keep: 'both' },
  rightouter: { sqlJoin: 'RIGHT', keep: 'both' },
  fullouter: { sqlJoin: 'FULL', keep: 'both' },
  leftsemi: { sqlJoin: 'SEMI', keep: 'left' },
  leftanti: { sqlJoin: 'ANTI', keep: 'left' },
  leftantisemi: { sqlJoin: 'ANTI', keep: 'left' },
  rightsemi: { sqlJoin: 'SEMI', keep: 'right' },
  rightanti: { sqlJoin: 'ANTI', keep: 'right' },
  rightantisemi: { sqlJoin: 'ANTI', keep: 'right' },
};

/** Semi / anti join: the kept side's rows, columns and provenance. */
function filterJoin(kept: Relation, other: Relation, on: string, sqlJoin: string, c: Compiler): Relation {
  const list = kept.columns.map((col) => `${LEFT}.${ident(col.name)}`);
  if (kept.source !== 'none') list.push(`${LEFT}.${ident(SOURCE_COLUMN)}`);
  const from = c.cte(
    `SELECT ${list.join(', ')} FROM ${kept.from} AS ${LEFT} ${sqlJoin} JOIN ${other.from} AS ${RIGHT} ON ${on}`,
  );
  return { from, columns: kept.columns, source: kept.source, ordinal: false };
}

/** Output columns read from each side, in the binder's order and names. */
function joinedSelect(
  out: Column[],
  picks: { alias: string; name: string }[],
  source: string | undefined,
  from: string,
): string {
  const list = out.map((col, i) => `${picks[i].alias}.${ident(picks[i].name)} AS ${ident(col.name)}`);
  if (source) list.push(`${source} AS ${ident(SOURCE_COLUMN)}`);
  return `SELECT ${list.join(', ')} FROM ${from}`;
}

export function join(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const kind = operatorKind(op) ?? 'innerunique';
  const plan = KINDS[kind];
  if (!plan) return c.fail(op, `join kind=${kind}`);
  let left = input;
  // a semi or anti join keeps one side's rows: the other side's provenance is never read
  const expr = op.node('Expression')!;
  const right = plan.keep === 'left' ? c.tabularRows(expr) : c.tabular(expr);
  const clause = op.node('ConditionClause');
  const where = clause?.kind === 'JoinWhereClause' ? clause : undefined;
  const keys = where ? [] : joinKeys(clause, op, c);
  if (kind === 'innerunique') {
    // one left row per key: a where clause has no key to pick by
    if (where) return c.fail(where, 'join kind=innerunique with a where clause');
    left = uniqueLeft(left, keys, c);
  }
  if (plan.keep !== 'both') {
    // the kept side is always aliased _l: swap the key pairs for the right-hand kinds
    const [kept, other, pairs] =
      plan.keep === 'left'
        ? [left, right, keys]
        : [right, left, keys.map((k) => ({ left: k.right, right: k.left }))];
    const on = where
      ? plan.keep === 'left'
        ? whereCondition(where, [left, LEFT], [right, RIGHT], c)
        : whereCondition(where, [left, RIGHT], [right, LEFT], c)
      : condition(pairs, kept, other);
    return filterJoin(kept, other, on, plan.sqlJoin, c);
  }
  if (out.length !== left.columns.length + right.columns.length) c.fail(op, 'join result columns');
  const picks = [
    ...left.columns.map((col) => ({ alias: LEFT, name: col.name })),
    ...right.columns.map((col) => ({ alias: RIGHT, name: col.name })),
  ];
  const source = bothSources(left, right);
  const on = where ? whereCondition(where, [left, LEFT], [right, RIGHT], c) : condition(keys, left, right);
  const from = c.cte(
    joinedSelect(
      out,
      picks,
      source,
      `${left.from} AS ${LEFT} ${plan.sqlJoin} JOIN ${right.from} AS ${RIGHT} ON ${on}`,
    ),
  );
  return {
    from,
    columns: out.map(({ name, type }) => ({ name, type })),
    source: source ? 'list' : 'none',
    ordinal: false,
  };
}

/** `lookup`: a left-outer (or inner) join that drops the right's key columns and keeps the left's provenance. */
export function lookup(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const kind = operatorKind(op) ?? 'leftouter';
  if (kind !== 'leftouter' && kind !== 'inner') return c.fail(op, `lookup kind=${kind}`);
  const right = c.tabular(op.node('Expression')!);
  const keys = joinKeys(op.node('LookupClause'), op, c);
  const rightKeys = new Set(keys.map((k) => k.right));
  const rest = right.columns.filter((col) => !rightKeys.has(col.name));
  if (out.length !== input.columns.length + rest.length) {
    // a function's tabular parameter declares fewer columns than the table it is called with: the
    // result is then the actual columns (left, then the right's non-key ones) when no name repeats
    const actual = [...input.columns, ...rest];
    if (new Set(actual.map((col) => col.name)).size !== actual.length) c.fail(op, 'lookup result columns');
    out = actual;
  }
  const picks = [
    ...input.columns.map((col) => ({ alias: LEFT, name: col.name })),
    ...rest.map((col) => ({ alias: RIGHT, name: col.name })),
  ];
  const source = input.source === 'none' ? undefined : `${LEFT}.${ident(SOURCE_COLUMN)}`;
  const on = condition(keys, input, right);
  const sqlJoin = kind === 'inner' ? 'INNER' : 'LEFT';
  const from = c.cte(
    joinedSelect(
      out,
      picks,
      source,
      `${input.from} AS ${LEFT} ${sqlJoin} JOIN ${right.from} AS ${RIGHT} ON ${on}`,
    ),
  );
  return {
    from,
    columns: out.map(({ name, type }) => ({ name, type })),
    source: input.source,
    ordinal: false,
  };
}
