/**
 * STIX 2.1 importer: `indicator` objects (pattern → observables, validity window, confidence, labels,
 * revocation, the malware they `indicate`), and `observed-data` whose observables are simple (an
 * address, a domain, a URL, a file hash, a network-traffic destination). Properties STIX has no slot for
 * (ThreatFox's threat type, last seen) round-trip through `x_telltale_*` custom properties.
 */
import { basename } from 'node:path';
import type { Indicator, IndicatorType, ParseResult } from '../model.js';
import { objectLinesWhere } from '../json-lines.js';
import { parseStixPattern, type Comparison } from './stix-pattern.js';
import {
  collectEntries,
  confidence,
  isObject,
  observable,
  tagList,
  text,
  timestamp,
  type Entry,
  type Observable,
} from './fields.js';
import { isIPv6 } from '../validate.js';
import { append } from '../../util/append.js';

type Sdo = Record<string, unknown>;

export function isStix(json: unknown): boolean {
  if (Array.isArray(json))
    return json.length > 0 && json.every((o) => isObject(o) && /--/.test(String(o.id)));
  return (
    isObject(json) &&
    (json.type === 'bundle' || (typeof json.type === 'string' && typeof json.spec_version === 'string'))
  );
}

const HASHES: Record<string, IndicatorType> = {
  md5: 'md5',
  'sha-1': 'sha1',
  sha1: 'sha1',
  'sha-256': 'sha256',
  sha256: 'sha256',
};

/** One conjunction of comparisons → observables. Comparisons on one network-traffic object combine. */
function observablesOf(conj: Comparison[]): Observable[] {
  const out: Observable[] = [];
  const eq = conj.filter((c) => c.op === '=' || c.op === 'IN');
  const dst = eq.filter((c) => c.object === 'network-traffic' && /^dst_ref\.value$/.test(c.path));
  const port = eq.find((c) => c.object === 'network-traffic' && c.path === 'dst_port');
  for (const c of dst)
    for (const v of c.values)
      out.push(
        port
          ? observable('ip:port', String(v), Number(port.values[0]))
          : observable(ipType(String(v)), String(v)),
      );
  for (const c of eq) {
    const values = c.values.map(String);
    if (c.object === 'network-traffic' && c.path === 'src_ref.value')
      append(
        out,
        values.map((v) => observable(ipType(v), v)),
      );
    else if ((c.object === 'ipv4-addr' || c.object === 'ipv6-addr') && c.path === 'value')
      out.push(
        ...values.map((v) =>
          observable(c.object === 'ipv6-addr' ? 'ipv6' : 'ipv4', v.replace(/\/(32|128)$/, '')),
        ),
      );
    else if (c.object === 'domain-name' && c.path === 'value')
      append(
        out,
        values.map((v) => observable('domain', v)),
      );
    else if (c.object === 'url' && c.path === 'value')
      append(
        out,
        values.map((v) => observable('url', v)),
      );
    else if (c.object === 'file' && c.path.startsWith('hashes.')) {
      const type = HASHES[c.path.slice(7).toLowerCase()];
      if (type)
        append(
          out,
          values.map((v) => observable(type, v)),
        );
    }
  }
  return out;
}

const ipType = (v: string): IndicatorType => (isIPv6(v) ? 'ipv6' : 'ipv4');

function fromPattern(pattern: string): Observable[] {
  const found = parseStixPattern(pattern).flatMap((dnf) => dnf.flatMap(observablesOf));
  if (found.length === 0)
    throw new Error(`pattern has no supported equality comparison: ${pattern.slice(0, 120)}`);
  return found;
}

/** SCOs of an observed-data object (2.1 `object_refs`, or the deprecated embedded `objects`). */
function fromObservedData(od: Sdo, byId: Map<string, Sdo>): Observable[] {
  const scos = Array.isArray(od.object_refs)
    ? od.object_refs.map((r) => byId.get(String(r))).filter(isObject)
    : isObject(od.objects)
      ? Object.values(od.objects).filter(isObject)
      : [];
  const resolve = (ref: unknown): Sdo | undefined =>
    byId.get(String(ref)) ??
    (isObject(od.objects) ? (od.objects[String(ref)] as Sdo | undefined) : undefined);
  const out: Observable[] = [];
  for (const sco of scos) {
    if (sco.type === 'ipv4-addr' || sco.type === 'ipv6-addr')
      out.push(observable(ipType(String(sco.value)), String(sco.value)));
    else if (sco.type === 'domain-name') out.push(observable('domain', String(sco.value)));
    else if (sco.type === 'url') out.push(observable('url', String(sco.value)));
    else if (sco.type === 'file' && isObject(sco.hashes)) {
      for (const [k, v] of Object.entries(sco.hashes)) {
        const type = HASHES[k.toLowerCase()];
        if (type) out.push(observable(type, String(v)));
      }
    } else if (sco.type === 'network-traffic' && sco.dst_ref !== undefined) {
      const ip = resolve(sco.dst_ref)?.value;
      if (ip !== undefined)
        out.push(
          sco.dst_port !== undefined
            ? observable('ip:port', String(ip), Number(sco.dst_port))
            : observable(ipType(String(ip)), String(ip)),
        );
    }
  }
  return out;
}

