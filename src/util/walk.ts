/**
 * The one directory walker: `hunt`, `ingest` and `scan` turn the paths a user named into the same
 * regular files, in a stable order (sorted by name), and every path not taken into a Skipped item with
 * its reason. Nothing here is fatal.
 *
 * - Symlinks are followed while their target stays inside one of the given roots; a link that leaves
 *   them (a firmware root's `var -> ../../outside`) is reported, not followed, unless `followLinks`.
 *   A path the user named is always followed: it defines a root.
 * - Each folder is entered once (dev:ino): a folder already on the current path is a symlink loop, one
 *   seen elsewhere is not walked again. Each file is listed once, whatever links or hard links reach it.
 * - FIFOs, sockets and devices are never opened (reading a FIFO would block forever).
 * - procfs, sysfs and the other kernel pseudo file systems are skipped unless `pseudoFs`: their files
 *   are endless or change while read (`scan /proc/self` grew to 1.45 GB).
 *
 * A Skipped item is `incomplete` when evidence the user asked for could not be read (a missing path,
 * an unreadable folder or file, a named folder with no file in it): the run's exit status says so. Policy skips (links out of the roots,
 * loops, duplicates, special files, pseudo file systems) are reported but do not make a run incomplete.
 */
import type { Stats } from 'node:fs';
import { lstatSync, readdirSync, realpathSync, statSync, statfsSync } from 'node:fs';
import { lstat, readdir, realpath, stat, statfs } from 'node:fs/promises';
import { join, sep } from 'node:path';

export interface Skipped {
  path: string;
  reason: string;
  /** Evidence the user named was not read (missing, unreadable): the run is incomplete. */
  incomplete?: true;
}

export interface WalkOptions {
  /** Follow symlinks whose target lies outside every given root (default false). */
  followLinks?: boolean;
  /** Enter procfs, sysfs and other kernel pseudo file systems (default false). */
  pseudoFs?: boolean;
}

export interface WalkResult {
  files: string[];
  /** Each file's size when it was listed (the scan pool balances its workers by it). */
  sizes: number[];
  skipped: Skipped[];
  /** The named paths that yielded no file (missing, unreadable, an empty folder…): each is also skipped. */
  unread: string[];
}

/** statfs magic numbers of kernel pseudo file systems (linux/magic.h). */
const PSEUDO_FS = new Map<number, string>([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroupfs'],
  [0x63677270, 'cgroup2fs'],
  [0xcafe4a11, 'bpffs'],
  [0x62656570, 'configfs'],
  [0x1cd1, 'devpts'],
]);

/**
 * The file system calls the walk makes. The walk itself is one generator that yields each call; a
 * driver performs it (awaited or synchronously), so `walkPaths` and `walkPathsSync` share every rule.
 */
interface FsCalls {
  lstat(path: string): Stats;
  stat(path: string): Stats;
  realpath(path: string): string;
  readdir(path: string): string[];
  statfsType(path: string): number;
}
type FsCall = { [K in keyof FsCalls]: [K, string] }[keyof FsCalls];
type Walk = Generator<FsCall, WalkResult, unknown>;

/** One file system call from inside the walk: `const st = yield* call('lstat', path)`. */
function* call<K extends keyof FsCalls>(name: K, path: string): Generator<FsCall, ReturnType<FsCalls[K]>> {
  return (yield [name, path] as FsCall) as ReturnType<FsCalls[K]>;
}

/** The value of a call, or undefined where it fails. */
function* attempt<K extends keyof FsCalls>(
  name: K,
  path: string,
): Generator<FsCall, ReturnType<FsCalls[K]> | undefined> {
  try {
    return yield* call(name, path);
  } catch {
    return undefined;
  }
}

const ASYNC_FS: { [K in keyof FsCalls]: (path: string) => Promise<ReturnType<FsCalls[K]>> } = {
  lstat: (p) => lstat(p),
  stat: (p) => stat(p),
  realpath: (p) => realpath(p),
  readdir: (p) => readdir(p),
  statfsType: (p) => statfs(p).then((s) => s.type),
};

const SYNC_FS: FsCalls = {
  lstat: (p) => lstatSync(p),
  stat: (p) => statSync(p),
  realpath: (p) => realpathSync(p),
  readdir: (p) => readdirSync(p),
  statfsType: (p) => statfsSync(p).type,
};

type Outcome = { value: unknown } | { error: unknown };

/** Hands a call's outcome back to the walk: its value, or its error thrown where the call was made. */
function resume(walk: Walk, outcome: Outcome): IteratorResult<FsCall, WalkResult> {
  return 'error' in outcome ? walk.throw(outcome.error) : walk.next(outcome.value);
}

