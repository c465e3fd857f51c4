/** One model for every detection, whether it came from a KQL hunt, a YARA rule or a hash indicator. */
import type { Row } from '../store/coerce.js';
import type { EntityMapping, Severity } from './model.js';
import { SEVERITY_ORDER } from './model.js';
import { SOURCE_COLUMN } from '../store/schema.js';

export interface Entity {
  type: string;
  identifier: string;
  value: string;
}

/** One hunt's part in a finding (a merged incident lists every hunt that saw it). */
export interface HuntHit {
  huntId: string;
  title: string;
  severity: Severity;
  /** Result rows that hunt grouped into its finding. */
  count: number;
}

export interface Finding {
  huntId: string;
  title: string;
  severity: Severity;
  /** Latest event time among the evidence, ISO 8601, when the evidence has one. */
  time: string | null;
  /** Earliest event time among all of the group's rows. */
  firstSeen?: string | null;
  /** Latest event time among all of the group's rows (same as `time`). */
  lastSeen?: string | null;
  /** Result rows grouped into this finding (evidence may hold fewer: see `--evidence`). */
  count?: number;
  entities: Entity[];
  /** The rows that make the case; each keeps `_Source` (file:line, or a file path). */
  evidence: Row[];
  description?: string;
  techniques?: string[];
  /** Labels such as `research-scanner` (a known scanner, shown as informational). */
  labels?: string[];
  /**
   * Every hunt that saw this incident, worst first (incidents.ts merges findings on shared evidence or
   * entity pairs); `huntId`, `title` and `severity` are the worst member's.
   */
  hunts?: HuntHit[];
  /** Set on suppressed findings: the id of the exclusion that matched. */
  suppressedBy?: string;
}

const TIME_COLUMNS = ['TimeGenerated', 'Timestamp', 'time', 'StartTime', 'FirstSeen', 'LastSeen'];

function timeRange(rows: Row[]): { first: string | null; last: string | null } {
  let first: string | null = null;
  let last: string | null = null;
  for (const row of rows)
    for (const column of TIME_COLUMNS) {
      const value = row[column];
      if (typeof value !== 'string') continue;
      if (first === null || value < first) first = value;
      if (last === null || value > last) last = value;
    }
  return { first, last };
}

function entitiesOf(row: Row, mappings: EntityMapping[]): Entity[] {
  const entities: Entity[] = [];
  for (const mapping of mappings)
    for (const field of mapping.fieldMappings) {
      const value = row[field.columnName];
      if (value === null || value === undefined || value === '') continue;
      entities.push({ type: mapping.entityType, identifier: field.identifier, value: String(value) });
    }
  return entities;
}

export interface GroupOptions {
  /** Result columns that also split findings; they show as `Field` entities. */
  groupBy?: string[];
  /** Result column with a per-row severity (`High`, `medium`…); unknown values keep the base one. */
  severityColumn?: string;
  /** Evidence rows kept per finding (default: all). */
  evidence?: number | 'all';
}

function rowSeverity(row: Row, base: Severity, column: string | undefined): Severity {
  const value = column ? String(row[column] ?? '').toLowerCase() : '';
  return (SEVERITY_ORDER as string[]).includes(value) ? (value as Severity) : base;
}

/**
 * Groups a hunt's result rows into findings: one per distinct set of mapped entities and severity (one
 * C2 contact by one host is one finding however many connections it made; the same host hitting the
 * indicator's IP on another port is a second, weaker one), in first-seen order.
 */
export function findingsFromRows(
  rows: Row[],
  base: Omit<Finding, 'entities' | 'evidence' | 'time'>,
  mappings: EntityMapping[],
  options: GroupOptions = {},
): Finding[] {
  const groups = new Map<string, { entities: Entity[]; severity: Severity; rows: Row[] }>();
  for (const row of rows) {
    const entities = entitiesOf(row, mappings);
    for (const column of options.groupBy ?? [])
      entities.push({ type: 'Field', identifier: column, value: String(row[column] ?? '') });
    const severity = rowSeverity(row, base.severity, options.severityColumn);
    const key = JSON.stringify([severity, entities.map((e) => [e.type, e.identifier, e.value])]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { entities, severity, rows: [] }));
    group.rows.push(row);
  }
  const keep = options.evidence === undefined || options.evidence === 'all' ? Infinity : options.evidence;
  return [...groups.values()].map((g) => {
    const { first, last } = timeRange(g.rows);
    return {
      ...base,
      severity: g.severity,
      entities: g.entities,
      evidence: g.rows.slice(0, keep),
      time: last,
      firstSeen: first,
      lastSeen: last,
      count: g.rows.length,
    };
  });
}

export function evidenceSources(finding: Finding): string[] {
  return finding.evidence.flatMap((row) => {
    const source = row[SOURCE_COLUMN];
    if (Array.isArray(source)) return source.map(String);
    return source === null || source === undefined ? [] : [String(source)];
  });
}
