/** Renders findings as a terminal report, JSON, NDJSON or CSV. */
import type { Finding } from '../hunts/findings.js';
import { SOURCE_COLUMN } from '../store/schema.js';
import { csvLine } from '../util/csv.js';
import { cellText, renderTable } from './table.js';

export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'json', 'ndjson', 'csv'];

function evidenceLine(row: Record<string, unknown>): string {
  const source = row[SOURCE_COLUMN];
  const fields = Object.entries(row)
    .filter(([key, value]) => key !== SOURCE_COLUMN && value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${cellText(value, 100)}`)
    .join(' ');
  return `    ${cellText(Array.isArray(source) ? source.join(',') : source, 200)}  ${fields}`;
}

function renderText(findings: Finding[], maxEvidence: number): string {
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${f.severity.toUpperCase().padEnd(8)} ${cellText(f.huntId, 200)}  ${cellText(f.title, 200)}`);
    if (f.entities.length)
      out.push(
        `  entities: ${f.entities.map((e) => `${e.type} ${e.identifier}=${cellText(e.value, 120)}`).join('; ')}`,
      );
    if (f.hunts && f.hunts.length > 1)
      out.push(`  seen by: ${f.hunts.map((h) => `${cellText(h.huntId, 200)} (${h.severity})`).join(', ')}`);
    if (f.time) out.push(`  last seen: ${f.time}`);
    out.push(`  evidence (${f.evidence.length} row${f.evidence.length === 1 ? '' : 's'}):`);
    for (const row of f.evidence.slice(0, maxEvidence)) out.push(evidenceLine(row));
    if (f.evidence.length > maxEvidence)
      out.push(`    … ${f.evidence.length - maxEvidence} more (use --format json)`);
    out.push('');
  }
  return out.join('\n');
}

export function renderFindings(findings: Finding[], format: OutputFormat, maxEvidence = 20): string {
  switch (format) {
    case 'json':
      return JSON.stringify(findings, null, 2) + '\n';
    case 'ndjson':
      return findings.map((f) => JSON.stringify(f)).join('\n') + (findings.length ? '\n' : '');
    case 'csv': {
      const lines = [csvLine(['severity', 'hunt_id', 'title', 'time', 'entities', 'source', 'evidence'])];
      for (const f of findings)
        for (const row of f.evidence) {
          const { [SOURCE_COLUMN]: source, ...rest } = row;
          const entities = f.entities.map((e) => `${e.type}:${e.value}`).join(' ');
          lines.push(csvLine([f.severity, f.huntId, f.title, f.time, entities, source, rest]));
        }
      return lines.join('\n') + '\n';
    }
    case 'table':
      return renderText(findings, maxEvidence);
  }
}

export function renderRows(columns: string[], rows: Record<string, unknown>[], format: OutputFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(rows, null, 2) + '\n';
    case 'ndjson':
      return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
    case 'csv':
      return [csvLine(columns), ...rows.map((r) => csvLine(columns.map((c) => r[c])))].join('\n') + '\n';
    case 'table':
      return renderTable(columns, rows);
  }
}
