/**
 * SQL for Kusto's IPv4 tests the hunts run on every flow (`ipv4_is_private`, `ipv4_is_in_range` with a
 * constant range), built to cost one regex a row where they can: RE2 validates the address once, and
 * the range is decided by prefix tests on its text (a second regex only for the rows that share the
 * range's leading octet). Same answers as the store's macros (store/macros.ts): true or false on a
 * valid address, NULL on anything else.
 */
import { IPV4_PATTERN } from '../store/macros.js';

/** An address with an optional /0–32, as Kusto's ipv4_is_private accepts it. */
const IPV4_WITH_PREFIX = `${IPV4_PATTERN}(/([0-9]|[12][0-9]|3[0-2]))?`;
const OCTET = '([01]?\\d?\\d|2[0-4]\\d|25[0-5])';
const WHOLE_IPV4 = new RegExp(`^${IPV4_PATTERN}$`);

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** `ip` (SQL text, non-null) starts with one of the prefixes. */
function startsWithAny(ip: string, prefixes: string[]): string {
  return `(${prefixes.map((p) => `starts_with(${ip}, ${sqlText(p)})`).join(' OR ')})`;
}

/**
 * Kusto's private ranges (RFC 1918 only) on a valid address: 10/8 and 192.168/16 by prefix, 172.16/12
 * by prefix and then its second octet (the validator allows `010` for 10 and `016` for 16).
 */
export function ipv4IsPrivateSql(ip: string): string {
  const ranges =
    `(${startsWithAny(ip, ['10.', '010.', '192.168.'])} OR (CASE WHEN starts_with(${ip}, '172.') ` +
    `THEN regexp_matches(${ip}, '^172\\.0?(1[6-9]|2\\d|3[01])\\.') ELSE false END))`;
  return `(CASE WHEN regexp_full_match(${ip}, '${IPV4_WITH_PREFIX}') THEN ${ranges} END)`;
}

/** The texts of an octet value the validator accepts: `7`, `07`, `007`; `42`, `042`; `200`. */
function octetTexts(value: number): string[] {
  const text = String(value);
  return value < 10 ? [text, `0${text}`, `00${text}`] : value < 100 ? [text, `0${text}`] : [text];
}

/** A regex for the octet values lo..hi, in every text the validator accepts. */
function octetRange(lo: number, hi: number): string {
  if (lo === 0 && hi === 255) return OCTET;
  const texts: string[] = [];
  for (let v = lo; v <= hi; v++) texts.push(...octetTexts(v));
  return `(${texts.join('|')})`;
}

/** A range `a.b.c.d/n` with 8 <= n <= 32 (or a bare address: /32), else undefined. */
function parseRange(cidr: string): { octets: number[]; bits: number } | undefined {
  const [net, bits = '32', ...rest] = cidr.split('/');
  if (rest.length > 0 || !WHOLE_IPV4.test(net) || !/^\d{1,2}$/.test(bits)) return undefined;
  const n = Number(bits);
  if (n < 8 || n > 32) return undefined;
  return { octets: net.split('.').map(Number), bits: n };
}

/**
 * `ipv4_is_in_range(ip, cidr)` for a constant range: a valid address whose leading octet's text
 * matches, then a regex of the range's octets; undefined when the range is not a plain a.b.c.d/8–32
 * (the macro then decides, NULL for a malformed range as before).
 */
export function ipv4InConstantRangeSql(ip: string, cidr: string): string | undefined {
  const range = parseRange(cidr);
  if (!range) return undefined;
  const parts = range.octets.map((octet, i) => {
    const fixed = Math.min(8, Math.max(0, range.bits - 8 * i)); // leading bits of this octet in the range
    const size = 2 ** (8 - fixed);
    const lo = octet - (octet % size);
    return octetRange(lo, lo + size - 1);
  });
  const lead = octetTexts(range.octets[0]).map((t) => `${t}.`);
  const inRange = `regexp_full_match(${ip}, ${sqlText(parts.join('\\.'))})`;
  return (
    `(CASE WHEN regexp_full_match(${ip}, '${IPV4_PATTERN}') THEN ` +
    `(CASE WHEN ${startsWithAny(ip, lead)} THEN ${inRange} ELSE false END) END)`
  );
}
