/**
 * ThreatFox (abuse.ch) importers: the API response (`{query_status, data: [...]}`), the JSON export
 * (`{"<ioc id>": [{...}]}`) and the CSV export. All three map onto one normalised entry, so the
 * field rules (type names, timestamps, confidence, tags) live in `toIndicator` only.
 */
import type { Indicator, IndicatorType, ParseResult } from '../model.js';
import { objectLines } from '../json-lines.js';
import { parseCsvRecord } from '../../util/csv.js';
import { parseLines, type LineImporter } from './lines.js';
import {
  collectEntries,
  confidence,
  isObject,
  observable,
  tagList,
  text,
  timestamp,
  type Entry,
} from './fields.js';

export type { IntelReject, ParseResult } from '../model.js';

export const THREATFOX_SOURCE = 'ThreatFox';

/** The fields every ThreatFox format carries, under one set of names. */
interface ThreatFoxEntry {
  id?: string;
  ioc?: unknown;
  iocType?: unknown;
  threatType?: unknown;
  malware?: unknown;
  malwarePrintable?: unknown;
  confidence?: unknown;
  firstSeen?: unknown;
  lastSeen?: unknown;
  reference?: unknown;
  tags?: unknown;
  isCompromised?: unknown;
  aliases?: unknown;
  reporter?: unknown;
}

/** The keys that differ between the API's `data[]` objects and the JSON export's. */
interface JsonKeys {
  ioc: string;
  firstSeen: string;
  lastSeen: string;
}
const API_KEYS: JsonKeys = { ioc: 'ioc', firstSeen: 'first_seen', lastSeen: 'last_seen' };
const EXPORT_KEYS: JsonKeys = { ioc: 'ioc_value', firstSeen: 'first_seen_utc', lastSeen: 'last_seen_utc' };

/** One IOC object of the API or the JSON export, as an entry. */
function jsonEntry(d: Record<string, unknown>, id: string | undefined, keys: JsonKeys): ThreatFoxEntry {
  return {
    id,
    ioc: d[keys.ioc],
    iocType: d.ioc_type,
    threatType: d.threat_type,
    malware: d.malware,
    malwarePrintable: d.malware_printable,
    confidence: d.confidence_level,
    firstSeen: d[keys.firstSeen],
    lastSeen: d[keys.lastSeen],
    reference: d.reference,
    tags: d.tags,
    isCompromised: d.is_compromised,
    aliases: d.malware_alias,
    reporter: d.reporter,
  };
}

const IOC_TYPES: Record<string, IndicatorType> = {
  'ip:port': 'ip:port',
  domain: 'domain',
  url: 'url',
  md5_hash: 'md5',
  sha1_hash: 'sha1',
  sha256_hash: 'sha256',
};

function toIndicator(e: ThreatFoxEntry): Indicator {
  const ioc = text(e.ioc);
  const iocType = text(e.iocType);
  if (ioc === undefined) throw new Error('missing IOC value');
  if (iocType === undefined) throw new Error('missing ioc_type');
  const type = IOC_TYPES[iocType.toLowerCase()];
  if (!type) throw new Error(`unsupported ioc_type ${JSON.stringify(iocType)}`);

  const tags = tagList(e.tags) ?? [];
  if (/^(1|true)$/i.test(text(e.isCompromised) ?? '')) tags.push('is_compromised');

  const { value, port } = observable(type, ioc);
  return {
    type,
    value,
    port,
    threatType: text(e.threatType),
    malware: text(e.malwarePrintable) ?? text(e.malware),
    malwareId: text(e.malware),
    confidence: confidence(e.confidence, 'confidence_level'),
    malwareAliases: tagList(e.aliases),
    reporter: text(e.reporter),
    firstSeen: timestamp(e.firstSeen, 'first_seen'),
    lastSeen: timestamp(e.lastSeen, 'last_seen'),
    source: THREATFOX_SOURCE,
    reference: text(e.reference),
    tags: tags.length ? tags : undefined,
    externalId: e.id,
  };
}

function collect(entries: Array<Entry<ThreatFoxEntry>>, file: string): ParseResult {
  return collectEntries(entries, file, toIndicator);
}

// ---- API response ------------------------------------------------------------------------------

export function isThreatFoxApi(json: unknown): boolean {
  return isObject(json) && 'query_status' in json;
}

export function parseThreatFoxApi(json: unknown, raw: string, file: string): ParseResult {
  if (!isObject(json) || !('query_status' in json)) {
    return { indicators: [], rejects: [{ file, line: 1, reason: 'not a ThreatFox API response' }] };
  }
  // "no_result" comes with a string in `data`: a valid, empty answer.
  if (!Array.isArray(json.data)) {
    if (json.query_status === 'ok')
      return { indicators: [], rejects: [{ file, line: 1, reason: 'data is not an array' }] };
    return { indicators: [], rejects: [] };
  }
  const lines = objectLines(raw, 2, 'data');
  let next = 0;
  const entries = json.data.map((d: unknown) => {
    if (!isObject(d)) return { entry: 'entry is not an object', line: lines[next - 1] ?? 1 };
    const line = lines[next++] ?? 1;
    return {
      line,
      entry: jsonEntry(d, text(d.id), API_KEYS),
    };
  });
  return collect(entries, file);
}

