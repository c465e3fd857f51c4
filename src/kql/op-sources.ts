/**
 * Operators that start a query instead of reading a piped input: `union` in first position, `datatable`,
 * `print` and `range`. Values are scalar expressions without a row (constants travel as parameters).
 */
import type { Compiler, Relation } from './context.js';
import { NO_ROW, scalar, type Env } from './expr.js';
import type { KNode } from './kusto.js';
import { union } from './op-union.js';
import { search } from './op-search.js';
import { ident } from './sql.js';
import { ORDINAL_COLUMN } from './relation.js';
import { dialect } from './dialect.js';
import { tupleCall, tupleWidth } from './functions-series.js';

const noRow = (c: Compiler): Env => ({ c, scope: NO_ROW, aggregate: false });

function relation(from: string, node: KNode): Relation {
  const columns = (node.type?.columns ?? []).map(({ name, type }) => ({ name, type }));
  return { from, columns, source: 'none', ordinal: false };
}

/** `datatable(a:string, b:long) ["x", 1, "y", 2]` → VALUES rows, typed by the schema. */
function datatable(node: KNode, c: Compiler): Relation {
  const columns = node.type?.columns ?? [];
  const values = node.list('Values');
  if (columns.length === 0 || values.length % columns.length !== 0) return c.fail(node, 'datatable shape');
  const cast = (sql: string, type: string) => `CAST(${sql} AS ${dialect.type(type) ?? 'VARCHAR'})`;
  const rows: string[] = [];
  // the hidden row number keeps the written order: a later sort breaks its ties by it, as Kusto does
  const ordinal = (n: number | string) => `${n} AS ${ident(ORDINAL_COLUMN)}`;
  for (let i = 0; i < values.length; i += columns.length) {
    const row = columns.map((col, j) => cast(scalar(values[i + j], noRow(c)).sql, col.type));
    const list = row.map((v, j) => `${v} AS ${ident(columns[j].name)}`);
    rows.push(`SELECT ${[...list, ordinal(i / columns.length + 1)].join(', ')}`);
  }
  if (rows.length === 0) {
    const empty = columns.map((col) => `${cast('NULL', col.type)} AS ${ident(col.name)}`);
    rows.push(`SELECT ${[...empty, ordinal('NULL::BIGINT')].join(', ')} WHERE false`);
  }
  return { ...relation(c.cte(rows.join(' UNION ALL ')), node), ordinal: true };
}

/** `print x = 1, y = "a"`: one row. */
function print(node: KNode, c: Compiler): Relation {
  const columns = node.type?.columns ?? [];
  const exprs = node.list('Expressions');
  const list: string[] = [];
  for (const e of exprs) {
    const expr = e.kind === 'SimpleNamedExpression' ? e.node('Expression')! : e;
    // a function yielding several columns (array_sort_asc(a, b), series_stats …) prints one per element
    const width = tupleWidth(expr);
    const sqls = width ? tupleCall(expr, noRow(c)) : [scalar(expr, noRow(c)).sql];
    for (const sql of sqls) {
      const col = columns[list.length];
      if (!col) return c.fail(node, 'print expressions');
      list.push(`${sql} AS ${ident(col.name)}`);
    }
  }
  if (list.length !== columns.length) return c.fail(node, 'print expressions');
  return relation(c.cte(`SELECT ${list.join(', ')}`), node);
}

/** `range x from a to b step s`: inclusive of `b`, like Kusto; numbers or datetimes. */
function range(node: KNode, c: Compiler): Relation {
  const name = node.type?.columns[0]?.name;
  if (!name) return c.fail(node, 'range without a column');
  const [from, to, step] = ['From', 'To', 'Step'].map((p) => scalar(node.node(p)!, noRow(c)).sql);
  return relation(c.cte(`SELECT unnest(generate_series(${from}, ${to}, ${step})) AS ${ident(name)}`), node);
}

export function sourceOperator(node: KNode, c: Compiler): Relation | undefined {
  switch (node.kind) {
    case 'UnionOperator':
      return union(node, undefined, node.type?.columns ?? [], c);
    case 'SearchOperator':
      return search(node, undefined, node.type?.columns ?? [], c);
    case 'DataTableExpression':
      return datatable(node, c);
    case 'PrintOperator':
      return print(node, c);
    case 'RangeOperator':
      return range(node, c);
  }
  return undefined;
}
