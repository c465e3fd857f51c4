/**
 * Telltale's own addon (src/scan/mmap/, built by node-gyp on install; an optional dependency): a file
 * mapped read-only and pre-faulted as a Buffer. Native scan workers map large files instead of reading
 * them: on this kind of VM the first touch of fresh memory is what a large file costs most (a 256 MiB
 * read into a new buffer: 0.6–0.9 s of CPU; mapping it: ~0.03 s, no copy). Only in child processes: a
 * file truncated while mapped raises SIGBUS, which the pool survives as a lost worker, not as a lost run.
 * The same addon maps a worker's progress file shared and writable (see ProgressFileWriter), and
 * computes a large object's digests on thread-pool threads (see ObjectScanner).
 */
import { optionalAddon } from '../util/optional-addon.js';
import type { DigestOffThread } from './hash.js';

export type MapFile = (fd: number, size: number) => Buffer;

interface MmapAddon {
  map: MapFile;
  /** A shared read-write mapping of the first `size` bytes of a file at least that long. */
  share: MapFile;
  digest: DigestOffThread;
}

const addon = optionalAddon<MmapAddon>('telltale-mmap');

/** The addon's map function, or undefined where it did not build or load (then files are read). */
export function loadMapFile(): MapFile | undefined {
  return addon()?.map;
}

/** The addon's shared mapping, or undefined (then progress is written with pwrite). */
export function loadShareFile(): MapFile | undefined {
  return addon()?.share;
}

/** The addon's digest on a thread-pool thread, or undefined (then digests run on the scan's thread). */
export function loadDigest(): DigestOffThread | undefined {
  return addon()?.digest;
}
