/**
 * Fills a hunt's `let NAME = dynamic([...]);` IOC list from the indicator store, so a shipped query is
 * the seed's query verbatim (and deploys to Sentinel as is) while locally its list is the store's
 * current active indicators, including feeds added with --intel for this run.
 */
import type { Store } from '../store/db.js';
import type { Hunt, IndicatorListBinding } from './model.js';

const VALUE_SQL: Record<string, string> = {
  ip: `coalesce(NetworkIP, NetworkDestinationIP, NetworkSourceIP)`,
  domain: `DomainName`,
  url: `Url`,
  sha256: `CASE WHEN upper(FileHashType) = 'SHA256' THEN lower(FileHashValue) END`,
  sha1: `CASE WHEN upper(FileHashType) = 'SHA1' THEN lower(FileHashValue) END`,
  md5: `CASE WHEN upper(FileHashType) = 'MD5' THEN lower(FileHashValue) END`,
};

export class IndicatorListError extends Error {}

export async function activeIndicatorValues(store: Store, types: string[], now: Date): Promise<string[]> {
  const values = new Set<string>();
  for (const type of types) {
    const expr = VALUE_SQL[type];
    if (!expr) throw new IndicatorListError(`unknown indicator list type '${type}' (known: ${Object.keys(VALUE_SQL).join(', ')})`);
    const rows = await store.query(
      `SELECT DISTINCT ${expr} AS v FROM ThreatIntelligenceIndicator
       WHERE coalesce(Active, true) AND (ExpirationDateTime IS NULL OR ExpirationDateTime > ?::TIMESTAMP)
         AND ${expr} IS NOT NULL ORDER BY v`,
      [now.toISOString().replace('Z', '')],
    );
    for (const row of rows) values.add(String(row.v));
  }
  return [...values].sort();
}

function kqlStringLiteral(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function bindIndicatorList(query: string, binding: IndicatorListBinding, values: string[], huntId: string): string {
  const pattern = new RegExp(`(let\\s+${binding.variable}\\s*=\\s*dynamic\\(\\s*)\\[[^\\]]*\\](\\s*\\))`);
  if (!pattern.test(query))
    throw new IndicatorListError(`hunt ${huntId}: no 'let ${binding.variable} = dynamic([...])' to fill from the indicator store`);
  return query.replace(pattern, (_m, head: string, tail: string) => `${head}[${values.map(kqlStringLiteral).join(', ')}]${tail}`);
}

export async function bindIndicatorLists(store: Store, hunt: Hunt, now: Date): Promise<string> {
  let query = hunt.query;
  for (const binding of hunt.indicatorLists)
    query = bindIndicatorList(query, binding, await activeIndicatorValues(store, binding.types, now), hunt.id);
  return query;
}
