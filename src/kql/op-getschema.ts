/**
 * `getschema`: one row per column of its input (ColumnName, ColumnOrdinal, DataType, ColumnType), as
 * Kusto prints it. Only the query's own columns: Telltale's hidden provenance (`_Source`) and ordering
 * columns are not part of any table, so they never appear here.
 */
import type { Column, Compiler, Relation } from './context.js';
import { sqlString } from '../util/sql.js';
import { ident } from './sql.js';

/** The .NET type Kusto reports for each of its scalar types. */
const DOTNET: Record<string, string> = {
  bool: 'System.SByte',
  datetime: 'System.DateTime',
  decimal: 'System.Data.SqlTypes.SqlDecimal',
  dynamic: 'System.Object',
  guid: 'System.Guid',
  int: 'System.Int32',
  long: 'System.Int64',
  real: 'System.Double',
  string: 'System.String',
  timespan: 'System.TimeSpan',
};

export function getschema(input: Relation, out: Column[], c: Compiler): Relation {
  const names = out.map((col) => ident(col.name)).join(', ');
  const rows = input.columns.map(
    (col, i) =>
      `(${sqlString(col.name)}, ${i}::INTEGER, ${sqlString(DOTNET[col.type] ?? 'System.Object')}, ${sqlString(col.type)})`,
  );
  const select = rows.length
    ? `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(${names})`
    : `SELECT NULL::VARCHAR AS ${ident(out[0].name)}, NULL::INTEGER AS ${ident(out[1].name)}, NULL::VARCHAR AS ${ident(out[2].name)}, NULL::VARCHAR AS ${ident(out[3].name)} WHERE false`;
  return { from: c.cte(select), columns: out, source: 'none', ordinal: false };
}
