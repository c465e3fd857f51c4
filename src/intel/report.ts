/**
 * Text views of stored indicators: the status word, display rows for `intel list`, and the
 * "IOC Summary" block of `intel stats` in seed 002's shape (family line, then a Markdown table with
 * defanged values so the summary can be pasted into a report without creating live links).
 */
import { defang } from './refang.js';
import type { FamilySummary } from './pipeline.js';
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
    out.push('');
  }
  return out.join('\n');
}

export function totalsText(all: readonly StoredIndicator[], now: Date): string {
  const count = (key: (i: StoredIndicator) => string) => {
    const m = new Map<string, number>();
    for (const i of all) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
    return [...m]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  };
  return [
    `Total: ${all.length}`,
    `By type: ${count((i) => i.type) || '-'}`,
    `By status: ${count((i) => statusOf(i, now)) || '-'}`,
    `By source: ${count((i) => i.source) || '-'}`,
    `Sighted: ${all.filter((i) => i.sightings > 0).length}`,
    '',
  ].join('\n');
}
