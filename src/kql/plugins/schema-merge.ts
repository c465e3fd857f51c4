/**
 * `evaluate schema_merge([PreserveOrder])` over getschema rows (ColumnName, ColumnOrdinal, DataType,
 * ColumnType): one row per column name. A schema starts at each ColumnOrdinal 0, in the input's order.
 * With PreserveOrder (the default) a column keeps the ordinal of the first schema it appears in, and a
 * column found elsewhere at another ordinal is reported as Kusto does (ordinal −1, an ERROR type). Without
 * it, columns are numbered in the order they first appear. Kusto reduces differing types to a common one
 * by rules it does not document: a column with two types, or two valid columns at one ordinal, stops the
 * query with an error rather than answer with a guess.
 */
import { ORDINAL_COLUMN, serialize } from '../relation.js';
import { ident } from '../sql.js';
import { constBool, pluginArgs, type Plugin } from './common.js';

const OUT_OF_ORDER = 'ERROR(columns are out of order)';

export const schemaMerge: Plugin = (op, call, input, out, c) => {
  const args = pluginArgs(call).map((a) => (a.kind === 'SimpleNamedExpression' ? a.node('Expression')! : a));
  if (args.length > 1) return c.fail(call, 'schema_merge arguments');
  const preserveOrder = constBool(args[0], true, c, 'schema_merge PreserveOrder');
  const names = ['ColumnName', 'ColumnOrdinal', 'DataType', 'ColumnType'];
  if (!names.every((n) => input.columns.some((col) => col.name === n)))
    return c.fail(op, 'schema_merge over rows without getschema columns');
  if (out.length !== 4) return c.fail(op, 'schema_merge result columns');
  const rel = serialize(input, c);
  const [name, ordinal, dataType, columnType] = names.map(ident);
  const ord = ident(ORDINAL_COLUMN);
  const rows = c.cte(
    `SELECT ${name} AS n, ${ordinal} AS o, ${dataType} AS d, ${columnType} AS t, ${ord} AS r, ` +
      `sum(CASE WHEN ${ordinal} = 0 THEN 1 ELSE 0 END) OVER (ORDER BY ${ord} ROWS UNBOUNDED PRECEDING) AS s ` +
      `FROM ${rel.from} WHERE ${name} IS NOT NULL AND ${name} <> ''`,
  );
  const columns = c.cte(
    `SELECT n, arg_min(o, r) AS o, min(r) AS r, count(DISTINCT o) > 1 AS moved, ` +
      `count(DISTINCT d) AS types, arg_min(d, r) AS d, arg_min(t, r) AS t FROM ${rows} GROUP BY n`,
  );
  const bad = preserveOrder ? 'moved' : 'false';
  const merged = c.cte(
    `SELECT n, CASE WHEN ${bad} THEN -1 ELSE ${preserveOrder ? 'o' : 'CAST(row_number() OVER (ORDER BY r) - 1 AS BIGINT)'} END AS o, ` +
      `${bad} AS bad, types, d, t FROM ${columns}`,
  );
  const [oName, oOrdinal, oData, oType] = out.map((col) => ident(col.name));
  const from = c.cte(
    `SELECT n AS ${oName}, CAST(o AS INTEGER) AS ${oOrdinal}, ` +
      `CASE WHEN bad THEN 'ERROR(unknown CSL type:${OUT_OF_ORDER})' ` +
      `WHEN types > 1 THEN error('schema_merge: column ' || n || ' has several types (Telltale does not reduce them)') ` +
      `WHEN count(*) FILTER (WHERE NOT bad) OVER (PARTITION BY o) > 1 THEN error('schema_merge: columns share ordinal ' || o) ` +
      `ELSE d END AS ${oData}, ` +
      `CASE WHEN bad THEN '${OUT_OF_ORDER}' ELSE t END AS ${oType} FROM ${merged}`,
  );
  return {
    from,
    columns: out.map(({ name: n, type }) => ({ name: n, type })),
    source: 'none',
    ordinal: false,
  };
};
