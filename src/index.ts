/**
 * Telltale's public API: the one place that wires the stages (intel → store, telemetry → store,
 * scan, hunts → findings), and the one door of the CLI (a lint rule holds src/cli/ to it). What a
 * Node user imports; docs/api.md describes it with examples.
 */
import { Store } from './store/db.js';
import { storeSizing } from './store/sizing.js';
import { ingestPaths, type IngestOptions } from './telemetry/ingest.js';
import type { IngestLedger } from './telemetry/types.js';
import { scanInputs, scanPaths, scanResultRows, type FileResult, type HashName } from './scan/index.js';
import { coerceRow, type Row } from './store/coerce.js';
import { collectIndicators } from './intel/collect.js';
import {
  loadRunIndicators,
  prepareRunIntel,
  storedHashTypes,
  storedIndicatorsWithValues,
} from './intel/run.js';
import { recordSightings } from './intel/sightings.js';
import { TI_TABLE } from './intel/ti-select.js';
import { TI_STIX_TABLE } from './intel/ti-indicators.js';
import { referencesName } from './kql/syntax.js';
import { loadHunts, bundledHuntsDir } from './hunts/loader.js';
import { runHunts, type HuntRun } from './hunts/runner.js';
import { warmHuntCompilation } from './hunts/warm-up.js';
import { dataTimeRange } from './hunts/window.js';
import { loadExclusions, bundledExclusionsDir } from './hunts/exclusions/load.js';
import { isExpired, type Exclusion } from './hunts/exclusions/model.js';
import { lintExclusions, type LintIssue } from './hunts/exclusions/lint.js';
import { entityView } from './hunts/entity-view.js';
import { hashFindings, hashIndicatorIndex, hashTypes, yaraFindings } from './hunts/file-findings.js';
import { SEVERITY_ORDER } from './hunts/model.js';
import type { Finding } from './hunts/findings.js';
import { mergeIncidents } from './hunts/incidents.js';
import { armTemplate, huntingYaml, prepareSentinelHunts, type ExportedHunt } from './export/sentinel.js';
import type { Skipped, WalkOptions } from './util/walk.js';
import type {
  ExclusionUse,
  HuntOptions,
  HuntResult,
  InputAccount,
  IntelOptions,
  LoadedIntel,
  ScanCommandOptions,
  ScanCommandResult,
} from './types.js';

// ---- Types of the API's options and results
export type * from './types.js';
export type { Finding } from './hunts/findings.js';
export type { DeviceView } from './hunts/entity-view.js';
export type { HuntRun, TableCoverage } from './hunts/runner.js';
export type { Hunt, Severity } from './hunts/model.js';
export type { Exclusion } from './hunts/exclusions/model.js';
export type { LintIssue } from './hunts/exclusions/lint.js';
export type { IngestLedger, Reject } from './telemetry/types.js';
export { LOG_FORMATS, type LogFormat } from './telemetry/types.js';
export type { Skipped, WalkOptions } from './util/walk.js';
export type { ScanReport, RuleFileDescription } from './scan/index.js';
export type { ExportedHunt } from './export/sentinel.js';

// ---- Stores and KQL
export { Store } from './store/db.js';
export { runKql, compileKql, KqlError } from './kql/index.js';
export { asimVendors } from './asim/presence.js';

// ---- Hunts, exclusions and YARA rules as content
export { loadHunts, parseHunt, bundledHuntsDir } from './hunts/loader.js';
export { loadExclusions, bundledExclusionsDir } from './hunts/exclusions/load.js';
export {
  scanResultRows,
  describeRules,
  describePatterns,
  allPids,
  DEFAULT_MAX_FILE_SIZE,
} from './scan/index.js';

// ---- Threat intel: the run's indicators, and the persistent store (`telltale intel …`)
export { collectIndicators } from './intel/collect.js';
export {
  importIntel,
  parseIntel,
  extractReportIndicators,
  listIntel,
  showIntel,
  intelStats,
  removeIntel,
  exportIntel,
  updateIntel,
  type IntelDbOption,
  type IntelImportOptions,
  type IntelQueryOptions,
  type IntelUpdateOptions,
  type IndicatorRecord,
} from './intel/api.js';
export { defaultIntelDbPath, type IntelFilter, type StoredIndicator } from './intel/store.js';
export { INTEL_FORMATS, type ImportResult, type IntelFormat } from './intel/import.js';
export { parseTtl } from './intel/lifecycle.js';
export { INDICATOR_TYPES, type Indicator, type IndicatorType } from './intel/model.js';
export { EXPORTERS, fileParts, fileText, type ExportFile } from './intel/exporters/index.js';
export type { FileImport, StoreSummary, FamilySummary } from './intel/pipeline.js';
export type { UpdateResult } from './intel/feeds.js';
export { listRow, LIST_COLUMNS, summaryText, totalsText } from './intel/report.js';

