/**
 * Builds a report's content from a hunt's result while its store is still open (HuntOptions.inspect):
 * the summary, per-device timelines, the chart series (KQL on the store) and their SVG, the indicators
 * hit and their blocklists, and each hunt's query as Sentinel would run it.
 */
import { isAbsolute, relative } from 'node:path';
import { prepareSentinelHunts } from '../export/sentinel.js';
import type { Finding } from '../hunts/findings.js';
import type { Severity } from '../hunts/model.js';
import type { Indicator } from '../intel/model.js';
import type { Store } from '../store/db.js';
import type { HuntResult } from '../types.js';
import { beaconChart, crawlChart, floodChart, portsChart } from './charts.js';
import { iocSummary, matchedIndicators, mitigations } from './indicators.js';
import type { Chart, DeviceSection, ExclusionSummary, HuntSection, ReportData } from './model.js';
import { beaconGaps, crawlProbes, floodPerMinute, logTimeRange, portsPerHour } from './series.js';
import { deviceSection, DEFAULT_LIMITS, REPORT_ROW_BUDGET, type TimelineLimits } from './timeline.js';

export interface BuildOptions {
  title?: string;
  /** The run's clock (for expiry and generated headers). */
  now: Date;
  /** Indicators the run hunted with (the IOC table lists those it hit). */
  indicators: Indicator[];
  minConfidence?: number;
  /** Devices given a full section (the rest are listed in the summary). */
  maxDevices?: number;
  limits?: TimelineLimits;
}

/** Behaviour hunts that get a chart of their own, and how many charts of each kind at most. */
const CHARTED = {
  flood: 'mirai-ddos-participation',
  beacon: 'mirai-c2-beaconing',
  crawl: 'mirai-sequential-crawl',
} as const;
const CHARTS_PER_KIND = 6;
const EVENT_TABLES = ['CommonSecurityLog', 'DeviceNetworkEvents', 'DnsEvents', 'DeviceFileEvents'];

/** A path relative to the working folder when it is inside it (reports travel; home folders need not). */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function findingLine(f: Finding): string {
  return `${f.title}: ${f.entities.map((e) => `${e.type}:${e.value}`).join(', ')} (${f.count ?? f.evidence.length} rows)`;
}

function exclusionSummaries(result: HuntResult): ExclusionSummary[] {
  const broken = new Set(result.exclusionIssues.filter((i) => i.level === 'error').map((i) => i.id));
  return result.exclusions.map((use) => ({
    id: use.exclusion.id,
    reason: use.exclusion.reason,
    predicate: use.exclusion.predicate,
    file: shortPath(use.exclusion.file),
    findings: use.findings,
    rows: use.rows,
    state: !use.exclusion.enabled
      ? 'disabled'
      : use.expired
        ? 'expired'
        : broken.has(use.exclusion.id)
          ? 'not applied (lint error)'
          : 'applied',
    examples: result.suppressed
      .filter((f) => f.suppressedBy === use.exclusion.id)
      .slice(0, 3)
      .map(findingLine),
  }));
}

/** The query's `let name = value;` scalars (lists shortened), as the parameters it ran with. */
function letParameters(kql: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const m of kql.matchAll(/^\s*let\s+(\w+)\s*=\s*([^;\n]+);/gm)) {
    const value = m[2].trim();
    if (/^(\w+\s*\|)|^\(|^[A-Z]\w+$/.test(value)) continue; // a tabular let, not a parameter
    out.push({ name: m[1], value: value.length > 200 ? `${value.slice(0, 200)}…` : value });
  }
  return out;
}

async function huntSections(store: Store, result: HuntResult, options: BuildOptions): Promise<HuntSection[]> {
  const applied = exclusionSummaries(result).filter((e) => e.state === 'applied');
  const exclusions = result.exclusions
    .map((u) => u.exclusion)
    .filter((e) => applied.some((a) => a.id === e.id));
  const exported = await prepareSentinelHunts(
    store,
    result.huntRuns.map((r) => r.hunt),
    { now: options.now, minConfidence: options.minConfidence, exclusions },
  );
  return result.huntRuns.map((run, i) => ({
    key: run.hunt.key,
    name: run.hunt.name,
    severity: run.hunt.severity,
    tables: run.hunt.requiredTables,
    rows: run.rows,
    findings: run.findings.length,
    suppressed: run.suppressed.length,
    replays: run.replays,
    clock: run.clock,
    ms: Math.round(run.ms),
    error: run.error,
    kql: exported[i]?.query ?? run.hunt.query,
    parameters: [
      ...letParameters(run.hunt.query),
      { name: 'clock (now())', value: run.clock ?? '' },
      { name: 'replays (lookback tiles)', value: String(run.replays) },
      ...(options.minConfidence !== undefined
        ? [{ name: 'min confidence', value: String(options.minConfidence) }]
        : []),
    ],
  }));
}

/** A finding's session columns: ASIM names (the behaviour hunts) or CommonSecurityLog's (the seed hunts). */
function sessionColumns(row: Record<string, unknown>) {
  return {
    SourceIP: row.SrcIpAddr ?? row.SourceIP,
    DestinationIP: row.DstIpAddr ?? row.DestinationIP,
    DestinationPort: row.DstPortNumber ?? row.DestinationPort,
  };
}

