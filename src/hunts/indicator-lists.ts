/**
 * Fills a hunt's `let NAME = dynamic([...]);` IOC list from the indicator store, so a shipped query is
 * the seed's query verbatim (and deploys to Sentinel as is) while locally its list is the store's
 * current indicators, including feeds added with --intel for this run. Only indicators that are
 * Active, not expired at the run's intel clock and at least `minConfidence` confident are bound, and
 * never a private, loopback, link-local or otherwise non-routable address (a bad feed entry such as
 * 10.0.0.1 would otherwise flag half the network).
 */
import ipaddr from 'ipaddr.js';
import type { Store } from '../store/db.js';
import type { Hunt, IndicatorListBinding } from './model.js';

/** ThreatFox's own scale: 50 = "probably malicious"; `--min-confidence` overrides. */
export const DEFAULT_MIN_CONFIDENCE = 50;

const IP = `coalesce(NetworkIP, NetworkDestinationIP, NetworkSourceIP)`;
const HAS_PORT = `NetworkDestinationPort IS NOT NULL`;
const HASH = (type: string) => `CASE WHEN upper(FileHashType) = '${type}' THEN lower(FileHashValue) END`;

/** type → SQL for its value (NULL when the indicator is not of that type). */
const VALUE_SQL: Record<string, string> = {
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

export class IndicatorListError extends Error {}

export interface BindOptions {
  /** The intel clock: indicators expired before it are not bound. */
  now: Date;
  minConfidence?: number;
  /** Always bind literal lists (the Sentinel export: the deployed query must stand alone). */
  literal?: boolean;
  /** Lists with more values than this are staged in TelltaleIndicatorList (default 1,000). */
  tableThreshold?: number;
}

/** Telltale's own table holding staged list values (schemas/TelltaleIndicatorList.json). */
export const LIST_TABLE = 'TelltaleIndicatorList';
export const DEFAULT_TABLE_THRESHOLD = 1000;

const IP_TYPES = new Set(['ip', 'ip-anyport', 'ip:port', 'ip:port-ip']);

/** True for an address worth matching: global unicast (not private, loopback, link-local, reserved…). */
export function isRoutableIp(value: string): boolean {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.exec(value);
  const address = v4 ? v4[1] : value.replace(/^\[(.*)\](?::\d+)?$/, '$1');
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.parse(address).range() === 'unicast';
}

/** The SQL (and its parameters) for one type's distinct active values, as column `v`. */
function valueQuery(
  type: string,
  binding: Pick<IndicatorListBinding, 'threatTypes'>,
  options: BindOptions,
): { sql: string; params: unknown[] } {
  const expr = VALUE_SQL[type];
  if (!expr)
    throw new IndicatorListError(
      `unknown indicator list type '${type}' (known: ${Object.keys(VALUE_SQL).join(', ')})`,
    );
  const threatTypes = (binding.threatTypes ?? []).join(',');
  return {
    sql: `SELECT DISTINCT ${expr} AS v FROM ThreatIntelligenceIndicator
       WHERE coalesce(Active, true) AND (ExpirationDateTime IS NULL OR ExpirationDateTime > ?::TIMESTAMP)
         AND (ConfidenceScore IS NULL OR ConfidenceScore >= ?)
         AND (? = '' OR list_contains(string_split(?, ','), ThreatType))
         AND ${expr} IS NOT NULL`,
    params: [
      options.now.toISOString().replace('Z', ''),
      options.minConfidence ?? DEFAULT_MIN_CONFIDENCE,
      threatTypes,
      threatTypes,
    ],
  };
}

export async function activeIndicatorValues(
  store: Store,
  binding: Pick<IndicatorListBinding, 'types' | 'threatTypes'>,
  options: BindOptions,
): Promise<string[]> {
  const values = new Set<string>();
  for (const type of binding.types) {
    const q = valueQuery(type, binding, options);
    const rows = await store.query(`${q.sql} ORDER BY v`, q.params);
    for (const row of rows) if (!IP_TYPES.has(type) || isRoutableIp(String(row.v))) values.add(String(row.v));
  }
  return [...values].sort();
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
function surelyRoutableSql(v: string): string {
  return `regexp_full_match(${v}, '(${PUBLIC_FIRST_OCTET})(\\.${OCTET}){3}(:[0-9]+)?')`;
}

/**
 * Stages a list's active values in TelltaleIndicatorList under `list`, in SQL (the values never pass
 * through JS but for the few addresses whose routability SQL cannot decide); returns the number of
 * distinct values staged.
 */
export async function stageIndicatorValues(
  store: Store,
  binding: Pick<IndicatorListBinding, 'types' | 'threatTypes'>,
  options: BindOptions,
  list: string,
): Promise<number> {
  await store.run(`DELETE FROM ${LIST_TABLE} WHERE List = ?`, [list]);
  const onlyIps = binding.types.every((t) => IP_TYPES.has(t));
  for (const type of binding.types) {
    const q = valueQuery(type, binding, options);
    if (onlyIps || !IP_TYPES.has(type)) {
      await store.run(`INSERT INTO ${LIST_TABLE} (List, Value) SELECT ?, v FROM (${q.sql})`, [
        list,
        ...q.params,
      ]);
      continue;
    }
    // a list mixing addresses with other values: filter this type's addresses before staging them
    await store.run(
      `INSERT INTO ${LIST_TABLE} (List, Value) SELECT ?, v FROM (${q.sql}) WHERE ${surelyRoutableSql('v')}`,
      [list, ...q.params],
    );
    const undecided = await store.query(
      `SELECT v FROM (${q.sql}) WHERE NOT ${surelyRoutableSql('v')}`,
      q.params,
    );
    const routable = undecided.map((r) => String(r.v)).filter(isRoutableIp);
    if (routable.length)
      await store.run(
        `INSERT INTO ${LIST_TABLE} (List, Value) SELECT ?, unnest(CAST(?::JSON AS VARCHAR[]))`,
        [list, JSON.stringify(routable)],
      );
  }
  if (onlyIps) {
    // every value is an address: drop the non-routable ones (SQL clears the plain public IPv4s, JS the rest)
    const undecided = await store.query(
      `SELECT DISTINCT Value FROM ${LIST_TABLE} WHERE List = ? AND NOT ${surelyRoutableSql('Value')}`,
      [list],
    );
    const drop = undecided.map((r) => String(r.Value)).filter((v) => !isRoutableIp(v));
    if (drop.length)
      await store.run(
        `DELETE FROM ${LIST_TABLE} WHERE List = ? AND list_contains(CAST(?::JSON AS VARCHAR[]), Value)`,
        [list, JSON.stringify(drop)],
      );
  }
  const distinct = binding.types.length === 1 ? 'count(*)' : 'count(DISTINCT Value)';
  const [row] = await store.query(`SELECT ${distinct} AS n FROM ${LIST_TABLE} WHERE List = ?`, [list]);
  return Number(row?.n ?? 0);
}

/** An upper bound on a list's size: its indicators before deduplication and the routable filter. */
async function candidateCount(
  store: Store,
  binding: Pick<IndicatorListBinding, 'types' | 'threatTypes'>,
  options: BindOptions,
): Promise<number> {
  let n = 0;
  for (const type of binding.types) {
    const q = valueQuery(type, binding, options);
    const [row] = await store.query(
      `SELECT count(*) AS n FROM (${q.sql.replace('SELECT DISTINCT', 'SELECT')})`,
      q.params,
    );
    n += Number(row?.n ?? 0);
  }
  return n;
}

function kqlStringLiteral(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * One case-insensitive regex for a host name or URL whose host is one of the domains or a subdomain
 * of one (`dl.tvt.miraibotnet.su`, `http://tvt.miraibotnet.su:80/x`), never a look-alike
 * (`nottvt.miraibotnet.su.example`, `tvt.miraibotnet.su.example.com`).
 */
export function subdomainRegex(domains: string[]): string {
  if (domains.length === 0) return '[^\\s\\S]'; // matches nothing
  const escaped = domains.map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `(?i)^(?:[a-z][a-z0-9+.-]*://)?(?:[^/@]*@)?(?:[^/:]*\\.)?(?:${escaped.join('|')})\\.?(?::\\d+)?(?:[/?#]|$)`;
}

export function bindIndicatorList(
  query: string,
  binding: IndicatorListBinding,
  values: string[],
  huntId: string,
): string {
  if (binding.as === 'subdomain-regex') {
    const pattern = new RegExp(
      `(let\\s+${binding.variable}\\s*=\\s*)(@?"(?:[^"\\\\]|\\\\.)*"|@'[^']*')(\\s*;)`,
    );
    if (!pattern.test(query))
      throw new IndicatorListError(
        `hunt ${huntId}: no 'let ${binding.variable} = "...";' to fill with a regex`,
      );
    return query.replace(
      pattern,
      (_m, head: string, _old: string, tail: string) =>
        `${head}${kqlStringLiteral(subdomainRegex(values))}${tail}`,
    );
  }
  const pattern = new RegExp(`(let\\s+${binding.variable}\\s*=\\s*dynamic\\(\\s*)\\[[^\\]]*\\](\\s*\\))`);
  if (!pattern.test(query))
    throw new IndicatorListError(
      `hunt ${huntId}: no 'let ${binding.variable} = dynamic([...])' to fill from the indicator store`,
    );
  return query.replace(
    pattern,
    (_m, head: string, tail: string) => `${head}[${values.map(kqlStringLiteral).join(', ')}]${tail}`,
  );
}

/**
 * Binds `let NAME = dynamic([...])` to the staged values of `list` in TelltaleIndicatorList: a tabular
 * `let`, so `x in (NAME)`, `x !in (NAME)` and `x has_any (NAME)` read a one-column table (a semi join)
 * whatever the list's size.
 */
export function bindIndicatorTable(
  query: string,
  binding: IndicatorListBinding,
  list: string,
  huntId: string,
): string {
  const pattern = new RegExp(`(let\\s+${binding.variable}\\s*=\\s*)dynamic\\(\\s*\\[[^\\]]*\\]\\s*\\)`);
  if (!pattern.test(query))
    throw new IndicatorListError(
      `hunt ${huntId}: no 'let ${binding.variable} = dynamic([...])' to fill from the indicator store`,
    );
  return query.replace(
    pattern,
    (_m, head: string) => `${head}${LIST_TABLE} | where List == ${kqlStringLiteral(list)} | project Value`,
  );
}

/**
 * Fills every indicator list of the hunt. A list of more than `tableThreshold` values is staged in
 * TelltaleIndicatorList and bound as a table (its cost stays flat in the number of indicators); a
 * small one, a regex (`subdomain-regex`, built from the values) and every list under `literal` (the
 * Sentinel export) are bound as literals.
 */
export async function bindIndicatorLists(store: Store, hunt: Hunt, options: BindOptions): Promise<string> {
  let query = hunt.query;
  const threshold = options.tableThreshold ?? DEFAULT_TABLE_THRESHOLD;
  for (const binding of hunt.indicatorLists) {
    if (!options.literal && binding.as !== 'subdomain-regex') {
      const list = `${hunt.key}/${binding.variable}`;
      if (
        (await candidateCount(store, binding, options)) > threshold &&
        (await stageIndicatorValues(store, binding, options, list)) > threshold
      ) {
        query = bindIndicatorTable(query, binding, list, hunt.id);
        continue;
      }
      await store.run(`DELETE FROM ${LIST_TABLE} WHERE List = ?`, [list]);
    }
    query = bindIndicatorList(query, binding, await activeIndicatorValues(store, binding, options), hunt.id);
  }
  return query;
}
