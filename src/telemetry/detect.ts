/**
 * Which reader a file needs, from its content: a sample of up to SAMPLE_LINES lines in the first
 * SAMPLE_BYTES (decompressed when the file is gzip, whatever its name: `eve.json.1.gz`), each line
 * classified on its own and the readers voted on, so one cut, oversized or hostile line does not decide
 * for the file. The name is only a hint where content cannot tell (Sentinel exports, the Zeek log kind).
 * Binary content (NUL bytes, control characters, executable/archive magic) is 'none': a file to scan,
 * not a log. Text that matches no reader is null, with the reason the caller reports.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { archiveKind } from '../scan/archive.js';
import { loadSchemas, type SchemaSet } from '../store/schema.js';
import { openInput } from '../util/lines.js';
import { tableFromColumns, tableFromFileName } from './sentinel-export.js';
import { LOG_FORMATS, type LogFormat } from './types.js';

export interface Detection {
  /** A reader's format; 'none' for binary content (scan it); null for text no reader knows. */
  format: LogFormat | 'none' | null;
  reason: string;
  /** The file is gzip-compressed text (read through gunzip). */
  gzip: boolean;
  /** Header lines the file lacks and its reader needs (a Zeek conn.log without its `#` lines). */
  header?: string[];
  /** A zip, tar or gzip-compressed tar: its members may be logs (archive-logs.ts). */
  archive?: true;
}

export const SAMPLE_BYTES = 256 * 1024;
/** Lines voted on; each is classified from its first LINE_PREFIX characters. */
const SAMPLE_LINES = 50;
const LINE_PREFIX = 64 * 1024;

export function isLogFormat(text: string | undefined): text is LogFormat {
  return text !== undefined && (LOG_FORMATS as readonly string[]).includes(text);
}

export async function detectFile(path: string, override?: string): Promise<Detection> {
  let sample = await readHead(path, SAMPLE_BYTES);
  let gzip = false;
  if (sample[0] === 0x1f && sample[1] === 0x8b) {
    gzip = true;
    sample = await readHeadGzip(path, SAMPLE_BYTES);
    if (archiveKind(sample) === 'tar')
      return { format: 'none', reason: 'tar archive (gzip)', gzip: false, archive: true };
  } else if (archiveKind(sample) === 'zip' || archiveKind(sample) === 'tar')
    return { format: 'none', reason: `${archiveKind(sample)} archive`, gzip: false, archive: true };
  if (override !== undefined) {
    if (hasBinaryMagic(sample) || controlShare(sample) > 0.1)
      return { format: 'none', reason: 'binary content', gzip };
    if (!isLogFormat(override))
      return {
        format: null,
        reason: `unknown format "${override}" (known: ${LOG_FORMATS.join(', ')})`,
        gzip,
      };
    return { format: override, reason: 'format given', gzip };
  }
  const found = detectSample(path, sample);
  if (!gzip) return { ...found, gzip };
  // gzip that holds no log: a compressed file to scan (the scanner expands it)
  if (found.format === null || found.format === 'none')
    return { format: 'none', reason: `gzip-compressed ${found.reason}`, gzip: false };
  return { ...found, reason: `gzip: ${found.reason}`, gzip };
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readHeadGzip(path: string, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  const input = openInput(path, { gzip: true, chunkBytes: 64 * 1024 });
  try {
    for await (const chunk of input) {
      parts.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= bytes) break;
    }
  } catch {
    // a truncated or corrupt archive: detect on what came out
  } finally {
    input.destroy();
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

const BINARY_MAGIC = [
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x50, 0x4b, 0x03, 0x04], // zip
  [0xd4, 0xc3, 0xb2, 0xa1], // pcap
  [0xa1, 0xb2, 0xc3, 0xd4],
  [0x0a, 0x0d, 0x0d, 0x0a], // pcapng
  [0x4d, 0x5a], // PE
];

function hasBinaryMagic(sample: Buffer): boolean {
  return BINARY_MAGIC.some((m) => m.every((b, i) => sample[i] === b));
}

/** Share of NUL and control bytes (other than tab, CR, LF, FF, ESC) in the first 8 KiB. */
function controlShare(sample: Buffer): number {
  const n = Math.min(sample.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i];
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
  }
  return n === 0 ? 0 : control / n;
}

const CEF_MARK = /CEF: ?\d+\|/;
const NFDUMP_HEADER = /^ts,te,td,sa,da,sp,dp,pr(,|$)/;

