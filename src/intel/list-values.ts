/**
 * What a hunt's indicator list holds, per list type: the SQL deriving each type's value from a
 * ThreatIntelligenceIndicator row, and which addresses are worth matching at all. Shared by the run's
 * list binding (hunts/indicator-lists.ts) and the intel store's precomputed lists (intel/hunt-lists.ts),
 * so both give the same values.
 */
import ipaddr from 'ipaddr.js';

/** The run's view of the intel store's precomputed lists (intel/attach-lists.ts; schemas/TelltaleIntelList.json). */
export const INTEL_LIST_TABLE = 'TelltaleIntelList';

const IP = `coalesce(NetworkIP, NetworkDestinationIP, NetworkSourceIP)`;
const HAS_PORT = `NetworkDestinationPort IS NOT NULL`;
const HASH = (type: string) => `CASE WHEN upper(FileHashType) = '${type}' THEN lower(FileHashValue) END`;

/** type → SQL for its value (NULL when the indicator is not of that type). */
export const VALUE_SQL: Record<string, string> = {
  /** any IP indicator, with or without a port (the seed hunts' semantics) */
  ip: IP,
  /** IP indicators without a port: a hit on any port */
  'ip-anyport': `CASE WHEN NOT (${HAS_PORT}) THEN ${IP} END`,
  /** `ip:port` indicators as "ip:port" */
  'ip:port': `CASE WHEN ${HAS_PORT} THEN ${IP} || ':' || NetworkDestinationPort END`,
  /** the addresses of `ip:port` indicators: a hit on another port is a weaker finding */
  'ip:port-ip': `CASE WHEN ${HAS_PORT} THEN ${IP} END`,
  domain: `lower(DomainName)`,
  url: `Url`,
  sha256: HASH('SHA256'),
  sha1: HASH('SHA1'),
  md5: HASH('MD5'),
};

export const IP_TYPES = new Set(['ip', 'ip-anyport', 'ip:port', 'ip:port-ip']);

/** True for an address worth matching: global unicast (not private, loopback, link-local, reserved…). */
export function isRoutableIp(value: string): boolean {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.exec(value);
  const address = v4 ? v4[1] : value.replace(/^\[(.*)\](?::\d+)?$/, '$1');
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.parse(address).range() === 'unicast';
}

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
/** First octets holding a special range (ipaddr.js' IPv4 SpecialRanges) or outside 1–223. */
const SPECIAL_FIRST_OCTETS = new Set([10, 100, 127, 169, 172, 192, 198, 203]);
const PUBLIC_FIRST_OCTET = Array.from({ length: 223 }, (_, k) => k + 1)
  .filter((n) => !SPECIAL_FIRST_OCTETS.has(n))
  .join('|');
/**
 * SQL true only for a plain dotted-quad IPv4 (optionally `:port`) that isRoutableIp accepts: no leading
 * zeros, first octet 1–223 and none of the first octets holding a special range (0, 10, 100, 127,
 * 169, 172, 192, 198, 203, 224+). Everything else is decided by isRoutableIp in JS (few values). One
 * regex (RE2): about 35 ms per million values.
 */
export function surelyRoutableSql(v: string): string {
  return `regexp_full_match(${v}, '(${PUBLIC_FIRST_OCTET})(\\.${OCTET}){3}(:[0-9]+)?')`;
}
