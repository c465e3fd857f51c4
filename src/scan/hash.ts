/**
 * Object digests over the buffer the scanner reads (one read per object). MD5 costs ~2.5× SHA-256 on
 * CPUs with SHA extensions, so callers ask only for the digests they need (hash indicators loaded);
 * an object that matched a rule gets all three.
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

/** The requested digests (SHA-256 always: it names the object in findings). */
export function someDigests(
  data: Uint8Array,
  names: readonly HashName[],
): Partial<Digests> & { sha256: string } {
  const out: Partial<Digests> & { sha256: string } = { sha256: digest('sha256', data) };
  if (names.includes('sha1')) out.sha1 = digest('sha1', data);
  if (names.includes('md5')) out.md5 = digest('md5', data);
  return out;
}