// ---- Rendering: findings and rows as table/json/ndjson/csv, the incident report
export { renderFindings, renderRows, OUTPUT_FORMATS, type OutputFormat } from './output/findings.js';
export { stripControl } from './output/sanitize.js';
export { reportRun, REPORT_FORMATS, type ReportFormat } from './report/index.js';
export { packageRoot } from './util/paths.js';

/** `telltale exclusions lint`: load exclusion files and lint every entry, enabled or not. */
export async function lintExclusionFiles(
  paths: string[],
  now: Date = new Date(),
): Promise<{ count: number; issues: LintIssue[] }> {
  const exclusions = loadExclusions(paths);
  return { count: exclusions.length, issues: await lintExclusions(exclusions, now) };
}

export interface SentinelExportOptions extends IntelOptions {
  /** Hunt files or folders (default: the bundled hunts). */
  hunts?: string[];
  /** Exclusion files or folders, added to the bundled ones; the enabled ones are folded into the queries. */
  exclusions?: string[];
  /** The clock for indicator and exclusion expiry (default: now). */
  now?: Date;
}

export interface SentinelExport {
  hunts: ExportedHunt[];
  /** One hunting-query YAML per hunt (`<key>.yaml`), in the Azure-Sentinel repository's format. */
  yaml: Array<{ name: string; text: string }>;
  /** Every hunt as one ARM template of saved searches (`telltale-hunts.arm.json`). */
  armTemplate: string;
}

/** `telltale export sentinel`: the hunts with their IOC lists filled from the indicators and exclusions folded in. */
export async function exportSentinel(options: SentinelExportOptions = {}): Promise<SentinelExport> {
  const now = options.now ?? new Date();
  const { store } = await openLoadedStore([], { ...options, now });
  try {
    const hunts = await prepareSentinelHunts(store, loadHunts(options.hunts ?? [bundledHuntsDir]), {
      now,
      exclusions: loadExclusions([bundledExclusionsDir, ...(options.exclusions ?? [])]),
    });
    return {
      hunts,
      yaml: hunts.map((e) => ({ name: `${e.hunt.key}.yaml`, text: huntingYaml(e) })),
      armTemplate: JSON.stringify(armTemplate(hunts), null, 2) + '\n',
    };
  } finally {
    store.close();
  }
}

/** A file the ingest could not open or refused whole (line 0 reject): read neither as log nor scanned. */
function unreadLedger(l: IngestLedger): boolean {
  return l.ingested === 0 && l.rejected.length === 1 && l.rejected[0].line === 0 && l.read === 1;
}

function ledgerSkips(ledgers: IngestLedger[]): Skipped[] {
  return ledgers
    .filter(unreadLedger)
    .map((l) => ({ path: l.file, reason: l.rejected[0].reason, incomplete: true as const }));
}

/** Digests a scan must compute: those of the run's hash indicators, in memory and in the intel store. */
async function runHashTypes(intel: LoadedIntel, options: IntelOptions, now: Date): Promise<HashName[]> {
  const stored = (await storedHashTypes(options, now)) as HashName[];
  return [...new Set([...hashTypes(intel.indicators), ...stored])];
}

const withSha256 = (types: HashName[]): HashName[] => [...new Set<HashName>(['sha256', ...types])];

/** Hash indicators for scanned files: the in-memory ones, plus the store's looked up by the files' digests. */
async function runHashIndex(files: FileResult[], intel: LoadedIntel, options: IntelOptions, now: Date) {
  const digests = files.flatMap((f) => [f.md5, f.sha1, f.sha256].filter((d): d is string => !!d));
  return hashIndicatorIndex([
    ...(await storedIndicatorsWithValues(options, digests, now)),
    ...intel.indicators,
  ]);
}

function bySeverityThenTime(a: Finding, b: Finding): number {
  const severity = SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity);
  if (severity !== 0) return severity;
  return a.huntId.localeCompare(b.huntId) || (b.time ?? '').localeCompare(a.time ?? '');
}

