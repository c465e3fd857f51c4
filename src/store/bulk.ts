/**
 * Runs a LoadPlan (plan.ts): DuckDB reads the log file itself and maps it in SQL, with no JavaScript per
 * line. The file is read a bounded piece at a time (chunks.ts: whole lines, ~32 MiB), as raw lines
 * (read_csv with one VARCHAR column, a delimiter that valid JSON, CEF and Zeek TSV never contain,
 * quoting off). Each line is parsed (json_transform / string_split / the CEF templates of cef-sql.ts),
 * every field converted with TRY_CAST, and the line classified once into a temporary stage table: data,
 * blank, comment, ignored (with reason) or "reader" (something did not convert: the caller's JavaScript
 * reader decides). The stage is built in parallel and keeps file order (blank lines are NULL rows, not
 * skipped), so a line's number is its position in the stage plus the lines of the earlier pieces. Then
 * one INSERT … SELECT per target table, in one transaction per piece: if DuckDB refuses any piece
 * (invalid UTF-8, a line over the size cap), what the earlier pieces wrote is deleted again, so nothing
 * is written and the caller reads the file the slow way.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadCefNative } from './cef-native.js';
import { cefOdd, cefParse } from './cef-sql.js';
import { col, convert, jsonPath, rawCol, rawField } from './field-sql.js';
import { fileChunks, type FileChunk } from './chunks.js';
import { loadDirect } from './direct.js';
import { quoteIdent, sqlString } from '../util/sql.js';
import type { SchemaSet } from './schema.js';
import {
  FILE_COLUMN,
  forgetRows,
  LINE_COLUMN,
  nativeParts,
  nativeTables,
  OTHER_PART,
  partFilter,
  RAW_COLUMN,
} from './native.js';
import {
  BLANK_REASON,
  COMMENT_REASON,
  emptyLoadResult,
  type Conversion,
  type Expr,
  type LoadPlan,
  type LoadResult,
  type SourceField,
} from './plan.js';
import { IPV4_PATTERN } from '../util/ipv4.js';

export { quoteIdent, sqlString };

/** Macros the plans compile to (installed with the store). */
export const BULK_MACROS = [
  // epoch seconds, milliseconds or microseconds told apart by magnitude, NULL (the line goes to the
  // JavaScript reader, which rejects it with the reason) where out of range: telemetry/time.ts epochMs
  `CREATE OR REPLACE MACRO tt_epoch_time(x) AS (
     CASE WHEN x IS NULL OR isnan(x) OR isinf(x) OR x < 0 OR x >= 1e17 OR (x >= 1e14 AND x < 1e15) THEN NULL
          WHEN x >= 1e15 THEN make_timestamp(CAST(x AS BIGINT))
          WHEN x >= 1e11 THEN make_timestamp(CAST(x * 1000 AS BIGINT))
          ELSE make_timestamp(CAST(x * 1000000 AS BIGINT)) END)`,
  // TIMESTAMP casts zone-less and `Z` text fast but drops an offset; TIMESTAMPTZ honours it (5× slower)
  `CREATE OR REPLACE MACRO tt_parse_time(s) AS (
     CASE WHEN s IS NULL THEN NULL
          WHEN contains(substr(s, 20), '+') OR contains(substr(s, 20), '-')
            THEN timezone('UTC', TRY_CAST(s AS TIMESTAMPTZ))
          ELSE coalesce(TRY_CAST(s AS TIMESTAMP), tt_epoch_time(TRY_CAST(s AS DOUBLE)),
            try_strptime(s, ['%m/%d/%Y, %I:%M:%S.%f %p', '%m/%d/%Y, %I:%M:%S %p', '%m/%d/%Y %I:%M:%S %p',
                             '%m/%d/%Y, %H:%M:%S.%f', '%m/%d/%Y, %H:%M:%S', '%m/%d/%Y %H:%M:%S'])) END)`,
  // Zeek's ASCII writer's `\xHH` escapes as zeek.ts unescapeZeek reads them (a byte → that code point);
  // `\\` never gets here (such lines go to the JavaScript reader)
  `CREATE OR REPLACE MACRO tt_zeek_unescape(s) AS (
     CASE WHEN NOT contains(s, '\\x') THEN s
          ELSE array_to_string(list_transform(string_split(s, '\\x'), (p, i) ->
            CASE WHEN i = 1 THEN p
                 WHEN regexp_matches(p, '^[0-9a-fA-F]{2}') THEN chr(CAST('0x' || left(p, 2) AS INTEGER)) || p[3:]
                 ELSE '\\x' || p END), '') END)`,
  // Defender's IP types, as telemetry/iptype.ts computes them
  `CREATE OR REPLACE MACRO tt_ipv4_type(o) AS (
     CASE WHEN len(o) <> 4 OR list_any_value(list_transform(o, x -> x IS NULL OR x > 255)) THEN NULL
          WHEN o[1] = 10 OR (o[1] = 172 AND o[2] BETWEEN 16 AND 31) OR (o[1] = 192 AND o[2] = 168)
            OR (o[1] = 100 AND o[2] BETWEEN 64 AND 127) THEN 'Private'
          WHEN o[1] = 127 THEN 'Loopback'
          WHEN o[1] = 169 AND o[2] = 254 THEN 'LinkLocal'
          WHEN o[1] = 255 AND o[2] = 255 AND o[3] = 255 AND o[4] = 255 THEN 'Broadcast'
          WHEN o[1] BETWEEN 224 AND 239 THEN 'Multicast'
          WHEN o[1] = 0 OR o[1] >= 240 OR (o[1] = 192 AND o[2] = 0 AND o[3] IN (0, 2))
            OR (o[1] = 198 AND o[2] IN (18, 19)) OR (o[1] = 198 AND o[2] = 51 AND o[3] = 100)
            OR (o[1] = 203 AND o[2] = 0 AND o[3] = 113) THEN 'Reserved'
          ELSE 'Public' END)`,
  `CREATE OR REPLACE MACRO tt_ipv6_type(ip) AS (
     CASE WHEN ip = '::1' THEN 'Loopback' WHEN ip = '::' THEN 'Reserved'
          WHEN starts_with(ip, '::ffff:') THEN 'FourToSixMapping'
          WHEN regexp_matches(ip, '^fe[89ab]') THEN 'LinkLocal'
          WHEN starts_with(ip, 'ff') THEN 'Multicast'
          WHEN regexp_matches(ip, '^f[cd]') THEN 'Private'
          WHEN starts_with(ip, '2001:0:') OR starts_with(ip, '2001:0000:') THEN 'Teredo'
          WHEN starts_with(ip, '2001:db8:') OR starts_with(ip, '2001:0db8:') THEN 'Reserved'
          WHEN regexp_matches(ip, '^[23][0-9a-f]{0,3}:') THEN 'Public'
          WHEN regexp_full_match(ip, '[0-9a-f:.]+') THEN 'Reserved' END)`,
  `CREATE OR REPLACE MACRO tt_ip_type_any(ip) AS (
     CASE WHEN ip IS NULL THEN NULL
          WHEN contains(ip, ':') THEN tt_ipv6_type(lower(ip))
          WHEN regexp_full_match(ip, '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}')
            THEN tt_ipv4_type(list_transform(string_split(ip, '.'), x -> TRY_CAST(x AS INTEGER))) END)`,
  // The same answer, 3× faster, for the usual case: a canonical dotted quad (no leading zeros) is
  // classified by DFA tests on its text; anything else takes the general macro above.
  `CREATE OR REPLACE MACRO tt_ip_type(ip) AS (
     CASE WHEN ip IS NULL THEN NULL
          WHEN NOT regexp_full_match(ip, '${IPV4_PATTERN}') THEN tt_ip_type_any(ip)
          WHEN regexp_matches(ip, '^(?:10\\.|172\\.(?:1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.|100\\.(?:6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.)')
            THEN 'Private'
          WHEN starts_with(ip, '127.') THEN 'Loopback'
          WHEN starts_with(ip, '169.254.') THEN 'LinkLocal'
          WHEN ip = '255.255.255.255' THEN 'Broadcast'
          WHEN regexp_matches(ip, '^2(?:2[4-9]|3[0-9])\\.') THEN 'Multicast'
          WHEN regexp_matches(ip, '^(?:0\\.|24[0-9]\\.|25[0-5]\\.|192\\.0\\.[02]\\.|198\\.1[89]\\.|198\\.51\\.100\\.|203\\.0\\.113\\.)')
            THEN 'Reserved'
          ELSE 'Public' END)`,
];

