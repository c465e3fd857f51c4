/**
 * The indicators a run actually hit, in seed 002's IOC summary layout (family, totals, types; type,
 * value, threat type, first seen, confidence), and ready-to-load blocklists for them from the existing
 * exporters (nftables, RPZ, Suricata).
 */
import { EXPORTERS, fileText } from '../intel/exporters/index.js';
import type { Indicator } from '../intel/model.js';
import type { Finding } from '../hunts/findings.js';
import type { IocRow, IocSummary, Mitigation } from './model.js';

/** Every value a finding names: its entities and its evidence cells, lowercased. */
function seenValues(findings: Finding[]): Set<string> {
  const seen = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') seen.add(String(v).toLowerCase());
  };
  for (const f of findings) {
    for (const e of f.entities) add(e.value);
    for (const row of f.evidence) for (const v of Object.values(row)) add(v);
  }
  return seen;
}

/** Did the run see this indicator? A domain also matches its subdomains (the DNS hunts do). */
function wasSeen(indicator: Indicator, seen: Set<string>): boolean {
  const value = indicator.value.toLowerCase();
  if (seen.has(value)) return true;
  if (indicator.type !== 'domain') return false;
  for (const v of seen) if (v.endsWith(`.${value}`)) return true;
  return false;
}

export function matchedIndicators(indicators: Indicator[], findings: Finding[]): Indicator[] {
  const seen = seenValues(findings);
  return indicators.filter((i) => wasSeen(i, seen));
}

/** `176[.]65[.]139[.]7:3778`: safe to paste into a ticket without it becoming a link. */
export function defang(i: Indicator): string {
  const value = i.type === 'ip:port' ? `${i.value}:${i.port}` : i.value;
  if (i.type === 'md5' || i.type === 'sha1' || i.type === 'sha256') return value;
  return value.replace(/^http/i, 'hxxp').replace(/\./g, '[.]');
}

export function iocSummary(matched: Indicator[]): IocSummary {
  const families = [...new Set(matched.map((i) => i.malware).filter((m): m is string => !!m))];
  const rows: IocRow[] = matched.map((i) => ({
    type: i.type,
    value: defang(i),
    threatType: i.threatType ?? '',
    firstSeen: i.firstSeen?.slice(0, 10) ?? '',
    confidence: i.confidence === undefined ? '' : `${i.confidence}%`,
    malware: i.malware ?? '',
    source: i.source,
  }));
  return {
    family: families.join(', ') || 'unknown',
    total: matched.length,
    types: [...new Set(matched.map((i) => i.type))],
    rows,
  };
}

const FORMATS = ['nftables', 'rpz', 'suricata'] as const;

/** Blocklists for the matched network indicators (hashes are for scanners, not for firewalls). */
export function mitigations(matched: Indicator[], now: Date): Mitigation[] {
  const network = matched.filter((i) => ['ipv4', 'ipv6', 'ip:port', 'domain', 'url'].includes(i.type));
  if (!network.length) return [];
  return FORMATS.map((format) => ({
    format,
    files: EXPORTERS[format](network, { title: 'Telltale report', now })
      .map((f) => ({ name: f.name, content: fileText(f) }))
      .filter((f) => f.content.trim() !== ''),
  })).filter((m) => m.files.length > 0);
}
