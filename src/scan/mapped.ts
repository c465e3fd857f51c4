/**
 * Telltale's own addon (src/scan/mmap/, built by node-gyp on install; an optional dependency): a file
 * mapped read-only and pre-faulted as a Buffer. Native scan workers map large files instead of reading
 * them: on this kind of VM the first touch of fresh memory is what a large file costs most (a 256 MiB
 * read into a new buffer: 0.6–0.9 s of CPU; mapping it: ~0.03 s, no copy). Only in child processes: a
 * file truncated while mapped raises SIGBUS, which the pool survives as a lost worker, not as a lost run.
 */
import { createRequire } from 'node:module';

export type MapFile = (fd: number, size: number) => Buffer;

let loaded: MapFile | null | undefined;

/** The addon's map function, or undefined where it did not build or load (then files are read). */
export function loadMapFile(): MapFile | undefined {
  if (loaded === undefined) {
    try {
      loaded = (createRequire(import.meta.url)('telltale-mmap') as { map: MapFile }).map;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
