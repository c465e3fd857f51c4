/**
 * The intel pipeline as the CLI and the library use it: import files into the persistent store
 * (detect → parse → flag warning-listed → upsert), export from it, and the stats summary. Each step
 * is one call so `telltale intel …` stays a thin shell.
 */
import type { IndicatorType, IntelReject } from './model.js';
import { importIntelStreams, type ImportResult, type StreamOptions } from './import.js';
import { flagWarninglisted, loadWarninglists } from './warninglists.js';
import type { TtlDays } from './lifecycle.js';
import { IntelStore, type ImportCounts, type IntelFilter, type StoredIndicator } from './store.js';
import { EXPORTERS, type ExportFile } from './exporters/index.js';
import { statusOf, type StoreSummary, type Totals } from './report.js';

export type { FamilySummary, StoreSummary } from './report.js';
import { append } from '../util/append.js';

export interface StoreImportOptions extends StreamOptions {
  now?: Date;
  ttl?: Readonly<TtlDays>;
  /** Extra allow-list files (MISP JSON or plain lists) on top of the bundled lists and the user's folder. */
  allowlists?: string[];
}

export interface FileImport extends Omit<ImportResult, 'indicators'>, ImportCounts {
  file: string;
}

/**
 * Imports each path (file, directory or `-`) into the store, one transaction per file: a file whose
 * upsert fails leaves nothing behind, and the next file still imports. Large line-based files go
 * through in chunks (parse → flag → stage), so memory does not grow with the file.
 */
export async function importIntoStore(
  store: IntelStore,
  paths: string[],
  options: StoreImportOptions = {},
): Promise<FileImport[]> {
  const lists = loadWarninglists(options.allowlists ?? []);
  const out: FileImport[] = [];
  for (const path of paths) {
    for (const { file, format, chunks } of importIntelStreams(path, options)) {
      const rejects: IntelReject[] = [];
      let skipped = 0;
      const batch = await store.beginImport({ now: options.now, ttl: options.ttl });
      try {
        for await (const chunk of chunks) {
          append(rejects, chunk.rejects);
          skipped += chunk.skipped ?? 0;
          await batch.add(flagWarninglisted(chunk.indicators, lists));
        }
      } catch (err) {
        await batch.abort();
        throw err;
      }
      out.push({ file, format, rejects, ...(skipped ? { skipped } : {}), ...(await batch.commit()) });
    }
  }
  return out;
}

export interface ExportRequest extends Omit<IntelFilter, 'warninglisted' | 'includeWarninglisted'> {
  format: string;
  title?: string;
  now?: Date;
}

/** Runs an exporter on the store's indicators that pass the filter; warning-listed ones never leave. */
export async function exportFromStore(store: IntelStore, request: ExportRequest): Promise<ExportFile[]> {
  const exporter = EXPORTERS[request.format];
  if (!exporter)
    throw new Error(
      `unknown export format ${JSON.stringify(request.format)} (known: ${Object.keys(EXPORTERS).join(', ')})`,
    );
  const now = request.now ?? new Date();
  const indicators = await store.list({ ...request, warninglisted: false }, now);
  return exporter(indicators, { title: request.title, now });
}

/**
 * Seed 002's "IOC Summary" (per malware family: its total, its types and its table rows) plus store
 * totals, built one indicator at a time so a million-indicator store is counted, not held.
 */
export class SummaryBuilder {
  private readonly families = new Map<
    string,
    { total: number; types: Set<IndicatorType>; rows: StoredIndicator[] }
  >();
  private readonly totals: Totals = {
    total: 0,
    byType: new Map(),
    byStatus: new Map(),
    bySource: new Map(),
    sighted: 0,
  };

  constructor(
    private readonly now: Date,
    private readonly rows = Infinity,
  ) {}

  add(i: StoredIndicator): void {
    const name = i.malware ?? '(unknown family)';
    let family = this.families.get(name);
    if (!family) this.families.set(name, (family = { total: 0, types: new Set(), rows: [] }));
    family.total++;
    family.types.add(i.type);
    if (family.rows.length < this.rows) family.rows.push(i);
    const t = this.totals;
    t.total++;
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    bump(t.byType, i.type);
    bump(t.byStatus, statusOf(i, this.now));
    bump(t.bySource, i.source);
    if (i.sightings > 0) t.sighted++;
  }

  result(): StoreSummary {
    const families = [...this.families]
      .map(([family, f]) => ({ family, total: f.total, types: [...f.types].sort(), indicators: f.rows }))
      .sort((a, b) => b.total - a.total || a.family.localeCompare(b.family));
    return { ...this.totals, families };
  }
}

/** The summary of the store's indicators that `filter` selects, streamed; at most `rows` table rows per family. */
export async function summariseStore(
  store: IntelStore,
  filter: IntelFilter,
  now: Date,
  rows = Infinity,
): Promise<StoreSummary> {
  const builder = new SummaryBuilder(now, rows);
  for await (const batch of store.batches(filter, now)) for (const i of batch) builder.add(i);
  return builder.result();
}
