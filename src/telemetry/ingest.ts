/**
 * Ingest: file → detected format → reader → typed rows → store, with a ledger that accounts for every
 * record: read = ingested + rejected (file, 1-based line, reason); header, comment and blank lines are
 * `ignored`. A bad line never stops the file, a bad file never throws: it gets a file-level reject
 * (line 0, counted as one record read). Rows carry `_Source` = `<path as given>:<line>`.
 *
 * Streaming: lines come a chunk at a time (lines.ts), rows are buffered per table and flushed to the
 * store every `batchRows` rows, so memory stays flat whatever the file size. If the store refuses a
 * batch, the batch is split in halves until the offending rows are found and rejected.
 */
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import type { Store } from '../store/db.js';
import { CoerceError, type Row } from '../store/coerce.js';
import { SOURCE_COLUMN } from '../store/schema.js';
import { cefPlan, parseCefLine, setCefSchema } from './cef.js';
import { CsvRecordJoiner } from '../util/csv.js';
import { eachArchiveMember } from './archive-logs.js';
import { detectFile, isLogFormat, type Detection } from './detect.js';
import { JsonArraySplitter } from './json-array.js';
import { MAX_LINE_BYTES, openInput, readLineBatches } from '../util/lines.js';
import { clipReason } from '../util/reason.js';
import {
  ndjsonTable,
  sentinelExportParser,
  sentinelNdjsonPlan,
  type ExportFormat,
} from './sentinel-export.js';
import type { LoadPlan, LoadResult } from '../store/plan.js';
import { nfdumpParser, nfdumpPlan } from './nfdump.js';
import { planParser } from './plan-reader.js';
import { suricataPlan } from './suricata.js';
import { isBlank, parseJsonObject } from './text.js';
import { rowCoercer, type RowCoercer } from './typed.js';
import {
  IGNORED,
  LOG_FORMATS,
  type IngestLedger,
  type LogFormat,
  type RecordParser,
  type SourceRecord,
  type TableRow,
} from './types.js';
import { errCode as errorText, walkPaths, type Skipped, type WalkOptions } from '../util/walk.js';
import { identify, type Identity } from './datasets.js';
import {
  zeekJsonParser,
  zeekJsonPlan,
  zeekLogName,
  zeekPathFromName,
  zeekTsvParser,
  zeekTsvPlan,
  type ConnTable,
} from './zeek.js';

export interface IngestOptions {
  /** Skip detection and read every file as this format. */
  format?: string;
  /** Table for Sentinel exports whose rows have no `Type` column. */
  table?: string;
  /** Year for timestamps without one (RFC 3164 syslog, CEF `MMM dd HH:mm:ss`); default: this year. */
  referenceYear?: number;
  /** Sensor name for Zeek rows (DeviceName / Computer). */
  sensor?: string;
  /** Tables a Zeek conn record feeds (default both). */
  connTables?: readonly ConnTable[];
  /** Rows buffered before a store insert (default 50,000). */
  batchRows?: number;
  /** Longest line accepted, in bytes (default 1 MiB). */
  maxLineBytes?: number;
  /** How folders are walked (links out of the given folders, pseudo file systems). */
  walk?: WalkOptions;
  /** Bytes of a file DuckDB stages at once (default 32 MiB): bounds the memory of one load. */
  chunkBytes?: number;
  /** Called as a file is read (after each staged piece). */
  onProgress?: (progress: IngestProgress) => void;
}

/** How far the ingest of one file is: lines read so far (from the file's start), bytes read. */
export interface IngestProgress {
  file: string;
  lines: number;
  bytes: number;
}

/** Data lines sampled from a file's first chunk to choose what the SQL plan reads. */
const SAMPLE_LINES = 1000;
/** After this many rows refused one by one, the rest of a refused batch is rejected wholesale. */
const MAX_BISECT_REJECTS = 1000;

export async function ingestFile(
  store: Store,
  path: string,
  options: IngestOptions = {},
): Promise<IngestLedger> {
  let plain = path;
  let detection: Detection;
  try {
    plain = await plainText(store, path);
    detection = await detectFile(plain, options.format);
  } catch (err) {
    dropCopy(plain, path);
    return fileReject(path, options.format ?? 'unknown', `unreadable file: ${errorText(err)}`);
  }
  try {
    return await ingestDetected(store, plain, detection, options, path);
  } finally {
    dropCopy(plain, path);
  }
}

