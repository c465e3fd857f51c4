/**
 * The Indicator: one observable (IP, IP:port, domain, URL or file hash) plus what a feed or report
 * says about it. Every importer produces these; `ti-table.ts` turns them into Sentinel's
 * ThreatIntelligenceIndicator rows. Values are stored normalised so that equal observables compare equal.
 */

export type IndicatorType = 'ipv4' | 'ipv6' | 'ip:port' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256';

export interface Indicator {
  type: IndicatorType;
  /** Normalised: lowercase domain/hash; for ip:port the IP alone (the port is in `port`). */
  value: string;
  port?: number;
  /** The feed's own vocabulary (ThreatFox: botnet_cc, payload_delivery, payload, cc_skimming). */
  threatType?: string;
  /** Human-readable family name (ThreatFox malware_printable, e.g. "Mirai"). */
  malware?: string;
  /** Machine family id when the feed has one (ThreatFox/Malpedia: "elf.mirai"). */
  malwareId?: string;
  /** Other names of the family (ThreatFox malware_alias). */
  malwareAliases?: string[];
  /** 0-100. */
  confidence?: number;
  /** ISO 8601. */
  firstSeen?: string;
  lastSeen?: string;
  /** Who says so: "ThreatFox", or the report file's name for free text. */
  source: string;
  /** A URL or citation backing the indicator. */
  reference?: string;
  tags?: string[];
  /** For text extraction: the sentence the indicator was found in. */
  context?: string;
  active?: boolean;
  /** ISO 8601. */
  expires?: string;
  /** The source's own id (ThreatFox ioc id). */
  externalId?: string;
  /** Provenance `file:line`, stored as `_Source`. */
  origin?: string;
  /** Who submitted it to the source (ThreatFox reporter, MISP creator org, STIX created_by). */
  reporter?: string;
  /** Withdrawn by its source (STIX `revoked`): kept in the store, never matched. */
  revoked?: boolean;
  /** Names of the warning/allow lists it is on (set at import): kept, not matched by default. */
  warninglists?: string[];
}

/** A malformed entry: where it is and why it was refused. The rest of the input still imports. */
export interface IntelReject {
  file: string;
  line: number;
  reason: string;
}

export interface ParseResult {
  indicators: Indicator[];
  rejects: IntelReject[];
  /** Entries that are well-formed but carry no indicator type Telltale models (MISP `text`, `email`…). */
  skipped?: number;
}

export const HASH_TYPES: readonly IndicatorType[] = ['md5', 'sha1', 'sha256'];
export const INDICATOR_TYPES: readonly IndicatorType[] = [
  'ipv4',
  'ipv6',
  'ip:port',
  'domain',
  'url',
  ...HASH_TYPES,
];

/** Drops undefined members so objects compare and serialise cleanly. */
export function compact<T extends object>(o: T): T {
  // A loop, not entries/fromEntries: importers call this once per indicator, a million times a feed.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Identity of an observable: two indicators with the same key describe the same thing. */
export function indicatorKey(i: Pick<Indicator, 'type' | 'value' | 'port'>): string {
  return `${i.type}|${i.value}|${i.port ?? ''}`;
}

const minIso = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : a <= b ? a : b);
const maxIso = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : a >= b ? a : b);

function mergeTwo(a: Indicator, b: Indicator): Indicator {
  const merged: Indicator = { ...b, ...compact(a) };
  merged.firstSeen = minIso(a.firstSeen, b.firstSeen);
  merged.lastSeen = maxIso(a.lastSeen, b.lastSeen);
  merged.expires = maxIso(a.expires, b.expires);
  if (a.confidence !== undefined || b.confidence !== undefined) {
    merged.confidence = Math.max(a.confidence ?? 0, b.confidence ?? 0);
  }
  if (a.tags || b.tags) merged.tags = [...new Set([...(a.tags ?? []), ...(b.tags ?? [])])];
  if (a.warninglists || b.warninglists)
    merged.warninglists = [...new Set([...(a.warninglists ?? []), ...(b.warninglists ?? [])])];
  merged.revoked = a.revoked === true && b.revoked === true ? true : undefined;
  // Any source still vouching for it keeps it active.
  if (a.active !== undefined || b.active !== undefined)
    merged.active = a.active !== false || b.active !== false;
  return compact(merged);
}

/**
 * One indicator per key, in first-seen order. The first occurrence wins for single-valued fields
 * (source, context, origin…); dates widen, confidence takes the maximum, tags are unioned.
 */
export function dedupe(indicators: readonly Indicator[]): Indicator[] {
  const byKey = new Map<string, Indicator>();
  for (const i of indicators) {
    const key = indicatorKey(i);
    const seen = byKey.get(key);
    byKey.set(key, seen ? mergeTwo(seen, i) : i);
  }
  return [...byKey.values()];
}
