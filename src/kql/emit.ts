/**
 * Tabular operators → SQL, one function per operator kind. Each takes the input Relation and the binder's
 * output columns (Kusto's names: count_, dcount_X, Column1 …) and returns a new Relation, usually one CTE.
 * New operators (join, union, mv-expand …) slot into OPERATORS.
 */
import { SOURCE_COLUMN } from '../store/schema.js';
import type { Column, Compiler, OrderTerm, Relation, Scope } from './context.js';
import { rowScope, scalar, type Env } from './expr.js';
import type { KNode } from './kusto.js';
import { aggregateWidth, multiColumnAggregate } from './op-aggregates.js';
import { join, lookup } from './op-join.js';
import { mvExpand } from './op-expand.js';
import { mvApply } from './op-mv-apply.js';
import { topNested } from './op-top-nested.js';
import { scan } from './op-scan.js';
import { partition } from './op-partition.js';
import { parse } from './op-parse.js';
import { parseKvOperator } from './op-parse-kv.js';
import { projectByNames } from './op-by-names.js';
import { union } from './op-union.js';
import { search } from './op-search.js';
import { getschema } from './op-getschema.js';
import { invoke } from './op-userfn.js';
import { evaluate } from './op-evaluate.js';
import { makeSeries } from './op-series.js';
import { tupleCall, tupleWidth } from './functions-series.js';
import { serializeOperator, windowFor } from './op-window.js';
import { freezeOrder, orderBy, ordinalTerm, projectItems, sourceAggregate, type Item } from './relation.js';
import { ident, rawIdent, sqlName } from './sql.js';
import { AGGREGATES, keepsDeferred, settle } from './deferred-source.js';

type Emitter = (op: KNode, input: Relation, out: Column[], c: Compiler) => Relation;

const env = (c: Compiler, scope: Scope = rowScope(), aggregate = false): Env => ({ c, scope, aggregate });

/** The expression inside `x = e` / `(x, y) = e`. */
function unnamed(e: KNode): KNode {
  return e.kind === 'SimpleNamedExpression' || e.kind === 'CompoundNamedExpression'
    ? e.node('Expression')!
    : e;
}

/** `x = expr` → [x, expr]; a bare expression → [undefined, expr]. */
function named(e: KNode): [string | undefined, KNode] {
  if (e.kind === 'SimpleNamedExpression') return [e.node('Name')?.simpleName, e.node('Expression')!];
  return [undefined, e];
}

function columnRef(e: KNode): string | undefined {
  return e.kind === 'NameReference' && e.symbol?.kind === 'Column'
    ? (e.simpleName ?? e.symbol.name)
    : undefined;
}

const where: Emitter = (op, input, _out, c) => {
  const condition = scalar(op.node('Condition')!, { ...env(c), filter: true });
  return { ...input, from: c.cte(`SELECT * FROM ${input.from} WHERE ${condition.sql}`) };
};

const project: Emitter = (op, input, out, c) => {
  const w = windowFor(c, input.partition?.column);
  const items: Item[] = [];
  for (const e of op.list('Expressions')) {
    // series_stats(x), (a, b, …) = f(x): one column per element of the tuple, in the binder's order
    const width = tupleWidth(unnamed(e));
    if (width) {
      const sqls = tupleCall(unnamed(e), { ...env(c), window: w.window });
      const cols = out.slice(items.length, items.length + width);
      if (cols.length !== width) return c.fail(e, 'expressions that expand to several columns');
      items.push(...cols.map(({ name, type }, i) => ({ name, type, sql: sqls[i] })));
      continue;
    }
    if (e.kind === 'CompoundNamedExpression') return c.fail(e);
    const [, expr] = named(e);
    const ref = columnRef(expr);
    const col = out[items.length];
    if (!col) return c.fail(op, 'expressions that expand to several columns');
    const { name, type } = col;
    items.push(
      ref
        ? { name, type, sql: ident(ref), passthrough: ref }
        : { name, type, sql: scalar(expr, { ...env(c), window: w.window }).sql },
    );
  }
  if (items.length !== out.length) c.fail(op, 'expressions that expand to several columns');
  return projectItems(w.input(input), items, c, (d) => c.fail(op, d));
};

