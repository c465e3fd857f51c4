/**
 * Telltale's public API: the one place that wires the stages (intel → store, telemetry → store,
 * scan, hunts → findings). The CLI calls only this module.
 */
import { Store } from './store/db.js';
import { ingestPaths } from './telemetry/ingest.js';
import type { IngestLedger } from './telemetry/types.js';
import { scanPaths, type ScanReport } from './scan/index.js';
import { bundledIndicators } from './intel/bundled.js';
import { importIntelFile } from './intel/import.js';
import { loadIndicators } from './intel/ti-table.js';
import type { Indicator } from './intel/model.js';
import { dedupe } from './intel/model.js';
import { loadHunts, bundledHuntsDir } from './hunts/loader.js';
import { runHunts, type HuntRun } from './hunts/runner.js';
import { loadExclusions, bundledExclusionsDir } from './hunts/exclusions/load.js';
import { isExpired, type Exclusion } from './hunts/exclusions/model.js';
import { entityView, type DeviceView } from './hunts/entity-view.js';
import { hashFindings, hashIndicatorIndex, yaraFindings } from './hunts/file-findings.js';
import { SEVERITY_ORDER } from './hunts/model.js';
import type { Finding } from './hunts/findings.js';
import type { Reject } from './telemetry/types.js';

export type { Finding } from './hunts/findings.js';
export type { DeviceView } from './hunts/entity-view.js';
export type { IngestLedger } from './telemetry/types.js';
export type { ScanReport } from './scan/index.js';
export { Store } from './store/db.js';
export { runKql, compileKql, KqlError } from './kql/index.js';

export interface IntelOptions {
  /** Extra indicator files (ThreatFox JSON/CSV, free text) loaded for this run. */
  intel?: string[];
  /** Load the bundled seed indicators (default true). */
  bundled?: boolean;
}

export interface HuntOptions extends IntelOptions {
  db?: string;
  /** The clock for ago()/now() and for indicator/exclusion expiry (default: end of data / wall clock). */
  now?: Date;
  /** Only events at or after `since` and before `until`. */
  since?: Date;
  until?: Date;
  rules?: string[];
  hunts?: string[];
  format?: string;
  /** Exclusion files or folders, added to the bundled ones (content/exclusions/, disabled templates). */
  exclusions?: string[];
  /** Minimum indicator ConfidenceScore (default DEFAULT_MIN_CONFIDENCE). */
  minConfidence?: number;
  /** Evidence rows per finding (default 5), or every row. */
  evidence?: number | 'all';
}

export interface ExclusionUse {
  exclusion: Exclusion;
  /** Findings it suppressed in this run. */
  findings: number;
  rows: number;
  expired: boolean;
}

export interface HuntResult {
  findings: Finding[];
  ledgers: IngestLedger[];
  scan: ScanReport;
  huntRuns: HuntRun[];
  indicators: { loaded: number; rejects: Reject[] };
  errors: string[];
  /** Findings an exclusion suppressed (each has `suppressedBy`), and the count per exclusion. */
  suppressed: Finding[];
  exclusions: ExclusionUse[];
  /** Per device, its findings in time order and a combined severity, worst first. */
  devices: DeviceView[];
}

export interface LoadedIntel {
  indicators: Indicator[];
  rejects: Reject[];
}

export function collectIndicators(options: IntelOptions): LoadedIntel {
  const indicators: Indicator[] = options.bundled === false ? [] : bundledIndicators();
  const rejects: Reject[] = [];
  for (const file of options.intel ?? []) {
    const result = importIntelFile(file);
    indicators.push(...result.indicators);
    rejects.push(...result.rejects);
  }
  return { indicators: dedupe(indicators), rejects };
}

function bySeverityThenTime(a: Finding, b: Finding): number {
  const severity = SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity);
  if (severity !== 0) return severity;
  return a.huntId.localeCompare(b.huntId) || (b.time ?? '').localeCompare(a.time ?? '');
}

/** The main job: ingest logs, scan files, run every hunt, return findings. */
function exclusionUse(exclusions: Exclusion[], runs: HuntRun[], now: Date): ExclusionUse[] {
  return exclusions.map((exclusion) => {
    const hits = runs.flatMap((r) => r.suppressed).filter((f) => f.suppressedBy === exclusion.id);
    return { exclusion, findings: hits.length, rows: hits.reduce((n, f) => n + (f.count ?? f.evidence.length), 0), expired: isExpired(exclusion, now) };
  });
}

export async function hunt(paths: string[], options: HuntOptions = {}): Promise<HuntResult> {
  const now = options.now ?? new Date();
  const exclusions = loadExclusions([bundledExclusionsDir, ...(options.exclusions ?? [])]);
  const store = await Store.open({ path: options.db });
  try {
    const intel = collectIndicators(options);
    await loadIndicators(store, intel.indicators, now);
    const { ledgers, unrecognised } = await ingestPaths(store, paths, { format: options.format });
    const scan = await scanPaths(unrecognised, { rules: options.rules });
    const huntRuns = await runHunts(store, loadHunts(options.hunts ?? [bundledHuntsDir]), {
      now: options.now,
      intelNow: now,
      // --until is exclusive; the window's bound is inclusive
      window: { since: options.since, until: options.until && new Date(options.until.getTime() - 1) },
      minConfidence: options.minConfidence,
      exclusions,
      evidence: options.evidence,
    });
    const findings = [
      ...yaraFindings(scan.files),
      ...hashFindings(scan.files, hashIndicatorIndex(intel.indicators)),
      ...huntRuns.flatMap((run) => run.findings),
    ].sort(bySeverityThenTime);
    const errors = [
      ...huntRuns.filter((run) => run.error).map((run) => `hunt ${run.hunt.key}: ${run.error}`),
      ...scan.ruleErrors.map((e) => `rules ${e.file}: ${e.message}`),
    ];
    return {
      findings,
      ledgers,
      scan,
      huntRuns,
      indicators: { loaded: intel.indicators.length, rejects: intel.rejects },
      errors,
      suppressed: huntRuns.flatMap((run) => run.suppressed).sort(bySeverityThenTime),
      exclusions: exclusionUse(exclusions, huntRuns, now),
      devices: entityView(findings),
    };
  } finally {
    store.close();
  }
}

export interface ScanCommandResult {
  report: ScanReport;
  findings: Finding[];
}

/** Files only: YARA rules plus hash indicators. */
export async function scan(paths: string[], options: IntelOptions & { rules?: string[] } = {}): Promise<ScanCommandResult> {
  const intel = collectIndicators(options);
  const report = await scanPaths(paths, { rules: options.rules });
  const findings = [...yaraFindings(report.files), ...hashFindings(report.files, hashIndicatorIndex(intel.indicators))].sort(
    bySeverityThenTime,
  );
  return { report, findings };
}

/** Ingests logs into a store and returns the ledgers (read = ingested + rejected). */
export async function ingest(paths: string[], options: { db?: string; format?: string } = {}) {
  const store = await Store.open({ path: options.db });
  try {
    return await ingestPaths(store, paths, { format: options.format });
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
  await loadIndicators(store, collectIndicators(options).indicators, options.now ?? new Date());
  const { ledgers } = await ingestPaths(store, paths, { format: options.format });
  return { store, ledgers };
}