/** Classifies a file by a sample of its lines; `name` is only a hint (Sentinel exports, Zeek JSON). */
export function detectSample(
  name: string,
  sample: Buffer,
  schemas: SchemaSet = loadSchemas(),
): Omit<Detection, 'gzip'> {
  if (sample.length === 0) return { format: null, reason: 'empty file' };
  // Magic first; the control-byte test comes after the log formats, so that a NUL injected into one log
  // line cannot hide a whole log from the hunts.
  if (hasBinaryMagic(sample)) return { format: 'none', reason: 'binary content' };
  let text = sample.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  if (sample.length >= SAMPLE_BYTES && lines.length > 1) lines.pop(); // a cut line
  const nonBlank = lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  const first = nonBlank[0] ?? '';
  const trimmed = text.trimStart();

  if (first.startsWith('#separator') || first.startsWith('#fields')) {
    return { format: 'zeek-tsv', reason: 'Zeek TSV header' }; // any log path: each has its native table
  }
  if (trimmed.startsWith('[')) {
    const keys = [...text.matchAll(/"([A-Za-z_][A-Za-z0-9_]*)"\s*:/g)].map((m) => m[1]);
    if (knownColumns(keys, schemas) >= 2)
      return { format: 'sentinel-json', reason: 'JSON array of table rows' };
    return { format: null, reason: 'JSON array whose keys are not table columns' };
  }
  if (NFDUMP_HEADER.test(first))
    return { format: 'nfdump-csv', reason: 'nfdump CSV header (ts,te,td,sa,da,…)' };
  const voted = voteLines(nonBlank.slice(0, SAMPLE_LINES), schemas);
  if (voted) return voted;
  if (first.includes(',')) {
    const header = first.split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
    if (
      knownColumns(header, schemas) >= 2 &&
      (header.includes('Type') || tableFromColumns(header) || tableFromFileName(basename(name), schemas))
    )
      return { format: 'sentinel-csv', reason: 'CSV with table columns' };
  }
  if (controlShare(sample) > 0 || sample.subarray(0, 8192).includes(0))
    return { format: 'none', reason: 'binary content' };
  if (first.startsWith('{')) return { format: null, reason: jsonLinesReason(nonBlank, schemas) };
  return { format: null, reason: 'text in no known log format' };
}

/** What one line looks like: a reader (with what it saw), or the reason it is none. */
const JSON_FORMATS = new Set<LogFormat>(['suricata-eve', 'zeek-json', 'sentinel-ndjson']);

type LineVote = { format: LogFormat; why: string; header?: string[] } | { format: null; why: string };

/**
 * The reader most sampled lines agree on, if at least half of them do: a cut first line, one 70 KB or
 * 50 MB line, a NUL-ridden line do not decide for the file.
 */
function voteLines(lines: readonly string[], schemas: SchemaSet): Omit<Detection, 'gzip'> | undefined {
  if (lines.length === 0) return undefined;
  const votes = new Map<LogFormat, { n: number; why: string; header?: string[] }>();
  for (const line of lines) {
    const vote = classifyLine(line.length > LINE_PREFIX ? line.slice(0, LINE_PREFIX) : line, schemas);
    if (vote.format === null) continue;
    const v = votes.get(vote.format) ?? { n: 0, why: vote.why, header: vote.header };
    v.n++;
    votes.set(vote.format, v);
  }
  const best = [...votes].sort((a, b) => b[1].n - a[1].n)[0];
  if (!best) return undefined;
  // JSON lines vote as a family: cut or broken objects among them are that reader's rejects
  const json = lines.filter((l) => l.trimStart().startsWith('{')).length;
  const support = JSON_FORMATS.has(best[0]) ? Math.max(best[1].n, json) : best[1].n;
  if (support * 2 < lines.length) return undefined;
  const [format, { n, why, header }] = best;
  const share = n === lines.length ? `all ${n}` : `${n} of ${lines.length}`;
  return { format, reason: `${why}: ${share} sampled lines`, ...(header ? { header } : {}) };
}

function classifyLine(line: string, schemas: SchemaSet): LineVote {
  if (CEF_MARK.test(line.slice(0, 400))) return { format: 'cef', why: 'CEF lines' };
  const start = line.trimStart();
  if (start.startsWith('{')) return classifyJson(jsonKeys(start), schemas);
  if (line.includes('\t')) return headerlessZeek(line.split('\t'));
  return { format: null, why: 'no log format' };
}