/** STIX's indicator_types, minus the values that only restate "this is an indicator". */
function threatTypeOf(types: unknown): string | undefined {
  return Array.isArray(types)
    ? types.map(String).find((t) => !['malicious-activity', 'unknown'].includes(t))
    : undefined;
}

function referenceOf(o: Sdo): string | undefined {
  const refs = Array.isArray(o.external_references) ? o.external_references.filter(isObject) : [];
  return text(refs.find((r) => r.url)?.url) ?? text(refs[0]?.source_name);
}

export function parseStix(json: unknown, raw: string, file: string): ParseResult {
  const objects: unknown[] = Array.isArray(json)
    ? json
    : isObject(json) && json.type === 'bundle'
      ? ((json.objects as unknown[]) ?? [])
      : [json];
  const lines = Array.isArray(json)
    ? objectLinesWhere(raw, (p) => p.length === 1)
    : isObject(json) && json.type === 'bundle'
      ? objectLinesWhere(raw, (p) => p.length === 2 && p[0] === 'objects')
      : [1];
  const sdos = objects.filter(isObject);
  const byId = new Map(sdos.map((o) => [String(o.id), o]));
  // indicator id → malware names it indicates (relationship SROs).
  const indicates = new Map<string, Sdo[]>();
  for (const r of sdos)
    if (r.type === 'relationship' && r.relationship_type === 'indicates') {
      const target = byId.get(String(r.target_ref));
      if (target?.type === 'malware')
        indicates.set(String(r.source_ref), [...(indicates.get(String(r.source_ref)) ?? []), target]);
    }
  const defaultSource = basename(file);
  let n = 0;
  const entries: Array<Entry<Sdo>> = objects.map((o) =>
    isObject(o)
      ? { entry: o, line: lines[n++] ?? 1 }
      : { entry: 'object is not a JSON object', line: lines[n - 1] ?? 1 },
  );
  const result = collectEntries(entries, file, (o): Indicator[] | undefined => {
    if (o.type !== 'indicator' && o.type !== 'observed-data') return undefined;
    const creator = byId.get(String(o.created_by_ref));
    const malware = indicates.get(String(o.id))?.[0];
    const common = {
      threatType: text(o.x_telltale_threat_type) ?? threatTypeOf(o.indicator_types),
      malware: text(o.x_telltale_malware) ?? text(malware?.name),
      malwareId: text(o.x_telltale_malware_id),
      malwareAliases: tagList(malware?.aliases),
      confidence: confidence(o.confidence, 'confidence'),
      tags: tagList(o.labels),
      reference: referenceOf(o),
      reporter: text(creator?.name),
      source: text(o.x_telltale_source) ?? text(creator?.name) ?? defaultSource,
      context: text(o.description) ?? text(o.name),
      externalId: text(o.id),
      revoked: o.revoked === true ? true : undefined,
    };
    if (o.type === 'observed-data') {
      const found = fromObservedData(o, byId);
      const firstSeen = timestamp(o.first_observed, 'first_observed');
      const lastSeen = timestamp(o.last_observed, 'last_observed');
      return found.length ? found.map((obs) => ({ ...common, ...obs, firstSeen, lastSeen })) : undefined;
    }
    if (o.pattern_type !== undefined && o.pattern_type !== 'stix')
      throw new Error(`pattern_type ${JSON.stringify(o.pattern_type)} is not supported (only stix)`);
    if (typeof o.pattern !== 'string') throw new Error('indicator without a pattern');
    const firstSeen = timestamp(o.valid_from, 'valid_from');
    const expires = timestamp(o.valid_until, 'valid_until');
    if (firstSeen && expires && expires <= firstSeen) throw new Error('valid_until is not after valid_from');
    const lastSeen = timestamp(o.x_telltale_last_seen, 'x_telltale_last_seen');
    const active = o.x_telltale_active === false ? false : undefined;
    return fromPattern(o.pattern).map((obs) => ({ ...common, ...obs, firstSeen, lastSeen, expires, active }));
  });
  return result;
}
