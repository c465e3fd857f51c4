/**
 * Object digests over the buffer the scanner reads (one read per object). Each costs CPU at the
 * hardware's speed (SHA-256 ~1.5 GB/s with SHA extensions, MD5 ~2.5× that cost), so callers ask only
 * for the digests they need (hash indicators loaded, an inventory asked for); an object that matched a
 * rule gets all three.
 */
import { createHash } from 'node:crypto';
import type { HashName } from './types.js';

export interface Digests {
  md5: string;
  sha1: string;
  sha256: string;
}

export const ALL_HASHES: readonly HashName[] = ['md5', 'sha1', 'sha256'];

export function digest(name: HashName, data: Uint8Array): string {
  return createHash(name).update(data).digest('hex');
}

export function digests(data: Uint8Array): Digests {
  return { md5: digest('md5', data), sha1: digest('sha1', data), sha256: digest('sha256', data) };
}

/** The requested digests only (none when `names` is empty). */
export function someDigests(data: Uint8Array, names: readonly HashName[]): Partial<Digests> {
  const out: Partial<Digests> = {};
  if (names.includes('sha256')) out.sha256 = digest('sha256', data);
  if (names.includes('sha1')) out.sha1 = digest('sha1', data);
  if (names.includes('md5')) out.md5 = digest('md5', data);
  return out;
}