export async function installBulkMacros(connection: DuckDBConnection): Promise<void> {
  for (const sql of BULK_MACROS) await connection.run(sql);
}

export interface LoadOptions {
  /** Read through gzip. */
  gzip?: boolean;
  /** `_Source` prefix (the path as the user gave it). */
  sourceName: string;
  /** Longest line DuckDB may read; longer ones make it refuse the file. */
  maxLineBytes: number;
  /** Bytes per piece of the file staged at once (default chunks.ts CHUNK_BYTES). */
  chunkBytes?: number;
  /** A folder for the pieces of a large or compressed file. */
  tempDir: () => string;
  /** The native table family (`zeek_conn`, `cef`, …): a table per family and plan signature. */
  source: string;
  /** The file's tt_files row (native.ts registerFile). */
  fileId: number;
  /** Number of the first line read (a grown file continues after the lines loaded before). */
  firstLine?: number;
  /** Bytes of the (decompressed) file to skip: those lines were loaded before. */
  skipBytes?: number;
  /** Called after each piece is written: lines and (decompressed) bytes read so far. */
  onPiece?: (lines: number, bytesRead: number) => void;
  /** false: always the staged load, even for a file the direct load could take (tests compare both). */
  direct?: boolean;
  /** Another connection to the same database (the CEF tokenizer inserts a large file in two parts). */
  connect?: () => Promise<DuckDBConnection>;
}

