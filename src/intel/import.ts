/**
 * One entry point for intel files: detect the format, run its importer, deduplicate. Detection looks at
 * content, not file names: JSON with `query_status` is a ThreatFox API response, JSON keyed by IOC id
 * with `ioc_value` entries is the JSON export, CSV with ThreatFox's header is the CSV export, and
 * anything else is free text (reports, pasted tables) for the extractor.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { extractIndicators } from './extract.js';
import { dedupe, type Indicator } from './model.js';
import {
  isThreatFoxApi,
  isThreatFoxExport,
  looksLikeThreatFoxCsv,
  parseThreatFoxApi,
  parseThreatFoxCsv,
  parseThreatFoxExport,
  type IntelReject,
  type ParseResult,
} from './threatfox.js';

export type IntelFormat = 'threatfox-api' | 'threatfox-json' | 'threatfox-csv' | 'text';

export interface ImportOptions {
  /** 'threatfox-json' covers both the API response and the keyed-by-id export. */
  format?: 'threatfox-json' | 'threatfox-csv' | 'text' | 'auto';
  /** Path written into rejects and `_Source` (default: `path` as given). */
  displayPath?: string;
}

export interface ImportResult {
  indicators: Indicator[];
  rejects: IntelReject[];
  format: string;
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
    };
  }
  return importIntelText(raw.replace(/^\uFEFF/, ''), file, options.format ?? 'auto');
}

/** The same, on text already in memory (stdin, tests). */
export function importIntelText(
  raw: string,
  file: string,
  format: ImportOptions['format'] = 'auto',
): ImportResult {
  const json = format === 'auto' || format === 'threatfox-json' ? tryJson(raw) : undefined;
  let detected: IntelFormat;
  let result: ParseResult;
  if (json !== undefined && isThreatFoxApi(json)) {
    detected = 'threatfox-api';
    result = parseThreatFoxApi(json, raw, file);
  } else if (json !== undefined && (format === 'threatfox-json' || isThreatFoxExport(json))) {
    detected = 'threatfox-json';
    result = parseThreatFoxExport(json, raw, file);
  } else if (format === 'threatfox-json') {
    return {
      indicators: [],
      rejects: [{ file, line: 1, reason: 'not valid JSON' }],
      format: 'threatfox-json',
    };
  } else if (format === 'threatfox-csv' || (format === 'auto' && looksLikeThreatFoxCsv(raw))) {
    detected = 'threatfox-csv';
    result = parseThreatFoxCsv(raw, file);
  } else {
    detected = 'text';
    result = { indicators: extractIndicators(raw, basename(file), file), rejects: [] };
  }
  return { indicators: dedupe(result.indicators), rejects: result.rejects, format: detected };
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
