/**
 * Text views of stored indicators: the status word, display rows for `intel list`, and the
 * "IOC Summary" block of `intel stats` in seed 002's shape (family line, then a Markdown table with
 * defanged values so the summary can be pasted into a report without creating live links).
 */
import { defang } from './refang.js';
import type { IndicatorType } from './model.js';
import type { StoredIndicator } from './store.js';
import { display } from './exporters/types.js';

/** Why an indicator does or does not match at `now` (first reason wins). */
export function statusOf(i: StoredIndicator, now: Date): string {
  if (i.revoked) return 'revoked';
  if (i.warninglists) return 'warninglisted';
  if (i.active === false) return 'inactive';
  if (i.expires && Date.parse(i.expires) <= now.getTime()) return 'expired';
  return 'active';
}

export const LIST_COLUMNS = [
  'type',
  'value',
  'threatType',
  'malware',
  'confidence',
  'firstSeen',
  'lastSeen',
  'expires',
  'status',
  'sources',
  'sightings',
  'lastSighted',
];

export function listRow(i: StoredIndicator, now: Date): Record<string, unknown> {
  return {
    type: i.type,
    value: display(i),
    threatType: i.threatType ?? null,
    malware: i.malware ?? null,
    confidence: i.confidence ?? null,
    firstSeen: i.firstSeen ?? null,
    lastSeen: i.lastSeen ?? null,
    expires: i.expires ?? null,
    status: statusOf(i, now),
    sources: i.sources.join(', '),
    sightings: i.sightings,
    lastSighted: i.lastSighted ?? null,
    warninglists: i.warninglists?.join(', ') ?? null,
  };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

export function summaryText(families: FamilySummary[]): string {
  const out = ['IOC Summary'];
  for (const f of families) {
    out.push(`Malware Family: ${f.family} Total IOCs: ${f.total} IOC Types: ${f.types.join(', ')}`);
    out.push('| Type | Value | Threat Type | First Seen | Confidence |', '|---|---|---|---|---|');
    for (const i of f.indicators)
      out.push(
        `| ${i.type} | ${cell(defang(display(i)))} | ${cell(i.threatType ?? '')} | ${i.firstSeen?.slice(0, 10) ?? ''} | ${i.confidence === undefined ? '' : `${i.confidence}%`} |`,
      );
    if (f.indicators.length < f.total)
      out.push(`(${f.total - f.indicators.length} more not shown: --rows all, or telltale intel list)`);
    out.push('');
  }
  return out.join('\n');
}

/** Store totals: counts by type, status (at the summary's clock) and source, and how many were sighted. */
export interface Totals {
  total: number;
  byType: Map<string, number>;
  byStatus: Map<string, number>;
  bySource: Map<string, number>;
  sighted: number;
}

export function totalsText(t: Totals): string {
  const count = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  return [
    `Total: ${t.total}`,
    `By type: ${count(t.byType) || '-'}`,
    `By status: ${count(t.byStatus) || '-'}`,
    `By source: ${count(t.bySource) || '-'}`,
    `Sighted: ${t.sighted}`,
    '',
  ].join('\n');
}

export interface FamilySummary {
  family: string;
  total: number;
  types: IndicatorType[];
  /** The family's table rows: all of them, or the first `rows` asked for. */
  indicators: StoredIndicator[];
}

export interface StoreSummary extends Totals {
  families: FamilySummary[];
}
