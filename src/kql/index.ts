/**
 * KQL → DuckDB SQL. `compileKql` turns a Sentinel/ADX query into parameterised SQL over the store's
 * tables; `runKql` compiles and runs it. See docs/kql.md for what is supported and the semantics chosen.
 */
import { dialect } from './dialect.js';
import type { Store } from '../store/db.js';
import { compileKql } from './compile-query.js';
import { kqlError, NeedsData, runtimeRefusal } from './errors.js';
import { bagKeyType, type BagKey } from './op-evaluate.js';
import type { CompileOptions } from './compile.js';

export { compileKql } from './compile-query.js';
export type { CompileOptions, CompiledQuery } from './compile.js';
export { KqlError, NeedsData } from './errors.js';
export { ExternalDataMissing, type ExternalSource } from './externaldata.js';

export interface KqlResult {
  columns: string[];
  rows: Record<string, unknown>[];
  /** Kusto type of each column, in order (`string`, `long`, `datetime`, `dynamic` …). */
  types: string[];
  /** Answers poorer than Sentinel's, once each (e.g. geolocation without a database). */
  warnings: string[];
}

/** Kusto's timespan text: [-][d.]hh:mm:ss[.fffffff]. */
function formatTimespan(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  let rest = Math.abs(micros);
  const frac = rest % 1_000_000;
  rest = Math.floor(rest / 1_000_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const days = Math.floor(rest / 86400);
  const clock = `${pad(Math.floor(rest / 3600) % 24)}:${pad(Math.floor(rest / 60) % 60)}:${pad(rest % 60)}`;
  return `${sign}${days ? `${days}.` : ''}${clock}${frac ? `.${String(frac).padStart(6, '0')}0` : ''}`;
}

/** DuckDB hands back intervals as parts and JSON as text; give them Kusto's shapes. */
function toKustoValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return value;
  if (type === 'timespan' && typeof value === 'object') {
    const v = value as { months?: number; days?: number; micros?: number };
    return formatTimespan(((v.months ?? 0) * 30 + (v.days ?? 0)) * 86_400_000_000 + Number(v.micros ?? 0));
  }
  if (type === 'dynamic' && typeof value === 'string') {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

export interface RunOptions {
  now?: Date;
  /** Local directory holding externaldata files: `https://host/a/b.csv` → DIR/host/a/b.csv. */
  externaldataDir?: string;
  /**
   * Datetimes as ISO text with all their digits (`2021-01-01T00:00:00.1234560Z`, 7 like Kusto) instead of
   * the default millisecond ISO string (a JavaScript Date's precision).
   */
  exactDatetimes?: boolean;
  /** Directory of Sentinel watchlist exports for `_GetWatchlist('alias')`: DIR/alias.csv. */
  watchlistsDir?: string;
  /** Add the `_Source` provenance column (file:line) after the query's columns (default true). */
  keepSource?: boolean;
  /** The CommonSecurityLog vendors the store holds (`asimVendors(store)`): ASIM parsers skip the rest. */
  asimVendors?: ReadonlySet<string>;
  /** ASIM parser tables a hunt run stored once (asim/views.ts `StoredParserTables`). */
  asimTables?: CompileOptions['asimTables'];
}

/** The compiled SELECT with datetime columns turned into full-precision ISO text (by position). */
function withExactDatetimes(sql: string, columns: { name: string; type: string }[]): string {
  if (!columns.some((c) => c.type === 'datetime')) return sql;
  const list = columns.map((c, i) => {
    const as = `"${c.name.replace(/"/g, '""')}"`;
    return c.type === 'datetime' ? `${dialect.isoTicks(`#${i + 1}`)} AS ${as}` : `#${i + 1} AS ${as}`;
  });
  return `SELECT ${list.join(', ')} FROM (${sql})`;
}

/** DuckDB's run-time errors (an overflow, a bad cast) as KqlError TT100 (a run-time refusal as TT001), so callers print them cleanly. */
async function runCompiled(store: Store, query: string, sql: string, params: unknown[]) {
  try {
    return await store.queryWithColumns(sql, params);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw (
      runtimeRefusal(query, message) ??
      kqlError(query, 'TT100', `Query failed while running: ${message}`, 0, query.length)
    );
  }
}

/** Compiles, first running the probes of operators whose columns depend on the data (bag_unpack). */
async function compileWithData(store: Store, query: string, options: RunOptions) {
  const bagKeys = new Map<string, BagKey[]>();
  const now = options.now ?? new Date();
  for (;;) {
    try {
      return compileKql(query, {
        schemas: store.schemas,
        now,
        externaldataDir: options.externaldataDir,
        watchlistsDir: options.watchlistsDir,
        keepSource: options.keepSource,
        asimVendors: options.asimVendors,
        asimTables: options.asimTables,
        bagKeys,
      });
    } catch (e) {
      if (!(e instanceof NeedsData) || bagKeys.has(e.id)) throw e;
      const { rows } = await runCompiled(store, query, e.sql, e.params);
      bagKeys.set(
        e.id,
        rows.map((r) => ({ key: String(r.key), type: bagKeyType(String(r.types ?? '')) })),
      );
    }
  }
}

export async function runKql(store: Store, query: string, options: RunOptions = {}): Promise<KqlResult> {
  const compiled = await compileWithData(store, query, options);
  const exact = (text: string, columns = compiled.columns) =>
    options.exactDatetimes ? withExactDatetimes(text, columns) : text;
  // the rows without their provenance (the last column) first, when that is the cheaper pass: most
  // hunts find nothing, and then that is the answer
  const leanSql = compiled.lean && exact(compiled.lean.sql, compiled.columns.slice(0, -1));
  const lean = leanSql && (await runCompiled(store, query, leanSql, compiled.lean!.params));
  const { rows } =
    lean && lean.rows.length === 0
      ? lean
      : await runCompiled(store, query, exact(compiled.sql), compiled.params);
  const columns = compiled.columns.map((c) => c.name);
  const typed = compiled.columns.filter((c) => c.type === 'timespan' || c.type === 'dynamic');
  if (typed.length) {
    for (const row of rows) for (const c of typed) row[c.name] = toKustoValue(row[c.name], c.type);
  }
  return { columns, rows, types: compiled.columns.map((c) => c.type), warnings: compiled.warnings };
}
