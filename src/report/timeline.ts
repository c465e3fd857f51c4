/**
 * Per device: its findings and their evidence rows in time order, each row with its `file:line`.
 * Evidence is sampled (round-robin over the findings within a per-device budget), so a
 * device behind a million scan attempts stays a readable page and the report a few megabytes.
 */
import type { DeviceView } from '../hunts/entity-view.js';
import type { Finding } from '../hunts/findings.js';
import type { DeviceFinding, DeviceSection, TimelineRow } from './model.js';

export interface TimelineLimits {
  /** Evidence rows shown per device (every finding still shows at least one). */
  rowsPerDevice: number;
  /** Source references shown per evidence row (an aggregated row can cite thousands of lines). */
  sourcesPerRow: number;
}

export const DEFAULT_LIMITS: TimelineLimits = { rowsPerDevice: 400, sourcesPerRow: 5 };

/** Evidence rows in a whole report (≈0.7 KB each in HTML): shared by the devices, so it stays a few MB. */
export const REPORT_ROW_BUDGET = 6000;

const TIME_COLUMNS = ['TimeGenerated', 'Timestamp', 'FirstSeen', 'FirstProbe', 'WindowStart', 'time'];
const HIDDEN = new Set(['_Source', 'Exclusion', 'AlertSeverity']);
const MAX_WHAT = 320;

function rowTime(row: Record<string, unknown>, finding: Finding): string | null {
  for (const column of TIME_COLUMNS) {
    const v = row[column];
    if (typeof v === 'string' && v) return v;
  }
  return finding.firstSeen ?? finding.time ?? null;
}

function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The row in brief: its non-empty columns as `Name=value`, time and provenance left out. */
export function briefRow(row: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(row)) {
    if (HIDDEN.has(k) || TIME_COLUMNS.includes(k)) continue;
    const text = cell(v);
    if (text) parts.push(`${k}=${text}`);
  }
  const all = parts.join(' ');
  return all.length > MAX_WHAT ? `${all.slice(0, MAX_WHAT)}…` : all;
}

function sources(row: Record<string, unknown>, limit: number): string[] {
  const raw = row._Source;
  const list = Array.isArray(raw) ? raw.map(String) : raw === null || raw === undefined ? [] : [String(raw)];
  return list.length > limit ? [...list.slice(0, limit), `+${list.length - limit} more`] : list;
}

/** How many evidence rows each finding shows: round-robin in finding order (one each first) within the budget. */
function shares(findings: Finding[], budget: number): number[] {
  const take = findings.map(() => 0);
  let left = budget;
  for (let more = true; left > 0 && more;) {
    more = false;
    for (let i = 0; i < findings.length && left > 0; i++)
      if (take[i] < findings[i].evidence.length) {
        take[i]++;
        left--;
        more = true;
      }
  }
  return take;
}

const byTime = (a: TimelineRow, b: TimelineRow) =>
  (a.time ?? '\uffff').localeCompare(b.time ?? '\uffff') || a.hunt.localeCompare(b.hunt);

export function deviceSection(
  view: DeviceView,
  index: number,
  limits: TimelineLimits = DEFAULT_LIMITS,
): DeviceSection {
  const take = shares(view.findings, limits.rowsPerDevice);
  const timeline: TimelineRow[] = [];
  const findings: DeviceFinding[] = [];
  let omitted = 0;
  view.findings.forEach((f, i) => {
    const rows = f.count ?? f.evidence.length;
    omitted += rows - take[i];
    findings.push({
      hunt: f.huntId,
      title: f.title,
      severity: f.severity,
      firstSeen: f.firstSeen ?? f.time,
      lastSeen: f.lastSeen ?? f.time,
      rows,
      shown: take[i],
      entities: f.entities.map((e) => `${e.type}:${e.value}`),
    });
    for (const row of f.evidence.slice(0, take[i]))
      timeline.push({
        time: rowTime(row, f),
        severity: f.severity,
        hunt: f.huntId,
        title: f.title,
        what: briefRow(row),
        sources: sources(row, limits.sourcesPerRow),
      });
  });
  const times = view.findings.flatMap((f) => [f.firstSeen ?? f.time, f.lastSeen ?? f.time]).filter(Boolean);
  return {
    id: `device-${index + 1}`,
    names: view.names,
    severity: view.severity,
    score: view.score,
    hunts: view.hunts,
    firstSeen: (times as string[]).reduce<string | null>((m, t) => (m === null || t < m ? t : m), null),
    lastSeen: (times as string[]).reduce<string | null>((m, t) => (m === null || t > m ? t : m), null),
    findings,
    timeline: timeline.sort(byTime),
    omitted,
    charts: [],
  };
}
