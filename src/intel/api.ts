/**
 * The threat-intel store as a library: each call opens the store (a DuckDB file), does one job and
 * closes it. `telltale intel …` is a thin shell over these; src/index.ts re-exports them.
 */
import { importIntelPath, type ImportOptions, type ImportResult } from './import.js';
import { parseTtl } from './lifecycle.js';
import { compact, type Indicator } from './model.js';
import { looksLikeHtml, parseText } from './importers/text.js';
import { refang } from './refang.js';
import { defaultIntelDbPath, IntelStore, type IntelFilter, type StoredIndicator } from './store.js';
import {
  exportFromStore,
  importIntoStore,
  summariseStore,
  type ExportRequest,
  type FileImport,
  type StoreSummary,
} from './pipeline.js';
import type { ExportFile } from './exporters/index.js';
import { threatfoxFeed, updateFeed, type FeedSpec, type UpdateResult } from './feeds.js';
import type { IntelFormat } from './import.js';

export interface IntelDbOption {
  /** The store file (default `defaultIntelDbPath()`: `$TELLTALE_INTEL_DB`, else under XDG data home). */
  db?: string;
}

/** Opens the store, runs `job`, closes the store even when `job` throws. */
async function withIntelStore<T>(db: string | undefined, job: (store: IntelStore) => Promise<T>): Promise<T> {
  const store = await IntelStore.open(db ?? defaultIntelDbPath());
  try {
    return await job(store);
  } finally {
    store.close();
  }
}

export interface IntelImportOptions extends IntelDbOption, ImportOptions {
  /** Expiry in days by type when the source gives none: `ip=14,domain=180,hash=3650`. */
  ttl?: string;
  /** Extra allow lists (MISP JSON or one value/CIDR a line) on top of the bundled ones. */
  allowlists?: string[];
  /** The import's clock (default: now). */
  now?: Date;
}

/** `intel import`: every path (file, folder or `-` for stdin) into the store, one transaction per file. */
export function importIntel(paths: string[], options: IntelImportOptions = {}): Promise<FileImport[]> {
  const ttl = parseTtl(options.ttl);
  const { db, ...rest } = options;
  return withIntelStore(db, (store) => importIntoStore(store, paths, { ...rest, ttl }));
}

/** `intel import --dry-run`: parse without storing, one result per file. */
export function parseIntel(paths: string[], options: ImportOptions = {}): ImportResult[] {
  return paths.flatMap((p) => importIntelPath(p, options));
}

/** `intel extract`: the indicators a free-text, markdown or HTML report names (refanged, deduplicated). */
export function extractReportIndicators(text: string, file: string): Indicator[] {
  return parseText(text, file, looksLikeHtml(text)).indicators;
}

export interface IntelQueryOptions extends IntelDbOption {
  /** The clock for expiry (default: now). */
  now?: Date;
}

/** `intel list`: the stored indicators the filter selects. */
export function listIntel(
  filter: IntelFilter = {},
  options: IntelQueryOptions = {},
): Promise<StoredIndicator[]> {
  return withIntelStore(options.db, (store) => store.list(filter, options.now ?? new Date()));
}

export interface IndicatorRecord extends StoredIndicator {
  sightingLog: Array<{ sightedAt: string; count: number; hunts: string[] }>;
}

/** `intel show`: every stored record of one value (refanged; also tried lower-cased), with its sightings. */
export function showIntel(value: string, options: IntelDbOption = {}): Promise<IndicatorRecord[]> {
  const clean = refang(value.trim());
  return withIntelStore(options.db, async (store) => {
    const list = await store.list({ values: [clean.toLowerCase(), clean] });
    return Promise.all(list.map(async (i) => ({ ...i, sightingLog: await store.sightingsOf(i.key) })));
  });
}

/** `intel stats`: per malware family its total, types and first `rows` indicators, plus store totals. */
export function intelStats(
  filter: IntelFilter = {},
  options: IntelQueryOptions & { rows?: number } = {},
): Promise<StoreSummary> {
  return withIntelStore(options.db, (store) =>
    summariseStore(store, filter, options.now ?? new Date(), options.rows),
  );
}

/** `intel remove`: delete what the filter selects (or mark it revoked); returns how many. */
export function removeIntel(
  filter: IntelFilter,
  options: IntelQueryOptions & { revoke?: boolean } = {},
): Promise<number> {
  return withIntelStore(options.db, (store) =>
    store.remove(filter, { revoke: options.revoke, now: options.now }),
  );
}

/** `intel export`: blocklist/feed files (EXPORTERS names the formats); warning-listed values never leave. */
export function exportIntel(request: ExportRequest & IntelDbOption): Promise<ExportFile[]> {
  const { db, ...rest } = request;
  return withIntelStore(db, (store) => exportFromStore(store, rest));
}

export interface IntelUpdateOptions extends IntelDbOption {
  /** threatfox: IOCs of the last n days (1-7; default 1). */
  days?: number;
  /** Store a URL feed under this name (default: the URL without its scheme). */
  name?: string;
  /** URL feeds: the input format (default auto-detected). */
  format?: IntelFormat | 'auto';
  timeoutMs?: number;
  retries?: number;
  maxBytes?: number;
}

/** What a feed argument means: "threatfox", a URL, or the name of a feed fetched before. */
function feedSpec(feed: string, known: Map<string, string>, options: IntelUpdateOptions): FeedSpec {
  if (feed === 'threatfox') return threatfoxFeed(options.days ?? 1);
  if (/^https?:\/\//i.test(feed))
    return { name: options.name ?? feed.replace(/^https?:\/\//i, ''), url: feed, format: options.format };
  return { name: feed, url: known.get(feed) ?? feed, format: options.format };
}

/** `intel update`: fetch each feed (default: every feed fetched before) and import it whole or not at all. */
export function updateIntel(feeds: string[], options: IntelUpdateOptions = {}): Promise<UpdateResult[]> {
  // unset options keep fetchFeed's defaults
  const fetchOptions = compact({
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    maxBytes: options.maxBytes,
  });
  return withIntelStore(options.db, async (store) => {
    const known = new Map((await store.feeds()).map((f) => [String(f.name), String(f.url)]));
    const results: UpdateResult[] = [];
    for (const feed of feeds.length ? feeds : [...known.keys()])
      results.push(await updateFeed(store, feedSpec(feed, known, options), fetchOptions));
    return results;
  });
}
