/**
 * The storage model: each event is stored once, in a native table of its source's own fields, typed as
 * the source defines them (a LoadPlan's fields: Zeek conn's `ts`, `id.orig_h`…; CEF's header fields and
 * extension keys; a Defender export's own columns), plus `_file` (a row of tt_files) and `_line`.
 * Sentinel's tables are views over them: for each table a source feeds, a branch maps the native
 * columns to every column of the schema (NULL where the source has none) and builds `_Source` =
 * `path:line`; the view is the UNION ALL of its branches and of `tt_rows_<Table>`, the plain table that
 * rows read line by line in JavaScript (and rows written by other code) go to.
 *
 * A Sentinel table stays a plain table until a native source first feeds it; then the table is renamed
 * `tt_rows_<Table>` and the view takes its name. The catalog (tt_native, tt_branches, tt_files) lives in
 * the store, so a `--db` file keeps its views and can be extended later.
 *
 * A file's rows are visible only once its tt_files row is `complete`: an ingest killed half way leaves
 * rows no view shows, and the next open deletes them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckType, SOURCE_COLUMN, type SchemaSet, type TableSchema } from './schema.js';
import { quoteIdent, sqlString } from '../util/sql.js';
import type { LoadPlan, SourceField, TableTarget } from './plan.js';

export const FILES_TABLE = 'tt_files';
export const NATIVE_TABLE = 'tt_native';
export const BRANCH_TABLE = 'tt_branches';
export const FILE_COLUMN = '_file';
export const LINE_COLUMN = '_line';

/** The plain table behind a Sentinel view (rows from JavaScript readers and direct writers). */
export const rowsTable = (table: string): string => `tt_rows_${table}`;

type Sql = (sql: string) => Promise<unknown[][]>;

function sqlRunner(connection: DuckDBConnection): Sql {
  return async (sql) => (await connection.runAndReadAll(sql)).getRows() as unknown[][];
}

export async function installCatalog(connection: DuckDBConnection): Promise<void> {
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${FILES_TABLE} (id INTEGER PRIMARY KEY, path VARCHAR NOT NULL, format VARCHAR, ` +
      `native VARCHAR, hash VARCHAR, bytes BIGINT, first_line BIGINT, lines BIGINT, rows BIGINT, ` +
      `complete BOOLEAN NOT NULL, loaded_at TIMESTAMP)`,
  );
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${NATIVE_TABLE} (name VARCHAR PRIMARY KEY, source VARCHAR, signature VARCHAR)`,
  );
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${BRANCH_TABLE} (native VARCHAR, sentinel VARCHAR, branch VARCHAR)`,
  );
}

/**
 * Deletes what an interrupted ingest wrote (files never marked complete): their native rows, and the
 * rows the JavaScript readers wrote to the plain tables (`rowTables`), known by `_Source` = path:line
 * from the file's first line on.
 */
export async function dropIncompleteFiles(
  connection: DuckDBConnection,
  rowTables: readonly string[],
): Promise<void> {
  const sql = sqlRunner(connection);
  const files = await sql(`SELECT id, path, first_line FROM ${FILES_TABLE} WHERE NOT complete`);
  if (files.length === 0) return;
  const ids = files.map((r) => Number(r[0])).join(', ');
  for (const [name] of await sql(`SELECT name FROM ${NATIVE_TABLE}`))
    await connection.run(`DELETE FROM ${quoteIdent(String(name))} WHERE ${FILE_COLUMN} IN (${ids})`);
  const existing = new Set(
    (
      await sql(
        `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'`,
      )
    ).map((r) => String(r[0])),
  );
  for (const [, path, firstLine] of files) {
    const prefix = `${String(path)}:`;
    for (const table of rowTables.filter((t) => existing.has(t)))
      await connection.run(
        `DELETE FROM ${quoteIdent(table)} WHERE starts_with(${quoteIdent(SOURCE_COLUMN)}, $1) ` +
          `AND TRY_CAST(substr(${quoteIdent(SOURCE_COLUMN)}, $2) AS BIGINT) >= $3`,
        [prefix, prefix.length + 1, Number(firstLine ?? 1)] as never,
      );
  }
  await connection.run(`DELETE FROM ${FILES_TABLE} WHERE id IN (${ids})`);
}

