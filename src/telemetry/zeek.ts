/**
 * Zeek conn.log and dns.log, as TSV (the ASCII writer: #separator/#fields/#types headers, `-` unset,
 * `(empty)`, `\xHH` escapes) or JSON lines, mapped onto Sentinel tables the way ASIM's NetworkSession and
 * Dns parsers read Zeek:
 *   conn → DeviceNetworkEvents and CommonSecurityLog (both by default: the seed hunts query each table
 *          on its own, so a Zeek-only site must answer both; `connTables` narrows it)
 *   dns  → DnsEvents
 * Fields without a column are kept: AdditionalFields (dynamic) for DeviceNetworkEvents,
 * AdditionalExtensions (`key=value;…`) for CommonSecurityLog.
 */
import type { Conversion, Expr, LoadPlan, SourceField, TableTarget } from '../store/plan.js';
import { DNE_PROTOCOL, flowTargets } from './flow-plan.js';
import { IGNORED, type RecordParser, type RecordResult, type TableRow } from './types.js';
import { ipType } from './iptype.js';
import { parseIso } from './time.js';
import { isBlank, wellFormed } from './text.js';

export type ConnTable = 'CommonSecurityLog' | 'DeviceNetworkEvents';

export interface ZeekOptions {
  /** Sensor name for DeviceName / Computer when records carry none (`_system_name`, `_node_name`). */
  sensor?: string;
  /** Tables a conn record feeds; default both. */
  connTables?: readonly ConnTable[];
  /** Log kind when records do not say (the TSV `#path` does; JSON does not): from the file name. */
  path?: string;
}

export type ZeekRecord = Record<string, unknown>;

/** The Zeek logs a Sentinel table maps; every other log is kept in its native table only. */
export const ZEEK_PATHS = ['conn', 'dns'] as const;

/** `conn.log`, `conn.00:00:00-01:00:00.log.gz`, `labeled-conn.log` → conn. */
export function zeekPathFromName(name: string): string | undefined {
  const base = name.toLowerCase().replace(/^.*[\\/]/, '');
  return ZEEK_PATHS.find((p) => new RegExp(`(^|[^a-z])${p}([^a-z]|$)`).test(base));
}

/** Zeek conn_state → Defender ActionType (see docs/telemetry.md for the reasoning per state). */
const ACTION_TYPE: Record<string, string> = {
  SF: 'ConnectionSuccess',
  S1: 'ConnectionSuccess',
  S2: 'ConnectionSuccess',
  S3: 'ConnectionSuccess',
  RSTO: 'ConnectionSuccess',
  RSTR: 'ConnectionSuccess',
  S0: 'ConnectionAttempt',
  SH: 'ConnectionAttempt',
  RSTOS0: 'ConnectionAttempt',
  REJ: 'ConnectionFailed',
  RSTRH: 'ConnectionFound',
  SHR: 'ConnectionFound',
  OTH: 'ConnectionFound',
};

/** Fields that become columns; everything else is kept in AdditionalFields / AdditionalExtensions. */
const CONN_MAPPED = new Set([
  'ts',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  '_system_name',
  '_node_name',
]);

