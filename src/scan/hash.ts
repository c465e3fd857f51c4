/**
 * Object digests over the buffer the scanner reads (one read per object). Each costs CPU at the
 * hardware's speed (SHA-256 ~1.5 GB/s with SHA extensions, MD5 ~2.5× that cost), so callers ask only
 * for the digests they need (hash indicators loaded, an inventory asked for); an object that matched a
 * rule gets ScanOptions.matchHashes too (all three unless the caller says otherwise).
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

/** A digest computed off the calling thread (the mmap addon's `digest`: see mapped.ts). */
export type DigestOffThread = (data: Uint8Array, name: HashName) => Promise<string>;

/**
 * The requested digests, each on its own thread-pool thread: as long as the slowest of them, not their
 * sum. The bytes must stay unchanged until the Promise settles.
 */
export async function digestsOffThread(
  data: Uint8Array,
  names: readonly HashName[],
  offThread: DigestOffThread,
): Promise<Partial<Digests>> {
  const values = await Promise.all(names.map((name) => offThread(data, name)));
  return Object.fromEntries(names.map((name, i) => [name, values[i]]));
}

/** The requested digests only (none when `names` is empty). */
export function someDigests(data: Uint8Array, names: readonly HashName[]): Partial<Digests> {
  const out: Partial<Digests> = {};
  if (names.includes('sha256')) out.sha256 = digest('sha256', data);
  if (names.includes('sha1')) out.sha1 = digest('sha1', data);
  if (names.includes('md5')) out.md5 = digest('md5', data);
  return out;
}
