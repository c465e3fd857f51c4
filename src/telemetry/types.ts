/** What every telemetry reader produces: rows for a Sentinel table, or rejects with a reason. */
import type { Row } from '../store/coerce.js';

export interface Reject {
  file: string;
  line: number;
  reason: string;
}

/** One file's account: records read = ingested + rejected; `ignored` counts header/comment/blank lines. */
export interface IngestLedger {
  file: string;
  format: string;
  /** Why it was taken as `format` (what detection saw, or "format given"). */
  detected?: string;
  read: number;
  ingested: number;
  rejected: Reject[];
  ignored: number;
  /** Why lines were ignored, where a reader says (blank, header, Suricata event types without a table). */
  ignoredReasons?: Record<string, number>;
  tables: Record<string, number>;
  /** The native table the file's events are stored in (store/native.ts), when DuckDB read it. */
  nativeTable?: string;
  /** A persistent store already held this content (under this path): nothing was loaded. */
  alreadyLoaded?: string;
  /** The file grew since it was loaded: reading resumed at this line. */
  resumedAt?: number;
}

export interface TableRow {
  table: string;
  row: Row;
  /** The reader already gave every value its column's type (CEF does): the ingest skips coercion. */
  typed?: boolean;
}

/** The log formats a reader exists for. */
export type LogFormat =
  | 'cef'
  | 'zeek-tsv'
  | 'zeek-json'
  | 'suricata-eve'
  | 'nfdump-csv'
  | 'sentinel-json'
  | 'sentinel-ndjson'
  | 'sentinel-csv';

export const LOG_FORMATS: readonly LogFormat[] = [
  'cef',
  'zeek-tsv',
  'zeek-json',
  'suricata-eve',
  'nfdump-csv',
  'sentinel-json',
  'sentinel-ndjson',
  'sentinel-csv',
];

/** A record that is not data (header, comment, blank line): counted as ignored, never as read. */
export const IGNORED = Symbol('ignored');

/**
 * What a record parser returns: rows (one record may feed several tables), a reject reason, or IGNORED.
 * Parsers never throw on bad input; the ingest loop still guards them.
 */
export type RecordResult = TableRow | TableRow[] | string | typeof IGNORED;

/** One input record: its text (null when it exceeded the size cap) and its 1-based first line. */
export interface SourceRecord {
  text: string | null;
  line: number;
}

/** A stateful per-file parser (Zeek TSV headers, CSV header, …): called once per record, in order. */
export type RecordParser = (text: string, line: number) => RecordResult;
