/**
 * Indicators → Sentinel's ThreatIntelligenceIndicator rows, in SQL over `intel_indicators`-shaped rows:
 * the one mapping used both by the intel store's sync and by a run's own indicators (bundled, `--intel`),
 * so a feed matches the same however it was loaded. Filled the way Sentinel fills the table, so its own
 * TI-matching hunts (`NetworkIP`/`NetworkDestinationIP`, `DomainName`, `Url`, `FileHashValue`,
 * `ExpirationDateTime > now() and Active == true`) run unchanged.
 */
export const TI_TABLE = 'ThreatIntelligenceIndicator';

const ISO = `'%Y-%m-%dT%H:%M:%S.%gZ'`;
/** The indicator row is a file hash. */
export const HASH = `type IN ('md5', 'sha1', 'sha256')`;
const IP = `type IN ('ipv4', 'ipv6', 'ip:port')`;

/**
 * The SELECT list. Parameters: the clock (TimeGenerated) and, when `expiryFolded`, the clock again.
 * `expiryFolded`: Active also means "not expired at the clock" (the store's rows, synced at import time).
 * Otherwise expiry is left to ExpirationDateTime, which hunts compare with their own clock, so a replay
 * over last month's logs matches what was active then. Revoked and warning-listed indicators stay in
 * the table (visible to analysts) but are never Active.
 */
export function threatIntelligenceSelect(expiryFolded: boolean): string {
  return `
  ?::TIMESTAMP AS TimeGenerated, source AS SourceSystem, source AS IndicatorProvider, '${TI_TABLE}' AS Type,
  'alert' AS Action, false AS PassiveOnly, upper(sha256(key)) AS IndicatorId, coalesce(external_id, key) AS ExternalIndicatorId,
  CASE WHEN lower(threat_type) = 'botnet_cc' THEN 'C2'
       WHEN lower(threat_type) = 'payload_delivery' THEN CASE WHEN ${HASH} THEN 'Malware' ELSE 'MaliciousUrl' END
       WHEN lower(threat_type) IN ('payload', 'cc_skimming') THEN 'Malware'
       WHEN threat_type IS NULL OR threat_type = '' THEN 'WatchList' ELSE threat_type END AS ThreatType,
  CASE WHEN lower(threat_type) = 'botnet_cc' THEN true END AS KillChainC2,
  CASE WHEN threat_type = 'payload_delivery' THEN true END AS KillChainDelivery,
  confidence AS ConfidenceScore,
  CASE WHEN malware IS NOT NULL THEN to_json([malware])::VARCHAR END AS MalwareNames,
  CASE WHEN len(tags) > 0 THEN to_json(tags)::VARCHAR END AS Tags,
  coalesce(context, coalesce(nullif(concat_ws(' ', malware, threat_type), ''), type) || ' (' || source || ')') AS Description,
  nullif(concat_ws('; ', 'first_seen=' || strftime(first_seen, ${ISO}), 'last_seen=' || strftime(last_seen, ${ISO}), 'reference=' || reference), '') AS AdditionalInformation,
  (NOT coalesce(revoked, false) AND coalesce(active, true) AND warninglists IS NULL${expiryFolded ? ' AND expires > ?::TIMESTAMP' : ''}) AS Active,
  expires AS ExpirationDateTime,
  CASE WHEN source = 'ThreatFox' THEN 'white' END AS TrafficLightProtocolLevel,
  CASE WHEN ${IP} THEN value END AS NetworkIP,
  CASE WHEN type = 'ip:port' THEN value END AS NetworkDestinationIP,
  CASE WHEN type = 'ip:port' THEN port END AS NetworkDestinationPort,
  CASE WHEN type = 'ip:port' THEN port END AS NetworkPort,
  CASE WHEN type = 'domain' THEN value END AS DomainName,
  CASE WHEN type = 'url' THEN value END AS Url,
  CASE WHEN ${HASH} THEN value END AS FileHashValue,
  CASE WHEN ${HASH} THEN upper(type) END AS FileHashType,
  coalesce(origin, source) AS _Source`;
}