const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/**
 * The file's text: the file itself, or for zstd content (magic 28 B5 2F FD, whatever the name) a copy
 * that DuckDB decompresses into the store's staging folder (dropCopy deletes it).
 */
async function plainText(store: Store, path: string): Promise<string> {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, head, 0, 4, 0) !== 4 || !head.equals(ZSTD_MAGIC)) return path;
  } finally {
    closeSync(fd);
  }
  return store.decompressZstd(path);
}

function dropCopy(plain: string, path: string): void {
  if (plain !== path) rmSync(plain, { force: true });
}

export interface IngestPathsResult {
  ledgers: IngestLedger[];
  /** Files that are not logs (binaries, unknown text): the caller scans them. */
  unrecognised: string[];
  /** Why each unrecognised file is not a log. */
  reasons: Record<string, string>;
  /** Paths neither ingested nor scannable (devices, FIFOs, unreadable folders, links out of the roots). */
  skipped: Skipped[];
  /** Named paths that yielded no file at all. */
  unread: string[];
  /** Archives (among `unrecognised`) whose log members were read: each member has its own ledger. */
  expanded: string[];
  /**
   * Archive members the log readers could not open (nesting depth cap, expansion budget, unreadable
   * nested archive): the YARA scan of the same archive reports them too, so only `ingest` lists these.
   */
  archiveSkipped: Skipped[];
}

/** Reads the log members of an archive into `ledgers`; returns how many there were. */
async function ingestArchive(
  store: Store,
  path: string,
  options: IngestOptions,
  result: Pick<IngestPathsResult, 'ledgers' | 'archiveSkipped'>,
): Promise<number> {
  const ledgers = result.ledgers;
  let logs = 0;
  await eachArchiveMember(path, async (member) => {
    if (!member.file)
      return void result.archiveSkipped.push({
        path: member.name,
        reason: member.skipped ?? 'not extracted',
        incomplete: true,
      });
    const detection = await detectFile(member.file, options.format).catch(() => undefined);
    if (!detection || detection.format === null || detection.format === 'none') return;
    ledgers.push(await ingestDetected(store, member.file, detection, options, member.name));
    logs++;
  });
  return logs;
}

export async function ingestPaths(
  store: Store,
  paths: string[],
  options: IngestOptions = {},
): Promise<IngestPathsResult> {
  checkFormat(options.format);
  const { files, skipped, unread } = await walkPaths(paths, options.walk);
  const result: IngestPathsResult = {
    ledgers: [],
    unrecognised: [],
    reasons: {},
    skipped,
    unread,
    expanded: [],
    archiveSkipped: [],
  };
  for (const file of files) {
    let plain = file;
    let detection: Detection;
    try {
      plain = await plainText(store, file);
      detection = await detectFile(plain, options.format);
    } catch (err) {
      dropCopy(plain, file);
      result.ledgers.push(
        fileReject(file, options.format ?? 'unknown', `unreadable file: ${errorText(err)}`),
      );
      continue;
    }
    try {
      if (detection.format === null || detection.format === 'none') {
        result.unrecognised.push(file); // scanned; an archive's logs are also read
        result.reasons[file] = detection.reason;
        if (detection.archive && (await ingestArchive(store, plain, options, result)) > 0)
          result.expanded.push(file);
      } else result.ledgers.push(await ingestDetected(store, plain, detection, options, file));
    } finally {
      dropCopy(plain, file);
    }
  }
  return result;
}

/** An unknown forced format is the caller's error: every file would otherwise fall back to a YARA scan. */
function checkFormat(format: string | undefined): void {
  if (format !== undefined && !isLogFormat(format))
    throw new Error(`unknown log format "${format}" (known: ${LOG_FORMATS.join(', ')})`);
}

function fileReject(file: string, format: string, reason: string): IngestLedger {
  return {
    file,
    format,
    read: 1,
    ingested: 0,
    rejected: [{ file, line: 0, reason }],
    ignored: 0,
    tables: {},
  };
}

