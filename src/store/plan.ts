/**
 * A load plan: how the lines of one log file become rows of Sentinel tables, said as data. Readers
 * (src/telemetry/) build a plan from what they know of their format; the store (bulk.ts) turns it into
 * one DuckDB query that reads the file itself, so no JavaScript runs per line. Readers never see SQL.
 *
 *   file line ─► fields (by JSON key path, or by column of a delimited line, each with a conversion)
 *             ─► route (which lines are data, which are ignored and why)
 *             ─► targets (per table: column ← expression over fields)
 *
 * A line whose fields do not all convert (a port that is not a number, invalid JSON, a Zeek `\x`
 * escape, a value the plan cannot express) is not guessed at: it is handed back to the caller with its
 * line number, and the format's JavaScript reader decides (ingest it, or reject it with the reason).
 */

/** How a field's text is read. A value that does not convert sends its line to the JavaScript reader. */
export type Conversion =
  | 'string'
  | 'int' // 32-bit
  | 'long'
  | 'real'
  | 'bool' // true/false, T/F, 1/0
  | 'datetime' // ISO 8601 (zone-less = UTC), epoch s/ms/µs by magnitude, portal `3/31/2022, 10:52:35 AM`
  | 'epoch' // epoch seconds with a fraction (Zeek `ts`)
  | 'dynamic' // a JSON value kept as JSON (JSON layout only; a JSON string goes to the reader)
  | 'list'; // JSON array of scalars, or a delimited set (`a,b`); empty list = null

export interface SourceField {
  /** The name expressions use. */
  name: string;
  /**
   * JSON layout: the key path from the record (`['flow', 'start']`); delimited layout: the 0-based
   * column; CEF layout: see LineLayout.
   */
  at: readonly string[] | number;
  as: Conversion;
}

export type LineLayout =
  | { kind: 'json' }
  | {
      kind: 'delimited';
      separator: string;
      /** Number of columns a data line must have (others go to the reader). */
      columns: number;
      /** Text meaning "no value" (Zeek `-`). */
      unset?: string;
      /** Text meaning "empty" (Zeek `(empty)`): '' for strings, [] for lists. */
      empty?: string;
      /** Separator inside list fields. */
      listSeparator?: string;
      /** Lines containing this text go to the reader (Zeek `\\`, which the SQL does not decode). */
      readerIfContains?: string;
      /** Values (and list items) decode Zeek's `\xHH` escapes, after the unset/empty tests. */
      unescape?: 'zeek';
    }
  /**
   * ArcSight CEF after an optional RFC 3164 header (`<pri>MMM dd HH:mm:ss host `), read by templates:
   * each is the exact sequence of extension keys of a kind of line (a firewall writes the same keys in
   * the same order on every line of one event type), so one regular expression cuts a whole line. Lines
   * that match no template, or have a `\` or rsyslog `#0nn` escape, a quoted value, or whitespace other
   * than spaces, go to the reader. Field `at`: extension keys (synonyms), `|1`…`|6` the header fields
   * after the version, `@host` / `@time` the syslog host and time (year `referenceYear`), `*` the pairs
   * no field reads, as `key=value;…`.
   */
  | { kind: 'cef'; referenceYear: number; templates: readonly (readonly string[])[] };

/** A value for a target column, computed from fields. */
export type Expr =
  | { field: string }
  | { const: string | number | boolean }
  /** Maps a field's text through a table; unknown values give `otherwise` (default null). */
  | { lookup: string; values: Readonly<Record<string, string | number>>; otherwise?: 'null' | 'same' }
  | { upper: string }
  /** Defender's LocalIPType / RemoteIPType of an address field (Public, Private, Loopback, …). */
  | { ipType: string }
  /** A datetime field plus a number of seconds from another field (Zeek ts + duration). */
  | { plusSeconds: [string, string] }
  | { coalesce: readonly Expr[] }
  /** The listed fields that have a value (not null, not '', not []), as a JSON object or `k=v;k=v`. */
  | { extras: readonly string[]; as: 'json' | 'kv' }
  /** The items of list fields, concatenated, joined by `,`; null when none. */
  | { joinLists: readonly string[] }
  /** The items of a list field that are IP addresses, joined by `,`; null when none (DNS answers). */
  | { ipsOf: string }
  /** A field's value as text (a number where the column is a string). */
  | { text: string };

export interface TableTarget {
  table: string;
  /** Only lines whose field has one of these values feed this table (default: every data line). */
  when?: { field: string; in: readonly string[] };
  columns: Readonly<Record<string, Expr>>;
}

export interface LoadPlan {
  layout: LineLayout;
  fields: readonly SourceField[];
  /** Lines starting with this text are headers/comments: ignored (Zeek `#`). Blank lines always are. */
  commentPrefix?: string;
  /**
   * Lines whose field is not one of `accept` are either ignored (counted by `reason` + value, e.g.
   * Suricata `http` events) or handed to the reader (a Sentinel row whose `Type` names another table).
   */
  route?: {
    field: string;
    accept: readonly string[];
    /** A missing value is accepted. */
    acceptNull?: boolean;
    otherwise: 'ignore' | 'reader';
    /** For 'ignore': the reason, with `{}` replaced by the value. */
    reason?: string;
  };
  targets: readonly TableTarget[];
  /**
   * JSON layout: key paths the plan does not read because a sample of the file never had them (a
   * Defender export fills 9 of DeviceNetworkEvents' 38 columns). A line with a value at one of them
   * goes to the reader, so nothing is dropped; the SQL converts only the keys the file has.
   */
  absent?: readonly (readonly string[])[];
  /**
   * JSON layout: the record may have no key beyond the fields' (top-level) keys; a line with another
   * key goes to the reader (Zeek JSON, whose keys the plan learnt from a sample of the file).
   */
  closedKeys?: boolean;
  /**
   * JSON layout: one native table per value of a field (Suricata's `event_type`), named
   * `<source>_<value>`, each with the `common` fields and its own; a line with any other value (or none)
   * goes to `<source>_other`: the common fields and the whole line as `_raw` JSON, so nothing is lost.
   * A target's `when` on this field may name only values that have a part.
   */
  partition?: {
    field: string;
    common: readonly string[];
    parts: Readonly<Record<string, readonly string[]>>;
  };
}

/** What the store did with a file under a plan. */
export interface LoadResult {
  /** Lines in the file. */
  lines: number;
  /** Data lines written to the targets. */
  ingested: number;
  /** Ignored lines by reason (blank, header/comment, event types without a mapping). */
  ignored: Record<string, number>;
  /** Lines the plan could not convert: the reader decides about them (line 1-based, raw text). */
  toReader: { line: number; text: string }[];
  /** Rows written per table (rows each view shows for this file). */
  tables: Record<string, number>;
  /** Rows written per native table (a partitioned plan: per event type). */
  stored: Record<string, number>;
  /** The file's tt_files id: its rows are visible once the caller completes it (native.ts). */
  fileId: number;
  /** The native table the data lines went to (a partitioned plan: those that took rows, `, `-joined). */
  native: string;
  /** Set when DuckDB's reader loaded the file straight into its native table (store/direct.ts). */
  direct?: true;
  /** Bytes of (decompressed) text the direct load read. */
  bytesRead?: number;
}

/** A LoadResult with nothing read yet. */
export function emptyLoadResult(fileId: number, native: string): LoadResult {
  return { lines: 0, ingested: 0, ignored: {}, toReader: [], tables: {}, stored: {}, fileId, native };
}

export const BLANK_REASON = 'blank line';
export const COMMENT_REASON = 'header or comment line';
