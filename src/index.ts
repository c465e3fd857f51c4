/**
 * Telltale's public API: the one place that wires the stages (intel → store, telemetry → store,
 * scan, hunts → findings). The CLI calls only this module.
 */
import { Store } from './store/db.js';
import { ingestPaths, type IngestOptions } from './telemetry/ingest.js';
import type { IngestLedger } from './telemetry/types.js';
import {
  scanInputs,
  scanPaths,
  scanResultRows,
  type FileResult,
  type HashName,
  type ScanInputs,
  type ScanOptions,
  type ScanReport,
} from './scan/index.js';
import { coerceRow, type Row } from './store/coerce.js';
import { bundledIndicators } from './intel/bundled.js';
import { importIntelFile } from './intel/import.js';
import type { Indicator } from './intel/model.js';
import { dedupe } from './intel/model.js';
import { flagWarninglisted, loadWarninglists } from './intel/warninglists.js';
import {
  loadRunIndicators,
  prepareRunIntel,
  storedHashTypes,
  storedIndicatorsWithValues,
} from './intel/run.js';
import { recordSightings } from './intel/sightings.js';
import { TI_TABLE } from './intel/ti-table.js';
import { referencesName } from './kql/syntax.js';
import { loadHunts, bundledHuntsDir } from './hunts/loader.js';
import { runHunts, type HuntRun } from './hunts/runner.js';
import { dataTimeRange } from './hunts/window.js';
import { loadExclusions, bundledExclusionsDir } from './hunts/exclusions/load.js';
import { isExpired, type Exclusion } from './hunts/exclusions/model.js';
import { lintExclusions, type LintIssue } from './hunts/exclusions/lint.js';
import { entityView, type DeviceView } from './hunts/entity-view.js';
import { hashFindings, hashIndicatorIndex, hashTypes, yaraFindings } from './hunts/file-findings.js';
import { SEVERITY_ORDER } from './hunts/model.js';
import type { Finding } from './hunts/findings.js';
import { mergeIncidents } from './hunts/incidents.js';
import type { Reject } from './telemetry/types.js';
import { append } from './util/append.js';
import type { Skipped, WalkOptions } from './util/walk.js';

export type { Finding } from './hunts/findings.js';
export type { DeviceView } from './hunts/entity-view.js';
export type { HuntRun } from './hunts/runner.js';
export type { Hunt, Severity } from './hunts/model.js';
export type { LintIssue } from './hunts/exclusions/lint.js';

/** `telltale exclusions lint`: load exclusion files and lint every entry, enabled or not. */
export async function lintExclusionFiles(
  paths: string[],
  now: Date = new Date(),
): Promise<{ count: number; issues: LintIssue[] }> {
  const exclusions = loadExclusions(paths);
  return { count: exclusions.length, issues: await lintExclusions(exclusions, now) };
}
export type { IngestLedger } from './telemetry/types.js';
export type { Skipped, WalkOptions } from './util/walk.js';
export type { ScanReport } from './scan/index.js';
export {
  scanResultRows,
  describeRules,
  describePatterns,
  allPids,
  DEFAULT_MAX_FILE_SIZE,
} from './scan/index.js';
export type { RuleFileDescription } from './scan/index.js';
export { Store } from './store/db.js';
export { runKql, compileKql, KqlError } from './kql/index.js';
export { EXPORTERS, fileText } from './intel/exporters/index.js';
export { prepareSentinelHunts } from './export/sentinel.js';
export type { Indicator } from './intel/model.js';

export interface IntelOptions {
  /** Extra indicator files (ThreatFox JSON/CSV, free text) loaded for this run. */
  intel?: string[];
  /** Load the bundled seed indicators (default true). */
  bundled?: boolean;
  /** The persistent intel store (`telltale intel import --db`): its active indicators join the run, and the run's sightings are recorded in it. */
  intelDb?: string;
  /** Match indicators on a warning list too (default: they are flagged and left out). */
  includeWarninglisted?: boolean;
  /** Extra allow-list files for this run (bundled MISP lists and the user's allow-list folder always apply). */
  allowlists?: string[];
}

export interface HuntOptions extends IntelOptions {
  db?: string;
  /** The clock for ago()/now() and for indicator/exclusion expiry (default: end of data / wall clock). */
  now?: Date;
  /** Only events at or after `since` and before `until`. */
  since?: Date;
  until?: Date;
  rules?: string[];
  /** Whose files these are: the DeviceName of the scan's TelltaleFileScan rows (default ''). */
  device?: string;
  hunts?: string[];
  format?: string;
  /** Exclusion files or folders, added to the bundled ones (content/exclusions/, disabled templates). */
  exclusions?: string[];
  /** Minimum indicator ConfidenceScore (default DEFAULT_MIN_CONFIDENCE). */
  minConfidence?: number;
  /** Evidence rows per finding (default 5), or every row. */
  evidence?: number | 'all';
  /** How folders are walked (links out of the given folders, pseudo file systems). */
  walk?: WalkOptions;
  /** Reads the run's store before it closes (the report's chart queries), with the result. */
  inspect?: (store: Store, result: HuntResult) => Promise<void>;
  /** Sentinel watchlist exports for `_GetWatchlist('alias')`: DIR/alias.csv. */
  watchlists?: string;
}

/**
 * What a run read of what the user named: the base of the exit-code policy (docs/cli.md): nothing read
 * is an error; something not read (an `incomplete` Skipped item) is a warning and a distinct status.
 */
