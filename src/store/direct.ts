/**
 * The direct load: for a regular file (survey.ts) whose plan DuckDB's own readers can express, one
 * `INSERT … SELECT` from `read_json` / `read_csv` straight into the native table, in one transaction: no
 * raw-line stage, no pieces. DuckDB cuts the columns (as fast as its reader alone); the plan's field SQL
 * (field-sql.ts) converts them with the very expressions of the staged load. Any line the staged load would
 * hand to the JavaScript reader (a value that does not convert, invalid JSON, a wrong field count, a key
 * the sample never had, a route value not accepted) makes the statement fail, the transaction rolls back,
 * and the caller runs the staged load instead, which classifies every line. So the rows are the same
 * either way; a clean file just costs less.
 *
 * Line numbers: an INSERT keeps the reader's order in the table's row ids (insertion order is preserved),
 * and the survey proved that the data lines are one run between the comment blocks, so a row's line is
 * its row id's position plus the lines before the data.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { col, convert, rawCol, rawField, type RawSource } from './field-sql.js';
import { FILE_COLUMN, LINE_COLUMN, type NativeTable } from './native.js';
import { COMMENT_REASON, type LoadPlan, type LoadResult } from './plan.js';
import { surveyLines, type SurveyRules } from './survey.js';
import { quoteIdent, sqlString } from '../util/sql.js';

export interface DirectLoad {
  path: string;
  plan: LoadPlan;
  natives: readonly NativeTable[];
  fileId: number;
  /** The number of the file's first line. */
  firstLine: number;
  maxLineBytes: number;
  /** The file is gzip-compressed: surveyed through node's gunzip, read through DuckDB's. */
  gzip?: boolean;
}

/** Reader column of a delimited field. */
const csvColumn = (index: number) => quoteIdent(`c${index}`);
/** Reader column of a JSON key. */
const jsonColumn = (key: string) => quoteIdent(`k_${key}`);

/** What the direct load needs of the file, or undefined when the plan is not one it can run. */
function directRules(plan: LoadPlan, maxLineBytes: number): Omit<SurveyRules, 'gzip'> | undefined {
  if (plan.partition || plan.closedKeys || plan.route?.otherwise === 'ignore') return undefined;
  const { layout } = plan;
  if (layout.kind === 'json') {
    const paths = [...plan.fields.map((f) => f.at as readonly string[]), ...(plan.absent ?? [])];
    if (paths.some((p) => p.length !== 1)) return undefined;
    // DuckDB's column names ignore case: keys that differ only by case need the staged load
    const keys = new Set(paths.map((p) => p[0].toLowerCase()));
    if (keys.size !== paths.length) return undefined;
    return { dataStart: '{', commentPrefix: plan.commentPrefix, maxLineBytes };
  }
  if (layout.kind !== 'delimited' || layout.separator.length !== 1) return undefined;
  if (plan.commentPrefix !== undefined && plan.commentPrefix.length !== 1) return undefined;
  // no backslash at all: no `\\` for the reader, no `\xHH` escape to decode
  return { commentPrefix: plan.commentPrefix, forbidden: '\\', maxLineBytes };
}

