/**
 * How the store is opened for the size of its inputs. Small inputs (the common case, tests, examples)
 * stay in memory: fastest, nothing on disk. Inputs above LARGE_INPUT_BYTES go to an on-disk database in
 * a temporary folder (deleted on close) with a DuckDB memory limit and two threads, so that DuckDB can
 * evict table blocks and spill joins and aggregates instead of growing: a whole-pack hunt of 30M Zeek
 * lines (3.7 GB) in memory peaked at 19 GB RSS (DuckDB's default limit is 80% of RAM, and an in-memory
 * table can never be evicted). Measured figures: docs/telemetry.md "Memory".
 */
import { walkPaths, type WalkOptions } from '../util/walk.js';

/** Above this many input bytes (compressed ones counted as COMPRESSION_RATIO times their size). */
export const LARGE_INPUT_BYTES = 1024 ** 3;
/** DuckDB's memory limit for large inputs unless the user sets one (`--memory-limit`). */
export const LARGE_INPUT_MEMORY_LIMIT = '4GB';
/** Worker threads for large inputs: each thread's hash tables and buffers add to the peak. */
export const LARGE_INPUT_THREADS = 2;
/** Log text compresses ~10×: a 400 MB conn.log.gz is a 4 GB load. */
const COMPRESSION_RATIO = 10;

export interface StoreSizing {
  onDisk?: boolean;
  memoryLimit?: string;
  threads?: number;
}

/** Input bytes of the files under `paths` (compressed files scaled up), as the loader will see them. */
export async function inputBytes(paths: readonly string[], walk: WalkOptions = {}): Promise<number> {
  const { files, sizes } = await walkPaths(paths, walk);
  let total = 0;
  files.forEach((file, i) => {
    total += /\.(gz|zst|zstd)$/i.test(file) ? sizes[i] * COMPRESSION_RATIO : sizes[i];
  });
  return total;
}

/**
 * The store options for these inputs. `db` (a kept store) is on disk already: it gets the memory limit
 * and threads of a large load too. A user's `memoryLimit` always wins.
 */
export async function storeSizing(
  paths: readonly string[],
  options: { db?: string; memoryLimit?: string; walk?: WalkOptions; largeBytes?: number } = {},
): Promise<StoreSizing> {
  const large = (await inputBytes(paths, options.walk)) > (options.largeBytes ?? LARGE_INPUT_BYTES);
  if (!large) return options.memoryLimit === undefined ? {} : { memoryLimit: options.memoryLimit };
  return {
    onDisk: options.db === undefined,
    memoryLimit: options.memoryLimit ?? LARGE_INPUT_MEMORY_LIMIT,
    threads: LARGE_INPUT_THREADS,
  };
}
