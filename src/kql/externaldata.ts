/**
 * `externaldata (cols) [ "url", … ] with (format=…, ignoreFirstRecord=…)` read from local files.
 *
 * Hunts fetch feeds over the network; Telltale runs where there is none, so every URL maps to a local
 * file: `file:///x` is the file itself, read only inside the `externaldataDir` option (a hunt must not
 * read `/etc/shadow`), and `https://host/a/b.csv` is `DIR/host/a/b.csv` under it (query strings such as
 * SAS tokens are dropped). A URL without a local file
 * is an ExternalDataMissing error naming the URL, the path looked for, and the declared shape, so a
 * caller (the corpus runner, a future `telltale feeds fetch`) can supply it. DuckDB reads the file;
 * every field is read as text and converted to the declared type the way Kusto does (bad values → null).
 */
import { sqlString } from '../util/sql.js';
import { existsSync, realpathSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Column, Compiler, Relation } from './context.js';
import { KqlError, kqlError } from './errors.js';
import { constant } from './expr.js';
import type { KNode } from './kusto.js';
import { ident } from './sql.js';
import { dialect } from './dialect.js';

export const MISSING_EXTERNAL_DATA = 'TT003';

/** What a query declared for one URL, and where Telltale looked for it. */
export interface ExternalSource {
  url: string;
  path: string;
  columns: Column[];
  format: string;
  ignoreFirstRecord: boolean;
}

export class ExternalDataMissing extends KqlError {
  constructor(
    error: KqlError,
    readonly source: ExternalSource,
  ) {
    super(error.message, error.code, error.start, error.length, error.line, error.column);
    this.name = 'ExternalDataMissing';
  }
}

/** The local file for a URL, or a reason it has none. */
export function localPath(url: string, dir: string | undefined): { path?: string; reason?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { reason: 'not a URL' };
  }
  if (parsed.protocol === 'file:') return insideDir(fileURLToPath(parsed), dir);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { reason: `${parsed.protocol} URLs are not supported` };
  // without a directory, look in ./externaldata so the error can still name a concrete path
  const base = resolve(dir ?? 'externaldata');
  const segments = parsed.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const path = join(base, parsed.hostname, ...segments);
  // a crafted URL (`%2e%2e`) must not read outside the directory
  if (!path.startsWith(base + sep)) return { reason: 'the URL path leaves the externaldata directory' };
  return { path };
}

/**
 * A file:// URL reads a local file only inside the externaldata directory (links resolved first): hunt
 * content must not read `/etc/shadow` into the findings.
 */
function insideDir(path: string, dir: string | undefined): { path?: string; reason?: string } {
  const refused = `file:// URLs are read only inside the --externaldata-dir folder`;
  if (dir === undefined) return { reason: `${refused} (none given)` };
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p); // a missing file: its own error follows
    }
  };
  const base = real(dir);
  const target = real(path);
  if (!target.startsWith(base + sep)) return { reason: `${refused} (${base})` };
  return { path: target };
}

/** Kusto's delimited externaldata formats and their separators. */
export const DELIMITERS: Record<string, string> = {
  csv: ',',
  tsv: '\t',
  tsve: '\t',
  scsv: ';',
  psv: '|',
  sohsv: '\x01',
};
const EXTENSION_FORMAT: Record<string, string> = { tsv: 'tsv', json: 'json', txt: 'txt', psv: 'psv' };

function withProperties(node: KNode, c: Compiler): Map<string, unknown> {
  const props = new Map<string, unknown>();
  for (const p of node.node('WithClause')?.list('Properties') ?? []) {
    const name = p.node('Name')?.simpleName?.toLowerCase();
    const value = p.node('Expression');
    if (name && value) props.set(name, constant(value, c)?.value);
  }
  return props;
}

function formatOf(props: Map<string, unknown>, url: string): string {
  const given = props.get('format');
  if (typeof given === 'string') return given.toLowerCase();
  const ext = /\.([a-z]+)(?:\.gz)?(?:$|\?)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  return EXTENSION_FORMAT[ext] ?? 'csv';
}

