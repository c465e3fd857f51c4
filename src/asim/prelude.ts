/**
 * The declarations a query needs, in front of it: the ASIM parsers it calls (and the internal ones they
 * are built on) and `_GetWatchlist`. A name the query declares itself, or that is a table, is left
 * alone. Filtering parameters no call passes filter nothing, so their clauses are left out of the
 * declaration: DuckDB then sees plain branches without parameter tests.
 */
import type { SchemaSet } from '../store/schema.js';
import { parsers } from './parsers.js';
import {
  NARROWED_COLUMN,
  parserViews,
  storedFields,
  withParserTables,
  type StoredParserTables,
} from './views.js';

export { NARROWED_COLUMN };
import { WATCHLIST_FUNCTION, watchlistPrelude } from './watchlist.js';
import type { SourcePresence } from './source.js';

export interface AsimPrelude {
  /** Declarations (one line each), to put in front of the query; '' when the query needs none. */
  text: string;
  warnings: string[];
  /** The schemas to bind with (the store's, plus the parsers' tables when a parser is called). */
  schemas: SchemaSet;
  /** SQL of the parsers' tables, by table name (see views.ts). */
  views?: Map<string, () => string>;
  /** The parsers' tables have only the fields the query names (see `AsimOptions.narrow`). */
  narrowed: boolean;
}

export interface AsimOptions {
  schemas: SchemaSet;
  /**
   * Give the parsers' tables only the fields the query names (`NARROWED_COLUMN` marks them). The
   * caller compiles again without it when that column reaches the result: the query passed a table
   * through whole, so it needs every field.
   */
  narrow?: boolean;
  /** Directory of watchlist exports (`<alias>.csv`) for `_GetWatchlist`. */
  watchlistsDir?: string;
  /** The CommonSecurityLog vendors the store holds: parsers leave out sources with no rows. */
  asimVendors?: SourcePresence;
  /** Parser tables the run stored (views.ts `StoredParserTables`), read instead of the parsers' SQL. */
  asimTables?: StoredParserTables;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text between a call's parentheses (`start` is just after the opening one), strings skipped. */
function argumentText(query: string, start: number): string {
  let depth = 1;
  for (let i = start; i < query.length; i++) {
    const ch = query[i];
    if (ch === "'" || ch === '"') {
      const end = query.indexOf(ch, i + 1);
      if (end < 0) break;
      i = end;
    } else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (--depth === 0) return query.slice(start, i);
    }
  }
  return query.slice(start);
}

/** Top-level comma-separated parts of an argument list. */
function topLevelParts(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < args.length; i++) {
    const ch = args[i];
    if (ch === "'" || ch === '"') {
      const end = args.indexOf(ch, i + 1);
      i = end < 0 ? args.length : end;
    } else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(args.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(args.slice(from));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The parameters calls of `name` pass by name; 'all' when one passes any positionally. */
function passedParameters(query: string, name: string): Set<string> | 'all' {
  const passed = new Set<string>();
  for (const m of query.matchAll(new RegExp(`\\b${escapeRegExp(name)}\\s*\\(`, 'g'))) {
    for (const part of topLevelParts(argumentText(query, m.index + m[0].length))) {
      const named = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/.exec(part);
      if (!named) return 'all';
      passed.add(named[1]);
    }
  }
  return passed;
}

function mentions(query: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(name)}($|[^A-Za-z0-9_])`).test(query);
}

function declaresItself(query: string, name: string): boolean {
  return new RegExp(`\\blet\\s+${escapeRegExp(name)}\\s*=`).test(query);
}

/**
 * The parsers a schema set can hold. A store without the Sentinel tables behind them (the exclusion
 * linter's one-table store) has none: its queries cannot name a parser, and must not fail for it.
 */
function availableParsers(schemas: SchemaSet) {
  try {
    return [...parsers(schemas).functions.values()];
  } catch {
    return [];
  }
}

/** What reads columns by a name computed at run time, or the schema itself: never narrowed. */
const READS_ANY_COLUMN =
  /\b(pack_all|getschema|buildschema|evaluate|column_ifexists|columnifexists|bag_pack_columns)\b/;

/** Every word of the query and its declarations: a superset of the fields it names. */
function namedFields(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
}

/** The parser functions a query calls (not declared by itself, not a table's name). */
function calledParsers(query: string, schemas: SchemaSet) {
  return availableParsers(schemas).filter(
    (fn) => mentions(query, fn.name) && !declaresItself(query, fn.name) && !schemas.has(fn.name),
  );
}

export function asimPrelude(query: string, options: AsimOptions): AsimPrelude {
  const lines: string[] = [];
  const called = calledParsers(query, options.schemas);
  const used = called.length > 0;
  for (const fn of called) lines.push(fn.declare(passedParameters(query, fn.name)));
  const warnings: string[] = [];
  if (mentions(query, WATCHLIST_FUNCTION) && !declaresItself(query, WATCHLIST_FUNCTION)) {
    const watchlists = watchlistPrelude(query, options.watchlistsDir, options.schemas);
    lines.push(watchlists.text);
    warnings.push(...watchlists.warnings);
  }
  const text = lines.map((l) => `${l}\n`).join('');
  const named =
    used && options.narrow && !READS_ANY_COLUMN.test(query) ? namedFields(text + query) : undefined;
  named?.add(NARROWED_COLUMN);
  // the fields of a copy the run stored, when it holds the query's: every hunt of the run then binds
  // the same tables (the binder's state and the parser's SQL are built once, not once per hunt)
  const fields =
    named &&
    storedFields(options.schemas, options.asimTables, [...new Set(called.map((fn) => fn.table))], named);
  return {
    text,
    warnings,
    schemas: used ? withParserTables(options.schemas, fields) : options.schemas,
    views: used ? parserViews(options.schemas, fields, options.asimVendors, options.asimTables) : undefined,
    narrowed: fields !== undefined,
  };
}

/**
 * The parser tables a query reads (through the parsers it calls) and the fields it may name there;
 * fields undefined when the query may read any (see `READS_ANY_COLUMN`).
 */
export function parserTablesRead(
  query: string,
  schemas: SchemaSet,
): { tables: string[]; fields: Set<string> | undefined } {
  const called = calledParsers(query, schemas);
  const text = called.map((fn) => `${fn.declare(passedParameters(query, fn.name))}\n`).join('');
  return {
    tables: [...new Set(called.map((fn) => fn.table))],
    fields: READS_ANY_COLUMN.test(query) ? undefined : namedFields(text + query),
  };
}
