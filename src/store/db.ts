/**
 * The embedded DuckDB store. Tables are created from the Sentinel schemas (plus `_Source`); rows are
 * bulk-loaded by staging NDJSON and letting DuckDB's own reader type them (~4M rows/s, against ~2k rows/s
 * for row-by-row INSERT). Query results come back as plain JSON-friendly objects.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckType, loadSchemas, SOURCE_COLUMN, type SchemaSet, type TableSchema } from './schema.js';
import { installMacros } from './macros.js';
import { installKqlFunctions } from '../kql/install.js';
import type { Row } from './coerce.js';
import { installBulkMacros, loadWithPlan, quoteIdent, sqlString } from './bulk.js';
import type { LoadPlan, LoadResult } from './plan.js';
import {
  completeFile,
  dropIncompleteFiles,
  FILES_TABLE,
  installCatalog,
  registerFile,
  rowsTable,
  viewTables,
  type FileRecord,
  type PriorFile,
} from './native.js';

export type Params = unknown[];

/** Longest line a zstd input may have (longer ones make DuckDB refuse the file: it is reported unreadable). */
const ZSTD_MAX_LINE = 16 * 1024 * 1024;
export { quoteIdent, sqlString };

export class Store {
  private stagingDir: string | undefined;
  private stagedFiles = 0;
  /** Sentinel tables that are views over native tables (their plain rows live in tt_rows_<Table>). */
  private views = new Set<string>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly schemas: SchemaSet,
    readonly path: string,
    /** The temporary folder of an on-disk store nobody keeps (its database file is in it). */
    private readonly scratch?: string,
  ) {
    this.stagingDir = scratch;
  }

  /** Opens (or creates) a store; `path` undefined means in memory. All schema tables exist afterwards. */
  static async open(
    options: {
      path?: string;
      schemas?: SchemaSet;
      /** DuckDB's memory_limit (`4GB`, `80%`); beyond it DuckDB spills to a temp folder. */
      memoryLimit?: string;
      /** DuckDB's worker threads (default: one per core). */
      threads?: number;
      /**
       * Without `path`: keep the tables in a database file in the store's temporary folder (deleted on
       * close) instead of memory, so that DuckDB can evict them (sizing.ts: inputs larger than memory).
       */
      onDisk?: boolean;
    } = {},
  ): Promise<Store> {
    const scratch =
      options.path === undefined && options.onDisk ? mkdtempSync(join(tmpdir(), 'telltale-')) : undefined;
    const path = options.path ?? (scratch ? join(scratch, 'store.duckdb') : ':memory:');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const store = new Store(instance, connection, options.schemas ?? loadSchemas(), path, scratch);
    // Zone-less times are UTC everywhere in Telltale (logs carry no machine zone).
    await connection.run("SET TimeZone = 'UTC'");
    if (options.memoryLimit !== undefined)
      await connection.run(`SET memory_limit = ${sqlString(options.memoryLimit)}`);
    if (options.threads !== undefined) await connection.run(`SET threads = ${Math.max(1, options.threads)}`);
    // An in-memory store spills too (DuckDB's default temp folder exists only for on-disk databases).
    if (path === ':memory:' || scratch)
      await connection.run(`SET temp_directory = ${sqlString(store.tempDir())}`);
    await installMacros(connection);
    await installBulkMacros(connection);
    installKqlFunctions(connection); // the KQL library's JavaScript functions (src/kql/udf.ts)
    await installCatalog(connection);
    await dropIncompleteFiles(
      connection,
      [...store.schemas.keys()].flatMap((t) => [t, rowsTable(t)]),
    );
    store.views = await viewTables(connection);
    for (const schema of store.schemas.values()) await store.createTable(schema);
    return store;
  }

  private async createTable(schema: TableSchema): Promise<void> {
    const columns = schema.columns.map((c) => `${quoteIdent(c.name)} ${duckType(c.type)}`);
    columns.push(`${quoteIdent(SOURCE_COLUMN)} VARCHAR`);
    await this.connection.run(
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(this.rowsTable(schema.table))} (${columns.join(', ')})`,
    );
  }

  /** Where plain rows of a Sentinel table are written: the table, or the rows table behind its view. */
  private rowsTable(table: string): string {
    return this.views.has(table) ? rowsTable(table) : table;
  }

  /** A store kept in a file (`--db`): it knows the files it holds (persistent datasets). */
  get persistent(): boolean {
    return this.path !== ':memory:' && this.scratch === undefined;
  }

  schema(table: string): TableSchema {
    const schema = this.schemas.get(table);
    if (!schema) throw new Error(`unknown table ${table}`);
    return schema;
  }

  /** A folder of this store's own (staged pieces, spill files), deleted on close. */
  private tempDir(): string {
    return (this.stagingDir ??= mkdtempSync(join(tmpdir(), 'telltale-')));
  }

  /**
   * A zstd-compressed text file decompressed by DuckDB (Node 20's zlib has no zstd) into this store's
   * temporary folder, line for line (blank lines kept); the caller deletes the copy when done.
   */
  async decompressZstd(path: string): Promise<string> {
    const out = join(this.tempDir(), `zstd-${this.stagedFiles++}.txt`);
    const lines =
      `SELECT l FROM read_csv(${sqlString(path)}, columns={'l': 'VARCHAR'}, delim=E'\\x01', quote='', ` +
      `escape='', header=false, auto_detect=false, max_line_size=${ZSTD_MAX_LINE}, compression='zstd')`;
    await this.connection.run(
      `COPY (${lines}) TO ${sqlString(out)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER E'\\x01')`,
    );
    return out;
  }

  /**
   * Appends already-coerced rows (see coerceRow) to a table. Returns the number of rows written. Only
   * the columns present in the batch are named to DuckDB: a CEF row fills ~20 of CommonSecurityLog's 164
   * columns, and reading 164 mostly-absent JSON keys per row costs ten times the rest.
   */
  async insertRows(table: string, rows: readonly Row[]): Promise<number> {
    if (rows.length === 0) return 0;
    const schema = this.schema(table);
    const file = join(this.tempDir(), `${table}-${this.stagedFiles++}.ndjson`);
    const seen = new Set<string>();
    const lines: string[] = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      for (const key in row) seen.add(key);
      lines[i] = JSON.stringify(row);
    }
    // in slices: one string of a million JSON rows passes V8's longest string (~512 MiB)
    writeFileSync(file, '');
    for (let k = 0; k < lines.length; k += 50_000)
      appendFileSync(file, lines.slice(k, k + 50_000).join('\n') + '\n');
    const columns = [...schema.columns, { name: SOURCE_COLUMN, type: 'string' as const }].filter((c) =>
      seen.has(c.name),
    );
    if (columns.length === 0) columns.push({ name: SOURCE_COLUMN, type: 'string' });
    const spec = columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckType(c.type))}`).join(', ');
    const names = columns.map((c) => quoteIdent(c.name)).join(', ');
    try {
      await this.connection.run(
        `INSERT INTO ${quoteIdent(this.rowsTable(table))} (${names}) SELECT ${names} FROM read_ndjson(${sqlString(file)}, columns={${spec}}, ` +
          `timestampformat='%Y-%m-%dT%H:%M:%S.%gZ', maximum_object_size=67108864)`,
      );
    } finally {
      rmSync(file, { force: true });
    }
    return rows.length;
  }

  /**
   * Loads a whole log file with a plan (plan.ts): DuckDB reads and maps it; lines the plan cannot
   * convert come back in `toReader`. Throws, having written nothing, when DuckDB cannot read the file.
   */
  async loadFile(
    path: string,
    plan: LoadPlan,
    options: {
      gzip?: boolean;
      sourceName?: string;
      maxLineBytes?: number;
      chunkBytes?: number;
      /** Native table family (native.ts). */
      source?: string;
      /** The file's tt_files row (registerFile); by default one is made and completed here. */
      fileId?: number;
      firstLine?: number;
      skipBytes?: number;
      onPiece?: (lines: number, bytesRead: number) => void;
      /** false: never the direct load (bulk.ts LoadOptions). */
      direct?: boolean;
    } = {},
  ): Promise<LoadResult> {
    const sourceName = options.sourceName ?? path;
    const fileId = options.fileId ?? (await this.registerFile({ path: sourceName }));
    // the plan's tables become views first thing (even if DuckDB then refuses the file)
    for (const target of plan.targets) this.views.add(target.table);
    const result = await loadWithPlan(this.connection, this.schemas, path, plan, {
      gzip: options.gzip,
      sourceName,
      maxLineBytes: options.maxLineBytes ?? 1024 * 1024,
      chunkBytes: options.chunkBytes,
      tempDir: () => this.tempDir(),
      source: options.source ?? 'native',
      fileId,
      firstLine: options.firstLine,
      skipBytes: options.skipBytes,
      onPiece: options.onPiece,
      direct: options.direct,
      connect: () => this.instance.connect(),
    });
    if (options.fileId === undefined) await this.completeFile(fileId, result);
    return result;
  }

  /** A new file in the tt_files catalog, invisible in the views until completeFile. */
  registerFile(file: FileRecord): Promise<number> {
    return registerFile(this.connection, file);
  }

  /** Makes a file's rows visible in the views; `lines` counts from the file's start. */
  async completeFile(
    id: number,
    counts: { lines: number; ingested: number; native?: string },
  ): Promise<void> {
    await completeFile(this.connection, id, {
      lines: counts.lines,
      rows: counts.ingested,
      native: counts.native,
    });
  }

  /**
   * What the store holds: each file (path, format, lines, events, when loaded) and each Sentinel
   * table with rows (events, files, first and last event time).
   */
  async datasets(): Promise<{ files: Row[]; tables: Row[] }> {
    const files = await this.query(
      `SELECT path AS file, format, lines, rows AS events, native AS stored_in, strftime(loaded_at, '%Y-%m-%dT%H:%M:%SZ') AS loaded ` +
        `FROM ${FILES_TABLE} WHERE complete ORDER BY id`,
    );
    const tables: Row[] = [];
    for (const table of [...(await this.filledTables())].sort()) {
      const names = new Set(this.schema(table).columns.map((c) => c.name));
      const time = ['TimeGenerated', 'Timestamp'].filter((c) => names.has(c)).map(quoteIdent);
      const t =
        time.length === 0 ? 'NULL::TIMESTAMP' : time.length === 1 ? time[0] : `coalesce(${time.join(', ')})`;
      const [row] = await this.query(
        `SELECT count(*) AS events, count(DISTINCT regexp_replace(${quoteIdent(SOURCE_COLUMN)}, ':[0-9]+$', '')) AS files, ` +
          `strftime(min(${t}), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(${t}), '%Y-%m-%dT%H:%M:%SZ') AS last FROM ${quoteIdent(table)}`,
      );
      if (Number(row.events) > 0) tables.push({ table, ...row });
    }
    return { files, tables };
  }

  /** The files this store holds completely, with their content hash (persistent datasets). */
  async priorFiles(): Promise<PriorFile[]> {
    const rows = await this.query(
      `SELECT id, path, hash, bytes, lines FROM ${FILES_TABLE} WHERE complete AND hash IS NOT NULL AND bytes IS NOT NULL`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      path: String(r.path),
      hash: String(r.hash),
      bytes: Number(r.bytes),
      lines: Number(r.lines ?? 0),
    }));
  }

  async run(sql: string, params: Params = []): Promise<void> {
    await this.connection.run(sql, params as never);
  }

  /** Runs a query and returns rows with timestamps as ISO strings and BIGINTs as numbers. */
  async query(sql: string, params: Params = []): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql, params as never);
    return reader.getRowObjectsJS().map(toPlainRow);
  }

  /**
   * The rows in batches of a few thousand, streamed: for results too large to hold as plain objects
   * all at once (a million indicators as row objects take ~2 GB of heap; as batches, one batch).
   */
  async *queryBatches(sql: string, params: Params = []): AsyncGenerator<Row[]> {
    const result = await this.connection.stream(sql, params as never);
    for await (const rows of result.yieldRowObjectJs()) yield rows.map(toPlainRow);
  }

  /** Result columns and rows, in the order the query gave them. */
  async queryWithColumns(sql: string, params: Params = []): Promise<{ columns: string[]; rows: Row[] }> {
    const reader = await this.connection.runAndReadAll(sql, params as never);
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJS().map(toPlainRow) };
  }

  /**
   * The Sentinel tables that may hold rows: plain tables with rows, and the views over native tables
   * (cheap to ask; an empty view just gives no rows).
   */
  async filledTables(): Promise<Set<string>> {
    const rows = await this.query(
      `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ` +
        `AND NOT temporary AND estimated_size > 0`,
    );
    const filled = new Set([...this.views]);
    for (const r of rows) {
      const name = String(r.table_name);
      filled.add(this.schemas.has(name) ? name : name.replace(/^tt_rows_/, ''));
    }
    return new Set([...filled].filter((t) => this.schemas.has(t)));
  }

  async count(table: string): Promise<number> {
    const [row] = await this.query(`SELECT count(*) AS n FROM ${quoteIdent(table)}`);
    return Number(row?.n ?? 0);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.stagingDir) rmSync(this.stagingDir, { recursive: true, force: true });
  }
}

function toPlainValue(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (value && typeof value === 'object') {
    const out: Row = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlainValue(v);
    return out;
  }
  return value;
}

function toPlainRow(row: Record<string, unknown>): Row {
  return toPlainValue(row) as Row;
}
