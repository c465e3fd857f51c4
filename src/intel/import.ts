/**
 * One entry point for intel: detect each input's format from its content (never its name), run that
 * importer, deduplicate. `importIntelPath` takes a file, a directory (every file below it) or `-`
 * (stdin). Detection order, first match wins:
 *   JSON → ThreatFox API (`query_status`) | ThreatFox export (id → [{ioc_value}]) | STIX (bundle or
 *          typed objects) | MISP event | MISP feed manifest;
 *   text → ThreatFox CSV (its header) | CSV with a recognisable value column | plain list (one token a
 *          line) | HTML | free text.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { dedupe, type Indicator, type IntelReject, type ParseResult } from './model.js';
import {
  isThreatFoxApi,
  isThreatFoxExport,
  looksLikeThreatFoxCsv,
  parseThreatFoxApi,
  parseThreatFoxCsv,
  parseThreatFoxExport,
  threatFoxCsvImporter,
} from './importers/threatfox.js';
import { isStix, parseStix } from './importers/stix.js';
import { isMispEvent, isMispManifest, parseMispEvent, parseMispManifest } from './importers/misp.js';
import { csvImporter, looksLikeIndicatorCsv, parseColumnSpec, parseCsv } from './importers/csv.js';
import { listImporter, looksLikeList, parseList } from './importers/list.js';
import { parseLineChunks, type LineImporter } from './importers/lines.js';
import { looksLikeHtml, parseText } from './importers/text.js';
import { clipRejects } from '../util/reason.js';
import { walkPathsSync } from '../util/walk.js';

export const INTEL_FORMATS = [
  'threatfox-api',
  'threatfox-json',
  'threatfox-csv',
  'stix',
  'misp',
  'misp-manifest',
  'csv',
  'list',
  'html',
  'text',
] as const;
export type IntelFormat = (typeof INTEL_FORMATS)[number];

export interface ImportOptions {
  /** Force a format; `auto` (default) detects. `threatfox-json` covers the API response and the export. */
  format?: IntelFormat | 'auto';
  /** Path written into rejects and `_Source` (default: `path` as given). */
  displayPath?: string;
  /** CSV column mapping, `value=ioc,type=kind,…` (implies `csv` when the format is auto). */
  columns?: string;
  /** Overrides every indicator's `source` (a feed's name). */
  source?: string;
}

export interface ImportResult {
  indicators: Indicator[];
  rejects: IntelReject[];
  format: string;
  /** Well-formed entries of types Telltale does not model (MISP `text`, STIX `malware`…). */
  skipped?: number;
  /** The file this result is for (directory imports give one per file). */
  file?: string;
}

export function importIntelFile(path: string, options: ImportOptions = {}): ImportResult {
  const file = options.displayPath ?? path;
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    return {
      indicators: [],
      rejects: [{ file, line: 0, reason: (err as Error).message }],
      format: 'unreadable',
      file,
    };
  }
  return { ...importIntelText(raw.replace(/^\uFEFF/, ''), file, options.format ?? 'auto', options), file };
}

/** A file, every file below a directory (sorted; dot-files skipped), or `-` for stdin: one result each. */
export function importIntelPath(path: string, options: ImportOptions = {}): ImportResult[] {
  if (path === '-') return [stdinResult(options)];
  const files = directoryFiles(path);
  if (!files) return [importIntelFile(path, options)];
  return files.map((f) => importIntelFile(f, { ...options, displayPath: undefined }));
}

function stdinResult(options: ImportOptions): ImportResult {
  const raw = readFileSync(0, 'utf8');
  return {
    ...importIntelText(raw, options.displayPath ?? 'stdin', options.format ?? 'auto', options),
    file: 'stdin',
  };
}

/** Every file below `path` when it is a directory (MISP `manifest.json` skipped: its events are files of their own). */
function directoryFiles(path: string): string[] | undefined {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // importIntelFile reports the unreadable path as a reject.
  }
  return isDir ? filesUnder(path).filter((f) => !/(^|\/)manifest\.json$/.test(f)) : undefined;
}

export interface StreamOptions extends ImportOptions {
  /** Line-based files larger than this are parsed in chunks of about this size (default 4 MiB). */
  chunkBytes?: number;
}

/** One input file of an import, parsed lazily. */
export interface ImportStream {
  file: string;
  format: string;
  /**
   * Its parse results in input order: one for most files; one per chunk of lines for large ThreatFox
   * CSV, CSV and plain-list files, which are never held whole (and not deduplicated here: the store does).
   */
  chunks: AsyncIterable<ParseResult>;
}

/** `importIntelPath` for the store: the same files and formats, large line-based files streamed. */
export function importIntelStreams(path: string, options: StreamOptions = {}): ImportStream[] {
  if (path === '-') return [wholeStream(stdinResult(options))];
  const files = directoryFiles(path);
  if (!files) return [streamFile(path, options)];
  return files.map((f) => streamFile(f, { ...options, displayPath: undefined }));
}

const wholeStream = (r: ImportResult): ImportStream => ({
  file: r.file!,
  format: r.format,
  chunks: (async function* () {
    yield r;
  })(),
});

const LINE_IMPORTERS: Partial<Record<IntelFormat, (file: string, options: ImportOptions) => LineImporter>> = {
  'threatfox-csv': (file) => threatFoxCsvImporter(file),
  csv: (file, options) => csvImporter(file, options.columns ? parseColumnSpec(options.columns) : undefined),
  list: (file) => listImporter(file),
};

