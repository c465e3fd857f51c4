/**
 * CEF reader: one line → one CommonSecurityLog row, or a reject reason. Never throws.
 *
 *   [syslog header] CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity|key=value key=value…
 *
 * Design: one left-to-right pass with charCodeAt, no backtracking regex over the line. The header is
 * split on unescaped `|` (`\|`, `\\` escapes); the extension is cut at "space + key + =" boundaries,
 * where a key is [A-Za-z0-9_.[\]-]+, so unescaped `=` inside a value (`msg=lang=en`) stays in the value.
 * Values are unescaped (`\=`, `\\`, `\n`, `\r`, `\|`), rsyslog control escapes (`#012`) are decoded,
 * surrounding whitespace and wrapping quotes are removed. Keys map to columns as Microsoft's connector
 * maps them (cef-fields.ts); a value that does not fit its column's type (`cn3=N/A`) and every unmapped
 * key go to AdditionalExtensions as `key=value` joined by `;`, so no input is lost and no line is
 * rejected for a vendor's quirk.
 */
import type { Row } from '../store/coerce.js';
import type { Conversion, Expr, LoadPlan, SourceField } from '../store/plan.js';
import type { KqlType, TableSchema } from '../store/schema.js';
import { CEF_KEY_COLUMNS } from './cef-fields.js';
import { parseSyslogHeader } from './syslog.js';
import { epochMs, parseCefTime } from './time.js';

export interface CefOptions {
  /** Year for timestamps that have none (RFC 3164 headers, `MMM dd HH:mm:ss`); default: this year. */
  referenceYear?: number;
}

export type CefResult = { row: Row } | { reason: string };

const HEADER_COLUMNS = [
  'DeviceVendor',
  'DeviceProduct',
  'DeviceVersion',
  'DeviceEventClassID',
  'Activity',
  'LogSeverity',
];

/** Column → Kusto type of CommonSecurityLog, injected once (the reader knows no store). */
let columnTypes: ReadonlyMap<string, KqlType> = new Map();

export function setCefSchema(schema: TableSchema): void {
  columnTypes = new Map(schema.columns.map((c) => [c.name, c.type]));
}

export function parseCefLine(line: string, options: CefOptions = {}): CefResult {
  try {
    return parse(line, options.referenceYear ?? new Date().getUTCFullYear());
  } catch (err) {
    return { reason: `CEF parser error: ${(err as Error).message}` };
  }
}

function parse(line: string, year: number): CefResult {
  const marker = line.indexOf('CEF:');
  if (marker === -1) return { reason: 'not CEF: no "CEF:" marker' };
  let p = marker + 4;
  while (line.charCodeAt(p) === 32) p++;
  const versionStart = p;
  while (isDigit(line.charCodeAt(p))) p++;
  if (p === versionStart) return { reason: 'not CEF: no version number after "CEF:"' };
  if (line.charCodeAt(p) !== 124) return { reason: 'not CEF: no "|" after the version' };

  const header: string[] = [];
  let start = p + 1;
  let escaped = false;
  for (let i = start; i < line.length && header.length < 6; i++) {
    const c = line.charCodeAt(i);
    if (c === 92 /* \ */) {
      escaped = true;
      i++;
    } else if (c === 124 /* | */) {
      header.push(escaped ? unescapeHeader(line.slice(start, i)) : line.slice(start, i));
      start = i + 1;
      escaped = false;
    }
  }
  if (header.length === 5 && start < line.length) {
    header.push(line.slice(start)); // severity ends the line: no extension
    start = line.length;
  } else if (header.length < 6)
    return { reason: `not CEF: header has ${header.length + (start < line.length ? 2 : 1)} of 7 fields` };

  const row: Row = { Type: 'CommonSecurityLog' };
  for (let h = 0; h < 6; h++) if (header[h] !== '') row[HEADER_COLUMNS[h]] = header[h];
  if (marker > 0) {
    const syslog = parseSyslogHeader(line.slice(0, marker), year);
    if (syslog.time) row.TimeGenerated = syslog.time;
    if (syslog.host) row.Computer = syslog.host;
  }
  const extras: string[] = [];
  readExtension(line, start, (key, value) => mapPair(row, extras, key, value, year));
  if (extras.length > 0) row.AdditionalExtensions = extras.join(';');
  const badEpoch = outOfRangeEpoch(row.ReceiptTime);
  if (badEpoch) return { reason: `rt: ${badEpoch}` };
  return { row };
}

/** An epoch `rt` no date can be (year 9999 in ms read as 1978 before): the line is a reject. */
function outOfRangeEpoch(rt: unknown): string | undefined {
  if (typeof rt !== 'string' || !/^\d+(\.\d+)?$/.test(rt.trim())) return undefined;
  const ms = epochMs(Number(rt));
  return typeof ms === 'string' ? ms : undefined;
}

