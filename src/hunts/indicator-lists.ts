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
}

const IP_TYPES = new Set(['ip', 'ip-anyport', 'ip:port', 'ip:port-ip']);

/** True for an address worth matching: global unicast (not private, loopback, link-local, reserved…). */
export function isRoutableIp(value: string): boolean {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.exec(value);
  const address = v4 ? v4[1] : value.replace(/^\[(.*)\](?::\d+)?$/, '$1');
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.parse(address).range() === 'unicast';
}

export async function activeIndicatorValues(
  store: Store,
  binding: Pick<IndicatorListBinding, 'types' | 'threatTypes'>,
  options: BindOptions,
): Promise<string[]> {
  const values = new Set<string>();
  const threatTypes = binding.threatTypes ?? [];
  for (const type of binding.types) {
    const expr = VALUE_SQL[type];
    if (!expr)
      throw new IndicatorListError(
        `unknown indicator list type '${type}' (known: ${Object.keys(VALUE_SQL).join(', ')})`,
      );
    const rows = await store.query(
      `SELECT DISTINCT ${expr} AS v FROM ThreatIntelligenceIndicator
       WHERE coalesce(Active, true) AND (ExpirationDateTime IS NULL OR ExpirationDateTime > ?::TIMESTAMP)
         AND (ConfidenceScore IS NULL OR ConfidenceScore >= ?)
         AND (? = '' OR list_contains(string_split(?, ','), ThreatType))
         AND ${expr} IS NOT NULL ORDER BY v`,
      [
        options.now.toISOString().replace('Z', ''),
        options.minConfidence ?? DEFAULT_MIN_CONFIDENCE,
        threatTypes.join(','),
        threatTypes.join(','),
      ],
    );
    for (const row of rows) if (!IP_TYPES.has(type) || isRoutableIp(String(row.v))) values.add(String(row.v));
  }
  return [...values].sort();
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

export async function bindIndicatorLists(store: Store, hunt: Hunt, options: BindOptions): Promise<string> {
  let query = hunt.query;
  for (const binding of hunt.indicatorLists)
    query = bindIndicatorList(query, binding, await activeIndicatorValues(store, binding, options), hunt.id);
  return query;
}