/** json_transform structure for the JSON layout: nested objects, VARCHAR leaves (JSON for dynamic/list). */
function jsonStructure(fields: readonly SourceField[], absent: readonly (readonly string[])[]): string {
  type Node = { [key: string]: Node | string };
  const root: Node = {};
  const leaves = [
    ...fields.map((f) => ({ path: f.at as readonly string[], as: f.as })),
    ...absent.map((path) => ({ path, as: 'string' as const })),
  ];
  for (const field of leaves) {
    const path = field.path;
    let node = root;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next === 'string') throw new Error(`plan: ${path.join('.')} is inside a leaf field`);
      node = (node[key] ??= {}) as Node;
    }
    node[path[path.length - 1]] = field.as === 'dynamic' || field.as === 'list' ? 'JSON' : 'VARCHAR';
  }
  return JSON.stringify(root);
}

function stageSql(path: string, plan: LoadPlan, options: LoadOptions): string {
  const lines =
    `SELECT l FROM read_csv(${sqlString(path)}, columns={'l': 'VARCHAR'}, ` +
    `delim=E'\\x01', quote='', escape='', header=false, auto_detect=false, ` +
    `max_line_size=${Math.max(options.maxLineBytes + 2, 4096)}, compression=${options.gzip ? "'gzip'" : "'none'"})`;
  const { layout } = plan;
  // Parse steps, each a subquery over the previous one (an alias used twice in one SELECT is computed twice).
  const steps: { alias: string; sql: string }[] =
    layout.kind === 'json'
      ? [
          {
            alias: '_j',
            sql: `TRY(json_transform(l, ${sqlString(jsonStructure(plan.fields, plan.absent ?? []))}))`,
          },
        ]
      : layout.kind === 'cef'
        ? cefParse(layout)
        : [{ alias: '_p', sql: `string_split(l, ${sqlString(layout.separator)})` }];
  let parsedSql = lines;
  const aliases: string[] = [];
  for (const step of steps) {
    parsedSql = `SELECT l, ${[...aliases, `${step.sql} AS ${step.alias}`].join(', ')} FROM (${parsedSql})`;
    aliases.push(step.alias);
  }
  const parsed = { alias: aliases.join(', '), sql: parsedSql };
  const converted = plan.fields.map((f) => ({ field: f, ...convert(rawCol(f.name), f, layout.kind) }));
  const fieldsOk = converted.map((c) => c.ok).filter((ok) => ok !== 'true');
  const absent = (plan.absent ?? []).map((path) => `${jsonPath('_j', path)} IS NOT NULL`);
  if (plan.closedKeys) {
    const keys = [...new Set(plan.fields.map((f) => (f.at as readonly string[])[0]))].map(sqlString);
    absent.push(`len(list_filter(json_keys(l), k -> k NOT IN (${keys.join(', ')}))) > 0`);
  }
  const parseFailed =
    layout.kind === 'json'
      ? [`_j IS NULL OR NOT starts_with(ltrim(l), '{')`, ...absent].join(' OR ')
      : layout.kind === 'cef'
        ? cefOdd()
        : `len(_p) <> ${layout.columns}` +
          (layout.readerIfContains ? ` OR contains(l, ${sqlString(layout.readerIfContains)})` : '');
  const kinds = [
    `WHEN l IS NULL OR l = '' OR (starts_with(l, ' ') AND trim(l) = '') THEN 'blank'`,
    plan.commentPrefix !== undefined
      ? `WHEN starts_with(l, ${sqlString(plan.commentPrefix)}) THEN 'comment'`
      : '',
    `WHEN ${parseFailed} THEN 'reader'`,
  ];
  let ignoreReason = 'NULL';
  if (plan.route) {
    const r = plan.route;
    const value = col(r.field);
    const accepted = `${value} IN (${r.accept.map(sqlString).join(', ')})`;
    const ok = r.acceptNull ? `(${value} IS NULL OR ${accepted})` : `coalesce(${accepted}, false)`;
    kinds.push(`WHEN NOT ${ok} THEN '${r.otherwise === 'ignore' ? 'ignore' : 'reader'}'`);
    if (r.otherwise === 'ignore')
      ignoreReason = `replace(${sqlString(r.reason ?? '{}')}, '{}', coalesce(${value}, '(none)'))`;
  }
  if (fieldsOk.length > 0) kinds.push(`WHEN NOT (${fieldsOk.join(' AND ')}) THEN 'reader'`);
  const kind = `CASE ${kinds.filter(Boolean).join(' ')} ELSE 'data' END`;
  // a partitioned plan's catch-all table keeps the whole line of the events no part types
  const other = nativeParts(plan).find((p) => p.key === OTHER_PART);
  const keepRaw = other ? ` OR (_kind = 'data' AND ${partFilter(plan, other, col)})` : '';
  const fieldCols = converted.map((c) => `${c.value} AS ${col(c.field.name)}`).join(', ');
  const rawCols = plan.fields.map((f) => `${rawField(f, plan)} AS ${rawCol(f.name)}`).join(', ');
  return (
    `CREATE TEMP TABLE tt_stage AS SELECT _kind, ` +
    `CASE WHEN _kind = 'reader'${keepRaw} THEN l END AS _raw, ` +
    `CASE _kind WHEN 'blank' THEN ${sqlString(BLANK_REASON)} WHEN 'comment' THEN ${sqlString(COMMENT_REASON)} ` +
    `WHEN 'ignore' THEN ${ignoreReason} END AS _ignored, ` +
    `${converted.map((c) => col(c.field.name)).join(', ')} ` +
    `FROM (SELECT *, ${kind} AS _kind FROM (SELECT l, ${parsed.alias}, ${converted.map((c) => `${rawCol(c.field.name)}, `).join('')}${fieldCols} ` +
    `FROM (SELECT l, ${parsed.alias}, ${rawCols} FROM (${parsed.sql}))))`
  );
}

