/**
 * Rows exported from Sentinel / Defender (JSON array, NDJSON, CSV) back into their table.
 *
 * Which table: a row's own `Type` column; else the caller's table; else the file name
 * (`DeviceNetworkEvents.json`, `dns_events.csv`); else the columns of the first record
 * (RemoteIP+ActionType → DeviceNetworkEvents, SHA256+FolderPath → DeviceFileEvents, Name+QueryType →
 * DnsEvents, DeviceVendor or DestinationIP → CommonSecurityLog).
 * Values: portal timestamps (`3/31/2022, 10:52:35.857 AM`, UTC) and zone-less ISO (UTC) become times;
 * Defender's `Timestamp` and Sentinel's `TimeGenerated` fill each other when one is missing; numbers in
 * string columns become strings (the coercer's rule). Keys that are not columns are dropped.
 */
import { basename } from 'node:path';
import type { Row } from '../store/coerce.js';
import type { Conversion, Expr, LoadPlan, SourceField } from '../store/plan.js';
import type { KqlType, SchemaSet, TableSchema } from '../store/schema.js';
import { parseCsvRecord } from '../util/csv.js';
import { isBlank, parseJsonObject } from './text.js';
import { parseIso, parseUsLocale } from './time.js';
import { IGNORED, type RecordParser, type RecordResult } from './types.js';

export type ExportFormat = 'sentinel-json' | 'sentinel-ndjson' | 'sentinel-csv';

export interface ExportOptions {
  schemas: SchemaSet;
  /** Table for rows without a `Type` column. */
  table?: string;
  /** The file's path, to infer the table from its name. */
  fileName?: string;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The table whose name the file name contains (`dns_events.csv` → DnsEvents); the longest name wins. */
export function tableFromFileName(path: string, schemas: SchemaSet): string | undefined {
  const name = squash(basename(path).replace(/\.[^.]*$/, ''));
  let best: string | undefined;
  for (const table of schemas.keys()) {
    if (name.includes(squash(table)) && (!best || table.length > best.length)) best = table;
  }
  return best;
}

/** Columns that tell the tables apart when nothing else does. */
export function tableFromColumns(columns: Iterable<string>): string | undefined {
  const has = new Set(columns);
  if (has.has('RemoteIP') && has.has('ActionType')) return 'DeviceNetworkEvents';
  if (has.has('SHA256') && has.has('FolderPath')) return 'DeviceFileEvents';
  if (has.has('Name') && has.has('QueryType')) return 'DnsEvents';
  if (has.has('DeviceVendor') || has.has('DestinationIP')) return 'CommonSecurityLog';
  return undefined;
}

/** A portal / API timestamp as a Date; null if it is none of the known shapes. */
export function parseExportTime(text: string): Date | null {
  const t = text.trim();
  return t.includes('/') ? parseUsLocale(t) : parseIso(t);
}

export function sentinelExportParser(format: ExportFormat, options: ExportOptions): RecordParser {
  const { schemas } = options;
  let fallback: string | undefined | null = options.table; // null: tried and found nothing
  if (fallback !== undefined && !schemas.has(fallback)) {
    const bad = fallback;
    return () => `unknown table "${bad}": no schema in schemas/`;
  }
  if (fallback === undefined && options.fileName) fallback = tableFromFileName(options.fileName, schemas);

  const toRow = (obj: Record<string, unknown>): RecordResult => {
    let table: string | undefined;
    const type = obj.Type;
    if (typeof type === 'string' && type !== '') {
      if (!schemas.has(type)) return `unknown table "${type.slice(0, 60)}" in the Type column`;
      table = type;
    } else {
      if (fallback === undefined) fallback = tableFromColumns(Object.keys(obj)) ?? null;
      if (!fallback)
        return 'cannot tell the table: no Type column, no table given, and neither file name nor columns match one';
      table = fallback;
    }
    const schema = schemas.get(table)!;
    const row: Row = {};
    for (const column of schema.columns) {
      const value = obj[column.name];
      if (value === undefined || value === null) continue;
      if (column.type === 'datetime' && typeof value === 'string') {
        const time = parseExportTime(value);
        row[column.name] = time ?? value; // an unknown shape: the coercer rejects it with the column name
      } else row[column.name] = value;
    }
    if (row.TimeGenerated === undefined && row.Timestamp === undefined && obj.Timestamp !== undefined) {
      // tables without a Timestamp column (CommonSecurityLog) exported from Defender
      row.TimeGenerated =
        typeof obj.Timestamp === 'string' ? (parseExportTime(obj.Timestamp) ?? obj.Timestamp) : obj.Timestamp;
    }
    if (row.TimeGenerated === undefined && row.Timestamp !== undefined) row.TimeGenerated = row.Timestamp;
    if (
      row.Timestamp === undefined &&
      row.TimeGenerated !== undefined &&
      schema.columns.some((c) => c.name === 'Timestamp')
    )
      row.Timestamp = row.TimeGenerated;
    if (row.Type === undefined && schema.columns.some((c) => c.name === 'Type')) row.Type = table;
    return { table, row };
  };

  if (format === 'sentinel-csv') {
    let header: string[] | undefined;
    return (text) => {
      if (isBlank(text)) return IGNORED;
      let fields: (string | null)[];
      try {
        fields = parseCsvRecord(text, { nulls: true });
      } catch (err) {
        return `CSV: ${(err as Error).message}`;
      }
      if (!header) {
        header = fields.map((f) => (f ?? '').trim());
        return IGNORED;
      }
      if (fields.length !== header.length)
        return `CSV: ${fields.length} fields, the header has ${header.length}`;
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) if (fields[i] !== null) obj[header[i]] = fields[i];
      return toRow(obj);
    };
  }
  return (text) => {
    if (isBlank(text)) return IGNORED;
    const obj = parseJsonObject(text);
    return typeof obj === 'string' ? obj : toRow(obj);
  };
}