/** How many findings (and rows) each exclusion suppressed in this run. */
function exclusionUse(exclusions: Exclusion[], runs: HuntRun[], now: Date): ExclusionUse[] {
  return exclusions.map((exclusion) => {
    const hits = runs.flatMap((r) => r.suppressed).filter((f) => f.suppressedBy === exclusion.id);
    return {
      exclusion,
      findings: hits.length,
      rows: hits.reduce((n, f) => n + (f.count ?? f.evidence.length), 0),
      expired: isExpired(exclusion, now),
    };
  });
}

/** The main job: ingest logs, scan files, run every hunt, return findings. */
export async function hunt(paths: string[], options: HuntOptions = {}): Promise<HuntResult> {
  const now = options.now ?? new Date();
  const exclusions = loadExclusions([bundledExclusionsDir, ...(options.exclusions ?? [])]);
  const enabled = exclusions.filter((e) => e.enabled && !isExpired(e, now));
  const sizing = await storeSizing(paths, {
    db: options.db,
    memoryLimit: options.memoryLimit,
    walk: options.walk,
  });
  const store = await Store.open({ path: options.db, ...sizing });
  try {
    const intel = collectIndicators(options, now);
    const hunts = loadHunts(options.hunts ?? [bundledHuntsDir]).filter((h) => !h.view);
    // what needs no data (loading Kusto.Language, linting the exclusions) runs while DuckDB ingests
    const ingesting = ingestPaths(store, paths, { format: options.format, walk: options.walk });
    const warmUp = warmHuntCompilation();
    const linting = lintExclusions(enabled, now);
    linting.catch(() => undefined); // awaited below, unless the ingest failed first
    let walked: Awaited<typeof ingesting>;
    try {
      walked = await ingesting;
    } finally {
      await warmUp.stop();
    }
    const exclusionIssues = await linting;
    const broken = new Set(exclusionIssues.filter((i) => i.level === 'error').map((i) => i.id));
    const { ledgers, unrecognised } = walked;
    const scan = await scanPaths(unrecognised, {
      rules: options.rules,
      // SHA-256 of every object: the TelltaleFileScan rows feed KQL hunts, which may join on it
      hashes: withSha256(await runHashTypes(intel, options, now)),
    });
    const scanRows = scanResultRows(scan, options.device ?? '', now);
    await store.insertRows(
      scanRows.table,
      scanRows.rows.map((r) => coerceRow(store.schema(scanRows.table), r)),
    );
    const warnings: string[] = [];
    const range = await dataTimeRange(store);
    if (range.outliers > 0)
      warnings.push(
        `${range.outliers} event${range.outliers === 1 ? '' : 's'} dated in the future (latest ${range.latestOutlier?.toISOString()}): outliers, kept off the replay clock (run with --now to set it)`,
      );
    const runIntel = await prepareRunIntel(store, intel.indicators, now, {
      ...options,
      // the table itself, not a comment or a string that spells its name
      readsThreatIntelligence: [...hunts.map((h) => h.query), ...enabled.map((e) => e.predicate)].some(
        (text) => referencesName(text, TI_TABLE) || referencesName(text, TI_STIX_TABLE),
      ),
    });
    let huntRuns: HuntRun[];
    try {
      huntRuns = await runHunts(store, hunts, {
        now: options.now,
        intelNow: options.now, // else the data's clock (runner.ts)
        // --until is exclusive; the window's bound is inclusive
        window: { since: options.since, until: options.until && new Date(options.until.getTime() - 1) },
        minConfidence: options.minConfidence,
        exclusions: enabled.filter((e) => !broken.has(e.id)),
        evidence: options.evidence,
        intelLists: runIntel.intelLists,
        watchlistsDir: options.watchlists,
      });
    } finally {
      await runIntel.release(); // before sightings open the store for writing
    }
    const huntFindings = [
      ...yaraFindings(scan.files),
      ...hashFindings(scan.files, await runHashIndex(scan.files, intel, options, now)),
      ...huntRuns.flatMap((run) => run.findings),
    ].sort(bySeverityThenTime);
    const findings = mergeIncidents(huntFindings);
    if (options.intelDb)
      await recordSightings(options.intelDb, findings, {
        now,
        roots: paths,
        includeWarninglisted: options.includeWarninglisted,
      });
    const errors = [
      ...huntRuns.filter((run) => run.error).map((run) => `hunt ${run.hunt.key}: ${run.error}`),
      ...scan.ruleErrors.map((e) => `rules ${e.file}: ${e.message}`),
    ];
    const result: HuntResult = {
      findings,
      huntFindings,
      ledgers,
      scan,
      huntRuns,
      indicators: { loaded: runIntel.loaded, rejects: intel.rejects },
      errors,
      suppressed: huntRuns.flatMap((run) => run.suppressed).sort(bySeverityThenTime),
      exclusions: exclusionUse(exclusions, huntRuns, now),
      exclusionIssues,
      devices: entityView(huntFindings),
      warnings,
      inputs: {
        named: paths.length,
        read:
          ledgers.filter((l) => !unreadLedger(l)).length + scan.files.filter((f) => f.kind === 'file').length,
        skipped: [...walked.skipped, ...ledgerSkips(ledgers), ...scan.skipped],
      },
    };
    await options.inspect?.(store, result);
    return result;
  } finally {
    store.close();
  }
}