/** The SQL type of a plan field once converted. */
export function fieldSqlType(as: LoadPlan['fields'][number]['as']): string {
  switch (as) {
    case 'int':
      return 'INTEGER';
    case 'long':
      return 'BIGINT';
    case 'real':
      return 'DOUBLE';
    case 'bool':
      return 'BOOLEAN';
    case 'datetime':
    case 'epoch':
      return 'TIMESTAMP';
    case 'dynamic':
      return 'JSON';
    case 'list':
      return 'VARCHAR[]';
    default:
      return 'VARCHAR';
  }
}

/** Views and base tables of the store's own database (not attached ones, not temp). */
async function objectKind(sql: Sql, name: string): Promise<'table' | 'view' | undefined> {
  const q = `database_name = current_database() AND schema_name = 'main' AND ${'table_name'} = ${sqlString(name)}`;
  if ((await sql(`SELECT 1 FROM duckdb_tables() WHERE ${q}`)).length > 0) return 'table';
  const v = `database_name = current_database() AND schema_name = 'main' AND view_name = ${sqlString(name)}`;
  if ((await sql(`SELECT 1 FROM duckdb_views() WHERE ${v}`)).length > 0) return 'view';
  return undefined;
}

/** The Sentinel tables that are views in this store. */
export async function viewTables(connection: DuckDBConnection): Promise<Set<string>> {
  const rows = await sqlRunner(connection)(`SELECT DISTINCT sentinel FROM ${BRANCH_TABLE}`);
  return new Set(rows.map((r) => String(r[0])));
}

export type FieldNamer = (name: string) => string;

/** The column of a catch-all native table that keeps the whole line (a partitioned plan's `_other`). */
export const RAW_COLUMN = '_raw';
export const OTHER_PART = 'other';

/** One native table of a plan: the fields it stores and the lines it takes. */
export interface NativePart {
  /** The partition value (`flow`), or OTHER_PART; undefined for a plan's single table. */
  key?: string;
  fields: readonly SourceField[];
  /** The partition values whose lines it takes; undefined: every line (or, for OTHER_PART, every other). */
  values?: readonly string[];
}

/** The native tables of a plan: one, or one per partition value plus the catch-all (plan.ts partition). */
export function nativeParts(plan: LoadPlan): NativePart[] {
  const partition = plan.partition;
  if (!partition) return [{ fields: plan.fields }];
  const byName = new Map(plan.fields.map((f) => [f.name, f]));
  const pick = (names: readonly string[]): SourceField[] =>
    [...new Set([...partition.common, ...names])].map((name) => {
      const field = byName.get(name);
      if (!field) throw new Error(`plan: partition names an unknown field ${name}`);
      return field;
    });
  const parts: NativePart[] = Object.entries(partition.parts).map(([value, names]) => ({
    key: value,
    fields: pick(names),
    values: [value],
  }));
  parts.push({ key: OTHER_PART, fields: pick([]) });
  return parts;
}

/** SQL test over `column(field)` for the lines a part takes; undefined: every line. */
export function partFilter(plan: LoadPlan, part: NativePart, column: FieldNamer): string | undefined {
  if (!plan.partition || part.key === undefined) return undefined;
  const value = column(plan.partition.field);
  if (part.values) return `${value} IN (${part.values.map(sqlString).join(', ')})`;
  const known = Object.keys(plan.partition.parts).map(sqlString);
  return known.length === 0 ? 'true' : `(${value} IS NULL OR ${value} NOT IN (${known.join(', ')}))`;
}

/**
 * Whether a target reads a part, and the `when` left to test on its rows: a `when` on the partition
 * field picks the parts of its values (whose rows need no test); the catch-all feeds no such target.
 */
