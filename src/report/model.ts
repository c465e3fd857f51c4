/**
 * What a report holds, independent of how it is rendered (HTML, Markdown). Every string here may come
 * from a log or a feed: renderers escape all of it. Evidence is sampled and series are aggregated when
 * the report is built, so a report's size depends on the findings, not on the number of events.
 */
import type { Severity } from '../hunts/model.js';

export interface SourceRead {
  file: string;
  format: string;
  read: number;
  ingested: number;
  rejected: number;
}

export interface ExclusionSummary {
  id: string;
  reason: string;
  predicate: string;
  file: string;
  /** Findings and result rows it suppressed in this run. */
  findings: number;
  rows: number;
  state: 'applied' | 'disabled' | 'expired' | 'not applied (lint error)';
  /** A few of the suppressed findings, as one-line descriptions. */
  examples: string[];
}

export interface TimelineRow {
  /** ISO 8601, or null when the evidence has no time (a file on disk). */
  time: string | null;
  severity: Severity;
  hunt: string;
  title: string;
  /** The evidence row in brief: `Column=value` pairs. */
  what: string;
  /** `file:line` (or a file path, or `file@0xOFFSET` for a YARA string). */
  sources: string[];
}

export interface DeviceFinding {
  hunt: string;
  title: string;
  severity: Severity;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Result rows behind the finding, and how many the report shows. */
  rows: number;
  shown: number;
  entities: string[];
}

export interface DeviceSection {
  /** Stable id for HTML anchors and chart file names. */
  id: string;
  names: string[];
  severity: Severity;
  score: number;
  hunts: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  findings: DeviceFinding[];
  timeline: TimelineRow[];
  /** Evidence rows behind the device's findings that the timeline leaves out (sampling). */
  omitted: number;
  charts: Chart[];
}

export type ChartKind = 'ports-per-hour' | 'flood' | 'beacon' | 'crawl';

export interface Chart {
  id: string;
  kind: ChartKind;
  title: string;
  /** What the marks show and where the numbers come from (the KQL that produced them). */
  caption: string;
  kql: string;
  svg: string;
}

export interface IocRow {
  type: string;
  /** Defanged for display (`176[.]65[.]139[.]7:3778`), as in seed 002. */
  value: string;
  threatType: string;
  firstSeen: string;
  confidence: string;
  malware: string;
  source: string;
}

export interface IocSummary {
  family: string;
  total: number;
  types: string[];
  rows: IocRow[];
}

export interface Mitigation {
  format: 'nftables' | 'rpz' | 'suricata';
  files: { name: string; content: string }[];
}

export interface HuntSection {
  key: string;
  name: string;
  severity: Severity;
  tables: string[];
  rows: number;
  findings: number;
  suppressed: number;
  replays: number;
  clock: string | null;
  ms: number;
  error?: string;
  /** The query as Sentinel would run it: IOC lists bound, enabled exclusions folded in. */
  kql: string;
  /** The query's own `let NAME = value;` scalars, and the run's settings. */
  parameters: { name: string; value: string }[];
}

export interface ReportData {
  title: string;
  generated: string;
  summary: {
    devices: { id: string; names: string[]; severity: Severity; score: number; findings: number }[];
    findings: number;
    bySeverity: Partial<Record<Severity, number>>;
    huntsRun: number;
    yaraRules: number;
    filesScanned: number;
    sources: SourceRead[];
    timeCovered: { from: string | null; to: string | null };
    indicatorsLoaded: number;
    indicatorsMatched: number;
    exclusions: ExclusionSummary[];
    suppressed: number;
    errors: string[];
  };
  charts: Chart[];
  devices: DeviceSection[];
  iocs: IocSummary;
  mitigations: Mitigation[];
  hunts: HuntSection[];
  /** Sentinel tables the hunts read (seed 002's "tables needed" block). */
  tables: string[];
}