async function deviceCharts(
  store: Store,
  now: Date,
  device: DeviceSection,
  findings: Finding[],
  budget: Record<keyof typeof CHARTED, number>,
): Promise<Chart[]> {
  const charts: Chart[] = [];
  const add = (kind: Chart['kind'], title: string, caption: string, kql: string, svg: string) =>
    charts.push({ id: `${device.id}-${kind}-${charts.length + 1}`, kind, title, caption, kql, svg });
  for (const f of findings) {
    if (!f.evidence[0]) continue;
    const row = sessionColumns(f.evidence[0]);
    if (f.huntId === CHARTED.flood && budget.flood > 0) {
      const s = await floodPerMinute(store, now, row.SourceIP, row.DestinationIP, f.firstSeen, f.lastSeen);
      if (s?.rows.length) {
        budget.flood--;
        add(
          'flood',
          `Connections per minute: ${String(row.SourceIP)} → ${String(row.DestinationIP)}`,
          'Flows from the device to the flooded target per minute, 30 minutes either side of the flood.',
          s.kql,
          await floodChart(s.rows, s.window),
        );
      }
    } else if (f.huntId === CHARTED.beacon && budget.beacon > 0) {
      const s = await beaconGaps(store, now, row.SourceIP, row.DestinationIP, row.DestinationPort);
      if (s?.rows.length) {
        budget.beacon--;
        add(
          'beacon',
          `Beacon inter-arrival: ${String(row.SourceIP)} → ${String(row.DestinationIP)}:${String(row.DestinationPort)}`,
          `Histogram of the ${s.rows.length} gaps between successive connections: a timer shows as one narrow peak.`,
          s.kql,
          await beaconChart(s.rows),
        );
      }
    } else if (f.huntId === CHARTED.crawl && budget.crawl > 0) {
      const s = await crawlProbes(store, now, row.SourceIP, row.DestinationPort);
      if (s?.rows.length) {
        budget.crawl--;
        add(
          'crawl',
          `Address steps: ${String(row.SourceIP)} on port ${String(row.DestinationPort)}`,
          `Each new target address in the order it was first probed (${s.rows.length} targets): a sequential crawler climbs a staircase, a random scanner scatters.`,
          s.kql,
          await crawlChart(s.rows),
        );
      }
    }
  }
  return charts;
}

function countBy<T extends string>(items: T[]): Partial<Record<T, number>> {
  const out: Partial<Record<T, number>> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

export async function buildReport(
  store: Store,
  result: HuntResult,
  options: BuildOptions,
): Promise<ReportData> {
  // the tables the logs filled; a run on a kept store (--db) with no new logs reads the usual ones
  const filled = [...new Set(result.ledgers.flatMap((l) => Object.keys(l.tables)))];
  const tables = filled.length ? filled : EVENT_TABLES.filter((t) => store.schemas.has(t));
  const timeCovered = await logTimeRange(store, options.now, tables);
  const maxDevices = options.maxDevices ?? 50;
  const shown = result.devices.slice(0, maxDevices);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const perDevice = Math.min(limits.rowsPerDevice, Math.floor(REPORT_ROW_BUDGET / Math.max(1, shown.length)));
  const devices = shown.map((view, i) => deviceSection(view, i, { ...limits, rowsPerDevice: perDevice }));
  const budget = { flood: CHARTS_PER_KIND, beacon: CHARTS_PER_KIND, crawl: CHARTS_PER_KIND };
  for (const [i, device] of devices.entries())
    device.charts = await deviceCharts(store, options.now, device, result.devices[i].findings, budget);

  const charts: Chart[] = [];
  const ports = await portsPerHour(store, options.now, timeCovered);
  if (ports.rows.length) {
    const ranked = [...new Set(ports.rows.map((r) => r.port))];
    const totals = new Map(ranked.map((p) => [p, 0]));
    for (const r of ports.rows) totals.set(r.port, (totals.get(r.port) ?? 0) + r.events);
    // busiest first, 'other' (every port outside the top ones) last
    ranked.sort((a, b) => Number(a === 'other') - Number(b === 'other') || totals.get(b)! - totals.get(a)!);
    const top = ranked.filter((p) => p !== 'other');
    const daily = ports.kql.includes('bin(TimeGenerated, 1d)');
    charts.push({
      id: 'ports-per-hour',
      kind: 'ports-per-hour',
      title: `Top ${top.length} destination ports per ${daily ? 'day' : 'hour'}`,
      caption: `Events per ${daily ? 'day' : 'hour'} to the ${top.length} busiest destination ports and all others (network sessions of every source, _Im_NetworkSession), as in seed 003's X-Force chart: ${ranked.map((p) => `${p} (${totals.get(p)})`).join(', ')}.`,
      kql: ports.kql,
      svg: await portsChart(ports.rows, ranked, daily),
    });
  }

  const matched = matchedIndicators(options.indicators, result.findings);
  const exclusions = exclusionSummaries(result);
  return {
    title: options.title ?? 'Telltale incident report',
    generated: new Date().toISOString(),
    summary: {
      devices: result.devices.map((d, i) => ({
        id: i < maxDevices ? `device-${i + 1}` : '',
        names: d.names,
        severity: d.severity,
        score: d.score,
        findings: d.findings.length,
      })),
      findings: result.findings.length,
      bySeverity: countBy<Severity>(result.findings.map((f) => f.severity)),
      huntsRun: result.huntRuns.length,
      yaraRules: result.scan.ruleCount,
      filesScanned: result.scan.files.length,
      sources: result.ledgers.map((l) => ({
        file: l.file,
        format: l.format,
        read: l.read,
        ingested: l.ingested,
        rejected: l.rejected.length,
      })),
      timeCovered,
      indicatorsLoaded: result.indicators.loaded,
      indicatorsMatched: matched.length,
      exclusions,
      suppressed: result.suppressed.length,
      errors: result.errors,
    },
    charts,
    devices,
    iocs: iocSummary(matched),
    mitigations: mitigations(matched, options.now),
    hunts: await huntSections(store, result, options),
    tables: [...new Set(result.huntRuns.flatMap((r) => r.hunt.requiredTables))].sort(),
  };
}
