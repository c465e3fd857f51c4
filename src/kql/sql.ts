/**
 * SQL text helpers for the DuckDB dialect: identifier quoting, Kusto → DuckDB types, and the parameter
 * list. Query literals always travel as `$n` parameters (numbered, so a fragment can be reused anywhere in
 * the text); only identifiers and fixed engine constants are ever written into the SQL itself.
 */

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const DUCK: Record<string, string> = {
  string: 'VARCHAR',
  guid: 'VARCHAR',
  int: 'INTEGER',
  long: 'BIGINT',
  real: 'DOUBLE',
  double: 'DOUBLE',
  decimal: 'DOUBLE',
  bool: 'BOOLEAN',
  datetime: 'TIMESTAMP',
  timespan: 'INTERVAL',
  dynamic: 'JSON',
};

/** DuckDB type for a Kusto scalar type name, or undefined for types we do not map. */
export function duckTypeOf(kustoType: string): string | undefined {
  return DUCK[kustoType];
}

export const NUMERIC = new Set(['int', 'long', 'real', 'double', 'decimal']);

/** Positional parameters; `add` returns the SQL that reads the value with its Kusto type. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, kustoType: string): string {
    if (value === null || value === undefined) {
      const duck = duckTypeOf(kustoType);
      return duck ? `CAST(NULL AS ${duck})` : 'NULL';
    }
    this.values.push(value);
    const ref = `$${this.values.length}`;
    switch (kustoType) {
      case 'datetime':
        return `CAST(${ref} AS TIMESTAMP)`;
      case 'timespan':
        return `to_microseconds(CAST(${ref} AS BIGINT))`; // value is microseconds
      case 'dynamic':
        return `CAST(${ref} AS JSON)`;
      default: {
        const duck = duckTypeOf(kustoType);
        return duck ? `CAST(${ref} AS ${duck})` : ref;
      }
    }
  }
}

/** Microseconds of a DuckDB INTERVAL expression (our intervals never carry months). */
export function intervalMicros(sql: string): string {
  return `CAST(round(epoch(${sql}) * 1000000) AS BIGINT)`;
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
