/**
 * Generic CSV importer: any table of indicators, with a column mapping (`value=ioc,type=kind,…`, by
 * header name or 1-based position) or, without one, headers recognised by their usual names. The
 * delimiter (`,` `;` tab) is the one the header line uses most. A row without a type column gets the
 * type its value has on its own.
 */
import { basename } from 'node:path';
import type { Indicator, ParseResult } from '../model.js';
import { parseCsvRecord } from '../../util/csv.js';
import { parseLines, type LineImporter } from './lines.js';
import {
  collectEntries,
  confidence,
  inferType,
  observable,
  tagList,
  text,
  timestamp,
  typeFromName,
  type Entry,
} from './fields.js';

export const CSV_FIELDS = [
  'value', 'type', 'port', 'threat_type', 'malware', 'confidence', 'first_seen', 'last_seen', 'expires',
  'tags', 'reference', 'source', 'reporter', 'description',
] as const; // prettier-ignore
export type CsvField = (typeof CSV_FIELDS)[number];

// Header names other tools use for each field (lowercase).
const ALIASES: Record<CsvField, string[]> = {
  value: ['value', 'ioc', 'ioc_value', 'indicator', 'observable', 'ioc value'],
  type: ['type', 'ioc_type', 'indicator_type', 'kind', 'ioc type'],
  port: ['port', 'dst_port'],
  threat_type: ['threat_type', 'threattype', 'threat type', 'category'],
  malware: ['malware', 'malware_printable', 'family', 'malware family'],
  confidence: ['confidence', 'confidence_level', 'confidencescore', 'score'],
  first_seen: ['first_seen', 'first_seen_utc', 'firstseen', 'first seen', 'valid_from'],
  last_seen: ['last_seen', 'last_seen_utc', 'lastseen', 'last seen'],
  expires: ['expires', 'expiration', 'valid_until', 'expirationdatetime'],
  tags: ['tags', 'labels'],
  reference: ['reference', 'ref', 'url_reference'],
  source: ['source', 'provider', 'feed'],
  reporter: ['reporter', 'author'],
  description: ['description', 'comment', 'context'],
};

/** `value=ioc,type=kind` → field → column name or 1-based index. Throws on unknown fields. */
export function parseColumnSpec(spec: string): Partial<Record<CsvField, string>> {
  const out: Partial<Record<CsvField, string>> = {};
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [field, column] = part.split('=').map((s) => s.trim());
    if (!(CSV_FIELDS as readonly string[]).includes(field!) || !column)
      throw new Error(
        `--columns: expected FIELD=COLUMN with FIELD one of ${CSV_FIELDS.join(', ')}; got ${JSON.stringify(part)}`,
      );
    out[field as CsvField] = column;
  }
  if (!out.value) throw new Error('--columns: value=COLUMN is required');
  return out;
}

function delimiterOf(line: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, line.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![0];
}

const dataLines = (lines: readonly string[], first = 1) =>
  lines.flatMap((l, n) => {
    const line = l.replace(/\r$/, '');
    return line.trim() && !line.startsWith('#') ? [{ line, n: first + n }] : [];
  });

/** Header index of each field: the mapping when given, else the recognised names. */
function resolveColumns(
  header: string[],
  mapping?: Partial<Record<CsvField, string>>,
): Partial<Record<CsvField, number>> {
  const lower = header.map((h) => h.trim().toLowerCase());
  const out: Partial<Record<CsvField, number>> = {};
  for (const field of CSV_FIELDS) {
    const wanted = mapping?.[field];
    if (wanted !== undefined) {
      const index = /^\d+$/.test(wanted) ? Number(wanted) - 1 : lower.indexOf(wanted.toLowerCase());
      if (index < 0 || (!/^\d+$/.test(wanted) && index >= header.length))
        throw new Error(`--columns: no column ${JSON.stringify(wanted)} in the header`);
      out[field] = index;
    } else if (!mapping) {
      const index = lower.findIndex((h) => ALIASES[field].includes(h));
      if (index >= 0) out[field] = index;
    }
  }
  return out;
}

/** A header line with a recognisable value column (auto-detection). */
export function looksLikeIndicatorCsv(raw: string): boolean {
  const first = dataLines(raw.slice(0, 8192).split('\n'))[0]?.line;
  if (!first) return false;
  const d = delimiterOf(first);
  try {
    const header = parseCsvRecord(first, { delimiter: d, trim: true });
    return header.length > 1 && resolveColumns(header).value !== undefined;
  } catch {
    return false;
  }
}

/**
 * CSV, chunk by chunk: the first data line sets the delimiter and (unless the mapping is all positions)
 * is the header. A header that does not resolve is one reject, and nothing after it imports.
 */
export function csvImporter(file: string, mapping?: Partial<Record<CsvField, string>>): LineImporter {
  const numeric = mapping && Object.values(mapping).every((c) => /^\d+$/.test(c!));
  const source = basename(file);
  let d: string | undefined;
  let columns: Partial<Record<CsvField, number>> | undefined;
  let failed = false;
  const toIndicator = (fields: string[]): Indicator => {
    const get = (f: CsvField) => (columns![f] === undefined ? undefined : text(fields[columns![f]!]));
    const value = get('value');
    if (value === undefined) throw new Error('empty value');
    const typeName = get('type');
    const type = typeName ? typeFromName(typeName, value) : inferType(value);
    if (!type)
      throw new Error(
        typeName
          ? `unsupported type ${JSON.stringify(typeName)}`
          : `cannot tell the type of ${JSON.stringify(value)}`,
      );
    const port = get('port');
    return {
      ...observable(
        port && (type === 'ipv4' || type === 'ipv6' || type === 'ip:port') ? 'ip:port' : type,
        value,
        port ? Number(port) : undefined,
      ),
      threatType: get('threat_type'),
      malware: get('malware'),
      confidence: confidence(get('confidence'), 'confidence'),
      firstSeen: timestamp(get('first_seen'), 'first_seen'),
      lastSeen: timestamp(get('last_seen'), 'last_seen'),
      expires: timestamp(get('expires'), 'expires'),
      tags: tagList(get('tags')),
      reference: get('reference'),
      source: get('source') ?? source,
      reporter: get('reporter'),
      context: get('description'),
    };
  };
  return {
    chunk(chunk, first) {
      let lines = dataLines(chunk, first);
      if (failed || lines.length === 0) return { indicators: [], rejects: [] };
      if (d === undefined) {
        const header = lines[0]!;
        d = delimiterOf(header.line);
        try {
          columns = numeric
            ? resolveColumns([], mapping)
            : resolveColumns(parseCsvRecord(header.line, { delimiter: d, trim: true }), mapping);
          if (columns.value === undefined) throw new Error('no value column (use --columns value=NAME)');
        } catch (err) {
          failed = true;
          return { indicators: [], rejects: [{ file, line: header.n, reason: (err as Error).message }] };
        }
        if (!numeric) lines = lines.slice(1);
      }
      const entries: Array<Entry<string[]>> = lines.map(({ line, n }) => {
        try {
          return { line: n, entry: parseCsvRecord(line, { delimiter: d, trim: true }) };
        } catch (err) {
          return { line: n, entry: (err as Error).message };
        }
      });
      return collectEntries(entries, file, toIndicator);
    },
  };
}

export function parseCsv(
  raw: string,
  file: string,
  mapping?: Partial<Record<CsvField, string>>,
): ParseResult {
  return parseLines(csvImporter(file, mapping), raw);
}