/** Fields without which a log's rows would have NULL times or addresses: its mapping needs them. */
const ZEEK_NEEDS: Record<string, readonly string[]> = {
  conn: ['ts', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'],
  dns: ['ts', 'id.orig_h', 'query'],
};

/** The needed fields of a `path` log that `has` lacks (every log needs `ts`). */
export function zeekMissing(path: string | undefined, has: (field: string) => boolean): string[] {
  return (ZEEK_NEEDS[path ?? ''] ?? ['ts']).filter((f) => !has(f));
}

export function mapZeekRecord(path: string, rec: ZeekRecord, options: ZeekOptions): RecordResult {
  const time = zeekTime(rec.ts);
  if (time === undefined) return `Zeek ts is not a time: ${JSON.stringify(String(rec.ts).slice(0, 40))}`;
  const missing = zeekMissing(path, (f) => f in rec);
  if (missing.length > 0) return `Zeek ${path} record lacks ${missing.join(', ')}: its mapping needs them`;
  const sensor = String(rec._system_name ?? rec._node_name ?? options.sensor ?? '');
  if (path === 'conn')
    return mapConn(rec, time, sensor, options.connTables ?? ['DeviceNetworkEvents', 'CommonSecurityLog']);
  if (path === 'dns') return { table: 'DnsEvents', row: mapDns(rec, time, sensor) };
  // other logs live in their native tables only (DuckDB's reader); here only lines it could not store
  return `Zeek ${path} log: a value does not fit its type (no Sentinel table maps ${path}; its native table takes only well-formed lines)`;
}

function zeekTime(ts: unknown): Date | null | undefined {
  if (ts === null || ts === undefined) return null;
  if (typeof ts === 'number') return ts >= 0 && ts < 1e11 ? new Date(ts * 1000) : undefined; // seconds to 5138
  return parseIso(String(ts)) ?? undefined; // JSON writer with JSON::TS_ISO8601
}

function mapConn(
  rec: ZeekRecord,
  time: Date | null,
  sensor: string,
  tables: readonly ConnTable[],
): TableRow[] {
  const extras: ZeekRecord = {};
  for (const key in rec) {
    const v = rec[key];
    if (CONN_MAPPED.has(key) || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    extras[key] = v;
  }
  const state = rec.conn_state as string | undefined;
  const proto = rec.proto as string | undefined;
  const out: TableRow[] = [];
  for (const table of tables) {
    if (table === 'DeviceNetworkEvents') {
      const local = rec['id.orig_h'] as string | undefined;
      const remote = rec['id.resp_h'] as string | undefined;
      out.push({
        table,
        row: {
          TimeGenerated: time,
          Timestamp: time,
          DeviceName: sensor,
          ActionType: state === undefined ? null : (ACTION_TYPE[state] ?? null),
          LocalIP: local,
          LocalPort: rec['id.orig_p'],
          LocalIPType: typeof local === 'string' ? ipType(local) : null,
          RemoteIP: remote,
          RemotePort: rec['id.resp_p'],
          RemoteIPType: typeof remote === 'string' ? ipType(remote) : null,
          Protocol: proto === undefined ? null : ((DNE_PROTOCOL as Record<string, string>)[proto] ?? proto),
          AdditionalFields: extras,
          Type: table,
        },
      });
    } else {
      const duration = typeof rec.duration === 'number' ? rec.duration : null;
      out.push({
        table,
        row: {
          TimeGenerated: time,
          DeviceVendor: 'Zeek',
          DeviceProduct: 'conn',
          DeviceEventClassID: 'conn',
          Activity: state,
          SourceIP: rec['id.orig_h'],
          SourcePort: rec['id.orig_p'],
          DestinationIP: rec['id.resp_h'],
          DestinationPort: rec['id.resp_p'],
          Protocol: proto === undefined ? null : proto.toUpperCase(),
          ApplicationProtocol: rec.service,
          SentBytes: rec.orig_bytes,
          ReceivedBytes: rec.resp_bytes,
          StartTime: time,
          EndTime: time && duration !== null ? new Date(time.getTime() + duration * 1000) : null,
          DeviceName: sensor,
          Computer: sensor,
          AdditionalExtensions: extensionText(extras),
          Type: table,
        },
      });
    }
  }
  return out;
}

function extensionText(extras: ZeekRecord): string {
  const parts: string[] = [];
  for (const key in extras) {
    const v = extras[key];
    parts.push(`${key}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  }
  return parts.join(';');
}

function mapDns(rec: ZeekRecord, time: Date | null, sensor: string): Record<string, unknown> {
  const answers = Array.isArray(rec.answers) ? (rec.answers as unknown[]) : [];
  const ips = answers.filter((a): a is string => typeof a === 'string' && ipType(a) !== null);
  return {
    TimeGenerated: time,
    Computer: sensor,
    ClientIP: rec['id.orig_h'],
    Name: rec.query,
    QueryType: rec.qtype_name ?? (rec.qtype === null || rec.qtype === undefined ? null : String(rec.qtype)),
    IPAddresses: ips.length > 0 ? ips.join(',') : null,
    ResultCode: rec.rcode,
    SubType: 'LookupQuery',
    Type: 'DnsEvents',
  };
}

/** Which log a JSON record is, when the file name did not say. */
function recordPath(rec: ZeekRecord): string | undefined {
  if ('conn_state' in rec || 'orig_bytes' in rec || 'history' in rec) return 'conn';
  if ('query' in rec || 'qtype' in rec || 'rcode' in rec) return 'dns';
  return undefined;
}

export function zeekJsonParser(options: ZeekOptions = {}): RecordParser {
  return (text) => {
    if (isBlank(text)) return IGNORED;
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch (err) {
      return `invalid JSON: ${(err as Error).message}`;
    }
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return 'not a JSON object';
    const path = options.path ?? recordPath(rec as ZeekRecord);
    if (path === undefined) return 'Zeek JSON record of unknown kind (no conn or dns fields)';
    return mapZeekRecord(path, wellFormed(rec as ZeekRecord, text), options);
  };
}

// ---- TSV ----

/** How a #types entry is read. */
const Kind = { String: 0, Number: 1, Bool: 2, List: 3, NumberList: 4 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

function kindOf(type: string): Kind {
  if (type.startsWith('set[') || type.startsWith('vector[')) {
    const inner = type.slice(type.indexOf('[') + 1, -1);
    return kindOf(inner) === Kind.Number ? Kind.NumberList : Kind.List;
  }
  switch (type) {
    case 'time':
    case 'interval':
    case 'double':
    case 'count':
    case 'int':
    case 'port':
      return Kind.Number;
    case 'bool':
      return Kind.Bool;
    default:
      return Kind.String;
  }
}

/** `\x09` → tab, `\\` → backslash (the ASCII writer's escapes). */
export function unescapeZeek(text: string): string {
  if (text.indexOf('\\') === -1) return text;
  return text.replace(/\\(x[0-9a-fA-F]{2}|\\)/g, (_, e: string) =>
    e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16)),
  );
}

/** What a Zeek ASCII log's `#` header lines declare; read by the line parser and the SQL plan alike. */
interface ZeekHeader {
  separator: string;
  setSeparator: string;
  empty: string;
  unset: string;
  path?: string;
  fields?: string[];
  types?: string[];
}

function newZeekHeader(path?: string): ZeekHeader {
  return { separator: '\t', setSeparator: ',', empty: '(empty)', unset: '-', path };
}

/** Applies one `#` header line to `header`; returns the directive's name (`#fields`, `#types`, …). */
function readZeekHeaderLine(header: ZeekHeader, text: string): string {
  if (text.startsWith('#separator ')) {
    header.separator = unescapeZeek(text.slice(11).trim());
    return '#separator';
  }
  const [name, ...rest] = text.split(header.separator);
  if (name === '#set_separator') header.setSeparator = unescapeZeek(rest[0] ?? ',');
  else if (name === '#empty_field') header.empty = rest[0] ?? header.empty;
  else if (name === '#unset_field') header.unset = rest[0] ?? header.unset;
  else if (name === '#path') header.path = rest[0];
  else if (name === '#fields') header.fields = rest;
  else if (name === '#types') header.types = rest;
  return name;
}

export function zeekTsvParser(options: ZeekOptions = {}): RecordParser {
  const header = newZeekHeader(options.path);
  let kinds: Kind[] = [];
  return (text) => {
    if (text.charCodeAt(0) === 35 /* # */) {
      if (readZeekHeaderLine(header, text) === '#types') kinds = (header.types ?? []).map(kindOf);
      return IGNORED;
    }
    const { separator, setSeparator, empty, unset, path, fields } = header;
    if (isBlank(text)) return IGNORED;
    if (!fields) return 'Zeek TSV data before the #fields header';
    if (path === undefined) return 'Zeek TSV log without #path (conn or dns?)';
    const missing = zeekMissing(path, (f) => fields.includes(f));
    if (missing.length > 0)
      return `Zeek ${path} log: #fields lacks ${missing.join(', ')} (the ${path} mapping needs them): file rejected`;
    const values = text.split(separator);
    if (values.length !== fields.length) return `${values.length} fields, #fields names ${fields.length}`;
    const rec: ZeekRecord = {};
    for (let i = 0; i < values.length; i++) {
      const raw = values[i];
      const kind = kinds[i] ?? Kind.String;
      let value: unknown;
      if (raw === unset) value = null;
      else if (raw === empty) value = kind === Kind.List || kind === Kind.NumberList ? [] : '';
      else if (kind === Kind.Number) value = raw === '' ? null : Number(raw);
      else if (kind === Kind.Bool) value = raw === 'T' ? true : raw === 'F' ? false : raw;
      else if (kind === Kind.List) value = raw.split(setSeparator).map(unescapeZeek);
      else if (kind === Kind.NumberList) value = raw.split(setSeparator).map(Number);
      else value = unescapeZeek(raw);
      if (typeof value === 'number' && Number.isNaN(value)) value = raw; // let the column type say why
      rec[fields[i]] = value;
    }
    return mapZeekRecord(path, rec, options);
  };
}

// ---- TSV as a LoadPlan (DuckDB reads the file; see store/plan.ts) ----

function conversionOf(type: string): Conversion {
  if (type.startsWith('set[') || type.startsWith('vector[')) return 'list';
  switch (type) {
    case 'time':
      return 'epoch';
    case 'interval':
    case 'double':
      return 'real';
    case 'count':
    case 'int':
      return 'long';
    case 'port':
      return 'int';
    case 'bool':
      return 'bool';
    default:
      return 'string';
  }
}

/** Zeek's name of a log from its file name, of any kind (`http.00:00:00-01:00:00.log.gz` → http). */
export function zeekLogName(name: string): string | undefined {
  const base = name.toLowerCase().replace(/^.*[\\/]/, '');
  return zeekPathFromName(name) ?? /^(?:.*-)?([a-z][a-z0-9_]*)\.(?:log|json|\d)/.exec(base)?.[1];
}

/** The native table family of a Zeek log: one per log path (zeek_conn, zeek_dns, zeek_http, …). */
export function zeekSource(path: string | undefined): string {
  return `zeek_${(path ?? 'log').replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** A Zeek log as a plan, and the native table family its rows are stored in. */
export interface ZeekPlan {
  plan: LoadPlan;
  source: string;
}

/**
 * The Sentinel tables a Zeek log's fields feed: conn → DeviceNetworkEvents and CommonSecurityLog, dns →
 * DnsEvents, every other log none (its native table only: http, ssl, files, notice… keep all their
 * fields there). Undefined when a conn log lacks the fields a flow needs (the JavaScript reader decides).
 */
function zeekTargets(
  path: string | undefined,
  names: readonly string[],
  fields: readonly SourceField[],
  options: ZeekOptions,
): TableTarget[] | undefined {
  const has = new Set(names);
  if (zeekMissing(path, (f) => has.has(f)).length > 0) return undefined; // the reader rejects with the reason
  const opt = (name: string): Expr | undefined => (has.has(name) ? { field: name } : undefined);
  const sensorFields = ['_system_name', '_node_name'].filter((n) => has.has(n)).map((n) => ({ field: n }));
  const sensor: Expr = { coalesce: [...sensorFields, { const: options.sensor ?? '' }] };
  if (path === 'dns') {
    const answers = fields.find((f) => f.name === 'answers')?.as === 'list';
    const qtype: Expr[] = [opt('qtype_name'), has.has('qtype') ? { text: 'qtype' } : undefined].filter(
      (e): e is Expr => e !== undefined,
    );
    const columns: Record<string, Expr | undefined> = {
      TimeGenerated: opt('ts'),
      Computer: sensor,
      ClientIP: opt('id.orig_h'),
      Name: opt('query'),
      QueryType: qtype.length > 0 ? { coalesce: qtype } : undefined,
      IPAddresses: answers ? { ipsOf: 'answers' } : undefined,
      ResultCode: opt('rcode'),
      SubType: { const: 'LookupQuery' },
      Type: { const: 'DnsEvents' },
    };
    const defined = Object.entries(columns).filter((e): e is [string, Expr] => e[1] !== undefined);
    return [{ table: 'DnsEvents', columns: Object.fromEntries(defined) }];
  }
  if (path !== 'conn') return [];
  const { dne, csl } = flowTargets({
    time: { field: 'ts' },
    end: has.has('duration') ? { plusSeconds: ['ts', 'duration'] } : undefined,
    sensor,
    actionType: has.has('conn_state') ? { lookup: 'conn_state', values: ACTION_TYPE } : undefined,
    localIp: 'id.orig_h',
    localPort: 'id.orig_p',
    remoteIp: 'id.resp_h',
    remotePort: 'id.resp_p',
    proto: 'proto',
    vendor: 'Zeek',
    product: 'conn',
    eventClass: { const: 'conn' },
    activity: opt('conn_state'),
    appProtocol: opt('service'),
    sent: opt('orig_bytes'),
    received: opt('resp_bytes'),
    extras: names.filter((n) => !CONN_MAPPED.has(n)),
  });
  const tables = options.connTables ?? ['DeviceNetworkEvents', 'CommonSecurityLog'];
  return tables.map((t) => (t === 'DeviceNetworkEvents' ? dne : csl));
}

/**
 * The plan for a Zeek TSV log of any path from its header lines (fields typed by `#types`), or undefined
 * when the SQL path does not apply (no #fields/#types, a separator other than one character, a conn log
 * without the flow fields): the JavaScript parser then reads the file. Zeek's `\xHH` escapes are decoded
 * in SQL; the rare lines with `\\` are left to that parser.
 */
export function zeekTsvPlan(headerLines: readonly string[], options: ZeekOptions = {}): ZeekPlan | undefined {
  const header = newZeekHeader(options.path);
  for (const text of headerLines) readZeekHeaderLine(header, text);
  const { separator, setSeparator, empty, unset, path, fields: names, types } = header;
  if (!names || !types || types.length !== names.length || separator.length !== 1) return undefined;
  const fields: SourceField[] = names.map((name, i) => ({ name, at: i, as: conversionOf(types[i]) }));
  const targets = zeekTargets(path, names, fields, options);
  if (!targets) return undefined;
  const plan: LoadPlan = {
    layout: {
      kind: 'delimited',
      separator,
      columns: names.length,
      unset,
      empty,
      listSeparator: setSeparator,
      readerIfContains: '\\\\',
      unescape: 'zeek',
    },
    fields,
    commentPrefix: '#',
    targets,
  };
  return { plan, source: zeekSource(path) };
}

/** How a Zeek JSON value is read (JSON carries no #types: the values of a sample say). */
function jsonConversion(key: string, value: unknown): Conversion {
  if (key === 'ts') return 'datetime'; // epoch seconds, or ISO 8601 with JSON::TS_ISO8601
  if (typeof value === 'number')
    return Number.isInteger(value) ? (key.endsWith('_p') ? 'int' : 'long') : 'real';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value))
    return value.every((v) => v === null || typeof v !== 'object') ? 'list' : 'dynamic';
  return value !== null && typeof value === 'object' ? 'dynamic' : 'string';
}

/**
 * The plan for Zeek JSON lines of any path, from a sample of the file's records: one field per key the
 * sample has, typed by its values (integers that later turn fractional, or keys the sample never had,
 * send their lines to the JavaScript reader, so nothing is dropped).
 */
export function zeekJsonPlan(sample: readonly string[], options: ZeekOptions = {}): ZeekPlan | undefined {
  const kinds = new Map<string, Conversion>();
  let first: ZeekRecord | undefined;
  for (const text of sample) {
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch {
      continue;
    }
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) continue;
    first ??= rec as ZeekRecord;
    for (const [key, value] of Object.entries(rec)) {
      if (value === null) continue;
      const as = jsonConversion(key, value);
      const prev = kinds.get(key);
      const numbers = new Set<Conversion>(['int', 'long', 'real']);
      if (prev === undefined || prev === as) kinds.set(key, as);
      else kinds.set(key, numbers.has(prev) && numbers.has(as) ? 'real' : 'string');
    }
  }
  if (!first) return undefined;
  const path = recordPath(first) ?? options.path; // the records' own fields before the file name
  const fields: SourceField[] = [...kinds].map(([name, as]) => ({ name, at: [name], as }));
  const targets = zeekTargets(path, [...kinds.keys()], fields, options);
  if (!targets) return undefined;
  return { plan: { layout: { kind: 'json' }, fields, targets, closedKeys: true }, source: zeekSource(path) };
}