const extend: Emitter = (op, input, out, c) => {
  // later expressions may read columns defined earlier in the same extend: substitute their SQL
  const assigned = new Map<string, string>();
  const scope: Scope = { column: (name) => assigned.get(name) ?? ident(name) };
  const inputNames = new Set(input.columns.map((col) => col.name));
  const added = out.filter((col) => !inputNames.has(col.name));
  const w = windowFor(c, input.partition?.column);
  let next = 0;
  for (const e of op.list('Expressions')) {
    const width = tupleWidth(unnamed(e));
    if (width) {
      // series_stats(x), (a, b, …) = f(x): one column per element of the tuple
      const sqls = tupleCall(unnamed(e), { ...env(c, scope), window: w.window });
      const names =
        e.kind === 'CompoundNamedExpression'
          ? (e.node('Names')?.list('Names') ?? []).map((n) => n.simpleName ?? '')
          : added.slice(next, next + width).map((col) => col.name);
      if (names.length !== width || names.some((n) => !n)) return c.fail(e, 'cannot name the new columns');
      names.forEach((name, i) => {
        if (!inputNames.has(name) && !assigned.has(name)) next++;
        assigned.set(name, `(${sqls[i]})`);
      });
      continue;
    }
    if (e.kind === 'CompoundNamedExpression') c.fail(e);
    const [given, expr] = named(e);
    const name = given ?? columnRef(expr) ?? added[next]?.name;
    if (!name) return c.fail(e, 'cannot name the new column');
    if (!inputNames.has(name) && !assigned.has(name)) next++;
    assigned.set(name, `(${scalar(expr, { ...env(c, scope), window: w.window }).sql})`);
  }
  const items: Item[] = out.map(({ name, type }) =>
    assigned.has(name)
      ? { name, type, sql: assigned.get(name)! }
      : { name, type, sql: ident(name), passthrough: name },
  );
  return projectItems(w.input(input), items, c, (d) => c.fail(op, d));
};

/** Columns picked by name (project-away, project-keep, project-reorder, project-rename). */
const pick: Emitter = (op, input, out, c) => {
  const renamed = new Map<string, string>();
  if (op.kind === 'ProjectRenameOperator') {
    for (const e of op.list('Expressions')) {
      const [name, expr] = named(e);
      const ref = columnRef(expr);
      if (!name || !ref) return c.fail(e);
      renamed.set(name, ref);
    }
  }
  const known = new Set(input.columns.map((col) => col.name));
  const items: Item[] = out.map(({ name, type }) => {
    const from = renamed.get(name) ?? name;
    if (!known.has(from)) c.fail(op, `column ${from} not found`);
    return from === name
      ? { name, type, sql: ident(name), passthrough: name }
      : { name, type, sql: ident(from) };
  });
  return projectItems(input, items, c, (d) => c.fail(op, d));
};

/** Kusto sorts descending by default; nulls come first ascending and last descending. */
function orderTerms(exprs: KNode[], c: Compiler): { terms: OrderTerm[]; simple: boolean } {
  let simple = true;
  const terms = exprs.map((e) => {
    const expr = e.kind === 'OrderedExpression' ? e.node('Expression')! : e;
    const ordering = e.kind === 'OrderedExpression' ? e.node('Ordering') : undefined;
    const desc = (ordering?.token('AscOrDescKeyword') ?? 'desc').toLowerCase() !== 'asc';
    const nulls = ordering?.node('NullsClause')?.token('FirstOrLastKeyword')?.toLowerCase();
    const nullsFirst = nulls ? nulls === 'first' : !desc;
    const ref = columnRef(expr);
    if (!ref) simple = false;
    const sql = scalar(expr, env(c)).sql; // strings read as '' when missing: they sort as empty strings
    return { expr: sql, columns: ref ? [ref] : [], desc, nullsFirst };
  });
  return { terms, simple };
}

function sorted(input: Relation, given: OrderTerm[], simple: boolean, c: Compiler): Relation {
  // a stable sort: rows that tie keep their earlier order (the hidden row number, when there is one)
  const terms = input.ordinal ? [...given, ordinalTerm()] : given;
  // by columns: the order stays pending and is applied where it matters (take, the final SELECT)
  if (simple) return { ...input, order: terms };
  // by expressions: freeze it now, while the expressions can still be computed
  return freezeOrder({ ...input, order: terms }, c);
}