function fieldType(plan: LoadPlan, name: string): Conversion {
  const field = plan.fields.find((f) => f.name === name);
  if (!field) throw new Error(`plan: unknown field ${name}`);
  return field.as;
}

function present(plan: LoadPlan, name: string, column: (name: string) => string): string {
  const c = column(name);
  return fieldType(plan, name) === 'string' ? `(${c} IS NOT NULL AND ${c} <> '')` : `${c} IS NOT NULL`;
}

function literal(value: string | number | boolean): string {
  return typeof value === 'string' ? sqlString(value) : String(value);
}

/** A target expression in SQL over the fields, each field read as `column(name)` (a stage or native column). */
export function exprSql(expr: Expr, plan: LoadPlan, column: (name: string) => string = col): string {
  const col = column;
  if ('field' in expr) {
    fieldType(plan, expr.field);
    return col(expr.field);
  }
  if ('const' in expr) return literal(expr.const);
  if ('lookup' in expr) {
    const cases = Object.entries(expr.values).map(([k, v]) => `WHEN ${sqlString(k)} THEN ${literal(v)}`);
    const otherwise = expr.otherwise === 'same' ? col(expr.lookup) : 'NULL';
    return `CASE ${col(expr.lookup)} ${cases.join(' ')} ELSE ${otherwise} END`;
  }
  if ('upper' in expr) return `upper(${col(expr.upper)})`;
  if ('ipType' in expr) return `tt_ip_type(${col(expr.ipType)})`;
  if ('plusSeconds' in expr) {
    const [time, seconds] = expr.plusSeconds.map(col);
    return `${time} + to_microseconds(CAST(round(${seconds} * 1000) AS BIGINT) * 1000)`;
  }
  if ('ipsOf' in expr)
    return `nullif(array_to_string(list_filter(${col(expr.ipsOf)}, x -> tt_ip_type(x) IS NOT NULL), ','), '')`;
  if ('text' in expr) return `CAST(${col(expr.text)} AS VARCHAR)`;
  if ('coalesce' in expr) return `coalesce(${expr.coalesce.map((e) => exprSql(e, plan, column)).join(', ')})`;
  if ('joinLists' in expr) {
    const lists = expr.joinLists.map((f) => `coalesce(${col(f)}, []::VARCHAR[])`);
    return `nullif(array_to_string(flatten([${lists.join(', ')}]), ','), '')`;
  }
  const parts = expr.extras.map((name) => {
    const c = col(name);
    const text = fieldType(plan, name) === 'list' ? `array_to_string(${c}, ',')` : `CAST(${c} AS VARCHAR)`;
    const piece =
      expr.as === 'json'
        ? `${sqlString(JSON.stringify(name) + ':')} || to_json(${c})`
        : `${sqlString(name + '=')} || ${text}`;
    return `CASE WHEN ${present(plan, name, column)} THEN ${piece} END`;
  });
  if (expr.as === 'kv') return parts.length === 0 ? "''" : `concat_ws(';', ${parts.join(', ')})`;
  return parts.length === 0 ? `'{}'` : `'{' || concat_ws(',', ${parts.join(', ')}) || '}'`;
}