export async function walkPaths(paths: readonly string[], options: WalkOptions = {}): Promise<WalkResult> {
  const walk = walker(paths, options);
  let step = walk.next();
  while (!step.done) {
    const [name, path] = step.value;
    step = resume(
      walk,
      await ASYNC_FS[name](path).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    );
  }
  return step.value;
}

/** The same walk, synchronously (hunt YAML folders are loaded by synchronous code). */
export function walkPathsSync(paths: readonly string[], options: WalkOptions = {}): WalkResult {
  const walk = walker(paths, options);
  let step = walk.next();
  while (!step.done) {
    const [name, path] = step.value;
    let outcome: Outcome;
    try {
      outcome = { value: SYNC_FS[name](path) };
    } catch (error) {
      outcome = { error };
    }
    step = resume(walk, outcome);
  }
  return step.value;
}

function* walker(paths: readonly string[], options: WalkOptions): Walk {
  const files: string[] = [];
  const sizes: number[] = [];
  const skipped: Skipped[] = [];
  const unread: string[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Map<string, string>(); // dev:ino → the path it was listed under
  const roots: string[] = [];
  const devChecked = new Map<number, string | undefined>(); // st.dev → pseudo fs name

  const skip = (path: string, reason: string, incomplete = false): void =>
    void skipped.push(incomplete ? { path, reason, incomplete: true } : { path, reason });

  function* pseudo(path: string, st: Stats): Generator<FsCall, string | undefined> {
    if (options.pseudoFs) return undefined;
    if (!devChecked.has(st.dev)) {
      const type = (yield* attempt('statfsType', path)) ?? 0;
      devChecked.set(st.dev, PSEUDO_FS.get(type));
    }
    return devChecked.get(st.dev);
  }

  const insideRoots = (real: string): boolean =>
    roots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep));

  function* visitDir(dir: string, st: Stats, ancestors: Set<string>): Generator<FsCall, void> {
    const key = `${st.dev}:${st.ino}`;
    if (ancestors.has(key)) return skip(dir, 'symlink loop');
    if (seenDirs.has(key)) return skip(dir, 'folder already read via another path');
    seenDirs.add(key);
    let names: string[];
    try {
      names = yield* call('readdir', dir);
    } catch (e) {
      return skip(dir, `unreadable folder: ${errText(e)}`, true);
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const inner = new Set(ancestors).add(key);
    for (const name of names) yield* visit(join(dir, name), inner, false);
  }

  function* visit(path: string, ancestors: Set<string>, named: boolean): Generator<FsCall, void> {
    let st: Stats;
    try {
      const link = yield* call('lstat', path);
      if (link.isSymbolicLink() && !named && !options.followLinks) {
        const real = yield* attempt('realpath', path);
        if (real !== undefined && !insideRoots(real))
          return skip(path, `symlink leaves the given folders (to ${real}): not followed`);
      }
      st = link.isSymbolicLink() ? yield* call('stat', path) : link;
    } catch (e) {
      return skip(path, yield* statFailure(path, e), named);
    }
    const fs = yield* pseudo(path, st);
    if (fs) return skip(path, `${fs} (kernel pseudo file system): not read`);
    if (st.isDirectory()) return yield* visitDir(path, st, ancestors);
    if (!st.isFile()) return skip(path, `special file (${kind(st)})`);
    const key = `${st.dev}:${st.ino}`;
    const first = seenFiles.get(key);
    if (first !== undefined) return skip(path, `same file as ${first}: read once`);
    seenFiles.set(key, path);
    files.push(path);
    sizes.push(st.size);
  }

  for (const p of paths) {
    const real = yield* attempt('realpath', p);
    if (real !== undefined) roots.push(real);
  }
  for (const p of paths) {
    const before = { files: files.length, skipped: skipped.length };
    yield* visit(p, new Set(), true);
    if (files.length > before.files) continue;
    unread.push(p);
    if (!skipped.slice(before.skipped).some((s) => s.path === p))
      skip(p, 'nothing to read: no regular file in this folder', true);
  }
  return { files, sizes, skipped, unread };
}

function* statFailure(path: string, e: unknown): Generator<FsCall, string> {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'ENOENT') {
    const link = yield* attempt('lstat', path);
    return link?.isSymbolicLink() ? 'broken symlink' : 'not found';
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

/** An errno code alone (`ENOENT`) where there is one: short reasons for ledgers. */
export function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException | undefined)?.code ?? errText(e);
}
