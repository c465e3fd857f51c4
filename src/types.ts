/**
 * The option and result types of the public API (src/index.ts re-exports them). They live apart from
 * index.ts so that modules below the API (report/, intel/) can name them without importing the API.
 */
import type { Store } from './store/db.js';
import type { IngestLedger, Reject } from './telemetry/types.js';
import type { ScanInputs, ScanOptions, ScanReport } from './scan/index.js';
import type { Indicator } from './intel/model.js';
import type { Exclusion } from './hunts/exclusions/model.js';
import type { LintIssue } from './hunts/exclusions/lint.js';
import type { DeviceView } from './hunts/entity-view.js';
import type { Finding } from './hunts/findings.js';
import type { HuntRun } from './hunts/runner.js';
import type { Skipped, WalkOptions } from './util/walk.js';

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
  /** DuckDB's memory_limit (`8GB`, `50%`); default: DuckDB's own, or 4GB for large inputs (store/sizing.ts). */
  memoryLimit?: string;
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

export interface ScanCommandResult {
  report: ScanReport;
  findings: Finding[];
  inputs: InputAccount;
}

/** Which objects `scan()` hashes (ScanCommandOptions.hash). */
export type HashMode = 'needed' | 'sha256' | 'all';

export type ScanCommandOptions = IntelOptions &
  Omit<ScanOptions, 'hashes'> &
  Omit<ScanInputs, 'paths'> & {
    /**
     * Which objects are hashed: `needed` (default) — every object with the digest types of the loaded
     * hash indicators (the bundled seed holds SHA-256 ones), objects that matched a rule with SHA-256
     * too; `sha256` — SHA-256 of every object (an inventory, e.g. for TelltaleFileScan rows); `all` —
     * MD5, SHA-1 and SHA-256 of every object. `hunt` (the incident report) gives a match all three.
     */
    hash?: HashMode;
    /** Same as `hash: 'all'`. */
    allHashes?: boolean;
  };