/**
 * Runs a plan on one file, one bounded piece of the file at a time (chunks.ts): each piece's data lines
 * go to the plan's native table (native.ts) with the file's id and their line numbers. Throws, having
 * written nothing, if DuckDB refuses any piece. The file stays incomplete (invisible to the views) until
 * the caller calls completeFile with the file id of the result.
 */
export async function loadWithPlan(
  connection: DuckDBConnection,
  schemas: SchemaSet,
  path: string,
  plan: LoadPlan,
  options: LoadOptions,
): Promise<LoadResult> {
  const natives = await nativeTables(connection, schemas, plan, options.source, exprSql);
  const fileId = options.fileId;
  // CEF by Telltale's own tokenizer where its addon built (same lines to the reader as the SQL below)
  const byAddon =
    natives.length === 1 ? await loadCefNative(connection, natives[0], path, plan, options) : undefined;
  if (byAddon) return byAddon;
  // a regular file (plain or gzip) goes straight from DuckDB's reader into its native table (direct.ts)
  if (options.direct !== false && !options.skipBytes) {
    const direct = await loadDirect(connection, {
      path,
      plan,
      natives,
      fileId,
      firstLine: options.firstLine ?? 1,
      maxLineBytes: options.maxLineBytes,
      gzip: options.gzip,
    });
    if (direct) {
      options.onPiece?.(direct.lines, direct.bytesRead ?? 0);
      return direct;
    }
  }
  // one INSERT … SELECT from the stage per native table (a partitioned plan: per event type)
  const inserts = natives.map(({ part, name }) => {
    const names = part.fields.map((f) => quoteIdent(f.name));
    const values = part.fields.map((f) => col(f.name));
    if (part.key === OTHER_PART) {
      names.push(RAW_COLUMN);
      values.push('CAST(_raw AS JSON)');
    }
    const filter = partFilter(plan, part, col);
    return (
      `INSERT INTO ${quoteIdent(name)} (${[...names, FILE_COLUMN, LINE_COLUMN].join(', ')}) ` +
      `SELECT ${[...values, String(fileId), 'rowid + ($offset)'].join(', ')} ` +
      `FROM tt_stage WHERE _kind = 'data'${filter ? ` AND ${filter}` : ''}`
    );
  });
  const targetCounts = plan.targets.map((t) =>
    t.when
      ? `count(*) FILTER (WHERE ${col(t.when.field)} IN (${t.when.in.map(sqlString).join(', ')}))`
      : 'count(*)',
  );
  const partCounts = natives.map(({ part }) => {
    const filter = partFilter(plan, part, col);
    return filter ? `count(*) FILTER (WHERE ${filter})` : 'count(*)';
  });
  const counts = `SELECT ${[...targetCounts, ...partCounts].join(', ')} FROM tt_stage WHERE _kind = 'data'`;
  const result = emptyLoadResult(fileId, natives.length === 1 ? natives[0].name : '');
  try {
    for await (const chunk of fileChunks(path, options)) {
      // one transaction per piece, so that each piece's stage is freed when it commits
      await connection.run('BEGIN TRANSACTION');
      try {
        await loadChunk(connection, chunk, plan, options, { inserts, counts, natives }, result);
        await connection.run('COMMIT');
        options.onPiece?.(result.lines, chunk.bytesRead);
      } catch (err) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        chunk.done();
      }
    }
  } catch (err) {
    await forgetRows(
      connection,
      fileId,
      natives.map((n) => n.name),
    );
    throw err;
  }
  // a partitioned plan names the tables that took rows
  if (natives.length > 1) result.native = Object.keys(result.stored).join(', ');
  return result;
}

