/**
 * Which reader a file needs, from its first 64 KiB (and its name only where content cannot tell).
 * Binary content (NUL bytes, control characters, executable/archive magic) is 'none': a file to scan,
 * not a log. Text that matches no reader is null, with the reason the caller reports.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
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
}

export const SAMPLE_BYTES = 64 * 1024;

export function isLogFormat(text: string | undefined): text is LogFormat {
  return text !== undefined && (LOG_FORMATS as readonly string[]).includes(text);
}

export async function detectFile(path: string, override?: string): Promise<Detection> {
  let sample = await readHead(path, SAMPLE_BYTES);
  let gzip = false;
  if (sample[0] === 0x1f && sample[1] === 0x8b) {
    if (!/\.(log|json|ndjson|jsonl|csv|tsv|txt|cef|syslog)\.gz$/i.test(path) && !isLogFormat(override))
      return { format: 'none', reason: 'gzip archive (not a compressed log by its name)', gzip: false };
    gzip = true;
    sample = await readHeadGzip(path, SAMPLE_BYTES);
  }
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
  return { ...found, gzip };
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

/** Classifies a file by its first bytes; `name` is only a hint (Sentinel exports, Zeek JSON). */
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
  const head = nonBlank.slice(0, 20);
  if (head.filter((l) => CEF_MARK.test(l.slice(0, 400))).length * 2 >= head.length)
    return { format: 'cef', reason: 'most of the first lines carry "CEF:n|"' };

  if (trimmed.startsWith('[')) {
    const keys = [...text.matchAll(/"([A-Za-z_][A-Za-z0-9_]*)"\s*:/g)].map((m) => m[1]);
    if (knownColumns(keys, schemas) >= 2)
      return { format: 'sentinel-json', reason: 'JSON array of table rows' };
    return { format: null, reason: 'JSON array whose keys are not table columns' };
  }
  if (first.startsWith('{')) {
    let obj: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(first);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        obj = parsed as Record<string, unknown>;
    } catch {
      return { format: null, reason: 'first line is not valid JSON' };
    }
    if (!obj) return { format: null, reason: 'first line is not a JSON object' };
    const keys = Object.keys(obj);
    if ('event_type' in obj && 'timestamp' in obj)
      return { format: 'suricata-eve', reason: 'Suricata EVE JSON (event_type, timestamp)' };
    if ('ts' in obj && ('uid' in obj || 'id.orig_h' in obj)) {
      const zeekKind =
        'conn_state' in obj || 'history' in obj
          ? 'conn'
          : 'query' in obj || 'qtype' in obj
            ? 'dns'
            : undefined;
      return { format: 'zeek-json', reason: `Zeek ${zeekKind ?? 'log'} JSON lines` };
    }
    if (knownColumns(keys, schemas) >= 2 || 'TimeGenerated' in obj || 'Timestamp' in obj)
      return { format: 'sentinel-ndjson', reason: 'JSON lines of table rows' };
    return { format: null, reason: 'JSON lines whose keys are not table columns' };
  }
  if (NFDUMP_HEADER.test(first))
    return { format: 'nfdump-csv', reason: 'nfdump CSV header (ts,te,td,sa,da,…)' };
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
  return { format: null, reason: 'text in no known log format' };
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
