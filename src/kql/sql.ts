/**
 * SQL text helpers: identifier quoting and the parameter list (the engine's spellings are in dialect.ts).
 * Query literals always travel as `$n` parameters (numbered, so a fragment can be reused anywhere in the
 * text); only identifiers and fixed engine constants are ever written into the SQL itself.
 */
import { quoteIdent } from '../util/sql.js';
import { dialect } from './dialect.js';

/** An identifier exactly as given (a stored table's own column, the final result's Kusto name). */
export function rawIdent(name: string): string {
  return quoteIdent(name);
}

/**
 * Kusto names are case-sensitive, DuckDB's are not: `extend timestamp = …` beside `Timestamp` would
 * clash. While a compilation runs, the first spelling of a name keeps it and any other spelling gets a
 * unique SQL name (`timestamp#1`); the final SELECT renames back to Kusto's names.
 */
interface Naming {
  first: Map<string, string>;
  sql: Map<string, string>;
}
let naming: Naming | undefined;

export function withColumnNaming<T>(run: () => T): T {
  const saved = naming;
  naming = { first: new Map(), sql: new Map() };
  try {
    return run();
  } finally {
    naming = saved;
  }
}

/** The SQL name of a Kusto column name in the compilation in progress. */
export function sqlName(name: string): string {
  if (!naming) return name;
  const known = naming.sql.get(name);
  if (known) return known;
  const key = name.toLowerCase();
  const alias = naming.first.has(key) ? `${name}#${naming.sql.size}` : name;
  if (!naming.first.has(key)) naming.first.set(key, name);
  naming.sql.set(name, alias);
  return alias;
}

export function ident(name: string): string {
  return rawIdent(sqlName(name));
}

export const NUMERIC = new Set(['int', 'long', 'real', 'double', 'decimal']);

/** Positional parameters; `add` returns the SQL that reads the value with its Kusto type. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, kustoType: string): string {
    if (value === null || value === undefined) {
      const duck = dialect.type(kustoType);
      return duck ? `CAST(NULL AS ${duck})` : 'NULL';
    }
    this.values.push(value);
    const ref = `$${this.values.length}`;
    switch (kustoType) {
      case 'datetime':
        return `CAST(${ref} AS TIMESTAMP)`;
      case 'timespan':
        return dialect.intervalFromMicros(`CAST(${ref} AS BIGINT)`); // value is microseconds
      case 'dynamic':
        return `CAST(${ref} AS JSON)`;
      default: {
        const duck = dialect.type(kustoType);
        return duck ? `CAST(${ref} AS ${duck})` : ref;
      }
    }
  }
}

/**
 * Drops parameters the final text does not read and renumbers the rest: DuckDB refuses values for
 * placeholders that are absent. Engine constants never contain `$<digit>`, so every match is a placeholder.
 */
export function compactParams(sql: string, values: unknown[]): { sql: string; params: unknown[] } {
  const used = new Map<number, number>();
  const params: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n);
    let renumbered = used.get(index);
    if (renumbered === undefined) {
      params.push(values[index - 1]);
      renumbered = params.length;
      used.set(index, renumbered);
    }
    return `$${renumbered}`;
  });
  return { sql: text, params };
}
