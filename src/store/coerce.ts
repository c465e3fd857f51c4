/**
 * Turns a reader's raw field values into values of the table's Kusto types, or says why it cannot.
 * Readers stay format-only; type rules live here once. Empty strings and '-' placeholders become null.
 */
import type { KqlType, TableSchema } from './schema.js';
import { epochMs, parseCefTime, parseIso, parseUsLocale, utcDate } from '../telemetry/time.js';

export type Row = Record<string, unknown>;

export class CoerceError extends Error {}

const NULLISH = new Set(['', '-', 'null', 'NULL', '(empty)']);

export function toIsoTimestamp(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'number') return epochToIso(value);
  const text = String(value).trim();
  if (NULLISH.has(text)) return null;
  if (/^\d+(\.\d+)?$/.test(text)) return epochToIso(Number(text));
  const date =
    parseIso(text) ??
    parseUsLocale(text) ??
    parseCefTime(text, new Date().getUTCFullYear()) ??
    parseLoose(text);
  if (!date) throw new CoerceError(`not a datetime: ${JSON.stringify(text.slice(0, 40))}`);
  return date.toISOString();
}

/** A zone at the end of a date text: `Z`, `UTC`, `GMT`, `+02:00`, `-0500`, or a US zone name (`EST`). */
const ZONE_AT_END = /(?:\b(?:Z|UTC|GMT|[ECMP][SD]T)|[+-]\d{2}:?\d{2})$/i;

/**
 * Other spellings (`Mon, 01 Jan 2024 10:00:00`, `2024-01-01`): Date.parse, which reads a zone-less
 * text in the machine's zone, so such a text is read as UTC — the answer must not depend on where the
 * hunt runs.
 */
function parseLoose(text: string): Date | null {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (dateOnly) return utcDate(+dateOnly[1], +dateOnly[2] - 1, +dateOnly[3]);
  const ms = Date.parse(ZONE_AT_END.test(text) ? text : `${text} UTC`);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Epoch seconds (Zeek), milliseconds (CEF rt) or microseconds, told apart by magnitude (time.ts epochMs). */
function epochToIso(n: number): string {
  const ms = epochMs(n);
  if (typeof ms === 'string') throw new CoerceError(`not a datetime: ${ms}`);
  return new Date(ms).toISOString();
}

function toInteger(value: unknown, type: KqlType): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CoerceError(`not a number: ${value}`);
    return Math.trunc(value);
  }
  const text = String(value).trim();
  if (NULLISH.has(text)) return null;
  if (!/^[+-]?\d+(\.0+)?$/.test(text))
    throw new CoerceError(`not an ${type}: ${JSON.stringify(text.slice(0, 40))}`);
  const n = Number(text);
  if (type === 'int' && (n > 2147483647 || n < -2147483648))
    throw new CoerceError(`int out of range: ${text}`);
  return n;
}

export function coerceValue(value: unknown, type: KqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
    case 'guid':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'int':
    case 'long':
      return toInteger(value, type);
    case 'real':
    case 'double':
    case 'decimal': {
      if (typeof value === 'number') return value;
      const text = String(value).trim();
      if (NULLISH.has(text)) return null;
      const n = Number(text);
      if (Number.isNaN(n)) throw new CoerceError(`not a real: ${JSON.stringify(text.slice(0, 40))}`);
      return n;
    }
    case 'bool': {
      if (typeof value === 'boolean') return value;
      const text = String(value).trim().toLowerCase();
      if (NULLISH.has(text)) return null;
      if (text === 'true' || text === '1' || text === 't') return true;
      if (text === 'false' || text === '0' || text === 'f') return false;
      throw new CoerceError(`not a bool: ${JSON.stringify(text.slice(0, 40))}`);
    }
    case 'datetime':
      return toIsoTimestamp(value);
    case 'timespan':
      return String(value);
    case 'dynamic':
      if (typeof value === 'string') {
        const text = value.trim();
        if (NULLISH.has(text)) return null;
        try {
          return JSON.parse(text);
        } catch {
          return text;
        }
      }
      return value;
  }
}

/**
 * Keeps only the schema's columns (plus `_Source`), typed. Unknown keys are dropped by design: the
 * reader decides what maps where (CEF keys without a column go to AdditionalExtensions).
 */
export function coerceRow(schema: TableSchema, row: Row): Row {
  const out: Row = {};
  for (const column of schema.columns) {
    const raw = row[column.name];
    if (raw === undefined) continue;
    try {
      const value = coerceValue(raw, column.type);
      if (value !== null) out[column.name] = value;
    } catch (err) {
      if (err instanceof CoerceError) throw new CoerceError(`${column.name}: ${err.message}`);
      throw err;
    }
  }
  if (row._Source !== undefined) out._Source = String(row._Source);
  return out;
}
