/**
 * `mv-apply [with_itemindex=I] [x =] Arr [to typeof(T)], … on (subquery)`: each input row expands into a
 * sub-table (the arrays side by side, as mv-expand does: the shorter padded with null, element order
 * kept), the subquery runs on every sub-table, and its rows carry the input row's columns it did not
 * produce. In SQL: the input rows are numbered, the sub-tables are one relation partitioned by that number
 * (Relation.partition: aggregates group by it, take / top count within it), and the subquery's rows join
 * their input row back. The subquery may use the operators that respect the partition (ALLOWED), and
 * window functions in extend / project (partitioned by sub-table); anything else is TT001.
 */
import type { Column, Compiler, Env, Relation } from './context.js';
import { dialect } from './dialect.js';
import type { KNode } from './kusto.js';
import { converted, elements } from './op-expand.js';
import { rowScope } from './expr.js';
import { ORDINAL_COLUMN } from './relation.js';
import { SOURCE_COLUMN } from '../store/schema.js';
import { ident } from './sql.js';

const ROW = '_tt_apply';

/** Operators of the subquery that keep each sub-table apart (row-wise ones, and those aware of partitions). */
export const ALLOWED = new Set([
  'FilterOperator',
  'ExtendOperator',
  'ProjectOperator',
  'ProjectAwayOperator',
  'ProjectKeepOperator',
  'ProjectRenameOperator',
  'ProjectReorderOperator',
  'SortOperator',
  'TakeOperator',
  'TopOperator',
  'SummarizeOperator',
  'CountOperator',
  'DistinctOperator',
  'MvExpandOperator',
]);

/** Window functions read neighbouring rows, which may belong to another sub-table. */
const WINDOW_FUNCTIONS =
  /^(prev|next|row_number|row_cumsum|row_rank_min|row_rank_dense|row_window_session)$/i;

const TYPES: Record<string, string> = { double: 'real', date: 'datetime', time: 'timespan', boolean: 'bool' };

/** One array to expand: the sub-table's column name, its SQL and the element type. */
interface Expansion {
  name: string;
  sql: string;
  type: string;
}

function expansion(e: KNode, c: Compiler): Expansion {
  const inner = e.node('Expression')!;
  const named = inner.kind === 'SimpleNamedExpression';
  const expr = named ? inner.node('Expression')! : inner;
  const name = named ? inner.node('Name')?.simpleName : expr.simpleName;
  if (!name) return c.fail(e, 'mv-apply of an unnamed expression');
  const typeText = e.node('ToTypeOf')?.text;
  const typeName = typeText ? /typeof\s*\(\s*(\w+)\s*\)/i.exec(typeText)?.[1].toLowerCase() : 'dynamic';
  if (!typeName) return c.fail(e, 'mv-apply element type');
  const env: Env = { c, scope: rowScope(), aggregate: false };
  return { name, sql: elements(c.expr.scalar(expr, env).sql), type: TYPES[typeName] ?? typeName };
}

/**
 * A subquery over partitioned rows (mv-apply's, partition's): its operators, innermost first, each checked
 * against `allowed`; window functions are TT001.
 */
export function subquery(
  node: KNode,
  input: Relation,
  c: Compiler,
  allowed = ALLOWED,
  where = "mv-apply's subquery",
): Relation {
  if (node.kind === 'ParenthesizedExpression')
    return subquery(node.node('Expression')!, input, c, allowed, where);
  const isPipe = node.kind === 'PipeExpression';
  const op = isPipe ? node.node('Operator')! : node;
  if (!allowed.has(op.kind)) return c.fail(op, `in ${where}`);
  // window functions run per sub-table in extend / project (windowFor partitions by it); elsewhere TT001
  const call = op
    .find('FunctionCallExpression')
    .find((f) => WINDOW_FUNCTIONS.test(f.node('Name')?.simpleName ?? ''));
  if (call && op.kind !== 'ExtendOperator' && op.kind !== 'ProjectOperator')
    return c.fail(call, `window functions in ${where}`);
  const rows = isPipe ? subquery(node.node('Expression')!, input, c, allowed, where) : input;
  const out = (isPipe ? node.type : op.type)?.columns;
  if (!out) return c.fail(op, 'operator without a tabular result');
  return c.operator(op, rows, out);
}