function mapPair(row: Row, extras: string[], key: string, value: string, year: number): void {
  const column = CEF_KEY_COLUMNS.get(key);
  if (column === undefined || row[column] !== undefined) {
    extras.push(`${key}=${value}`);
    return;
  }
  if (value === '') return;
  if (column === 'ReceiptTime') {
    row.ReceiptTime = value; // a string column: Sentinel keeps rt as sent
    const time = parseCefTime(value, year);
    if (time) row.TimeGenerated = time; // rt wins over the syslog header's time
    return;
  }
  const typed = typedValue(value, columnTypes.get(column) ?? 'string', year);
  if (typed === undefined) extras.push(`${key}=${value}`);
  else row[column] = typed;
}

/** The value in its column's type, or undefined when it does not fit (it then goes to AdditionalExtensions). */
function typedValue(value: string, type: KqlType, year: number): unknown {
  switch (type) {
    case 'int':
    case 'long': {
      if (!isInteger(value)) return undefined;
      const n = Number(value);
      if (type === 'int' ? n > 2147483647 || n < -2147483648 : !Number.isSafeInteger(n)) return undefined;
      return n;
    }
    case 'real':
    case 'double':
    case 'decimal': {
      const n = Number(value);
      return Number.isFinite(n) && value.trim() !== '' ? n : undefined;
    }
    case 'datetime':
      return parseCefTime(value, year) ?? undefined;
    default:
      return value;
  }
}

function isInteger(text: string): boolean {
  let i = text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43 ? 1 : 0;
  if (i >= text.length || text.length > 20) return false;
  for (; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** [A-Za-z0-9_.[\]-] */
function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 46 ||
    c === 45 ||
    c === 91 ||
    c === 93
  );
}

/** If a key and `=` start at `at`, the index of the `=`; else -1. */
function keyEnd(text: string, at: number): number {
  let m = at;
  while (m < text.length && isKeyChar(text.charCodeAt(m))) m++;
  return m > at && text.charCodeAt(m) === 61 ? m : -1;
}

/**
 * Cuts `key=value` pairs from text[from..]. Linear: each character is looked at a bounded number of
 * times, whatever the input. Text before the first key (not valid CEF) is kept under the key `_unparsed`.
 */
export function readExtension(
  text: string,
  from: number,
  onPair: (key: string, value: string) => void,
): void {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  let keyStart = i;
  let eq = keyEnd(text, i);
  if (eq === -1) {
    // find the first real key; what comes before it is not a pair
    let j = i;
    for (; j < text.length; j++) {
      if (text.charCodeAt(j) === 32 && (eq = keyEnd(text, j + 1)) !== -1) break;
    }
    const junk = cleanValue(text.slice(i, j));
    if (junk !== '') onPair('_unparsed', junk);
    if (eq === -1) return;
    keyStart = j + 1;
  }
  for (;;) {
    const key = text.slice(keyStart, eq);
    const valueStart = eq + 1;
    let next = -1;
    let j = valueStart;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 92 /* \ */) j += 2;
      else if (c === 32) {
        const e = keyEnd(text, j + 1);
        if (e !== -1) {
          next = e;
          break;
        }
        j++;
        while (j < text.length && isKeyChar(text.charCodeAt(j))) j++; // already known not to be a key
      } else j++;
    }
    const end = next === -1 ? text.length : j;
    onPair(key, cleanValue(text.slice(valueStart, Math.min(end, text.length))));
    if (next === -1) return;
    keyStart = j + 1;
    eq = next;
  }
}

function cleanValue(raw: string): string {
  let value = raw.indexOf('\\') !== -1 || raw.indexOf('#0') !== -1 ? unescapeValue(raw) : raw;
  value = value.trim();
  const q = value.charCodeAt(0);
  if ((q === 34 || q === 39) && value.length >= 2 && value.charCodeAt(value.length - 1) === q) {
    const inner = value.slice(1, -1);
    if (inner.indexOf(value[0]) === -1) value = inner;
  }
  return value;
}

/** `\=`, `\\`, `\|`, `\n`, `\r` and rsyslog's `#000`–`#037` control escapes; other `\x` stay as written. */
function unescapeValue(raw: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92 && i + 1 < raw.length) {
      const n = raw[i + 1];
      const rep = n === '=' || n === '\\' || n === '|' ? n : n === 'n' ? '\n' : n === 'r' ? '\r' : undefined;
      if (rep !== undefined) {
        out += raw.slice(last, i) + rep;
        last = i + 2;
      }
      i++;
    } else if (c === 35 /* # */ && i + 3 < raw.length && raw.charCodeAt(i + 1) === 48) {
      const d2 = raw.charCodeAt(i + 2) - 48;
      const d3 = raw.charCodeAt(i + 3) - 48;
      if (d2 >= 0 && d2 <= 3 && d3 >= 0 && d3 <= 7) {
        out += raw.slice(last, i) + String.fromCharCode(d2 * 8 + d3);
        last = i + 4;
        i += 3;
      }
    }
  }
  return last === 0 ? raw : out + raw.slice(last);
}

