/**
 * Scan one file: a single read into a reused buffer feeds both the digests and YARA-X (no streaming API:
 * the engine needs the whole object in one buffer). Used by the worker; never throws.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { toRuleMatches } from './format.js';
import { digests } from './hash.js';
import type { FileResult, Skipped } from './types.js';
import { errText } from './walk.js';
import type { Scanner } from './yarax.js';

export type FileOutcome = { result: FileResult } | { skipped: Skipped };

export class FileScanner {
  private buf = Buffer.alloc(0);

  constructor(
    private readonly scanner: Scanner,
    private readonly maxFileSize: number,
  ) {}

  scan(path: string): FileOutcome {
    let data: Uint8Array;
    try {
      const read = this.read(path);
      if ('skipped' in read) return read;
      data = read.data;
    } catch (e) {
      return { skipped: { path, reason: `unreadable: ${errText(e)}` } };
    }
    try {
      const matches = toRuleMatches(this.scanner.scan(data), data);
      return { result: { path, size: data.length, ...digests(data), matches } };
    } catch (e) {
      return { skipped: { path, reason: `YARA-X error: ${errText(e)}` } };
    }
  }

  private read(path: string): { data: Uint8Array } | { skipped: Skipped } {
    // O_NONBLOCK: if the path became a fifo since the walk, open must not hang; fstat then rejects it.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return { skipped: { path, reason: 'special file (not a regular file)' } };
      if (st.size > this.maxFileSize) {
        return {
          skipped: { path, reason: `larger than ${sizeLabel(this.maxFileSize)} cap (${st.size} bytes)` },
        };
      }
      if (this.buf.length < st.size)
        this.buf = Buffer.allocUnsafe(Math.max(st.size, Math.min(2 * this.buf.length, this.maxFileSize)));
      let n = 0;
      while (n < st.size) {
        const got = readSync(fd, this.buf, n, st.size - n, n);
        if (got === 0) break; // file shrank while reading: scan what is there
        n += got;
      }
      return { data: this.buf.subarray(0, n) };
    } finally {
      closeSync(fd);
    }
  }
}

export function sizeLabel(bytes: number): string {
  const MiB = 1024 * 1024;
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}
