/** One model for every detection, whether it came from a KQL hunt, a YARA rule or a hash indicator. */
import type { Row } from '../store/coerce.js';
import type { EntityMapping, Severity } from './model.js';
import { SOURCE_COLUMN } from '../store/schema.js';

export interface Entity {
  type: string;
  identifier: string;
  value: string;
}

export interface Finding {
  huntId: string;
  title: string;
  severity: Severity;
  /** Latest event time among the evidence, ISO 8601, when the evidence has one. */
  time: string | null;
  entities: Entity[];
  /** The rows that make the case; each keeps `_Source` (file:line, or a file path). */
  evidence: Row[];
  description?: string;
  techniques?: string[];
}

const TIME_COLUMNS = ['TimeGenerated', 'Timestamp', 'time', 'StartTime'];

function latestTime(rows: Row[]): string | null {
  let latest: string | null = null;
  for (const row of rows)
    for (const column of TIME_COLUMNS) {
      const value = row[column];
      if (typeof value === 'string' && (latest === null || value > latest)) latest = value;
    }
  return latest;
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

/**
 * Groups a hunt's result rows into findings: one per distinct set of mapped entities (one C2 contact
 * by one host is one finding however many connections it made), in first-seen order.
 */
export function findingsFromRows(
  rows: Row[],
  base: Omit<Finding, 'entities' | 'evidence' | 'time'>,
  mappings: EntityMapping[],
): Finding[] {
  const groups = new Map<string, { entities: Entity[]; evidence: Row[] }>();
  for (const row of rows) {
    const entities = entitiesOf(row, mappings);
    const key = JSON.stringify(entities.map((e) => [e.type, e.identifier, e.value]));
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { entities, evidence: [] }));
    group.evidence.push(row);
  }
  return [...groups.values()].map((g) => ({ ...base, entities: g.entities, evidence: g.evidence, time: latestTime(g.evidence) }));
}

export function evidenceSources(finding: Finding): string[] {
  return finding.evidence.flatMap((row) => {
    const source = row[SOURCE_COLUMN];
    if (Array.isArray(source)) return source.map(String);
    return source === null || source === undefined ? [] : [String(source)];
  });
}
