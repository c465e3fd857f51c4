/**
 * Observable validation and normalisation shared by the importers and the free-text extractor:
 * one place decides what a valid IP, port, domain, URL or hash is.
 */
import ipaddr from 'ipaddr.js';
import { parse as parseDomain } from 'tldts';
import type { IndicatorType } from './model.js';
import { isIPv4 } from '../util/ipv4.js';

/** Dotted-quad IPv4 with no leading zeros (`010.` is octal to some parsers: ambiguous, so refused). */
export { isIPv4 };

export function isIPv6(text: string): boolean {
  return text.includes(':') && ipaddr.IPv6.isValid(text);
}

/** Globally routable unicast: what a report's IOC list means (not RFC 1918, loopback, documentation…). */
export function isPublicIP(text: string): boolean {
  try {
    const addr = ipaddr.parse(text);
    if (addr.range() !== 'unicast') return false;
    // IPv6: only global unicast 2000::/3; anything else in prose is far likelier a false match.
    if (addr.kind() === 'ipv6')
      return (addr as ipaddr.IPv6).parts[0]! >= 0x2000 && (addr as ipaddr.IPv6).parts[0]! <= 0x3fff;
    return true;
  } catch {
    return false;
  }
}

export function normaliseIPv6(text: string): string {
  return ipaddr.IPv6.parse(text).toString();
}

export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A hostname under a real (ICANN) public suffix, e.g. `tvt.miraibotnet.su`; not an IP. */
export function isDomain(text: string): boolean {
  const host = text.toLowerCase().replace(/\.$/, '');
  if (host.length > 253 || !host.includes('.')) return false;
  if (!host.split('.').every((l) => LABEL.test(l))) return false;
  const parsed = parseDomain(host);
  return parsed.isIcann === true && !parsed.isIp && parsed.domain !== null;
}

export function hashType(text: string): 'md5' | 'sha1' | 'sha256' | undefined {
  if (!/^[0-9a-f]+$/i.test(text)) return undefined;
  if (/^(.)\1*$/.test(text)) return undefined; // 000…0 / fff…f are placeholders, not hashes
  return text.length === 32 ? 'md5' : text.length === 40 ? 'sha1' : text.length === 64 ? 'sha256' : undefined;
}

const URL_HEAD = /^((?:https?|ftp):\/\/)([^/?#]*)(.*)$/is;

/** Lowercases scheme and host (paths are case-sensitive and kept as written); undefined if not a URL. */
export function normaliseUrl(text: string): string | undefined {
  const m = URL_HEAD.exec(text.trim());
  // white space or a control character (a terminal escape) is never part of a URL (RFC 3986)
  if (!m || /[\s\u0000-\u001f\u007f-\u009f]/.test(text.trim())) return undefined;
  const authority = m[2]!;
  const host = authority
    .replace(/^.*@/, '')
    .replace(/:\d*$/, '')
    .replace(/^\[(.*)\]$/, '$1');
  if (!(isIPv4(host) || isIPv6(host) || isDomain(host))) return undefined;
  const userinfo = authority.includes('@') ? authority.slice(0, authority.lastIndexOf('@') + 1) : '';
  return m[1]!.toLowerCase() + userinfo + authority.slice(userinfo.length).toLowerCase() + m[3]!;
}

/**
 * Validates and normalises one observable of a known type. Returns the normalised value, or a reason
 * why it is not one (importers turn the reason into a reject).
 */
export function normaliseValue(
  type: Exclude<IndicatorType, 'ip:port'>,
  raw: string,
): { value: string } | { reason: string } {
  const text = raw.trim();
  switch (type) {
    case 'ipv4':
      return isIPv4(text) ? { value: text } : { reason: `not an IPv4 address: ${JSON.stringify(text)}` };
    case 'ipv6':
      return isIPv6(text)
        ? { value: normaliseIPv6(text) }
        : { reason: `not an IPv6 address: ${JSON.stringify(text)}` };
    case 'domain':
      return isDomain(text)
        ? { value: text.toLowerCase().replace(/\.$/, '') }
        : { reason: `not a domain under a public suffix: ${JSON.stringify(text)}` };
    case 'url': {
      const url = normaliseUrl(text);
      return url
        ? { value: url }
        : { reason: `not an http/https/ftp URL with a valid host: ${JSON.stringify(text)}` };
    }
    case 'md5':
    case 'sha1':
    case 'sha256':
      return hashType(text) === type
        ? { value: text.toLowerCase() }
        : { reason: `not a ${type} hash: ${JSON.stringify(text)}` };
  }
}

/** `1.2.3.4:80` or `[2001:db8::1]:80` → ip + port. */
export function parseIpPort(raw: string): { ip: string; port: number } | { reason: string } {
  const text = raw.trim();
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text);
  if (!m) return { reason: `not ip:port: ${JSON.stringify(text)}` };
  const ip = m[1]!;
  const port = Number(m[2]);
  if (!isPort(port)) return { reason: `port out of range: ${JSON.stringify(text)}` };
  if (isIPv4(ip)) return { ip, port };
  if (isIPv6(ip)) return { ip: normaliseIPv6(ip), port };
  return { reason: `not an IP address in ip:port: ${JSON.stringify(text)}` };
}
