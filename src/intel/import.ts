/**
 * One entry point for intel: detect each input's format from its content (never its name), run that
 * importer, deduplicate. `importIntelPath` takes a file, a directory (every file below it) or `-`
 * (stdin). Detection order, first match wins:
 *   JSON → ThreatFox API (`query_status`) | ThreatFox export (id → [{ioc_value}]) | STIX (bundle or
 *          typed objects) | MISP event | MISP feed manifest;
 *   text → ThreatFox CSV (its header) | CSV with a recognisable value column | plain list (one token a
 *          line) | HTML | free text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dedupe, type Indicator, type IntelReject, type ParseResult } from './model.js';
import {
  isThreatFoxApi,
  isThreatFoxExport,
  looksLikeThreatFoxCsv,
  parseThreatFoxApi,
  parseThreatFoxCsv,
  parseThreatFoxExport,
} from './importers/threatfox.js';
import { isStix, parseStix } from './importers/stix.js';
import { isMispEvent, isMispManifest, parseMispEvent, parseMispManifest } from './importers/misp.js';
import { looksLikeIndicatorCsv, parseColumnSpec, parseCsv } from './importers/csv.js';
import { looksLikeList, parseList } from './importers/list.js';
import { looksLikeHtml, parseText } from './importers/text.js';

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
  if (path === '-') {
    const raw = readFileSync(0, 'utf8');
    return [
      {
        ...importIntelText(raw, options.displayPath ?? 'stdin', options.format ?? 'auto', options),
        file: 'stdin',
      },
    ];
  }
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // importIntelFile reports the unreadable path as a reject.
  }
  if (!isDir) return [importIntelFile(path, options)];
  return filesUnder(path)
    .filter((f) => !/(^|\/)manifest\.json$/.test(f)) // its events are imported as files of their own
    .map((f) => importIntelFile(f, { ...options, displayPath: undefined }));
}

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
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
  let indicators = dedupe(result.indicators);
  if (options.source) indicators = indicators.map((i) => ({ ...i, source: options.source! }));
  return {
    indicators,
    rejects: result.rejects,
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