function makeParser(
  format: LogFormat,
  path: string,
  store: Store,
  options: IngestOptions,
  onIgnored: (reason: string) => void,
): RecordParser {
  const zeek = { sensor: options.sensor, connTables: options.connTables, path: zeekPathFromName(path) };
  switch (format) {
    case 'suricata-eve':
      return planParser(suricataPlan({ sensor: options.sensor }), onIgnored);
    case 'nfdump-csv':
      return nfdumpParser({ sensor: options.sensor }, onIgnored);
    case 'cef': {
      setCefSchema(store.schema('CommonSecurityLog'));
      const cefOptions = { referenceYear: options.referenceYear };
      return (text) => {
        if (isBlank(text)) return IGNORED;
        const result = parseCefLine(text, cefOptions);
        return 'row' in result ? { table: 'CommonSecurityLog', row: result.row, typed: true } : result.reason;
      };
    }
    case 'zeek-tsv':
      return zeekTsvParser(zeek);
    case 'zeek-json':
      return zeekJsonParser(zeek);
    default:
      return sentinelExportParser(format as ExportFormat, {
        schemas: store.schemas,
        table: options.table,
        fileName: path,
      });
  }
}

async function ingestDetected(
  store: Store,
  path: string,
  detection: Detection,
  options: IngestOptions,
  /** The name in ledgers and `_Source` (`archive!member`); default the path. */
  name = path,
): Promise<IngestLedger> {
  const format = detection.format;
  if (format === null || format === 'none')
    return fileReject(name, format ?? 'unknown', `not a log: ${detection.reason}`);
  const ledger: IngestLedger = {
    file: name,
    format,
    detected: detection.reason,
    read: 0,
    ingested: 0,
    rejected: [],
    ignored: 0,
    tables: {},
  };
  // A persistent store knows its files by content (datasets.ts): the same content again loads
  // nothing; a grown file loads only the lines after those loaded before.
  let identity: Identity | undefined;
  if (store.persistent) {
    try {
      identity = await identify(path, { gzip: detection.gzip }, await store.priorFiles());
    } catch (err) {
      return fileReject(name, format, `unreadable file: ${errorText(err)}`);
    }
    if (identity.same) {
      ledger.alreadyLoaded = identity.same.path;
      return ledger;
    }
  }
  const firstLine = (identity?.grown?.lines ?? 0) + 1;
  if (identity?.grown) ledger.resumedAt = firstLine;
  const fileId = await store.registerFile({
    path: name,
    format,
    hash: identity?.hash,
    bytes: identity?.bytes,
    firstLine,
  });
  let lastLine = firstLine - 1;
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  const sink = new RowSink(store, ledger, options.batchRows ?? 50_000);
  const onIgnored = (reason: string): void => {
    const reasons = (ledger.ignoredReasons ??= {});
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  };
  let parser: RecordParser;
  try {
    parser = makeParser(format, name, store, options, onIgnored);
  } catch (err) {
    return fileReject(name, format, `no reader: ${(err as Error).message}`);
  }
  for (const text of detection.header ?? []) parser(text, 0); // header lines the file lacks
  const handle = (text: string | null, line: number): void => {
    if (line < firstLine) {
      if (text !== null) parser(text, line); // loaded before: only primes the reader (headers)
      return;
    }
    if (line > lastLine) lastLine = line;
    if (text === null) {
      ledger.read++;
      sink.reject(line, `line too long (over ${maxLine} bytes): skipped`);
      return;
    }
    let result;
    try {
      result = parser(text, line);
    } catch (err) {
      result = `reader error: ${(err as Error).message}`;
    }
    if (nativeOnlyLines && Array.isArray(result) && result.length === 0)
      result = 'not stored: DuckDB could not read the file into its native table';
    if (result === IGNORED) {
      ledger.ignored++;
      return;
    }
    ledger.read++;
    if (typeof result === 'string') sink.reject(line, result);
    else sink.add(Array.isArray(result) ? result : [result], line);
  };

  const plan = await planFor(format, path, detection, store, options, name);
  // a log no Sentinel table maps lives in its native table only: the plan's own reader names the field
  // that did not convert, and a line it would accept could only have gone to the native table
  const nativeOnly = plan !== undefined && plan.plan.targets.length === 0;
  if (nativeOnly) parser = planParser(plan.plan, onIgnored);
  // likewise a Suricata event type no Sentinel table maps (http, tls, …): only its native table holds it
  const nativeOnlyLines = nativeOnly || plan?.plan.partition !== undefined;
  if (plan) {
    let loaded: LoadResult | undefined;
    try {
      loaded = await store.loadFile(path, plan.plan, {
        gzip: detection.gzip,
        sourceName: name,
        maxLineBytes: maxLine,
        source: plan.source,
        fileId,
        firstLine,
        skipBytes: identity?.grown?.bytes,
        chunkBytes: options.chunkBytes,
        onPiece: (lines, bytes) => options.onProgress?.({ file: name, lines: firstLine - 1 + lines, bytes }),
      });
    } catch {
      loaded = undefined; // DuckDB cannot read this file (invalid UTF-8, a huge line…): the JavaScript path
    }
    if (loaded) {
      ledger.nativeTable = loaded.native;
      ledger.read += loaded.ingested;
      ledger.ingested += loaded.ingested;
      for (const [reason, n] of Object.entries(loaded.ignored)) {
        ledger.ignored += n;
        const reasons = (ledger.ignoredReasons ??= {});
        reasons[reason] = (reasons[reason] ?? 0) + n;
      }
      for (const [table, n] of Object.entries(loaded.tables))
        ledger.tables[table] = (ledger.tables[table] ?? 0) + n;
      // Lines the plan could not convert: the format's own reader decides (primed with the header).
      for (const [i, header] of plan.header.entries()) parser(header, i + 1);
      for (const { line, text } of loaded.toReader) {
        handle(text, line);
        await sink.maybeFlush();
      }
      await sink.flush();
      await store.completeFile(fileId, {
        lines: firstLine - 1 + loaded.lines,
        ingested: ledger.ingested,
        native: loaded.native,
      });
      return ledger;
    }
  }

  try {
    if (format === 'sentinel-json') {
      const splitter = new JsonArraySplitter();
      const records: SourceRecord[] = [];
      const input = openInput(path, { gzip: detection.gzip });
      input.setEncoding('utf8');
      for await (const chunk of input) {
        splitter.push(chunk as string, records);
        for (const r of records) handle(r.text, r.line);
        records.length = 0;
        await sink.maybeFlush();
        if (splitter.error) break;
      }
      if (!splitter.error) splitter.finish();
      for (const r of records) handle(r.text, r.line);
      if (splitter.error) {
        ledger.read++;
        sink.reject(splitter.errorLine, `JSON: ${splitter.error}`);
      }
    } else {
      const joiner = format === 'sentinel-csv' ? new CsvRecordJoiner() : undefined;
      for await (const batch of readLineBatches(path, { gzip: detection.gzip, maxLineBytes: maxLine })) {
        const { texts, first } = batch;
        for (let i = 0; i < texts.length; i++) {
          const text = texts[i];
          if (joiner && text !== null) {
            const record = joiner.push(text, first + i);
            if (record) handle(record.text, record.line);
          } else handle(text, first + i);
        }
        await sink.maybeFlush();
      }
      const rest = joiner?.flush();
      if (rest) handle(rest.text, rest.line);
    }
  } catch (err) {
    ledger.read++;
    sink.reject(0, `read error: ${errorText(err)}`);
  }
  await sink.flush();
  await store.completeFile(fileId, { lines: lastLine, ingested: ledger.ingested });
  return ledger;
}

