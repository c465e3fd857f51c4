/**
 * `_GetWatchlist('alias')` over local exports: DIR/<alias>.csv, one CSV per watchlist with a header row
 * (Sentinel's export: the item columns, and SearchKey). Declared like Sentinel's own function: rows with
 * `_DTItemId`, `LastUpdatedTimeUTC`, `SearchKey` and `WatchlistItem` (a bag of the item's columns), then
 * the item's columns. A watchlist with no file is an empty table and one warning, as in a workspace
 * that never created it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../kql/kusto.js';
import type { SchemaSet } from '../store/schema.js';
import { CsvRecordJoiner, parseCsvRecord } from '../util/csv.js';

export const WATCHLIST_FUNCTION = '_GetWatchlist';

/** Columns Sentinel's _GetWatchlist adds itself (not item columns). */
const FIXED = new Set(['_DTItemId', 'LastUpdatedTimeUTC', 'SearchKey', 'WatchlistItem']);

/** A CSV file's records (RFC 4180, the way Sentinel exports); a broken record names its line. */
function readCsv(path: string): string[][] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const joiner = new CsvRecordJoiner();
  const records: string[][] = [];
  const add = (record: { text: string; line: number } | undefined) => {
    if (!record || record.text.trim() === '') return;
    try {
      records.push(parseCsvRecord(record.text, { nulls: true }).map((v) => v ?? ''));
    } catch (e) {
      throw new Error(`${path}:${record.line}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  text.split(/\r?\n/).forEach((line, i) => add(joiner.push(line, i + 1)));
  add(joiner.flush());
  return records;
}

/** A KQL string literal (plain, with escapes: values may hold quotes, backslashes and newlines). */
function kqlText(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** The aliases a query names as literals (`_GetWatchlist('x')`), or undefined when one is computed. */
export function watchlistAliases(query: string): string[] | undefined {
  const calls = [...query.matchAll(/\b_GetWatchlist\s*\(\s*([^)]*)\)/g)];
  const aliases: string[] = [];
  for (const [, arg] of calls) {
    const literal = /^(?:@|h)?(['"])(.*)\1\s*$/.exec(arg.trim());
    if (!literal) return undefined;
    if (!aliases.includes(literal[2])) aliases.push(literal[2]);
  }
  return aliases;
}

function kqlString(text: string): string {
  return `@'${text.replace(/'/g, "''")}'`;
}

/** A KQL column name for a CSV header (bracketed when it is not an identifier). */
function columnName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
    ? name
    : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

export interface WatchlistPrelude {
  /** `let _GetWatchlist = (watchlistAlias:string) { … };` */
  text: string;
  warnings: string[];
}

/** One watchlist file: its rows in Sentinel's shape (as a datatable), plus the alias to select by. */
function fileRows(alias: string, header: string[], records: string[][]): string {
  const item = header.filter((c) => !FIXED.has(c));
  const declared = header.map((c) => `${columnName(c)}:string`).join(', ');
  const values = records.flatMap((r) => header.map((_, i) => kqlText(r[i] ?? '')));
  const searchKey = header.includes('SearchKey') ? 'SearchKey' : columnName(item[0] ?? "''");
  const bag = item.map((c) => `${kqlString(c)}, ${columnName(c)}`).join(', ');
  return (
    `(datatable(${declared})[${values.join(', ')}]` +
    ` | extend _tt_alias = ${kqlString(alias)}, _DTItemId = '', LastUpdatedTimeUTC = datetime(null),` +
    ` SearchKey = tostring(${searchKey}), WatchlistItem = bag_pack(${bag}))`
  );
}

function declaration(inputs: string[], extraColumns: string[]): string {
  const fixed =
    '_tt_alias:string, _DTItemId:string, LastUpdatedTimeUTC:datetime, SearchKey:string, WatchlistItem:dynamic';
  const extra = extraColumns.map((c) => `, ${columnName(c)}:string`).join('');
  return (
    `let ${WATCHLIST_FUNCTION} = (watchlistAlias:string) { union (datatable(${fixed}${extra})[])` +
    `${inputs.map((i) => `, ${i}`).join('')} | where _tt_alias =~ watchlistAlias | project-away _tt_alias };`
  );
}

/** Names Kusto reports unknown (KS142) in the statements that read a watchlist. */
function unknownNamesNearWatchlists(text: string, offset: number, schemas: SchemaSet): string[] {
  const query = text.slice(offset);
  // each statement (up to a top-level `;`) that calls _GetWatchlist
  const spans: [number, number][] = [];
  for (const m of query.matchAll(/\b_GetWatchlist\s*\(/g)) {
    const end = query.indexOf(';', m.index);
    spans.push([offset + m.index, offset + (end < 0 ? query.length : end)]);
  }
  const names: string[] = [];
  for (const d of analyze(text, schemas).diagnostics) {
    if (d.code !== 'KS142' || !spans.some(([a, b]) => d.start >= a && d.start < b)) continue;
    const name = /The name '([^']+)'/.exec(d.message)?.[1];
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The `_GetWatchlist` declaration for a query: the watchlists it names (all files in `dir` when an
 * alias is computed), and a warning for each named one without a file. A workspace's watchlist rows
 * carry their item columns (Sentinel unpacks WatchlistItem); so does each file here. When a named
 * watchlist has no file, the item columns its statements read are declared empty (as bag_unpack of no
 * rows would leave them), so the query runs and finds nothing there.
 */
export function watchlistPrelude(
  query: string,
  dir: string | undefined,
  schemas: SchemaSet,
): WatchlistPrelude {
  const named = watchlistAliases(query);
  const base = dir ? resolve(dir) : undefined;
  const available =
    base && existsSync(base)
      ? readdirSync(base)
          .filter((f) => f.toLowerCase().endsWith('.csv'))
          .map((f) => ({ alias: f.slice(0, -4), path: join(base, f) }))
      : [];
  const wanted = named ?? available.map((a) => a.alias);
  const found = available.filter((a) => wanted.some((w) => w.toLowerCase() === a.alias.toLowerCase()));
  const missing = wanted.filter((w) => !found.some((f) => f.alias.toLowerCase() === w.toLowerCase()));
  const warnings = missing.map((w) =>
    base
      ? `watchlist '${w}': no ${w}.csv in ${base}; read as an empty table`
      : `watchlist '${w}': no --watchlists directory; read as an empty table`,
  );
  const files = found
    .map((f) => ({ alias: f.alias, records: readCsv(f.path) }))
    .filter((f) => f.records.length > 0);
  const headers = files.map(({ records }) => records[0].map((h, i) => (h === '' ? `Column${i + 1}` : h)));
  const inputs = files.map((f, i) => fileRows(f.alias, headers[i], f.records.slice(1)));
  let text = declaration(inputs, []);
  if (missing.length) {
    const known = new Set(headers.flat());
    const extra: string[] = [];
    for (let pass = 0; pass < 4; pass++) {
      const names = unknownNamesNearWatchlists(`${text}\n${query}`, text.length + 1, schemas).filter(
        (n) => !known.has(n) && !extra.includes(n),
      );
      if (names.length === 0) break;
      extra.push(...names);
      text = declaration(inputs, extra);
    }
  }
  return { text, warnings };
}