function targetOnPart(
  plan: LoadPlan,
  part: NativePart,
  target: TableTarget,
): { reads: boolean; when?: TableTarget['when'] } {
  const when = target.when;
  if (!when) return { reads: true };
  if (!plan.partition || when.field !== plan.partition.field) {
    const stored = part.fields.some((f) => f.name === when.field);
    return { reads: stored, when };
  }
  const missing = when.in.find((v) => !(v in plan.partition!.parts));
  if (missing !== undefined) throw new Error(`plan: ${target.table} takes "${missing}", which has no part`);
  return { reads: part.values !== undefined && part.values.some((v) => when.in.includes(v)) };
}

/** One view branch: a target's mapping over a native table, every schema column, `_Source` built. */
function branchSql(
  native: string,
  part: NativePart,
  target: TableTarget,
  when: TableTarget['when'],
  schema: TableSchema,
  expr: (e: TableTarget['columns'][string], column: FieldNamer) => string,
  types: ReadonlyMap<string, SourceField['as']>,
): string {
  const stored = new Set(part.fields.map((f) => f.name));
  // a field this table does not store (another event type's) reads as a typed NULL
  const n: FieldNamer = (name) =>
    stored.has(name) ? `n.${quoteIdent(name)}` : `CAST(NULL AS ${fieldSqlType(types.get(name) ?? 'string')})`;
  const columns = schema.columns.map((c) => {
    const e = target.columns[c.name];
    const value = e ? `CAST(${expr(e, n)} AS ${duckType(c.type)})` : `CAST(NULL AS ${duckType(c.type)})`;
    return `${value} AS ${quoteIdent(c.name)}`;
  });
  columns.push(`f.path || ':' || n.${LINE_COLUMN} AS ${quoteIdent(SOURCE_COLUMN)}`);
  const test = when ? ` AND ${n(when.field)} IN (${when.in.map(sqlString).join(', ')})` : '';
  return (
    `SELECT ${columns.join(', ')} FROM ${quoteIdent(native)} n ` +
    `JOIN ${FILES_TABLE} f ON f.id = n.${FILE_COLUMN} WHERE f.complete${test}`
  );
}

/** (Re)writes a Sentinel table's view from its branches; the plain table becomes tt_rows_<Table>. */
async function rebuildView(connection: DuckDBConnection, schema: TableSchema): Promise<void> {
  const sql = sqlRunner(connection);
  const table = schema.table;
  const rows = rowsTable(table);
  const kind = await objectKind(sql, table);
  if (kind === 'table')
    await connection.run(`ALTER TABLE ${quoteIdent(table)} RENAME TO ${quoteIdent(rows)}`);
  const names = [...schema.columns.map((c) => c.name), SOURCE_COLUMN].map(quoteIdent).join(', ');
  const branches = (
    await sql(`SELECT branch FROM ${BRANCH_TABLE} WHERE sentinel = ${sqlString(table)} ORDER BY rowid`)
  ).map((r) => String(r[0]));
  const parts = [`SELECT ${names} FROM ${quoteIdent(rows)}`, ...branches];
  await connection.run(`CREATE OR REPLACE VIEW ${quoteIdent(table)} AS ${parts.join(' UNION ALL ')}`);
}

/** A native table of a plan: its part and its name in the store. */
export interface NativeTable {
  part: NativePart;
  name: string;
}

/**
 * The native tables for a plan (one per source, part and field/mapping signature: a week of Zeek conn
 * logs with one header shares one table), created with their view branches on first use.
 */
