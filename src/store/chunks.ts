/**
 * Cuts a log file into pieces of whole lines, so that the SQL load (bulk.ts) stages one bounded piece at
 * a time and memory stays flat whatever the file size. A file that fits in one piece is used as it is
 * (no copy); a larger or gzip-compressed one, or one read from an offset (a grown file's new lines), is copied piece by piece into the store's staging folder
 * (decompressed), each piece ending at a newline, and each piece is deleted once loaded. The line count
 * of a piece comes from DuckDB (the stage has one row per line), so no JavaScript looks at the lines.
 */
import { createReadStream, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';

export interface FileChunk {
  /** A plain-text file DuckDB can read (the input itself, or a temporary piece of it). */
  path: string;
  /** Read through gzip (only when the input is used as it is). */
  gzip: boolean;
  /** Deletes the piece (a no-op for the input itself). */
  done(): void;
  /** Bytes of the (decompressed) input read once this piece is loaded. */
  bytesRead: number;
}

/** Bytes per piece: a 32 MiB piece of NDJSON is ~150k lines, a stage of well under 100 MiB. */
export const CHUNK_BYTES = 32 * 1024 * 1024;

export async function* fileChunks(
  path: string,
  options: { gzip?: boolean; chunkBytes?: number; tempDir: () => string; skipBytes?: number },
): AsyncGenerator<FileChunk> {
  const limit = options.chunkBytes ?? CHUNK_BYTES;
  let skip = options.skipBytes ?? 0;
  if (!options.gzip && skip === 0 && statSync(path).size <= limit) {
    yield { path, gzip: false, done: () => undefined, bytesRead: statSync(path).size };
    return;
  }
  // a plain file starts reading after the skipped bytes; a compressed one drops them once decompressed
  const start = options.gzip ? 0 : skip;
  if (!options.gzip) skip = 0;
  let input: NodeJS.ReadableStream = createReadStream(path, { highWaterMark: 1024 * 1024, start });
  if (options.gzip) {
    const gunzip = createGunzip();
    input.on('error', (err) => gunzip.destroy(err));
    input = input.pipe(gunzip);
  }
  let parts: Buffer[] = [];
  let size = 0;
  let pieces = 0;
  let bytesRead = options.skipBytes ?? 0;
  const piece = (data: Buffer[]): FileChunk => {
    const file = join(options.tempDir(), `piece-${process.pid}-${pieces++}.txt`);
    const bytes = Buffer.concat(data);
    writeFileSync(file, bytes);
    bytesRead += bytes.length;
    return { path: file, gzip: false, done: () => rmSync(file, { force: true }), bytesRead };
  };
  for await (const data of input) {
    let buf = data as Buffer;
    if (skip > 0) {
      const dropped = Math.min(skip, buf.length);
      skip -= dropped;
      buf = buf.subarray(dropped);
      if (buf.length === 0) continue;
    }
    parts.push(buf);
    size += buf.length;
    if (size < limit) continue;
    const nl = buf.lastIndexOf(10);
    if (nl === -1) continue; // a long line: the piece grows until it ends
    parts[parts.length - 1] = buf.subarray(0, nl + 1);
    const rest = buf.subarray(nl + 1);
    yield piece(parts);
    parts = rest.length > 0 ? [rest] : [];
    size = rest.length;
  }
  if (size > 0) yield piece(parts);
}
