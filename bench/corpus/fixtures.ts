/**
 * A small generated dataset for the corpus runner: a few rows in every schema table, values chosen by
 * column type (and, for strings, a hint from the column name so IP and hash columns look like IPs and
 * hashes). The point is that every query runs over real rows of the right types, not what it returns.
 */
import type { Row } from '../../src/store/coerce.js';
import type { ColumnSchema, TableSchema } from '../../src/store/schema.js';

export const FIXTURE_ROWS = 3;

const IPS = ['10.0.0.5', '176.65.139.7', '8.8.8.8'];

function stringValue(name: string, i: number): string {
  if (
    /(^|[a-z])(IP|Ip)(Address)?$|IPAddress|IpAddress|^(Src|Dst|Source|Destination|Remote|Local|Client)Ip/.test(
      name,
    )
  )
    return IPS[i % IPS.length];
  if (/SHA256/i.test(name)) return String(i).repeat(64).slice(0, 64);
  if (/SHA1/i.test(name)) return String(i).repeat(40).slice(0, 40);
  if (/MD5/i.test(name)) return String(i).repeat(32).slice(0, 32);
  if (/Url$/i.test(name)) return `http://example${i}.com/path/file${i}.exe`;
  if (/(Domain|Name)$/.test(name) && /Dns|Domain|Url|Host/i.test(name)) return `host${i}.example${i}.com`;
  return `${name}-${i}`;
}

function value(column: ColumnSchema, i: number, now: Date): unknown {
  switch (column.type) {
    case 'string':
      return stringValue(column.name, i);
    case 'int':
    case 'long':
      return i + 1;
    case 'real':
    case 'double':
    case 'decimal':
      return i + 0.5;
    case 'bool':
      return i % 2 === 0;
    case 'datetime':
      return new Date(now.getTime() - (i + 1) * 3_600_000).toISOString();
    case 'timespan':
      return null;
    case 'dynamic':
      return { key: `value${i}`, list: [i, i + 1] };
    case 'guid':
      return `00000000-0000-0000-0000-00000000000${i}`;
  }
}

export function fixtureRows(schema: TableSchema, now: Date): Row[] {
  return Array.from({ length: FIXTURE_ROWS }, (_, i) => {
    const row: Row = { _Source: `fixture:${schema.table}:${i + 1}` };
    for (const column of schema.columns) {
      const v = value(column, i, now);
      if (v !== null) row[column.name] = v;
    }
    return row;
  });
}
