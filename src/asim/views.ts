/**
 * The parsers' tables (parsers.ts `ParserTable`) for the translator: their schemas, to bind as tables,
 * and their SQL, compiled from their KQL once per process. Values are inlined as SQL literals (the SQL
 * is pasted into other queries as a CTE, with their own parameters) and the inner CTEs renamed apart.
 */
import { compileKql } from '../kql/compile.js';
import { SOURCE_COLUMN, type SchemaSet, type TableSchema } from '../store/schema.js';
import { rawIdent } from '../kql/sql.js';
import { dialect } from '../kql/dialect.js';
import { parsers, type ParserTable } from './parsers.js';
import { asimSchema } from './schema.js';

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replace(/'/g, "''")}'`;
}

/** SQL with `$n` replaced by the values (the translator never writes `$` elsewhere). */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

const schemaSets = new WeakMap<SchemaSet, SchemaSet>();

/** The store's tables plus the parsers' tables. */
export function withParserTables(base: SchemaSet): SchemaSet {
  let set = schemaSets.get(base);
  if (!set) {
    set = new Map(base);
    for (const table of parsers(base).tables.values()) {
      const schema: TableSchema = {
        table: table.name,
        columns: asimSchema(table.schema).fields.map((f) => ({ name: f.name, type: f.type as never })),
      };
      set.set(table.name, schema);
    }
    schemaSets.set(base, set);
  }
  return set;
}

const compiled = new WeakMap<SchemaSet, Map<string, string>>();

/** The SELECT of a parser table over the store's tables (with `_Source`). */
export function parserTableSql(base: SchemaSet, table: ParserTable): string {
  let cache = compiled.get(base);
  if (!cache) compiled.set(base, (cache = new Map()));
  let sql = cache.get(table.name);
  if (sql === undefined) {
    const query = compileKql(table.kql, { schemas: base, now: new Date(0), keepSource: true });
    const inner = inlineParams(query.sql, query.params).replace(/"_q(\d+)"/g, `"_${table.name}_q$1"`);
    const present = new Set(query.columns.map((c) => c.name));
    const list = asimSchema(table.schema).fields.map((f) =>
      present.has(f.name)
        ? rawIdent(f.name)
        : `CAST(NULL AS ${dialect.type(f.type) ?? 'VARCHAR'}) AS ${rawIdent(f.name)}`,
    );
    sql = `SELECT ${list.join(', ')}, ${rawIdent(SOURCE_COLUMN)} FROM (${inner}) AS "_${table.name}"`;
    cache.set(table.name, sql);
  }
  return sql;
}

/** The parser tables a compilation may read: name → its SQL, compiled on first use. */
export function parserViews(base: SchemaSet): Map<string, () => string> {
  const views = new Map<string, () => string>();
  for (const table of parsers(base).tables.values()) views.set(table.name, () => parserTableSql(base, table));
  return views;
}
