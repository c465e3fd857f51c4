/** `-` as an input: stdin spooled to a file for the log readers, or read into a buffer under a cap for scan. */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * Runs `run` with each `-` replaced by a temporary copy of stdin (format detection reads a file's head
 * before the whole file, so a stream must be kept), and removes the copy afterwards. The copy is named
 * `stdin` so summaries and `_Source` say where the rows came from.
 */
export async function withStdinSpooled<T>(paths: string[], run: (paths: string[]) => Promise<T>): Promise<T> {
  if (!paths.includes('-')) return run(paths);
  const dir = mkdtempSync(join(tmpdir(), 'telltale-stdin-'));
  try {
    const file = join(dir, 'stdin');
    await pipeline(process.stdin, createWriteStream(file));
    return await run(paths.map((p) => (p === '-' ? file : p)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stdin's bytes, or why they were not kept: reading stops one byte past `cap` (`scan - </dev/zero`). */
export async function readStdinCapped(cap: number): Promise<{ data: Buffer } | { size: number }> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > cap) {
      process.stdin.destroy();
      return { size };
    }
    parts.push(buf);
  }
  return { data: Buffer.concat(parts, size) };
}