/** DuckDB's reader of the file, with one column per JSON key or delimited column, all as text. */
function readerSql(load: DirectLoad): string {
  const { plan, path, maxLineBytes } = load;
  const layout = plan.layout;
  // explicit, whatever the file's name says (the readers name "no compression" differently)
  const compression = (none: string) => `compression=${load.gzip ? "'gzip'" : `'${none}'`}`;
  if (layout.kind === 'json') {
    const columns = [
      ...plan.fields.map((f) => ({
        key: (f.at as readonly string[])[0],
        type: f.as === 'dynamic' || f.as === 'list' ? 'JSON' : 'VARCHAR',
      })),
      ...(plan.absent ?? []).map((p) => ({ key: p[0], type: 'VARCHAR' })),
    ];
    const spec = columns.map((c) => `${sqlString(c.key)}: '${c.type}'`).join(', ');
    const renamed = columns.map((c) => `${quoteIdent(c.key)} AS ${jsonColumn(c.key)}`).join(', ');
    return (
      `SELECT ${renamed} FROM read_json(${sqlString(path)}, format='newline_delimited', records='true', ` +
      `maximum_object_size=${Math.max(maxLineBytes + 2, 4096)}, ${compression('uncompressed')}, columns={${spec}})`
    );
  }
  if (layout.kind !== 'delimited') throw new Error('direct load: not a delimited plan');
  const spec = Array.from({ length: layout.columns }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const comment = plan.commentPrefix === undefined ? '' : `comment=${sqlString(plan.commentPrefix)}, `;
  // the staged load sees an empty field as '', never NULL: no text may read as NULL here either
  return (
    `SELECT * FROM read_csv(${sqlString(path)}, columns={${spec}}, delim=${sqlString(layout.separator)}, ` +
    `quote='', escape='', header=false, auto_detect=false, ${comment}nullstr=E'\\x01\\x02', ` +
    `strict_mode=true, null_padding=false, max_line_size=${Math.max(maxLineBytes + 2, 4096)}, ${compression('none')})`
  );
}

/** The INSERT of the file's lines into the native table; fails on a line the staged load would not take. */
function insertSql(load: DirectLoad, native: NativeTable): string {
  const { plan } = load;
  const source: RawSource = {
    json: (path) => jsonColumn(path[0]),
    column: csvColumn,
    plain: true,
  };
  const raws = plan.fields.map((f) => `${rawField(f, plan, source)} AS ${rawCol(f.name)}`);
  const converted = plan.fields.map((f) => ({ field: f, ...convert(rawCol(f.name), f, plan.layout.kind) }));
  const bad = (plan.absent ?? []).map((p) => `${jsonColumn(p[0])} IS NOT NULL`);
  const route = plan.route;
  if (route) {
    const value = col(route.field);
    const accepted = `${value} IN (${route.accept.map(sqlString).join(', ')})`;
    bad.push(route.acceptNull ? `NOT (${value} IS NULL OR ${accepted})` : `NOT coalesce(${accepted}, false)`);
  }
  const ok = converted.map((c) => c.ok).filter((test) => test !== 'true');
  if (ok.length > 0) bad.push(`NOT (${ok.join(' AND ')})`);
  const check =
    bad.length === 0
      ? ''
      : ` WHERE CASE WHEN ${bad.join(' OR ')} THEN error('direct load: a line for the staged load') ELSE true END`;
  const extra = (plan.absent ?? []).map((p) => `, ${jsonColumn(p[0])}`).join('');
  const names = native.part.fields.map((f) => quoteIdent(f.name));
  return (
    `INSERT INTO ${quoteIdent(native.name)} (${[...names, FILE_COLUMN].join(', ')}) ` +
    `SELECT ${[...native.part.fields.map((f) => col(f.name)), String(load.fileId)].join(', ')} ` +
    `FROM (SELECT ${plan.fields.map((f) => rawCol(f.name)).join(', ')}${extra}, ` +
    `${converted.map((c) => `${c.value} AS ${col(c.field.name)}`).join(', ')} ` +
    `FROM (SELECT ${raws.join(', ')}${extra} FROM (${readerSql(load)})))${check}`
  );
}

/**
 * Loads the file directly when it and its plan allow it; undefined (nothing written) when not, and the
 * caller takes the staged load.
 */
export async function loadDirect(
  connection: DuckDBConnection,
  load: DirectLoad,
): Promise<LoadResult | undefined> {
  const { plan, natives, fileId } = load;
  if (natives.length !== 1) return undefined;
  const rules = directRules(plan, load.maxLineBytes);
  if (!rules) return undefined;
  const survey = await surveyLines(load.path, { ...rules, gzip: load.gzip });
  if (!survey) return undefined;
  const native = natives[0];
  const table = quoteIdent(native.name);
  await connection.run('BEGIN TRANSACTION');
  try {
    const [[inserted]] = (await connection.runAndReadAll(insertSql(load, native))).getRows();
    if (Number(inserted) !== survey.data) throw new Error('direct load: rows and data lines differ');
    const first = load.firstLine + survey.head;
    await connection.run(
      `UPDATE ${table} SET ${LINE_COLUMN} = rowid - (SELECT min(rowid) FROM ${table} WHERE ${FILE_COLUMN} = ${fileId}) + ${first} ` +
        `WHERE ${FILE_COLUMN} = ${fileId}`,
    );
    const counts = plan.targets.map((t) =>
      t.when
        ? `count(*) FILTER (WHERE ${quoteIdent(t.when.field)} IN (${t.when.in.map(sqlString).join(', ')}))`
        : 'count(*)',
    );
    const [written] = (
      await connection.runAndReadAll(
        `SELECT ${['count(*)', ...counts].join(', ')} FROM ${table} WHERE ${FILE_COLUMN} = ${fileId}`,
      )
    ).getRows();
    await connection.run('COMMIT');
    const tables: Record<string, number> = {};
    plan.targets.forEach((t, i) => {
      const n = Number(written[i + 1]);
      if (n > 0) tables[t.table] = (tables[t.table] ?? 0) + n;
    });
    const comments = survey.head + survey.tail;
    return {
      lines: survey.lines,
      ingested: survey.data,
      ignored: comments > 0 ? { [COMMENT_REASON]: comments } : {},
      toReader: [],
      tables,
      stored: survey.data > 0 ? { [native.name]: survey.data } : {},
      fileId,
      native: native.name,
      direct: true,
      bytesRead: survey.bytes,
    };
  } catch {
    await connection.run('ROLLBACK').catch(() => undefined);
    return undefined;
  }
}
