/**
 * JavaScript IP functions whose results are lists or IPv6 text (see js-library.ts for the calling
 * convention); addresses parsed by ipaddr.js.
 */
import ipaddr from 'ipaddr.js';
import type { JsFn, JsValue } from './js-value.js';

/** An IPv4 or IPv6 address (optionally `/prefix`) as 16 bytes and an IPv6 prefix length. */
function v6Bytes(text: string): { bytes: number[]; prefix: number } | null {
  const [address, suffix, extra] = text.trim().split('/');
  if (extra !== undefined || !ipaddr.isValid(address)) return null;
  const ip = ipaddr.parse(address);
  const v4 = ip.kind() === 'ipv4';
  const max = v4 ? 32 : 128;
  const own = suffix === undefined ? max : /^\d+$/.test(suffix) ? Number(suffix) : NaN;
  if (!(own >= 0 && own <= max)) return null;
  const bytes = v4 ? (ip as ipaddr.IPv4).toIPv4MappedAddress().toByteArray() : ip.toByteArray();
  // an IPv4 part written dotted (`::192.168.255.255/24`) takes an IPv4 prefix too
  const dotted = v4 || (address.includes('.') && own <= 32 && suffix !== undefined);
  return { bytes, prefix: dotted ? 96 + Math.min(own, 32) : own };
}

/** `parse_ipv6` / `parse_ipv6_mask`: the canonical 8 groups of 4 hex digits, masked to the address's prefix. */
function parseIpv6(text: JsValue, mask: JsValue = 128): JsValue {
  const parsed = typeof text === 'string' ? v6Bytes(text) : null;
  if (!parsed || typeof mask !== 'number' || mask < 0 || mask > 128) return null;
  // parse_ipv6_mask: the address's own prefix or the mask, the shorter
  parsed.prefix = Math.min(parsed.prefix, mask);
  const masked = parsed.bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, parsed.prefix - 8 * i));
    return b & ((0xff << (8 - bits)) & 0xff);
  });
  const groups = Array.from({ length: 8 }, (_, g) =>
    ((masked[2 * g] << 8) | masked[2 * g + 1]).toString(16).padStart(4, '0'),
  );
  return groups.join(':');
}

const v4Number = (text: string): number | null =>
  ipaddr.IPv4.isValidFourPartDecimal(text)
    ? ipaddr.IPv4.parse(text).octets.reduce((n, o) => n * 256 + o, 0)
    : null;
const v4Text = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** The fewest CIDR blocks covering start..end inclusive. */
function rangeToCidrs(start: JsValue, end: JsValue): JsValue {
  const [a, b] = [
    typeof start === 'string' ? v4Number(start) : null,
    typeof end === 'string' ? v4Number(end) : null,
  ];
  if (a === null || b === null || a > b) return null;
  const out: string[] = [];
  for (let n = a; n <= b;) {
    let size = 32;
    // grow the block while it stays aligned and inside the range
    while (size > 0 && n % 2 ** (33 - size) === 0 && n + 2 ** (33 - size) - 1 <= b) size--;
    out.push(`${v4Text(n)}/${size}`);
    n += 2 ** (32 - size);
  }
  return out;
}

export const NETWORK_LIBRARY: Record<string, JsFn> = {
  parse_ipv6: (text) => parseIpv6(text),
  parse_ipv6_mask: parseIpv6,
  ipv4_range_to_cidr_list: rangeToCidrs,
};