function unescapeHeader(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && (raw[i + 1] === '|' || raw[i + 1] === '\\')) out += raw[++i];
    else out += c;
  }
  return out;
}

/** Writes a value so that readExtension gives it back (used by tests and exporters). */
export function escapeCefValue(value: string): string {
  return value.replace(/[\\=\n\r]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`));
}

export function escapeCefHeader(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`);
}

// ---- CEF as a LoadPlan (DuckDB reads the file; see store/plan.ts, layout 'cef') ----

/** The extension keys of a CEF line, in order (undefined when it is not CEF). */
function extensionKeys(line: string): string[] | undefined {
  const marker = line.indexOf('CEF:');
  if (marker === -1) return undefined;
  let pipes = 0;
  let i = marker;
  for (; i < line.length && pipes < 7; i++) {
    const c = line.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 124) pipes++;
  }
  if (pipes !== 7) return undefined;
  const keys: string[] = [];
  readExtension(line, i, (key) => keys.push(key));
  return keys;
}

const CONVERSION: Partial<Record<KqlType, Conversion>> = {
  int: 'int',
  long: 'long',
  real: 'real',
  double: 'real',
  decimal: 'real',
  datetime: 'datetime',
};

/** Templates kept per file: the key sequences most frequent in its first lines. */
const MAX_TEMPLATES = 8;

/**
 * The plan for a CEF file (LineLayout 'cef'): its templates are the key sequences of its first lines
 * (a key seen twice, or with its synonym, makes no template); a line that matches none, or that the SQL
 * does not read the plain way, goes to parseCefLine. Same mapping as parseCefLine: header fields, syslog
 * host and time, `rt` (ReceiptTime as sent, and TimeGenerated), the other pairs in AdditionalExtensions.
 */
export function cefPlan(schema: TableSchema, sample: readonly string[], referenceYear: number): LoadPlan {
  const types = new Map(schema.columns.map((c) => [c.name, c.type]));
  const counts = new Map<string, { keys: string[]; n: number }>();
  for (const line of sample) {
    const keys = extensionKeys(line);
    if (keys === undefined) continue;
    const columns = keys.map((k) => CEF_KEY_COLUMNS.get(k)).filter((c) => c !== undefined);
    if (new Set(keys).size !== keys.length || new Set(columns).size !== columns.length) continue;
    const id = keys.join(' ');
    const entry = counts.get(id) ?? { keys, n: 0 };
    entry.n++;
    counts.set(id, entry);
  }
  const templates = [...counts.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, MAX_TEMPLATES)
    .map((t) => t.keys);
  const byColumn = new Map<string, string[]>();
  for (const key of new Set(templates.flat())) {
    const column = CEF_KEY_COLUMNS.get(key);
    if (column !== undefined && types.has(column))
      byColumn.set(column, [...(byColumn.get(column) ?? []), key]);
  }
  const fields: SourceField[] = HEADER_COLUMNS.map((name, i) => ({ name, at: [`|${i + 1}`], as: 'string' }));
  fields.push({ name: 'Computer', at: ['@host'], as: 'string' });
  fields.push({ name: '@time', at: ['@time'], as: 'datetime' });
  for (const [column, keys] of byColumn) {
    const as = column === 'ReceiptTime' ? 'string' : (CONVERSION[types.get(column)!] ?? 'string');
    fields.push({ name: column, at: keys, as });
    if (column === 'ReceiptTime') fields.push({ name: '@rt', at: keys, as: 'datetime' });
  }
  fields.push({ name: '@extras', at: ['*'], as: 'string' });
  const columns: Record<string, Expr> = {};
  for (const f of fields) if (!f.name.startsWith('@')) columns[f.name] = { field: f.name };
  const rt: Expr[] = byColumn.has('ReceiptTime') ? [{ field: '@rt' }] : [];
  columns.TimeGenerated = { coalesce: [...rt, { field: '@time' }] };
  columns.AdditionalExtensions = { field: '@extras' };
  columns.Type = { const: 'CommonSecurityLog' };
  return {
    layout: { kind: 'cef', referenceYear, templates },
    fields,
    targets: [{ table: 'CommonSecurityLog', columns }],
  };
}
