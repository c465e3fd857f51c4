/**
 * Sentinel table schemas. They are data (schemas/*.json), not code: one file per table, columns and
 * Kusto types as in Microsoft's table reference. Every stored table also carries `_Source` (file:line).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from '../util/paths.js';

export type KqlType =
  | 'string'
  | 'int'
  | 'long'
  | 'real'
  | 'double'
  | 'decimal'
  | 'bool'
  | 'datetime'
  | 'timespan'
  | 'dynamic'
  | 'guid';

export interface ColumnSchema {
  name: string;
  type: KqlType;
}

export interface TableSchema {
  table: string;
  columns: ColumnSchema[];
  source?: string;
}

/** Provenance column kept on every row: `file:line` (or a path for scanned files). */
export const SOURCE_COLUMN = '_Source';

export const DUCK_TYPES: Record<KqlType, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  long: 'BIGINT',
  real: 'DOUBLE',
  double: 'DOUBLE',
  decimal: 'DOUBLE',
  bool: 'BOOLEAN',
  datetime: 'TIMESTAMP',
  timespan: 'INTERVAL',
  dynamic: 'JSON',
  guid: 'VARCHAR',
};

export function duckType(type: KqlType): string {
  return DUCK_TYPES[type];
}

export type SchemaSet = Map<string, TableSchema>;

let cached: SchemaSet | undefined;

/** Loads every schemas/*.json (cached: schemas ship with the package and never change at run time). */
export function loadSchemas(dir: string = schemasDir): SchemaSet {
  if (dir === schemasDir && cached) return cached;
  const set: SchemaSet = new Map();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as TableSchema;
    set.set(schema.table, schema);
  }
  if (dir === schemasDir) cached = set;
  return set;
}

export function getSchema(table: string, schemas: SchemaSet = loadSchemas()): TableSchema {
  const schema = schemas.get(table);
  if (!schema) throw new Error(`unknown table ${table}: no schema in schemas/`);
  return schema;
}
