/**
 * Indicators → rows of Sentinel's STIX-based ThreatIntelIndicators table (the successor of
 * ThreatIntelligenceIndicator), so rules written for it (ASIM's IPEntity_imNetworkSession and kin:
 * `split(ObservableKey, ":")`, `ObservableValue`, `IsActive`, `ValidUntil`) run unchanged. Same
 * indicators, same lifecycle and the same Id as the legacy table's rows.
 */
import type { Row } from '../store/coerce.js';
import type { Indicator } from './model.js';
import { expiryOf } from './lifecycle.js';

export const TI_STIX_TABLE = 'ThreatIntelIndicators';

/** Revoked and warning-listed indicators stay visible in both TI tables but never match. */
export function isMatchable(i: Indicator): boolean {
  return i.active !== false && !i.revoked && !i.warninglists?.length;
}

/** STIX 2.1 object path of each observable type (ObservableKey), as Sentinel writes it. */
const OBSERVABLE_KEY: Record<Indicator['type'], string> = {
  ipv4: 'ipv4-addr:value',
  ipv6: 'ipv6-addr:value',
  'ip:port': 'network-traffic:dst_ref.value',
  domain: 'domain-name:value',
  url: 'url:value',
  md5: "file:hashes.'MD5'",
  sha1: "file:hashes.'SHA-1'",
  sha256: "file:hashes.'SHA-256'",
};

function stixPattern(key: string, value: string): string {
  return `[${key} = '${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** `idOf` gives each indicator the Id its ThreatIntelligenceIndicator row has (ti-table.ts). */
export function toThreatIntelIndicatorsRows(
  indicators: readonly Indicator[],
  now: Date,
  idOf: (i: Indicator) => string,
): Row[] {
  const generated = now.toISOString();
  return indicators.map((i) => {
    const key = OBSERVABLE_KEY[i.type];
    const row: Row = {
      TimeGenerated: generated,
      Id: idOf(i),
      ObservableKey: key,
      ObservableValue: i.value,
      Pattern: stixPattern(key, i.value),
      IsActive: isMatchable(i),
      IsDeleted: false,
      Revoked: i.revoked === true,
      Confidence: i.confidence,
      Created: i.firstSeen ?? generated,
      Modified: i.lastSeen ?? i.firstSeen ?? generated,
      ValidFrom: i.firstSeen ?? generated,
      ValidUntil: expiryOf(i, now),
      Source: i.source,
      SourceSystem: i.source,
      Tags: i.tags?.length ? i.tags.join(',') : undefined,
      AdditionalFields: JSON.stringify({
        TLPLevel: i.source === 'ThreatFox' ? 'white' : undefined,
        port: i.type === 'ip:port' ? i.port : undefined,
        malware: i.malware,
        threatType: i.threatType,
      }),
      Type: TI_STIX_TABLE,
      _Source: i.origin ?? i.source,
    };
    return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
  });
}
