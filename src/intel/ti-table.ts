/**
 * Indicators → Sentinel's ThreatIntelligenceIndicator rows, filled the way Sentinel fills them so
 * that its own TI-matching hunts (`NetworkIP`/`NetworkDestinationIP`, `DomainName`, `Url`,
 * `FileHashValue`, `ExpirationDateTime > now() and Active == true`) run unchanged.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/db.js';
import { coerceRow, type Row } from '../store/coerce.js';
import { indicatorKey, type Indicator } from './model.js';
import { expiryOf } from './lifecycle.js';
import { isMatchable, TI_STIX_TABLE, toThreatIntelIndicatorsRows } from './ti-indicators.js';

export const TI_TABLE = 'ThreatIntelligenceIndicator';

const HASH_TYPES = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256' } as const;

/** Feed threat types → Sentinel's ThreatType vocabulary (Microsoft Graph tiIndicator threatType). */
function sentinelThreatType(i: Indicator): string {
  switch (i.threatType?.toLowerCase()) {
    case 'botnet_cc':
      return 'C2';
    case 'payload_delivery':
      return i.type === 'md5' || i.type === 'sha1' || i.type === 'sha256' ? 'Malware' : 'MaliciousUrl';
    case 'payload':
    case 'cc_skimming':
      return 'Malware';
    case undefined:
    case '':
      return 'WatchList';
    default:
      return i.threatType!;
  }
}

/** Stable across runs and machines: the same observable always gets the same id. */
export function indicatorId(i: Indicator): string {
  return createHash('sha256').update(indicatorKey(i)).digest('hex').toUpperCase();
}

function observableColumns(i: Indicator): Row {
  switch (i.type) {
    case 'ipv4':
    case 'ipv6':
      return { NetworkIP: i.value };
    case 'ip:port':
      // NetworkIP too, so hunts that match on the address alone (the common case) still see it.
      return {
        NetworkIP: i.value,
        NetworkDestinationIP: i.value,
        NetworkDestinationPort: i.port,
        NetworkPort: i.port,
      };
    case 'domain':
      return { DomainName: i.value };
    case 'url':
      return { Url: i.value };
    case 'md5':
    case 'sha1':
    case 'sha256':
      return { FileHashValue: i.value, FileHashType: HASH_TYPES[i.type] };
  }
}

function description(i: Indicator): string {
  if (i.context) return i.context;
  const what = [i.malware, i.threatType].filter(Boolean).join(' ');
  return `${what || i.type} (${i.source})`;
}

function additionalInformation(i: Indicator): string | undefined {
  const parts = [
    i.firstSeen && `first_seen=${i.firstSeen}`,
    i.lastSeen && `last_seen=${i.lastSeen}`,
    i.reference && `reference=${i.reference}`,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : undefined;
}

export function toThreatIntelligenceRows(indicators: readonly Indicator[], now: Date): Row[] {
  const generated = now.toISOString();
  return indicators.map((i) => {
    // the store's lifecycle (per-type lifetimes from the last sighting), so a feed loaded for one run
    // matches exactly as it does once imported; Sentinel's TI hunts need an ExpirationDateTime
    const expires = expiryOf(i, now);
    const threatType = sentinelThreatType(i);
    const row: Row = {
      TimeGenerated: generated,
      SourceSystem: i.source,
      IndicatorProvider: i.source,
      Type: TI_TABLE,
      Action: 'alert',
      PassiveOnly: false,
      IndicatorId: indicatorId(i),
      ExternalIndicatorId: i.externalId ?? indicatorKey(i),
      ThreatType: threatType,
      KillChainC2: threatType === 'C2' ? true : undefined,
      KillChainDelivery: i.threatType === 'payload_delivery' ? true : undefined,
      ConfidenceScore: i.confidence,
      MalwareNames: i.malware ? JSON.stringify([i.malware]) : undefined,
      Tags: i.tags?.length ? JSON.stringify(i.tags) : undefined,
      Description: description(i),
      AdditionalInformation: additionalInformation(i),
      // Revoked and warning-listed indicators stay in the table (visible to analysts) but never match.
      // Expiry is not folded in here: hunts compare ExpirationDateTime with their own clock, so a
      // replay over last month's logs matches what was active then.
      Active: isMatchable(i),
      ExpirationDateTime: expires,
      TrafficLightProtocolLevel: i.source === 'ThreatFox' ? 'white' : undefined,
      ...observableColumns(i),
      _Source: i.origin ?? i.source,
    };
    return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
  });
}

/** Appends the indicators to ThreatIntelligenceIndicator; returns the number of rows written. */
export async function loadIndicators(
  store: Store,
  indicators: readonly Indicator[],
  now: Date,
): Promise<number> {
  const schema = store.schema(TI_TABLE);
  const rows = toThreatIntelligenceRows(indicators, now).map((r) => coerceRow(schema, r));
  // the same indicators in Sentinel's STIX table, for the rules written against it
  if (store.schemas.has(TI_STIX_TABLE)) {
    const stix = store.schema(TI_STIX_TABLE);
    await store.insertRows(
      TI_STIX_TABLE,
      toThreatIntelIndicatorsRows(indicators, now, indicatorId).map((r) => coerceRow(stix, r)),
    );
  }
  return store.insertRows(TI_TABLE, rows);
}
