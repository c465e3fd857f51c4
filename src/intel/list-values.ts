/**
 * The one definition of a hunt's indicator list: which ThreatIntelligenceIndicator rows count (the
 * NULL-Active rule), the matchable value of each list type, the filter a binding applies (list types,
 * expiry at the run's clock, confidence, threat types) and which addresses are worth matching at all.
 * The run's literal and staged lists (hunts/indicator-lists.ts) and the intel store's precomputed
 * lists (intel/hunt-lists.ts, read in place by attach-lists.ts) are all built from it, so a feed gives
 * the same values however it was loaded.
 */
import ipaddr from 'ipaddr.js';
import { sqlString, type Store } from '../store/db.js';
import { IPV4_OCTET, IPV4_PATTERN } from '../util/ipv4.js';

/** The run's view of the intel store's precomputed lists (intel/attach-lists.ts; schemas/TelltaleIntelList.json). */
export const INTEL_LIST_TABLE = 'TelltaleIntelList';

/** The one NULL-Active rule, Sentinel's `Active == true`: a TI row whose Active is NULL never matches. */
export const ACTIVE_SQL = 'coalesce(Active, false)';
/** Not expired at the clock (one `?::TIMESTAMP` parameter); NULL means no end date. */
export const NOT_EXPIRED_SQL = '(ExpirationDateTime IS NULL OR ExpirationDateTime > ?::TIMESTAMP)';

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

export class IndicatorListError extends Error {}

function checkTypes(types: readonly string[]): void {
  const unknown = types.find((t) => !(t in VALUE_SQL));
  if (unknown !== undefined)
    throw new IndicatorListError(
      `unknown indicator list type '${unknown}' (known: ${Object.keys(VALUE_SQL).join(', ')})`,
    );
}

/**
 * List rows — `Kind, Value, ThreatType, ConfidenceScore, ExpirationDateTime, IndicatorId`, the columns
 * of TelltaleIntelList (intel_lists holds the same, in this order) — of the Active TI rows of `from`:
 * one per row and list type it has a value for (`kinds`, default every type). `where` narrows the rows.
 */
export function listRowsSql(
  from: string,
  options: { kinds?: readonly string[]; where?: string } = {},
): string {
  const kinds = options.kinds ?? Object.keys(VALUE_SQL);
  checkTypes(kinds);
  const structs = [...new Set(kinds)].map((k) => `{'kind': ${sqlString(k)}, 'value': ${VALUE_SQL[k]}}`);
  const where = options.where ? ` AND (${options.where})` : '';
  return (
    `SELECT l.kind AS Kind, l.value AS Value, ThreatType, ConfidenceScore, ExpirationDateTime, IndicatorId ` +
    `FROM (SELECT *, unnest([${structs.join(', ')}]) AS l FROM ${from} WHERE ${ACTIVE_SQL}${where}) WHERE l.value IS NOT NULL`
  );
}

/** What a hunt's list selects from list rows. */
export interface ListSelection {
  kinds: readonly string[];
  /** Only these ThreatTypes (none: any). */
  threatTypes?: readonly string[];
  /** The intel clock: rows expired before it are left out. */
  now: Date;
  minConfidence: number;
  /** IndicatorIds to leave out (the run's own copy of a store indicator wins). */
  skipIds?: readonly string[];
}

type Condition =
  | { column: string; in: readonly string[]; negate?: boolean }
  | { column: string; atLeast: number | Date; strict?: boolean };

/**
 * The one filter of list rows, written once as conditions and rendered as SQL (with its parameters:
 * the scan can push inline list members down) and as KQL over TelltaleIntelList (the bound hunt).
 * NULL expiry or confidence passes.
 */
export function listFilter(selection: ListSelection): { sql: string; params: unknown[]; kql: string } {
  checkTypes(selection.kinds);
  const conditions: Condition[] = [
    { column: 'Kind', in: selection.kinds },
    { column: 'ExpirationDateTime', atLeast: selection.now, strict: true },
    { column: 'ConfidenceScore', atLeast: Math.trunc(selection.minConfidence) },
  ];
  if (selection.threatTypes?.length) conditions.push({ column: 'ThreatType', in: selection.threatTypes });
  if (selection.skipIds?.length)
    conditions.push({ column: 'IndicatorId', in: selection.skipIds, negate: true });
  const params: unknown[] = [];
  const sql = conditions.map((c) => {
    if ('in' in c) return `${c.column} ${c.negate ? 'NOT IN' : 'IN'} (${c.in.map(sqlString).join(', ')})`;
    params.push(c.atLeast instanceof Date ? c.atLeast.toISOString().replace('Z', '') : c.atLeast);
    const cast = c.atLeast instanceof Date ? '::TIMESTAMP' : '';
    return `(${c.column} IS NULL OR ${c.column} ${c.strict ? '>' : '>='} ?${cast})`;
  });
  const kql = conditions.map((c) => {
    if ('in' in c) return `${c.column} ${c.negate ? '!in' : 'in'} (${c.in.map(kqlString).join(', ')})`;
    const bound = c.atLeast instanceof Date ? `datetime(${c.atLeast.toISOString()})` : String(c.atLeast);
    return `(isnull(${c.column}) or ${c.column} ${c.strict ? '>' : '>='} ${bound})`;
  });
  return {
    sql: sql.join(' AND '),
    params,
    kql: `${INTEL_LIST_TABLE} | where ${kql.join(' and ')} | project Value`,
  };
}

/** A KQL string literal. */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const IPV4_AND_PORT = new RegExp(`^(${IPV4_PATTERN})(?::\\d+)?$`);
const DIGITS_AND_DOTS = /^[\d.]+(?::\d+)?$/;

/** True for an address worth matching: global unicast (not private, loopback, link-local, reserved…). */
export function isRoutableIp(value: string): boolean {
  const v4 = IPV4_AND_PORT.exec(value);
  if (!v4 && DIGITS_AND_DOTS.test(value)) return false; // leading zeros or an octet over 255
  const address = v4 ? v4[1] : value.replace(/^\[(.*)\](?::\d+)?$/, '$1');
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.parse(address).range() === 'unicast';
}

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
  return `regexp_full_match(${v}, '(${PUBLIC_FIRST_OCTET})(\\.${IPV4_OCTET}){3}(:[0-9]+)?')`;
}

const IP_KINDS = [...IP_TYPES].map(sqlString).join(', ');

/**
 * The one routable filter over list rows (`rows`: SQL with columns Kind and Value): SQL clears the plain
 * public IPv4s, isRoutableIp decides the few other addresses. Returns the undecided addresses split,
 * and `keep`, a predicate on Kind and Value true for what may be matched (parameters in `params`).
 */
export async function routableSplit(
  store: Store,
  rows: string,
  params: unknown[],
): Promise<{ unroutable: string[]; keep: string; params: unknown[] }> {
  const undecided = await store.query(
    `SELECT DISTINCT Value FROM (${rows}) WHERE Kind IN (${IP_KINDS}) AND NOT ${surelyRoutableSql('Value')}`,
    params,
  );
  const values = undecided.map((r) => String(r.Value));
  const routable = values.filter(isRoutableIp);
  return {
    unroutable: values.filter((v) => !isRoutableIp(v)),
    keep:
      `(Kind NOT IN (${IP_KINDS}) OR ${surelyRoutableSql('Value')} ` +
      `OR list_contains(CAST(?::JSON AS VARCHAR[]), Value))`,
    params: [JSON.stringify(routable)],
  };
}

/** SQL true for an IP list type (column `kind`). */
export function ipKindSql(kind: string): string {
  return `${kind} IN (${IP_KINDS})`;
}