function streamFile(path: string, options: StreamOptions): ImportStream {
  const chunkBytes = options.chunkBytes ?? 4 << 20;
  const file = options.displayPath ?? path;
  let head: string;
  try {
    if (statSync(path).size <= chunkBytes) return wholeStream(importIntelFile(path, options));
    head = readHead(path);
  } catch {
    return wholeStream(importIntelFile(path, options)); // which reports the unreadable file
  }
  if (binaryReason(head)) return wholeStream(importIntelFile(path, options)); // which refuses it
  const json = /^\s*[[{]/.test(head);
  const format =
    options.format && options.format !== 'auto'
      ? options.format
      : json
        ? undefined
        : detect(head, undefined, options);
  let importer: LineImporter | undefined;
  try {
    importer = format && LINE_IMPORTERS[format]?.(file, options);
  } catch {
    importer = undefined; // a bad --columns: the whole-file path reports it
  }
  if (!importer) return wholeStream(importIntelFile(path, options));
  const parser = importer;
  return {
    file,
    format: format!,
    chunks: (async function* () {
      for await (const result of parseLineChunks(parser, path, file, { chunkBytes }))
        yield {
          ...result,
          indicators: withSource(result.indicators, options.source),
          rejects: clipRejects(result.rejects),
        };
    })(),
  };
}

/**
 * Binary input (a pcap, an executable, random bytes, a compressed feed) is refused: read as text, its
 * byte noise yields "indicators" such as `n.it` or a random MD5. Judged on the first 8 KiB decoded: a
 * NUL, or more than 1% (and more than 4) control characters and invalid UTF-8 sequences.
 */
export function binaryReason(text: string): string | undefined {
  const head = text.slice(0, 8192);
  if (head.includes('\0')) return 'binary input (NUL bytes): not a text feed';
  const noise = head.match(/[\u0001-\u0008\u000e-\u001a\u001c-\u001f\u007f\ufffd]/g)?.length ?? 0;
  if (noise > Math.max(4, head.length / 100))
    return `binary input (${noise} control or invalid UTF-8 bytes in the first ${head.length}): not a text feed`;
  return undefined;
}

/** The first 64 KiB up to the last whole line (what detection looks at), BOM dropped. */
function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    const text = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
    return text.slice(0, text.lastIndexOf('\n') + 1).replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

const withSource = (indicators: Indicator[], source?: string): Indicator[] =>
  source ? indicators.map((i) => ({ ...i, source })) : indicators;

/**
 * Every file below `dir`, through the project's one walker (util/walk.ts: links out of the folder,
 * loops and special files skipped), sorted by path; dot-files and dot-folders skipped.
 */
export function filesUnder(dir: string): string[] {
  const hidden = (file: string) =>
    relative(dir, file)
      .split(sep)
      .some((part) => part.startsWith('.'));
  return walkPathsSync([dir])
    .files.filter((f) => !hidden(f))
    .sort();
}

function detect(raw: string, json: unknown, options: ImportOptions): IntelFormat {
  if (options.columns) return 'csv';
  if (json !== undefined) {
    if (isThreatFoxApi(json)) return 'threatfox-api';
    if (isThreatFoxExport(json)) return 'threatfox-json';
    if (isStix(json)) return 'stix';
    if (isMispEvent(json)) return 'misp';
    if (isMispManifest(json)) return 'misp-manifest';
    return 'text';
  }
  if (looksLikeThreatFoxCsv(raw)) return 'threatfox-csv';
  if (looksLikeIndicatorCsv(raw)) return 'csv';
  if (looksLikeList(raw)) return 'list';
  if (looksLikeHtml(raw)) return 'html';
  return 'text';
}

/** The same, on text already in memory (stdin, feeds, tests). */
export function importIntelText(
  raw: string,
  file: string,
  format: ImportOptions['format'] = 'auto',
  options: ImportOptions = {},
): ImportResult {
  const binary = binaryReason(raw);
  if (binary) return { indicators: [], rejects: [{ file, line: 0, reason: binary }], format: 'binary' };
  const wantsJson =
    format === 'auto' ||
    ['threatfox-api', 'threatfox-json', 'stix', 'misp', 'misp-manifest'].includes(format);
  const json = wantsJson ? tryJson(raw) : undefined;
  const detected = format === 'auto' ? detect(raw, json, options) : format;
  if (
    json === undefined &&
    ['threatfox-api', 'threatfox-json', 'stix', 'misp', 'misp-manifest'].includes(detected)
  )
    return { indicators: [], rejects: [{ file, line: 1, reason: 'not valid JSON' }], format: detected };
  let result: ParseResult;
  switch (detected) {
    case 'threatfox-api':
    case 'threatfox-json':
      result = isThreatFoxApi(json)
        ? parseThreatFoxApi(json, raw, file)
        : parseThreatFoxExport(json, raw, file);
      break;
    case 'threatfox-csv':
      result = parseThreatFoxCsv(raw, file);
      break;
    case 'stix':
      result = parseStix(json, raw, file);
      break;
    case 'misp':
      result = parseMispEvent(json, raw, file);
      break;
    case 'misp-manifest':
      result = isMispManifest(json)
        ? parseMispManifest(json as Record<string, unknown>, file)
        : { indicators: [], rejects: [{ file, line: 1, reason: 'not a MISP feed manifest' }] };
      break;
    case 'csv':
      try {
        result = parseCsv(raw, file, options.columns ? parseColumnSpec(options.columns) : undefined);
      } catch (err) {
        result = { indicators: [], rejects: [{ file, line: 0, reason: (err as Error).message }] };
      }
      break;
    case 'list':
      result = parseList(raw, file);
      break;
    default:
      result = parseText(raw, file, detected === 'html');
  }
  return {
    indicators: withSource(dedupe(result.indicators), options.source),
    rejects: clipRejects(result.rejects), // a reason may quote a 2 MB bad value
    format: detected,
    ...(result.skipped ? { skipped: result.skipped } : {}),
  };
}

function tryJson(raw: string): unknown {
  const start = raw.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
