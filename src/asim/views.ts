/**
 * The parsers' tables (parsers.ts `ParserTable`) for the translator: their schemas, to bind as tables,
 * and their SQL, compiled from their KQL once per process. Values are inlined as SQL literals (the SQL
 * is pasted into other queries as a CTE, with their own parameters) and the inner CTEs renamed apart.
 */
import { compileWithoutPreludes, type StoredParserTables } from '../kql/compile.js';
import { SOURCE_COLUMN, type SchemaSet, type TableSchema } from '../store/schema.js';
import { rawIdent } from '../kql/sql.js';
import { dialect } from '../kql/dialect.js';
import { parsers, type ParserTable } from './parsers.js';
import type { SourcePresence } from './source.js';
import { asimSchema } from './schema.js';

/** See prelude.ts: the mark of a parser table narrowed to the fields a query names. */
export const NARROWED_COLUMN = '_tt_narrowed';

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

/**
 * The fields of a parser table a query may read: every field, or (`fields`) those it names and
 * TimeGenerated. A narrowed table has fewer columns for Kusto to bind and DuckDB to plan; a field it
 * lacks is a binding error, never a silent null (see prelude.ts for when a query is narrowed).
 */
function tableFields(table: ParserTable, fields: ReadonlySet<string> | undefined) {
  const all = asimSchema(table.schema).fields;
  if (!fields) return all;
  const narrowed = all.filter((f) => f.name === 'TimeGenerated' || fields.has(f.name));
  return [...narrowed, { name: NARROWED_COLUMN, type: 'bool' }];
}

/** A cache key for a field set or vendor set (undefined: every one). */
function setKey(set: ReadonlySet<string> | undefined): string {
  return set ? [...set].sort().join(',') : '*';
}

/** Per base schema set and field-set key: computed once (the analyzer caches per schema-set object). */
function memo<T>(cache: WeakMap<SchemaSet, Map<string, T>>, base: SchemaSet, key: string, make: () => T): T {
  let byKey = cache.get(base);
  if (!byKey) cache.set(base, (byKey = new Map()));
  let value = byKey.get(key);
  if (value === undefined) byKey.set(key, (value = make()));
  return value;
}

const schemaSets = new WeakMap<SchemaSet, Map<string, SchemaSet>>();

/** The store's tables plus the parsers' tables (narrowed to `fields` when given). */
export function withParserTables(base: SchemaSet, fields?: ReadonlySet<string>): SchemaSet {
  return memo(schemaSets, base, setKey(fields), () => {
    const set = new Map(base);
    for (const table of parsers(base).tables.values()) {
      const schema: TableSchema = {
        table: table.name,
        columns: tableFields(table, fields).map((f) => ({ name: f.name, type: f.type as never })),
      };
      set.set(table.name, schema);
    }
    return set;
  });
}

const compiled = new WeakMap<SchemaSet, Map<string, string>>();

/** The SELECT of a parser table over the store's tables (with `_Source`), narrowed to `fields`. */
export function parserTableSql(
  base: SchemaSet,
  table: ParserTable,
  fields?: ReadonlySet<string>,
  vendors?: SourcePresence,
): string {
  return memo(compiled, base, `${table.name}|${setKey(fields)}|${setKey(vendors)}`, () => {
    const query = compileWithoutPreludes(table.kql(fields, vendors), {
      schemas: base,
      now: new Date(0),
      keepSource: true,
    });
    const inner = inlineParams(query.sql, query.params).replace(/"_q(\d+)"/g, `"_${table.name}_q$1"`);
    const present = new Set(query.columns.map((c) => c.name));
    const list = tableFields(table, fields).map((f) =>
      present.has(f.name)
        ? rawIdent(f.name)
        : `CAST(NULL AS ${dialect.type(f.type) ?? 'VARCHAR'}) AS ${rawIdent(f.name)}`,
    );
    return `SELECT ${list.join(', ')}, ${rawIdent(SOURCE_COLUMN)} FROM (${inner}) AS "_${table.name}"`;
  });
}

export type { StoredParserTables };

/** The stored copy holds every field of `table` the query may read. */
function holds(
  copy: { fields: ReadonlySet<string> },
  table: ParserTable,
  fields: ReadonlySet<string>,
): boolean {
  return tableFields(table, fields).every((f) => f.name === NARROWED_COLUMN || copy.fields.has(f.name));
}

/**
 * The field set to narrow a query's parser tables to: the stored copies' (one set shared by them all)
 * when they hold what the query names, else the query's own `fields`.
 */
export function storedFields(
  base: SchemaSet,
  stored: StoredParserTables | undefined,
  tables: readonly string[],
  fields: ReadonlySet<string>,
): ReadonlySet<string> {
  if (!stored || tables.length === 0) return fields;
  const byName = parsers(base).tables;
  const copies = tables.map((t) => stored.get(t));
  const first = copies[0];
  if (!first || copies.some((c) => c?.fields !== first.fields)) return fields;
  return tables.every((t, i) => byName.has(t) && holds(copies[i]!, byName.get(t)!, fields))
    ? first.fields
    : fields;
}

/** The SELECT of a narrowed parser table from its stored copy; undefined when a field is not stored. */
function storedTableSql(
  table: ParserTable,
  fields: ReadonlySet<string> | undefined,
  stored: StoredParserTables | undefined,
): string | undefined {
  const copy = stored?.get(table.name);
  if (!copy || !fields || !holds(copy, table, fields)) return undefined;
  const list = tableFields(table, fields).map((f) =>
    f.name === NARROWED_COLUMN ? `CAST(NULL AS BOOLEAN) AS ${rawIdent(f.name)}` : rawIdent(f.name),
  );
  return `SELECT ${list.join(', ')}, ${rawIdent(SOURCE_COLUMN)} FROM ${copy.relation}`;
}

/**
 * The parser tables a compilation may read: name → its SQL (narrowed to `fields`, over the sources
 * `vendors` allows), compiled on first use; a stored copy that holds the fields is read instead.
 */
export function parserViews(
  base: SchemaSet,
  fields?: ReadonlySet<string>,
  vendors?: SourcePresence,
  stored?: StoredParserTables,
): Map<string, () => string> {
  const views = new Map<string, () => string>();
  for (const table of parsers(base).tables.values())
    views.set(
      table.name,
      () => storedTableSql(table, fields, stored) ?? parserTableSql(base, table, fields, vendors),
    );
  return views;
}
