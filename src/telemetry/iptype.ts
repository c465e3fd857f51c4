/**
 * Defender's LocalIPType / RemoteIPType for an address string: Public, Private, Loopback, LinkLocal,
 * Multicast, Broadcast, FourToSixMapping, Teredo, Reserved. Hunts filter on it (`RemoteIPType ==
 * "Public"`), so mapped sources must fill it. String tests only (no parsing library) and a bounded
 * cache, because flow logs repeat the same few thousand addresses millions of times.
 */

const cache = new Map<string, string | null>();

export function ipType(ip: string): string | null {
  let type = cache.get(ip);
  if (type !== undefined) return type;
  type = ip.includes(':') ? ipv6Type(ip.toLowerCase()) : ipv4Type(ip);
  if (cache.size >= 65536) cache.clear();
  cache.set(ip, type);
  return type;
}

function ipv4Type(ip: string): string | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const o: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    o.push(n);
  }
  const [a, b, c] = o;
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'Private';
  if (a === 100 && b >= 64 && b <= 127) return 'Private'; // RFC 6598 carrier-grade NAT
  if (a === 127) return 'Loopback';
  if (a === 169 && b === 254) return 'LinkLocal';
  if (a === 255 && b === 255 && c === 255 && o[3] === 255) return 'Broadcast';
  if (a >= 224 && a <= 239) return 'Multicast';
  if (
    a === 0 ||
    a >= 240 ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  )
    return 'Reserved';
  return 'Public';
}

function ipv6Type(ip: string): string | null {
  if (ip === '::1') return 'Loopback';
  if (ip === '::') return 'Reserved';
  if (ip.startsWith('::ffff:')) return 'FourToSixMapping';
  if (/^fe[89ab]/.test(ip)) return 'LinkLocal';
  if (ip.startsWith('ff')) return 'Multicast';
  if (/^f[cd]/.test(ip)) return 'Private';
  if (ip.startsWith('2001:0:') || ip.startsWith('2001:0000:')) return 'Teredo';
  if (ip.startsWith('2001:db8:') || ip.startsWith('2001:0db8:')) return 'Reserved';
  if (/^[23][0-9a-f]{0,3}:/.test(ip)) return 'Public';
  return /^[0-9a-f:.]+$/.test(ip) ? 'Reserved' : null;
}