/** Files, stdin, archives, firmware images and process memory: YARA rules plus hash indicators. */
export async function scan(paths: string[], options: ScanCommandOptions = {}): Promise<ScanCommandResult> {
  const now = new Date();
  const intel = collectIndicators(options, now);
  const { buffers, pids, allHashes, hash, ...scanOptions } = options;
  const mode = allHashes ? 'all' : (hash ?? 'needed');
  const needed = await runHashTypes(intel, options, now);
  const hashes: HashName[] =
    mode === 'all' ? ['md5', 'sha1', 'sha256'] : mode === 'sha256' ? withSha256(needed) : needed;
  // A match names its object by SHA-256 (and the indicators' digest types); MD5 and SHA-1 with `all`.
  const matchHashes = mode === 'all' ? hashes : withSha256(needed);
  const report = await scanInputs({ paths, buffers, pids }, { ...scanOptions, hashes, matchHashes });
  const index = await runHashIndex(report.files, intel, options, now);
  const findings = [...yaraFindings(report.files), ...hashFindings(report.files, index)].sort(
    bySeverityThenTime,
  );
  const inputs: InputAccount = {
    named: paths.length + (buffers?.length ?? 0) + (pids?.length ?? 0),
    read: report.files.filter((f) => f.kind !== 'member' && f.kind !== 'carved').length,
    skipped: report.skipped,
  };
  return { report, findings, inputs };
}

/** Ingests logs into a store and returns the ledgers (read = ingested + rejected). */
export async function ingest(
  paths: string[],
  options: {
    db?: string;
    format?: string;
    walk?: WalkOptions;
    memoryLimit?: string;
    onProgress?: IngestOptions['onProgress'];
  } = {},
): Promise<{ ledgers: IngestLedger[]; inputs: InputAccount }> {
  const sizing = await storeSizing(paths, options);
  const store = await Store.open({ path: options.db, ...sizing });
  try {
    const result = await ingestPaths(store, paths, {
      format: options.format,
      walk: options.walk,
      onProgress: options.onProgress,
    });
    const notLogs = result.unrecognised
      .filter((path) => !result.expanded.includes(path)) // an archive whose logs were read
      .map((path) => ({
        path,
        reason: `not a log: ${result.reasons[path]}`,
        incomplete: true as const,
      }));
    return {
      ledgers: result.ledgers,
      inputs: {
        named: paths.length,
        read: result.ledgers.filter((l) => !unreadLedger(l)).length,
        skipped: [...result.skipped, ...result.archiveSkipped, ...ledgerSkips(result.ledgers), ...notLogs],
      },
    };
  } finally {
    store.close();
  }
}

/** `telltale ingest --list`: the files and tables a kept store holds. */
export async function datasets(db: string): Promise<{ files: Row[]; tables: Row[] }> {
  const store = await Store.open({ path: db });
  try {
    return await store.datasets();
  } finally {
    store.close();
  }
}

/** Opens a store holding the given logs and the indicators, for `telltale kql`. */
export async function openLoadedStore(
  paths: string[],
  options: IntelOptions & { db?: string; now?: Date; format?: string } = {},
): Promise<{ store: Store; ledgers: IngestLedger[] }> {
  const store = await Store.open({ path: options.db, ...(await storeSizing(paths, options)) });
  const now = options.now ?? new Date();
  await loadRunIndicators(store, collectIndicators(options, now).indicators, now, options);
  const { ledgers } = await ingestPaths(store, paths, { format: options.format });
  return { store, ledgers };
}
