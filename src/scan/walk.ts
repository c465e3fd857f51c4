/**
 * Expand files and folders into a sorted list of regular files to scan. Nothing here is fatal: missing
 * paths, unreadable folders, broken links, symlink loops and special files (devices, fifos, sockets —
 * reading them can block forever) become Skipped items with a reason. Symlinked folders are followed
 * once: a folder's dev+ino already on the current path is a loop, one seen elsewhere is not rescanned.
 */
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Skipped } from './types.js';

export interface WalkResult {
  files: string[];
  skipped: Skipped[];
}

const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export async function walkPaths(paths: string[]): Promise<WalkResult> {
  const files: string[] = [];
  const skipped: Skipped[] = [];
  const seen = new Set<string>(); // dev:ino of every folder entered

  const visitDir = async (dir: string, st: Stats, ancestors: Set<string>): Promise<void> => {
    const key = `${st.dev}:${st.ino}`;
    if (ancestors.has(key)) return void skipped.push({ path: dir, reason: 'symlink loop' });
    if (seen.has(key))
      return void skipped.push({ path: dir, reason: 'folder already scanned via another path' });
    seen.add(key);
    let entries: Dirent[];
    try {
      entries = (await readdir(dir, { withFileTypes: true })).sort(byName);
    } catch (e) {
      return void skipped.push({ path: dir, reason: `unreadable folder: ${errText(e)}` });
    }
    const inner = new Set(ancestors).add(key);
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isFile()) files.push(full);
      else await visit(full, inner); // folders, links and special files: stat decides
    }
  };

  const visit = async (path: string, ancestors: Set<string>): Promise<void> => {
    let st: Stats;
    try {
      st = await stat(path); // follows symlinks
    } catch (e) {
      return void skipped.push({ path, reason: await statFailure(path, e) });
    }
    if (st.isFile()) files.push(path);
    else if (st.isDirectory()) await visitDir(path, st, ancestors);
    else skipped.push({ path, reason: `special file (${kind(st)})` });
  };

  for (const p of paths) await visit(p, new Set());
  return { files, skipped };
}

async function statFailure(path: string, e: unknown): Promise<string> {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'ENOENT') {
    const isLink = await lstat(path).then(
      (l) => l.isSymbolicLink(),
      () => false,
    );
    return isLink ? 'broken symlink' : 'not found';
  }
  return `unreadable: ${errText(e)}`;
}

function kind(st: Stats): string {
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'not a regular file';
}

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