/** The keys of a JSON object line; a cut or oversized line gives the keys of the part that is there. */
function jsonKeys(line: string): Set<string> {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return new Set(Object.keys(parsed));
  } catch {
    // cut: read the keys the prefix shows
  }
  return new Set([...line.matchAll(/"([A-Za-z_][\w.]{0,63})"\s*:/g)].map((m) => m[1]));
}

function classifyJson(keys: Set<string>, schemas: SchemaSet): LineVote {
  if (keys.has('event_type') && keys.has('timestamp'))
    return { format: 'suricata-eve', why: 'Suricata EVE JSON (event_type, timestamp)' };
  if (keys.has('ts') && (keys.has('uid') || keys.has('id.orig_h'))) {
    const kind =
      keys.has('conn_state') || keys.has('history')
        ? 'conn'
        : keys.has('query') || keys.has('qtype')
          ? 'dns'
          : undefined;
    return { format: 'zeek-json', why: `Zeek ${kind ?? 'log'} JSON lines` }; // each path has its native table
  }
  if (knownColumns(keys, schemas) >= 2 || keys.has('TimeGenerated') || keys.has('Timestamp'))
    return { format: 'sentinel-ndjson', why: 'JSON lines of table rows' };
  return { format: null, why: 'JSON lines whose keys are not table columns' };
}

/** Why JSON lines are no log: the reason most lines give. */
function jsonLinesReason(lines: readonly string[], schemas: SchemaSet): string {
  const reasons = new Map<string, number>();
  for (const line of lines.slice(0, SAMPLE_LINES)) {
    const { why } = line.trimStart().startsWith('{')
      ? classifyJson(jsonKeys(line.slice(0, LINE_PREFIX)), schemas)
      : { why: 'line is not a JSON object' };
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  return [...reasons].sort((a, b) => b[1] - a[1])[0][0];
}

/**
 * Zeek's default conn.log columns (the ASCII writer's order): a conn.log cut from its `#` header lines
 * (a rotated or `tail`-ed file) is still read, with these names, when its rows have their shape.
 */
const ZEEK_CONN_DEFAULT: readonly (readonly [string, string])[] = [
  ['ts', 'time'],
  ['uid', 'string'],
  ['id.orig_h', 'addr'],
  ['id.orig_p', 'port'],
  ['id.resp_h', 'addr'],
  ['id.resp_p', 'port'],
  ['proto', 'enum'],
  ['service', 'string'],
  ['duration', 'interval'],
  ['orig_bytes', 'count'],
  ['resp_bytes', 'count'],
  ['conn_state', 'string'],
  ['local_orig', 'bool'],
  ['local_resp', 'bool'],
  ['missed_bytes', 'count'],
  ['history', 'string'],
  ['orig_pkts', 'count'],
  ['orig_ip_bytes', 'count'],
  ['resp_pkts', 'count'],
  ['resp_ip_bytes', 'count'],
  ['tunnel_parents', 'set[string]'],
];

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)$/;

function headerlessZeek(values: readonly string[]): LineVote {
  const none: LineVote = { format: null, why: 'tab-separated text in no known log format' };
  if (values.length < 12 || values.length > ZEEK_CONN_DEFAULT.length + 8) return none;
  const [ts, uid, origH, origP, respH, respP, proto] = values;
  if (!/^\d{9,10}\.\d{1,9}$/.test(ts) || !/^C[0-9A-Za-z]{8,24}$/.test(uid)) return none;
  if (!IP.test(origH) || !IP.test(respH) || !/^\d+$/.test(origP) || !/^\d+$/.test(respP)) return none;
  if (!/^(tcp|udp|icmp|unknown_transport)$/.test(proto)) return none;
  return {
    format: 'zeek-tsv',
    why: 'Zeek conn TSV without its header lines: the default conn.log fields assumed',
    header: zeekConnHeader(values.length),
  };
}

/** The `#` header lines of a default Zeek conn.log with `columns` columns (extra ones are strings). */
export function zeekConnHeader(columns = ZEEK_CONN_DEFAULT.length): string[] {
  const fields = Array.from(
    { length: columns },
    (_, i) => ZEEK_CONN_DEFAULT[i] ?? [`field_${i + 1}`, 'string'],
  );
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    `#fields\t${fields.map((c) => c[0]).join('\t')}`,
    `#types\t${fields.map((c) => c[1]).join('\t')}`,
  ];
}

function knownColumns(keys: Iterable<string>, schemas: SchemaSet): number {
  let n = 0;
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    for (const schema of schemas.values()) {
      if (schema.columns.some((c) => c.name === key)) {
        n++;
        break;
      }
    }
  }
  return n;
}
