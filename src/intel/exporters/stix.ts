/**
 * STIX 2.1 bundle: an `indicator` per observable (pattern, valid_from/valid_until, confidence, labels),
 * a `malware` object per family linked by `indicates` relationships, and `x_telltale_*` properties for
 * what STIX has no slot for. Ids are derived from the indicator key, so re-exports are stable and
 * re-importing gives the same indicators.
 */
import { createHash } from 'node:crypto';
import { indicatorKey, type Indicator } from '../model.js';
import { prettyJsonParts, type Exporter } from './types.js';

/** A deterministic UUID (version 5 layout) from a name, or from names joined with commas. */
export function stableUuid(name: string | Iterable<string>): string {
  const sha1 = createHash('sha1');
  if (typeof name === 'string') sha1.update(name);
  else {
    let first = true;
    for (const part of name) {
      if (!first) sha1.update(',');
      sha1.update(part);
      first = false;
    }
  }
  const h = sha1.digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const HASH_NAMES = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' } as const;

export function stixPattern(i: Indicator): string {
  switch (i.type) {
    case 'ipv4':
      return `[ipv4-addr:value = ${quote(i.value)}]`;
    case 'ipv6':
      return `[ipv6-addr:value = ${quote(i.value)}]`;
    case 'ip:port':
      return `[network-traffic:dst_ref.type = '${i.value.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}' AND network-traffic:dst_ref.value = ${quote(i.value)} AND network-traffic:dst_port = ${i.port}]`;
    case 'domain':
      return `[domain-name:value = ${quote(i.value)}]`;
    case 'url':
      return `[url:value = ${quote(i.value)}]`;
    default:
      return `[file:hashes.'${HASH_NAMES[i.type]}' = ${quote(i.value)}]`;
  }
}

export const stix: Exporter = (indicators, options) => {
  const now = (options.now ?? new Date()).toISOString();
  const objects: Array<Record<string, unknown>> = [];
  const malware = new Map<string, string>();
  for (const i of indicators) {
    const id = `indicator--${stableUuid(indicatorKey(i))}`;
    objects.push({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: i.firstSeen ?? now,
      modified: now,
      name: `${i.type} ${i.type === 'ip:port' ? `${i.value}:${i.port}` : i.value}`,
      description: i.context,
      indicator_types: ['malicious-activity'],
      pattern: stixPattern(i),
      pattern_type: 'stix',
      valid_from: i.firstSeen ?? now,
      valid_until: i.expires,
      confidence: i.confidence,
      labels: i.tags,
      revoked: i.revoked,
      external_references: i.reference
        ? [
            {
              source_name: i.source,
              ...(/^https?:/.test(i.reference) ? { url: i.reference } : { description: i.reference }),
            },
          ]
        : undefined,
      x_telltale_threat_type: i.threatType,
      x_telltale_malware: i.malware,
      x_telltale_malware_id: i.malwareId,
      x_telltale_last_seen: i.lastSeen,
      x_telltale_source: i.source,
      x_telltale_active: i.active === false ? false : undefined,
    });
    if (i.malware) {
      if (!malware.has(i.malware)) {
        const mid = `malware--${stableUuid(`malware|${i.malware}`)}`;
        malware.set(i.malware, mid);
        objects.push({
          type: 'malware',
          spec_version: '2.1',
          id: mid,
          created: now,
          modified: now,
          name: i.malware,
          is_family: true,
        });
      }
      objects.push({
        type: 'relationship',
        spec_version: '2.1',
        id: `relationship--${stableUuid(`${id}|indicates`)}`,
        created: now,
        modified: now,
        relationship_type: 'indicates',
        source_ref: id,
        target_ref: malware.get(i.malware),
      });
    }
  }
  const ids = (function* () {
    for (const o of objects) yield String(o.id);
  })();
  const bundle = { type: 'bundle', id: `bundle--${stableUuid(ids)}`, objects };
  return [{ name: 'indicators.stix.json', content: prettyJsonParts(bundle, objects) }];
};