/** Kusto's conversion of a text field to the declared type: invalid values become null. */
function convert(sql: string, type: string): string {
  if (type === 'string' || type === 'guid') return `coalesce(${sql}, '')`;
  if (type === 'dynamic')
    return `(CASE WHEN json_valid(${sql}) THEN CAST(${sql} AS JSON) ELSE ${dialect.toJson(sql)} END)`;
  if (type === 'bool') return `TRY_CAST(lower(trim(${sql})) AS BOOLEAN)`;
  const duck = dialect.type(type) ?? 'VARCHAR';
  return `TRY_CAST(trim(${sql}) AS ${duck})`;
}

function readFile(source: ExternalSource, c: Compiler): string {
  const path = c.params.add(source.path, 'string');
  const raw = source.columns.map((_, i) => `c${i}`);
  const outputs = (fields: string[]) =>
    source.columns
      .map((col, i) => `${convert(fields[i] ?? 'NULL', col.type)} AS ${ident(col.name)}`)
      .join(', ');
  if (source.format === 'txt' || source.format === 'raw') {
    // one record per line (txt) or per file (raw), into the first column
    const lines =
      source.format === 'raw'
        ? `SELECT content AS c0 FROM read_text(${path})`
        : `SELECT rtrim(unnest(string_split(content, chr(10))), chr(13)) AS c0 FROM read_text(${path})`;
    const skip = source.ignoreFirstRecord ? ' OFFSET 1' : '';
    return `SELECT ${outputs(['c0'])} FROM (${lines}${skip}) WHERE c0 <> ''`;
  }
  if (source.format === 'json' || source.format === 'multijson' || source.format === 'singlejson') {
    const spec = source.columns.map((col) => `${sqlString(col.name)}: 'JSON'`).join(', ');
    const fields = source.columns.map((col) => `json_extract_string(${ident(col.name)}, '$')`);
    return `SELECT ${outputs(fields)} FROM read_json(${path}, columns={${spec}}, format='auto')`;
  }
  const delim = DELIMITERS[source.format];
  if (delim === undefined) throw new Error(`format ${source.format}`);
  const spec = raw.map((r) => `'${r}': 'VARCHAR'`).join(', ');
  return (
    `SELECT ${outputs(raw)} FROM read_csv(${path}, columns={${spec}}, header=${source.ignoreFirstRecord}, ` +
    `delim=${c.params.add(delim, 'string')}, quote='"', escape='"', auto_detect=false, null_padding=true, ` +
    `strict_mode=false)`
  );
}

/** A Relation reading every URL of an ExternalDataExpression from its local file. */
export function externalData(node: KNode, c: Compiler, query: string, dir: string | undefined): Relation {
  const columns = (node.type?.columns ?? []).map((col) => ({ name: col.name, type: col.type }));
  const props = withProperties(node, c);
  const ignoreFirstRecord = props.get('ignorefirstrecord') === true;
  const selects: string[] = [];
  for (const uriNode of node.list('URIs')) {
    const url = constant(uriNode, c)?.value;
    if (typeof url !== 'string') return c.fail(uriNode, 'externaldata URL that is not a constant string');
    const format = formatOf(props, url);
    const { path, reason } = localPath(url, dir);
    if (!path) return c.fail(uriNode, `externaldata URL ${url}: ${reason}`);
    const source: ExternalSource = { url, path, columns, format, ignoreFirstRecord };
    if (!existsSync(path)) {
      const where = dir === undefined && !url.startsWith('file:') ? ' (set externaldataDir)' : '';
      const error = kqlError(
        query,
        MISSING_EXTERNAL_DATA,
        `externaldata: no local file for ${url}: looked for ${path}${where}`,
        uriNode.start,
        uriNode.length,
      );
      throw new ExternalDataMissing(error, source);
    }
    if (!(format in DELIMITERS) && !['txt', 'raw', 'json', 'multijson', 'singlejson'].includes(format))
      return c.fail(node, `externaldata format ${format}`);
    selects.push(readFile(source, c));
  }
  if (selects.length === 0) return c.fail(node, 'externaldata without a URL');
  return { from: c.cte(selects.join(' UNION ALL ')), columns, source: 'none', ordinal: false };
}
