/**
 * Field rules every importer shares: what counts as missing, how timestamps, confidence and tag lists
 * are read, how a typed observable is validated, and how entries become indicators or rejects. One
 * place, so a ThreatFox CSV, a MISP event and a STIX bundle disagree about nothing.
 */
import { compact, type Indicator, type IndicatorType, type ParseResult } from '../model.js';
import { refang } from '../refang.js';
import { hashType, isIPv4, isIPv6, isDomain, normaliseValue, parseIpPort } from '../validate.js';

export type Observable = Pick<Indicator, 'type' | 'value' | 'port'>;

// Feeds write missing values as null, "" or (ThreatFox CSV) "None".
export function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = String(v).trim();
  return s === '' || s === 'None' || s === 'null' ? undefined : s;
}

/** "2026-05-20 10:11:12 UTC" / "2026-05-20" / ISO / epoch seconds → ISO 8601 UTC. */
export function timestamp(v: unknown, field: string): string | undefined {
  const s = text(v);
  if (s === undefined) return undefined;
  if (/^\d{9,10}$/.test(s)) return new Date(Number(s) * 1000).toISOString(); // MISP timestamps
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}( UTC)?$/.test(s)
    ? `${s.slice(0, 19).replace(' ', 'T')}Z`
    : s;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(ms)) throw new Error(`${field} is not a timestamp: ${JSON.stringify(s)}`);
  return new Date(ms).toISOString();
}

/** 0-100, or a reject naming the field. A trailing `%` is allowed (seed 002's table writes `80%`). */
export function confidence(v: unknown, field: string): number | undefined {
  const s = text(v)?.replace(/%$/, '');
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0 || n > 100)
    throw new Error(`${field} out of 0-100: ${JSON.stringify(text(v))}`);
  return n;
}

export function tagList(v: unknown): string[] | undefined {
  const raw = Array.isArray(v) ? v.map(String) : (text(v)?.split(',') ?? []);
  const tags = [...new Set(raw.map((t) => t.trim()).filter((t) => t && t !== 'None'))];
  return tags.length ? tags : undefined;
}

/** Validates a refanged value of a known type into an observable; throws the reason otherwise. */
export function observable(type: IndicatorType, raw: string, port?: number): Observable {
  const value = refang(raw.trim());
  if (type === 'ip:port') {
    const parsed =
      port === undefined
        ? parseIpPort(value)
        : parseIpPort(`${value.includes(':') ? `[${value}]` : value}:${port}`);
    if ('reason' in parsed) throw new Error(parsed.reason);
    return { type, value: parsed.ip, port: parsed.port };
  }
  const result = normaliseValue(type, value);
  if ('reason' in result) throw new Error(result.reason);
  return { type, value: result.value };
}

// Type names as the common formats spell them (ThreatFox, MISP, STIX, Telltale's own, plain words).
const TYPE_NAMES: Record<string, IndicatorType | 'ip'> = {
  ip: 'ip',
  'ip-dst': 'ip',
  'ip-src': 'ip',
  ipv4: 'ipv4',
  'ipv4-addr': 'ipv4',
  ipv6: 'ipv6',
  'ipv6-addr': 'ipv6',
  'ip:port': 'ip:port',
  'ip-dst|port': 'ip:port',
  'ip-src|port': 'ip:port',
  ip_port: 'ip:port',
  domain: 'domain',
  hostname: 'domain',
  'domain-name': 'domain',
  fqdn: 'domain',
  url: 'url',
  uri: 'url',
  link: 'url',
  md5: 'md5',
  md5_hash: 'md5',
  sha1: 'sha1',
  sha1_hash: 'sha1',
  sha256: 'sha256',
  sha256_hash: 'sha256',
  'sha-256': 'sha256',
  'sha-1': 'sha1',
  'filename|md5': 'md5',
  'filename|sha1': 'sha1',
  'filename|sha256': 'sha256',
};

/** A type name in any common spelling → the model's type (`ip` resolves by the value). */
export function typeFromName(name: string, value: string): IndicatorType | undefined {
  const t = TYPE_NAMES[name.trim().toLowerCase()];
  if (t !== 'ip') return t;
  return isIPv6(refang(value.trim())) ? 'ipv6' : 'ipv4';
}

/** The type a bare value has on its own (plain lists, CSV without a type column). */
export function inferType(raw: string): IndicatorType | undefined {
  const v = refang(raw.trim());
  if (/^(?:https?|ftp):\/\//i.test(v)) return 'url';
  if (isIPv4(v)) return 'ipv4';
  if (isIPv6(v)) return 'ipv6';
  if (/^(?:\[[^\]]+\]|[\d.]+):\d+$/.test(v)) return 'ip:port';
  const hash = hashType(v);
  if (hash) return hash;
  if (isDomain(v)) return 'domain';
  return undefined;
}

export interface Entry<T> {
  line: number;
  entry: T | string;
}

/**
 * Runs `convert` on each entry; a thrown error (or an entry that is already a reason string) becomes a
 * reject at the entry's line, `undefined` counts as skipped. Origins are `file:line`.
 */
export function collectEntries<T>(
  entries: Iterable<Entry<T>>,
  file: string,
  convert: (entry: T) => Indicator | Indicator[] | undefined,
): ParseResult {
  const out: ParseResult = { indicators: [], rejects: [], skipped: 0 };
  for (const { entry, line } of entries) {
    try {
      if (typeof entry === 'string') throw new Error(entry);
      const result = convert(entry);
      if (result === undefined) out.skipped!++;
      for (const i of Array.isArray(result) ? result : result ? [result] : []) {
        const indicator = compact(i);
        indicator.origin ??= `${file}:${line}`;
        out.indicators.push(indicator);
      }
    } catch (err) {
      out.rejects.push({ file, line, reason: (err as Error).message });
    }
  }
  return out;
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