// ---- JSON export ------------------------------------------------------------------------------

/** `{"1234": [{ "ioc_value": ..., "ioc_type": ... }], ...}` */
export function isThreatFoxExport(json: unknown): boolean {
  if (!isObject(json)) return false;
  const first = Object.values(json)[0];
  return Array.isArray(first) && isObject(first[0]) && 'ioc_value' in first[0];
}

export function parseThreatFoxExport(json: unknown, raw: string, file: string): ParseResult {
  if (!isObject(json))
    return { indicators: [], rejects: [{ file, line: 1, reason: 'not a ThreatFox JSON export' }] };
  const lines = objectLines(raw, 2);
  let next = 0;
  const entries: Array<Entry<ThreatFoxEntry>> = [];
  for (const [id, list] of Object.entries(json)) {
    for (const d of Array.isArray(list) ? list : [list]) {
      if (!isObject(d)) {
        entries.push({ entry: `entry ${id} is not an object`, line: lines[next - 1] ?? 1 });
        continue;
      }
      entries.push({
        line: lines[next++] ?? 1,
        entry: jsonEntry(d, id, EXPORT_KEYS),
      });
    }
  }
  return collect(entries, file);
}

// ---- CSV export -------------------------------------------------------------------------------

/** Current export columns; exports before `is_compromised` was added have 14. */
export const THREATFOX_CSV_COLUMNS = [
  'first_seen_utc',
  'ioc_id',
  'ioc_value',
  'ioc_type',
  'threat_type',
  'fk_malware',
  'malware_alias',
  'malware_printable',
  'last_seen_utc',
  'confidence_level',
  'is_compromised',
  'reference',
  'tags',
  'anonymous',
  'reporter',
];

const OLD_CSV_COLUMNS = THREATFOX_CSV_COLUMNS.filter((c) => c !== 'is_compromised');
const CSV_HEADER = /^#\s*"first_seen_utc"\s*,/;

/** The header comment line, or (headerless) a first record of 14/15 quoted fields opening with a date. */
export function looksLikeThreatFoxCsv(text: string): boolean {
  const lines = text.slice(0, 8192).split('\n');
  if (lines.some((l) => CSV_HEADER.test(l))) return true;
  const first = lines.find((l) => l.trim() && !l.startsWith('#'));
  if (!first || !/^"\d{4}-\d{2}-\d{2}/.test(first)) return false;
  try {
    const n = parseCsvRecord(first.replace(/\r$/, ''), { trim: true }).length;
    return n === 14 || n === 15;
  } catch {
    return false;
  }
}

/** The CSV export, chunk by chunk: the `#` header comment (if any) names the columns for what follows. */
export function threatFoxCsvImporter(file: string): LineImporter {
  let columns: string[] | undefined;
  return {
    chunk(lines, first) {
      const entries: Array<Entry<ThreatFoxEntry>> = [];
      for (let k = 0; k < lines.length; k++) {
        const line = lines[k]!.replace(/\r$/, '');
        const n = first + k;
        if (!line.trim()) continue;
        if (line.startsWith('#')) {
          if (CSV_HEADER.test(line))
            try {
              columns = parseCsvRecord(line.replace(/^#\s*/, ''), { trim: true });
            } catch (err) {
              entries.push({ entry: `column header: ${(err as Error).message}`, line: n });
            }
          continue;
        }
        let fields: string[];
        try {
          fields = parseCsvRecord(line, { trim: true });
        } catch (err) {
          entries.push({ entry: (err as Error).message, line: n });
          continue;
        }
        const cols = columns ?? (fields.length === 14 ? OLD_CSV_COLUMNS : THREATFOX_CSV_COLUMNS);
        if (fields.length !== cols.length) {
          entries.push({ entry: `expected ${cols.length} fields, found ${fields.length}`, line: n });
          continue;
        }
        const r: Record<string, string | undefined> = {};
        for (let c = 0; c < cols.length; c++) r[cols[c]!] = fields[c];
        entries.push({
          line: n,
          entry: {
            id: text(r.ioc_id),
            ioc: r.ioc_value,
            iocType: r.ioc_type,
            threatType: r.threat_type,
            malware: r.fk_malware,
            malwarePrintable: r.malware_printable,
            confidence: r.confidence_level,
            firstSeen: r.first_seen_utc,
            lastSeen: r.last_seen_utc,
            reference: r.reference,
            tags: r.tags,
            isCompromised: r.is_compromised,
            aliases: r.malware_alias,
            reporter: r.reporter,
          },
        });
      }
      return collect(entries, file);
    },
  };
}

export function parseThreatFoxCsv(raw: string, file: string): ParseResult {
  return parseLines(threatFoxCsvImporter(file), raw);
}