/**
 * A LoadPlan for the formats DuckDB reads itself, with the header lines that prime the JS reader and
 * the native table family its rows are stored in (store/native.ts).
 */
async function planFor(
  format: LogFormat,
  path: string,
  detection: Detection,
  store: Store,
  options: IngestOptions,
  name: string,
): Promise<{ plan: LoadPlan; header: string[]; source: string } | undefined> {
  if (format === 'suricata-eve')
    return { plan: suricataPlan({ sensor: options.sensor }), header: [], source: 'suricata' };
  if (!['zeek-tsv', 'zeek-json', 'sentinel-ndjson', 'nfdump-csv', 'cef'].includes(format)) return undefined;
  const head: string[] = [];
  const sample: string[] = []; // the first data lines of the first chunk (NDJSON: which keys the file has)
  for await (const batch of readLineBatches(path, { gzip: detection.gzip, maxLineBytes: 65536 })) {
    for (const text of batch.texts) {
      if (text === null) {
        if (sample.length === 0) return undefined;
        break;
      }
      if (format === 'zeek-tsv' ? !text.startsWith('#') : !isBlank(text)) {
        if (sample.length === 0 && format !== 'zeek-tsv') head.push(text);
        if (sample.push(text) >= SAMPLE_LINES) break;
      } else if (sample.length === 0) head.push(text);
    }
    break;
  }
  if (sample.length === 0 && head.length === 0) return undefined;
  const zeek = { sensor: options.sensor, connTables: options.connTables, path: zeekLogName(name) };
  if (format === 'zeek-tsv') {
    if (!head.some((h) => h.startsWith('#fields'))) head.unshift(...(detection.header ?? []));
    const found = zeekTsvPlan(head, zeek);
    return found && { ...found, header: head };
  }
  if (format === 'zeek-json') {
    const found = zeekJsonPlan(sample, zeek);
    return found && { ...found, header: [] };
  }
  if (format === 'cef') {
    const year = options.referenceYear ?? new Date().getUTCFullYear();
    return { plan: cefPlan(store.schema('CommonSecurityLog'), sample, year), header: [], source: 'cef' };
  }
  const first = head[head.length - 1];
  if (first === undefined) return undefined;
  if (format === 'nfdump-csv') {
    const plan = nfdumpPlan(first, { sensor: options.sensor });
    return plan && { plan, header: [first], source: 'nfdump' };
  }
  let record: unknown;
  try {
    record = JSON.parse(first);
  } catch {
    return undefined;
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const table = ndjsonTable(record as Record<string, unknown>, {
    schemas: store.schemas,
    table: options.table,
    fileName: name,
  });
  if (table === undefined) return undefined;
  const keys = new Set<string>();
  for (const text of sample) {
    const obj = parseJsonObject(text);
    if (typeof obj !== 'string') for (const key in obj) keys.add(key);
  }
  return { plan: sentinelNdjsonPlan(store.schema(table), keys), header: [], source: `export_${table}` };
}

/** Buffers typed rows per table and writes them in batches; keeps the ledger's counts. */
class RowSink {
  private pending = new Map<string, Row[]>();
  private size = 0;
  private coercers = new Map<string, RowCoercer>();
  private refused = new Set<number>();
  private bisectRejects = 0;

  constructor(
    private readonly store: Store,
    private readonly ledger: IngestLedger,
    private readonly batchRows: number,
  ) {}

  reject(line: number, reason: string): void {
    this.ledger.rejected.push({ file: this.ledger.file, line, reason: clipReason(reason) });
  }

  /** All rows of one record, or none of them (a record is ingested or rejected whole). */
  add(rows: TableRow[], line: number): void {
    const typed: Row[] = [];
    for (const { table, row, typed: preTyped } of rows) {
      if (preTyped) {
        row[SOURCE_COLUMN] = `${this.ledger.file}:${line}`;
        typed.push(row);
        continue;
      }
      let coercer = this.coercers.get(table);
      if (!coercer) {
        try {
          coercer = rowCoercer(this.store.schema(table));
        } catch {
          this.reject(line, `no table ${table} in the store`);
          return;
        }
        this.coercers.set(table, coercer);
      }
      try {
        const out = coercer(row);
        out[SOURCE_COLUMN] = `${this.ledger.file}:${line}`;
        typed.push(out);
      } catch (err) {
        if (!(err instanceof CoerceError)) throw err;
        this.reject(line, `${table}.${err.message}`);
        return;
      }
    }
    for (let i = 0; i < rows.length; i++) {
      let list = this.pending.get(rows[i].table);
      if (!list) this.pending.set(rows[i].table, (list = []));
      list.push(typed[i]);
    }
    this.size += rows.length;
    this.ledger.ingested++;
  }

  async maybeFlush(): Promise<void> {
    if (this.size >= this.batchRows) await this.flush();
  }

  async flush(): Promise<void> {
    for (const [table, rows] of this.pending) if (rows.length > 0) await this.insert(table, rows);
    this.pending.clear();
    this.size = 0;
  }

  private async insert(table: string, rows: Row[]): Promise<void> {
    try {
      await this.store.insertRows(table, rows);
      this.ledger.tables[table] = (this.ledger.tables[table] ?? 0) + rows.length;
    } catch (err) {
      if (rows.length === 1 || this.bisectRejects >= MAX_BISECT_REJECTS) {
        for (const row of rows) this.refuse(row, err);
        return;
      }
      const mid = rows.length >> 1;
      await this.insert(table, rows.slice(0, mid));
      await this.insert(table, rows.slice(mid));
    }
  }

  private refuse(row: Row, err: unknown): void {
    this.bisectRejects++;
    const source = String(row[SOURCE_COLUMN]);
    const line = Number(source.slice(source.lastIndexOf(':') + 1));
    if (this.refused.has(line)) return;
    this.refused.add(line);
    this.ledger.ingested--;
    this.reject(line, `the store refused the row: ${(err as Error).message}`);
  }
}