const sort: Emitter = (op, input, _out, c) => {
  const { terms, simple } = orderTerms(op.list('Expressions'), c);
  return sorted(input, terms, simple, c);
};

function limit(input: Relation, count: KNode, c: Compiler): Relation {
  const n = scalar(count, env(c, rowScope())).sql;
  const order = input.order ? ` ORDER BY ${orderBy(input.order)}` : '';
  if (input.partition) {
    // n rows of each sub-table
    const over = `PARTITION BY ${ident(input.partition.column)}${order}`;
    return {
      ...input,
      from: c.cte(`SELECT * FROM ${input.from} QUALIFY row_number() OVER (${over}) <= ${n}`),
    };
  }
  return { ...input, from: c.cte(`SELECT * FROM ${input.from}${order} LIMIT ${n}`) };
}

const take: Emitter = (op, input, _out, c) => limit(input, op.node('Expression')!, c);

const top: Emitter = (op, input, _out, c) => {
  const { terms, simple } = orderTerms([op.node('ByExpression')!], c);
  return limit(sorted(input, terms, simple, c), op.node('Expression')!, c);
};

function aggregateSelect(input: Relation, items: Item[], groupBy: number, c: Compiler): Relation {
  // grouped, not split into sub-tables: the `_Source` lists wait until the groups that need them are known
  const defer = groupBy > 0 && !input.partition && (input.source !== 'none' || input.deferred !== undefined);
  if (!defer) input = settle(input, c);
  const list = items.map((i) => `${i.sql} AS ${ident(i.name)}`);
  const sources = defer ? undefined : sourceAggregate(input);
  if (sources) list.push(`${sources} AS ${ident(SOURCE_COLUMN)}`);
  const keys = Array.from({ length: groupBy }, (_, i) => String(i + 1));
  const part = input.partition;
  if (part) keys.push(ident(part.column));
  const group = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
  const select = `SELECT ${list.join(', ')}${part ? `, ${ident(part.column)}` : ''} FROM ${input.from}${group}`;
  let from = c.cte(select);
  if (part && !groupBy) {
    // a sub-table without rows still gets its row: the aggregates over no rows (count 0, an empty list …)
    const p = ident(part.column);
    const empty = `SELECT ${list.join(', ')} FROM ${input.from} WHERE false`;
    from = c.cte(
      `SELECT * FROM ${from} UNION ALL SELECT e.*, a.${p} FROM ${part.all} AS a, (${empty}) AS e ` +
        `WHERE a.${p} NOT IN (SELECT ${p} FROM ${from})`,
    );
  }
  return {
    from,
    columns: items.map(({ name, type }) => ({ name, type })),
    source: sources ? 'list' : 'none',
    ordinal: false,
    partition: part,
    deferred: defer
      ? { input, keys: items.slice(0, groupBy).map((i) => ({ name: i.name, sql: i.sql })) }
      : undefined,
  };
}

const summarize: Emitter = (op, input, out, c) => {
  const by = op.node('ByClause')?.list('Expressions') ?? [];
  const items: Item[] = by.map((e, i) => ({ ...out[i], sql: scalar(named(e)[1], env(c)).sql }));
  // the binder lists by-columns, then each aggregate's columns (several for arg_max, percentiles)
  for (const e of op.list('Aggregates')) {
    const expr = unnamed(e);
    const cols = out.slice(items.length, items.length + aggregateWidth(expr));
    const aggEnv = { ...env(c, rowScope(), true), listOrder: input.ordinal ? ordinalTerm().expr : undefined };
    items.push(
      ...(multiColumnAggregate(expr, cols, aggEnv) ?? [{ ...cols[0], sql: scalar(expr, aggEnv).sql }]),
    );
  }
  if (items.length !== out.length) c.fail(op, 'aggregates whose columns do not match the result');
  return aggregateSelect(input, items, by.length, c);
};

