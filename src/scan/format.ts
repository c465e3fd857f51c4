/** Turn YARA-X's scan result into Telltale's RuleMatch shape, quoting matched bytes from our buffer. */
import type { RuleMatch, StringMatch } from './types.js';

/** Bytes quoted per match. */
export const MAX_DATA_BYTES = 64;
/** Matches reported per pattern (the engine still counts all of them for `#a` conditions). */
export const MAX_REPORTED_PER_PATTERN = 100;
/** Bytes of context shown either side of a match. */
export const CONTEXT_BYTES = 16;

export interface YxMatch {
  identifier: string;
  namespace: string;
  isPrivate?: boolean;
  tags: string[];
  metadata: { identifier: string; value: unknown }[];
  patterns: { identifier: string; isPrivate?: boolean; matches: { offset: number; length: number }[] }[];
}

/** Printable ASCII as is, everything else (and the backslash) as \xNN. */
export function escapeBytes(
  data: Uint8Array,
  offset = 0,
  length = data.length,
  cap = MAX_DATA_BYTES,
): string {
  const end = Math.min(offset + Math.min(length, cap), data.length);
  let s = '';
  for (let i = offset; i < end; i++) {
    const b = data[i];
    s +=
      b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s;
}

/** A hex dump line and its ASCII column ('.' for non-printables) around a match. */
export function context(data: Uint8Array, offset: number, length: number): StringMatch['context'] {
  const start = Math.max(0, offset - CONTEXT_BYTES);
  const end = Math.min(data.length, offset + Math.min(length, MAX_DATA_BYTES) + CONTEXT_BYTES);
  const bytes = data.subarray(start, end);
  let ascii = '';
  for (const b of bytes) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return {
    offset: start,
    hex: Buffer.from(bytes)
      .toString('hex')
      .replace(/(..)(?!$)/g, '$1 '),
    ascii,
  };
}

function metaValue(v: unknown): string | number | boolean {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  // YARA-X hands strings with escapes (non-UTF-8 possible) over as byte arrays.
  if (Array.isArray(v)) return escapeBytes(Uint8Array.from(v as number[]), 0, v.length, Infinity);
  return String(v);
}

/** Which matches to report (`--tag`, `--rule`); undefined keeps all. */
export interface MatchFilter {
  tags?: string[];
  rules?: string[];
}

function wanted(m: YxMatch, f: MatchFilter): boolean {
  if (f.tags?.length && !m.tags.some((t) => f.tags!.some((w) => w.toLowerCase() === t.toLowerCase())))
    return false;
  if (f.rules?.length && !f.rules.some((r) => r === m.identifier || r === `${m.namespace}.${m.identifier}`))
    return false;
  return true;
}

/** Private rules and patterns are internal helpers: YARA doesn't report them, neither do we. */
export function toRuleMatches(
  result: { matches?: YxMatch[] },
  data: Uint8Array,
  filter: MatchFilter = {},
): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const m of result.matches ?? []) {
    if (m.isPrivate || !wanted(m, filter)) continue;
    const meta: Record<string, string | number | boolean> = {};
    for (const { identifier, value } of m.metadata)
      if (!(identifier in meta)) meta[identifier] = metaValue(value);
    const strings: StringMatch[] = [];
    for (const p of m.patterns) {
      if (p.isPrivate) continue;
      for (const { offset, length } of p.matches.slice(0, MAX_REPORTED_PER_PATTERN)) {
        strings.push({
          identifier: p.identifier,
          offset,
          length,
          data: escapeBytes(data, offset, length),
          context: context(data, offset, length),
        });
      }
    }
    out.push({ rule: m.identifier, namespace: m.namespace, tags: [...m.tags], meta, strings });
  }
  return out;
}