/** Stages one piece (its lines numbered from result.lines + 1), writes its data lines, counts the rest. */
async function loadChunk(
  connection: DuckDBConnection,
  chunk: FileChunk,
  plan: LoadPlan,
  options: LoadOptions,
  sql: { inserts: string[]; counts: string; natives: readonly { name: string }[] },
  result: LoadResult,
): Promise<void> {
  // The stage keeps file order (parallel CREATE TABLE AS preserves insertion order), so a row's line is
  // its rowid less the stage's first rowid (rows created inside a transaction do not start at 0).
  const firstLine = (options.firstLine ?? 1) + result.lines;
  await connection.run('DROP TABLE IF EXISTS tt_stage');
  await connection.run(stageSql(chunk.path, plan, { ...options, gzip: chunk.gzip }));
  const first = await connection.runAndReadAll('SELECT min(rowid) FROM tt_stage');
  const offset = BigInt(firstLine) - ((first.getRows()[0]?.[0] as bigint | null) ?? 0n);
  const kinds = await connection.runAndReadAll(
    'SELECT _kind, _ignored, count(*) AS c FROM tt_stage GROUP BY ALL',
  );
  for (const [kind, reason, count] of kinds.getRows()) {
    const c = Number(count);
    result.lines += c;
    if (kind === 'data') result.ingested += c;
    else if (kind !== 'reader') result.ignored[String(reason)] = (result.ignored[String(reason)] ?? 0) + c;
  }
  const reader = await connection.runAndReadAll(
    `SELECT rowid + (${offset}) AS n, _raw FROM tt_stage WHERE _kind = 'reader' ORDER BY n`,
  );
  for (const [n, raw] of reader.getRows()) result.toReader.push({ line: Number(n), text: String(raw) });
  for (const insert of sql.inserts) await connection.run(insert.replace('$offset', String(offset)));
  const [written] = (await connection.runAndReadAll(sql.counts)).getRows();
  plan.targets.forEach((t, i) => {
    const n = Number(written?.[i] ?? 0);
    if (n > 0) result.tables[t.table] = (result.tables[t.table] ?? 0) + n;
  });
  sql.natives.forEach(({ name }, i) => {
    const n = Number(written?.[plan.targets.length + i] ?? 0);
    if (n > 0) result.stored[name] = (result.stored[name] ?? 0) + n;
  });
  await connection.run('DROP TABLE tt_stage');
}