/** `top-hitters n of x [by w]`: the n values of x with the most rows (or the largest sum of w), exact here. */
const topHitters: Emitter = (op, input, out, c) => {
  const by = op.node('ByClause')?.node('Expression');
  const weight = by ? `sum(${scalar(by, env(c)).sql})` : 'count(*)';
  const items: Item[] = [
    { ...out[0], sql: scalar(unnamed(op.node('OfExpression')!), env(c)).sql },
    { ...out[1], sql: `CAST(${weight} AS ${out[1].type === 'real' ? 'DOUBLE' : 'BIGINT'})` },
  ];
  const order: OrderTerm = {
    expr: ident(out[1].name),
    columns: [out[1].name],
    desc: true,
    nullsFirst: false,
  };
  return limit({ ...aggregateSelect(input, items, 1, c), order: [order] }, op.node('Expression')!, c);
};

const count: Emitter = (_op, input, out, c) => aggregateSelect(input, [{ ...out[0], sql: 'count(*)' }], 0, c);

const distinct: Emitter = (op, input, out, c) => {
  const exprs = op.list('Expressions');
  const star = exprs.length === 1 && exprs[0].kind === 'StarExpression';
  if (!star && exprs.length !== out.length) c.fail(op, 'expressions that expand to several columns');
  const items: Item[] = star
    ? out.map((col) => ({ ...col, sql: ident(col.name) }))
    : exprs.map((e, i) => ({ ...out[i], sql: scalar(named(e)[1], env(c)).sql }));
  return aggregateSelect(input, items, items.length, c);
};

const OPERATORS: Record<string, Emitter> = {
  FilterOperator: where,
  ProjectOperator: project,
  ExtendOperator: extend,
  ProjectAwayOperator: pick,
  ProjectKeepOperator: pick,
  ProjectReorderOperator: pick,
  ProjectRenameOperator: pick,
  ProjectByNamesOperator: projectByNames,
  SortOperator: sort,
  TakeOperator: take,
  TopOperator: top,
  TopHittersOperator: topHitters,
  SummarizeOperator: summarize,
  CountOperator: count,
  GetSchemaOperator: (_op, input, out, c) => getschema(input, out, c),
  DistinctOperator: distinct,
  JoinOperator: join,
  LookupOperator: lookup,
  UnionOperator: union,
  SearchOperator: search,
  MvExpandOperator: mvExpand,
  MvApplyOperator: mvApply,
  TopNestedOperator: topNested,
  ScanOperator: scan,
  PartitionOperator: partition,
  InvokeOperator: invoke,
  ParseOperator: parse,
  ParseWhereOperator: parse,
  ParseKvOperator: parseKvOperator,
  EvaluateOperator: evaluate,
  MakeSeriesOperator: makeSeries,
  // render only draws a chart in Kusto's clients; the rows are unchanged (documented in docs/kql.md)
  RenderOperator: (_op, input) => input,
  AsOperator: (_op, input) => input, // names the result for the query's later steps; the rows are unchanged
  SerializeOperator: (op, input, out, c) => serializeOperator(op, input, (rel) => extend(op, rel, out, c), c),
};

/** One operator of a pipeline: deferred `_Source` lists (deferred-source.ts) pass through it when they can. */
export function emitChained(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  const emitter = OPERATORS[op.kind];
  if (!emitter) return c.fail(op);
  const deferred = input.deferred;
  if (!deferred) return emitter(op, input, out, c);
  if (!keepsDeferred(op, deferred)) return emitter(op, settle(input, c), out, c);
  const result = emitter(op, input, out, c);
  return AGGREGATES.has(op.kind) ? result : { ...result, deferred };
}

/** One operator over rows already translated, its `_Source` in place. */
export function emitOperator(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  return settle(emitChained(op, settle(input, c), out, c), c);
}

/** The final SELECT: Kusto's columns, then `_Source`, in the pending order. */
export function finalSelect(rel: Relation, keepSource: boolean): string {
  const list = rel.columns.map((col) =>
    sqlName(col.name) === col.name ? ident(col.name) : `${ident(col.name)} AS ${rawIdent(col.name)}`,
  );
  if (keepSource && rel.source !== 'none') list.push(ident(SOURCE_COLUMN));
  const order = rel.order ? ` ORDER BY ${orderBy(rel.order)}` : '';
  return `SELECT ${list.join(', ')} FROM ${rel.from}${order}`;
}