const CONVERSIONS: Record<KqlType, Conversion> = {
  string: 'string',
  guid: 'string',
  timespan: 'string',
  int: 'int',
  long: 'long',
  real: 'real',
  double: 'real',
  decimal: 'real',
  bool: 'bool',
  datetime: 'datetime',
  dynamic: 'dynamic',
};

/**
 * The LoadPlan for NDJSON rows of one table: every column by its name, Timestamp and TimeGenerated
 * filling each other, Type defaulting to the table. Rows whose `Type` names another table go to the
 * JavaScript parser (sentinelExportParser), which routes them. With `keys` (the keys a sample of the
 * file has), only those columns are read and converted; a line with a value for another column goes to
 * the JavaScript parser, so the restriction changes the speed, never the rows.
 */
export function sentinelNdjsonPlan(schema: TableSchema, keys?: ReadonlySet<string>): LoadPlan {
  const names = new Set(schema.columns.map((c) => c.name));
  const always = new Set(['Timestamp', 'TimeGenerated', 'Type']);
  const read = (name: string) => !keys || keys.has(name) || always.has(name);
  const fields: SourceField[] = schema.columns
    .filter((c) => read(c.name))
    .map((c) => ({ name: c.name, at: [c.name], as: CONVERSIONS[c.type] }));
  if (!names.has('Timestamp')) fields.push({ name: 'Timestamp', at: ['Timestamp'], as: 'datetime' });
  if (!names.has('Type')) fields.push({ name: 'Type', at: ['Type'], as: 'string' });
  const columns: Record<string, Expr> = {};
  for (const c of schema.columns) if (read(c.name)) columns[c.name] = { field: c.name };
  if (names.has('TimeGenerated'))
    columns.TimeGenerated = { coalesce: [{ field: 'TimeGenerated' }, { field: 'Timestamp' }] };
  if (names.has('Timestamp'))
    columns.Timestamp = { coalesce: [{ field: 'Timestamp' }, { field: 'TimeGenerated' }] };
  if (names.has('Type')) columns.Type = { coalesce: [{ field: 'Type' }, { const: schema.table }] };
  return {
    layout: { kind: 'json' },
    fields,
    route: { field: 'Type', accept: [schema.table], acceptNull: true, otherwise: 'reader' },
    targets: [{ table: schema.table, columns }],
    absent: schema.columns.filter((c) => !read(c.name)).map((c) => [c.name]),
  };
}

/** The table NDJSON rows go to, from the first record (its Type, the caller's table, the file name, its columns). */
export function ndjsonTable(
  firstRecord: Record<string, unknown>,
  options: ExportOptions,
): string | undefined {
  const type = firstRecord.Type;
  if (typeof type === 'string' && options.schemas.has(type)) return type;
  if (options.table !== undefined) return options.schemas.has(options.table) ? options.table : undefined;
  return (
    (options.fileName ? tableFromFileName(options.fileName, options.schemas) : undefined) ??
    tableFromColumns(Object.keys(firstRecord))
  );
}
