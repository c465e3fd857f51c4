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
import { hashFindings, hashIndicatorIndex, yaraFindings } from './hunts/file-findings.js';
import { SEVERITY_ORDER } from './hunts/model.js';
import type { Finding } from './hunts/findings.js';
import type { Reject } from './telemetry/types.js';

export type { Finding } from './hunts/findings.js';
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
  now?: Date;
  rules?: string[];
  hunts?: string[];
  format?: string;
}

export interface HuntResult {
  findings: Finding[];
  ledgers: IngestLedger[];
  scan: ScanReport;
  huntRuns: HuntRun[];
  indicators: { loaded: number; rejects: Reject[] };
  errors: string[];
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
export async function hunt(paths: string[], options: HuntOptions = {}): Promise<HuntResult> {
  const now = options.now ?? new Date();
  const store = await Store.open({ path: options.db });
  try {
    const intel = collectIndicators(options);
    await loadIndicators(store, intel.indicators, now);
    const { ledgers, unrecognised } = await ingestPaths(store, paths, { format: options.format });
    const scan = await scanPaths(unrecognised, { rules: options.rules });
    const huntRuns = await runHunts(store, loadHunts(options.hunts ?? [bundledHuntsDir]), now);
    const findings = [
      ...yaraFindings(scan.files),
      ...hashFindings(scan.files, hashIndicatorIndex(intel.indicators)),
      ...huntRuns.flatMap((run) => run.findings),
    ].sort(bySeverityThenTime);
    const errors = [
      ...huntRuns.filter((run) => run.error).map((run) => `hunt ${run.hunt.key}: ${run.error}`),
      ...scan.ruleErrors.map((e) => `rules ${e.file}: ${e.message}`),
    ];
    return { findings, ledgers, scan, huntRuns, indicators: { loaded: intel.indicators.length, rejects: intel.rejects }, errors };
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