export function mvApply(op: KNode, input: Relation, out: Column[], c: Compiler): Relation {
  if (op.node('ContextIdClause')) return c.fail(op.node('ContextIdClause')!, 'mv-apply id');
  let indexName: string | undefined;
  for (const p of op.list('Parameters')) {
    const name = p.node('Name')?.simpleName?.toLowerCase();
    if (name !== 'with_itemindex') return c.fail(p, `mv-apply ${name}`);
    indexName = p.node('Expression')?.simpleName;
  }
  const expansions = op.list('Expressions').map((e) => expansion(e, c));

  // the input rows, numbered: the sub-tables' key and the join back
  const hidden = [
    ...(input.source !== 'none' ? [ident(SOURCE_COLUMN)] : []),
    ...(input.ordinal ? [ident(ORDINAL_COLUMN)] : []),
  ];
  const rows = c.cte(
    `SELECT *, row_number() OVER (${input.order ? `ORDER BY ${input.order.map((t) => t.expr).join(', ')}` : ''}) AS ${ident(ROW)} FROM ${input.from}`,
  );
  const all = c.cte(`SELECT ${ident(ROW)} FROM ${rows}`);

  // the sub-tables: the arrays unnested side by side, the element index giving their order
  const unnests = expansions.map((x, i) => `unnest(${x.sql}) AS ${ident(`_tt_e${i}`)}`);
  unnests.push(
    `unnest(range(greatest(${expansions.map((x) => dialect.listLength(x.sql)).join(', ')}))) AS _tt_i`,
  );
  const expandedNames = new Set(expansions.map((x) => x.name));
  const kept = input.columns.filter((col) => !expandedNames.has(col.name) && col.name !== indexName);
  const columns: Column[] = [
    ...kept,
    ...expansions.map(({ name, type }) => ({ name, type })),
    ...(indexName ? [{ name: indexName, type: 'long' }] : []),
  ];
  const list = [
    ...kept.map((col) => ident(col.name)),
    ...expansions.map((x, i) => `${converted(ident(`_tt_e${i}`), x.type)} AS ${ident(x.name)}`),
    ...(indexName ? [`CAST(_tt_i AS BIGINT) AS ${ident(indexName)}`] : []),
    ident(ROW),
    `row_number() OVER (ORDER BY ${ident(ROW)}, _tt_i) AS ${ident(ORDINAL_COLUMN)}`,
  ];
  // `limit n`: at most n elements of each row's arrays
  const limitNode = op.node('RowLimitClause')?.node('RowLimit');
  const limit = limitNode
    ? ` WHERE _tt_i < ${c.expr.scalar(limitNode, { c, scope: rowScope(), aggregate: false }).sql}`
    : '';
  const expanded = c.cte(
    `SELECT ${list.join(', ')} FROM (SELECT *, ${unnests.join(', ')} FROM ${rows})${limit}`,
  );
  const body = op.node('Subquery')?.node('Expression');
  if (!body) return c.fail(op, 'mv-apply without a subquery');
  const sub = subquery(
    body,
    { from: expanded, columns, source: 'none', ordinal: true, partition: { column: ROW, all } },
    c,
  );

  // the subquery's rows, with the input row's columns it did not produce
  const produced = new Set(sub.columns.map((col) => col.name));
  const select = out.map((col) => {
    if (produced.has(col.name)) return `s.${ident(col.name)} AS ${ident(col.name)}`;
    if (!input.columns.some((i) => i.name === col.name)) return c.fail(op, `column ${col.name} not found`);
    return `o.${ident(col.name)} AS ${ident(col.name)}`;
  });
  select.push(...hidden.map((h) => `o.${h}`));
  const from = c.cte(
    `SELECT ${select.join(', ')} FROM ${sub.from} AS s JOIN ${rows} AS o ON s.${ident(ROW)} = o.${ident(ROW)}`,
  );
  return {
    from,
    columns: out.map(({ name, type }) => ({ name, type })),
    source: input.source,
    ordinal: input.ordinal,
  };
}