export async function nativeTables(
  connection: DuckDBConnection,
  schemas: SchemaSet,
  plan: LoadPlan,
  source: string,
  expr: (e: TableTarget['columns'][string], plan: LoadPlan, column: FieldNamer) => string,
): Promise<NativeTable[]> {
  const sql = sqlRunner(connection);
  const signature = JSON.stringify({
    fields: plan.fields.map((f) => [f.name, f.as]),
    targets: plan.targets,
    partition: plan.partition,
  });
  const types = new Map(plan.fields.map((f) => [f.name, f.as]));
  const tables: NativeTable[] = [];
  const touched = new Set<string>();
  for (const part of nativeParts(plan)) {
    const family = part.key === undefined ? source : `${source}/${part.key}`;
    const found = await sql(
      `SELECT name FROM ${NATIVE_TABLE} WHERE source = ${sqlString(family)} AND signature = ${sqlString(signature)}`,
    );
    if (found.length > 0) {
      tables.push({ part, name: String(found[0][0]) });
      continue;
    }
    const taken = new Set((await sql(`SELECT name FROM ${NATIVE_TABLE}`)).map((r) => String(r[0])));
    const base = (part.key === undefined ? source : `${source}_${part.key}`).replace(/[^A-Za-z0-9_]/g, '_');
    let name = base;
    for (let i = 2; taken.has(name) || (await objectKind(sql, name)) !== undefined; i++)
      name = `${base}_${i}`;
    const columns = part.fields.map((f) => `${quoteIdent(f.name)} ${fieldSqlType(f.as)}`);
    if (part.key === OTHER_PART) columns.push(`${RAW_COLUMN} JSON`);
    columns.push(`${FILE_COLUMN} INTEGER`, `${LINE_COLUMN} BIGINT`);
    await connection.run(`CREATE TABLE ${quoteIdent(name)} (${columns.join(', ')})`);
    await connection.run(
      `INSERT INTO ${NATIVE_TABLE} VALUES (${sqlString(name)}, ${sqlString(family)}, ${sqlString(signature)})`,
    );
    for (const target of plan.targets) {
      const schema = schemas.get(target.table);
      if (!schema) throw new Error(`plan: unknown table ${target.table}`);
      const { reads, when } = targetOnPart(plan, part, target);
      if (!reads) continue;
      const branch = branchSql(name, part, target, when, schema, (e, column) => expr(e, plan, column), types);
      await connection.run(
        `INSERT INTO ${BRANCH_TABLE} VALUES (${sqlString(name)}, ${sqlString(target.table)}, ${sqlString(branch)})`,
      );
      touched.add(target.table);
    }
    tables.push({ part, name });
  }
  for (const table of touched) await rebuildView(connection, schemas.get(table)!);
  return tables;
}

/** A file the store holds completely (a tt_files row with its content hash). */
export interface PriorFile {
  id: number;
  path: string;
  hash: string;
  bytes: number;
  /** Lines of that file from its start (so a grown copy continues at lines + 1). */
  lines: number;
}

/** What tt_files records of a file. */
export interface FileRecord {
  path: string;
  format?: string;
  hash?: string;
  /** Bytes of the (decompressed) content. */
  bytes?: number;
  /** The first line this load reads (a grown file: after the lines loaded before). */
  firstLine?: number;
}

/** A new tt_files row (not complete yet); returns its id. */
export async function registerFile(connection: DuckDBConnection, file: FileRecord): Promise<number> {
  const [[next]] = await sqlRunner(connection)(`SELECT coalesce(max(id), 0) + 1 FROM ${FILES_TABLE}`);
  const id = Number(next);
  await connection.run(
    `INSERT INTO ${FILES_TABLE} (id, path, format, hash, bytes, first_line, complete, loaded_at) ` +
      `VALUES ($1, $2, $3, $4, $5, $6, false, now()::TIMESTAMP)`,
    [id, file.path, file.format ?? null, file.hash ?? null, file.bytes ?? null, file.firstLine ?? 1] as never,
  );
  return id;
}

/** Makes a file's rows visible; `lines` counts from the file's start, `rows` this load's events. */
export async function completeFile(
  connection: DuckDBConnection,
  id: number,
  counts: { lines: number; rows: number; native?: string },
): Promise<void> {
  await connection.run(
    `UPDATE ${FILES_TABLE} SET complete = true, lines = $1, rows = $2, native = $3 WHERE id = $4`,
    [counts.lines, counts.rows, counts.native ?? null, id] as never,
  );
}

/** Deletes a file's native rows (a load DuckDB refused half way: the JavaScript reader takes the file). */
export async function forgetRows(
  connection: DuckDBConnection,
  id: number,
  natives: readonly string[],
): Promise<void> {
  for (const native of natives)
    await connection.run(`DELETE FROM ${quoteIdent(native)} WHERE ${FILE_COLUMN} = ${id}`);
}
