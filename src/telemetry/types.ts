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
  read: number;
  ingested: number;
  rejected: Reject[];
  ignored: number;
  tables: Record<string, number>;
}

export interface TableRow {
  table: string;
  row: Row;
}
