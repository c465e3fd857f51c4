/**
 * Archive members, one at a time, within a Budget: zip through fflate (central directory first, so
 * declared sizes and ratios are checked before anything is inflated; a lying size header only truncates,
 * as fflate inflates into a buffer of the declared size), tar through tar-stream. Gzip is gzip.ts.
 * Both libraries load on the first archive: fflate builds its Huffman tables when imported, and every
 * scan worker would pay that at start-up for corpora without a single archive.
 */
import type { UnzipFileInfo } from 'fflate';
import type { Budget } from './limits.js';

type Unzip = (typeof import('fflate'))['unzipSync'];

export type ArchiveKind = 'zip' | 'tar' | 'gzip';

export interface Member {
  name: string;
  data?: Uint8Array;
  /** Why the member was not extracted. */
  skipped?: string;
}

export function archiveKind(data: Uint8Array): ArchiveKind | undefined {
  if (data[0] === 0x50 && data[1] === 0x4b && (data[2] === 3 || data[2] === 5) && data[3] === data[2] + 1)
    return 'zip';
  if (data[0] === 0x1f && data[1] === 0x8b && data[2] === 8) return 'gzip';
  if (data.length >= 512 && isUstar(data)) return 'tar';
  return undefined;
}

function isUstar(data: Uint8Array): boolean {
  const magic = 'ustar';
  for (let i = 0; i < magic.length; i++) if (data[257 + i] !== magic.charCodeAt(i)) return false;
  return true;
}

/** Zip members are inflated in groups of at most this many declared bytes (bounded memory). */
const ZIP_GROUP_BYTES = 64 * 1024 * 1024;

export async function* zipMembers(data: Uint8Array, budget: Budget): AsyncGenerator<Member> {
  const { unzipSync } = await import('fflate');
  const entries: UnzipFileInfo[] = [];
  unzipSync(data, {
    filter: (f) => {
      if (!f.name.endsWith('/')) entries.push(f);
      return false; // list only
    },
  });
  let group = new Set<string>();
  let groupBytes = 0;
  const flush = function* (): Generator<Member> {
    if (group.size === 0) return;
    yield* inflateGroup(unzipSync, data, group);
    group = new Set();
    groupBytes = 0;
  };
  for (const f of entries) {
    const skipped =
      f.compression !== 0 && f.compression !== 8
        ? `unsupported zip compression method ${f.compression}`
        : budget.admit(f.originalSize, f.size);
    if (skipped) {
      yield { name: f.name, skipped };
      if (budget.entryCapHit) break;
      continue;
    }
    if (groupBytes + f.originalSize > ZIP_GROUP_BYTES) yield* flush();
    group.add(f.name);
    groupBytes += f.originalSize;
  }
  yield* flush();
}

function* inflateGroup(unzipSync: Unzip, data: Uint8Array, names: Set<string>): Generator<Member> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(data, { filter: (f) => names.has(f.name) });
  } catch {
    // One bad member (encrypted, corrupt) fails the group: retry one by one to name it.
    if (names.size > 1) {
      for (const name of names) yield* inflateGroup(unzipSync, data, new Set([name]));
      return;
    }
    const [name] = names;
    yield { name, skipped: 'unreadable zip member (corrupt or encrypted)' };
    return;
  }
  for (const name of names) if (files[name]) yield { name, data: files[name] };
}

export async function* tarMembers(data: Uint8Array, budget: Budget): AsyncGenerator<Member> {
  const { extract } = await import('tar-stream');
  const ex = extract();
  ex.end(Buffer.from(data.buffer, data.byteOffset, data.length));
  for await (const entry of ex) {
    const h = entry.header;
    const name = h.name.replace(/^\.\//, '');
    if (h.type !== 'file' && h.type !== 'contiguous-file') {
      entry.resume();
      continue;
    }
    const skipped = budget.admit(h.size ?? 0);
    if (skipped) {
      entry.resume();
      yield { name, skipped };
      if (budget.entryCapHit) break;
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    yield { name, data: Buffer.concat(chunks) };
  }
}