export interface InputAccount {
  /** Inputs the user named (paths, stdin, processes). */
  named: number;
  /** Files read: ingested as a log or scanned. */
  read: number;
  /** Every path not read, or not wholly: walker skips, unreadable files, scan timeouts, non-logs given to ingest. */
  skipped: Skipped[];
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

export interface ExclusionUse {
  exclusion: Exclusion;
  /** Findings it suppressed in this run. */
  findings: number;
  rows: number;
  expired: boolean;
}

export interface HuntResult {
  /** One finding per incident, worst first: each lists in `hunts` every hunt that saw it (per-hunt findings are in `huntRuns`). */
  findings: Finding[];
  /** Each hunt's (and each YARA rule's and hash indicator's) own findings, before incidents were merged. */
  huntFindings: Finding[];
  ledgers: IngestLedger[];
  scan: ScanReport;
  huntRuns: HuntRun[];
  indicators: { loaded: number; rejects: Reject[] };
  errors: string[];
  /** Findings an exclusion suppressed (each has `suppressedBy`), and the count per exclusion. */
  suppressed: Finding[];
  exclusions: ExclusionUse[];
  /** Load-time lint of the enabled exclusions; one with an error (always true/false…) is not applied. */
  exclusionIssues: LintIssue[];
  /** Per device, its findings in time order and a combined severity, worst first. */
  devices: DeviceView[];
  /** What was read of what was named, and every path skipped (walk, ingest and scan together). */
  inputs: InputAccount;
  /** Things the analyst must know that are not errors (future-dated outliers kept off the clock…). */
  warnings: string[];
}

export interface LoadedIntel {
  indicators: Indicator[];
  rejects: Reject[];
}

/** The run's own indicators; `now`, a run's clock, dates the bundled ones (intel/bundled.ts). */
export function collectIndicators(options: IntelOptions, now?: Date): LoadedIntel {
  const indicators: Indicator[] = options.bundled === false ? [] : bundledIndicators(now);
  const rejects: Reject[] = [];
  for (const file of options.intel ?? []) {
    const result = importIntelFile(file);
    append(indicators, result.indicators);
    append(rejects, result.rejects);
  }
  // Warning-listed values (public resolvers, private ranges, top sites…) are flagged, not matched.
  const flagged = flagWarninglisted(dedupe(indicators), loadWarninglists(options.allowlists));
  return {
    indicators: options.includeWarninglisted ? flagged : flagged.filter((i) => !i.warninglists),
    rejects,
  };
}

/** Digests a scan must compute: those of the run's hash indicators, in memory and in the intel store. */
async function runHashTypes(intel: LoadedIntel, options: IntelOptions, now: Date): Promise<HashName[]> {
  const stored = (await storedHashTypes(options, now)) as HashName[];
  return [...new Set([...hashTypes(intel.indicators), ...stored])];
}

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
  const exclusionIssues = await lintExclusions(enabled, now);
  const broken = new Set(exclusionIssues.filter((i) => i.level === 'error').map((i) => i.id));
  const store = await Store.open({ path: options.db });
  try {
    const intel = collectIndicators(options, now);
    const hunts = loadHunts(options.hunts ?? [bundledHuntsDir]).filter((h) => !h.view);
    const walked = await ingestPaths(store, paths, { format: options.format, walk: options.walk });
    const { ledgers, unrecognised } = walked;
    const scan = await scanPaths(unrecognised, {
      rules: options.rules,
      hashes: await runHashTypes(intel, options, now),
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
        (text) => referencesName(text, TI_TABLE),
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

export interface ScanCommandResult {
  report: ScanReport;
  findings: Finding[];
  inputs: InputAccount;
}

export type ScanCommandOptions = IntelOptions &
  Omit<ScanOptions, 'hashes'> &
  Omit<ScanInputs, 'paths'> & {
    /** MD5, SHA-1 and SHA-256 for every object (default: SHA-256, plus the types of the loaded hash indicators). */
    allHashes?: boolean;
  };

/** Files, stdin, archives, firmware images and process memory: YARA rules plus hash indicators. */
export async function scan(paths: string[], options: ScanCommandOptions = {}): Promise<ScanCommandResult> {
  const now = new Date();
  const intel = collectIndicators(options, now);
  const { buffers, pids, allHashes, ...scanOptions } = options;
  const hashes = allHashes
    ? (['md5', 'sha1', 'sha256'] as const).slice()
    : await runHashTypes(intel, options, now);
  const report = await scanInputs({ paths, buffers, pids }, { ...scanOptions, hashes });
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
  const store = await Store.open({ path: options.db, memoryLimit: options.memoryLimit });
  try {
    const result = await ingestPaths(store, paths, {
      format: options.format,
      walk: options.walk,
      onProgress: options.onProgress,
    });
    const notLogs = result.unrecognised.map((path) => ({
      path,
      reason: `not a log: ${result.reasons[path]}`,
      incomplete: true as const,
    }));
    return {
      ledgers: result.ledgers,
      inputs: {
        named: paths.length,
        read: result.ledgers.filter((l) => !unreadLedger(l)).length,
        skipped: [...result.skipped, ...ledgerSkips(result.ledgers), ...notLogs],
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
  const store = await Store.open({ path: options.db });
  const now = options.now ?? new Date();
  await loadRunIndicators(store, collectIndicators(options, now).indicators, now, options);
  const { ledgers } = await ingestPaths(store, paths, { format: options.format });
  return { store, ledgers };
}
