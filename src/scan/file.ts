/**
 * Read one file into a reused buffer: the digests and YARA-X both work on it (no streaming API: the
 * engine needs the whole object in one buffer). Opened with O_NONBLOCK and re-checked with fstat, so a
 * path swapped for a fifo after the walk cannot hang the worker.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { sizeLabel } from './size.js';
import { errText } from '../util/walk.js';

export class FileReader {
  private buf = Buffer.alloc(0);

  constructor(private readonly maxFileSize: number) {}

  /** The file's bytes (valid until the next read), or why it was not read. */
  read(path: string): Uint8Array | { reason: string } {
    try {
      const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        return this.readFd(fd);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      return { reason: `unreadable: ${errText(e)}` };
    }
  }

  private readFd(fd: number): Uint8Array | { reason: string } {
    const st = fstatSync(fd);
    if (!st.isFile()) return { reason: 'special file (not a regular file)' };
    if (st.size > this.maxFileSize)
      return { reason: `larger than ${sizeLabel(this.maxFileSize)} cap (${st.size} bytes)` };
    if (this.buf.length < st.size)
      this.buf = Buffer.allocUnsafe(Math.max(st.size, Math.min(2 * this.buf.length, this.maxFileSize)));
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, this.buf, n, st.size - n, n);
      if (got === 0) break; // file shrank while reading: scan what is there
      n += got;
    }
    return this.buf.subarray(0, n);
  }
}
