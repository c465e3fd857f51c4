/**
 * Streaming line splitter. Reads a file in 1 MiB chunks and cuts lines with Buffer.indexOf (no regex,
 * no per-line promise): a whole chunk's lines come back as one batch. A line longer than the cap is never
 * accumulated: the rest of it is skipped and it comes back as `null`, so a hostile file cannot exhaust
 * memory or stall the reader. Invalid UTF-8 decodes to U+FFFD. `.gz` input is decompressed on the fly.
 */
import { createReadStream } from 'node:fs';
import { constants, createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export const MAX_LINE_BYTES = 1024 * 1024;

/** Consecutive lines: texts[i] is line `first + i` (1-based); null means "longer than the cap". */
export interface LineBatch {
  texts: (string | null)[];
  first: number;
}

export interface LineOptions {
  maxLineBytes?: number;
  gzip?: boolean;
  chunkBytes?: number;
}

export function openInput(path: string, options: { gzip?: boolean; chunkBytes?: number } = {}): Readable {
  const file = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  if (!options.gzip) return file;
  // chunkBytes sizes the decompressed pieces too when given (zlib's default is 16 KiB)
  const gunzip = createGunzip(
    options.chunkBytes ? { chunkSize: Math.max(constants.Z_MIN_CHUNK, options.chunkBytes) } : undefined,
  );
  file.on('error', (err) => gunzip.destroy(err));
  gunzip.once('close', () => file.destroy()); // a reader that stops early closes the file too
  return file.pipe(gunzip);
}

function decode(buf: Buffer, start: number, end: number): string {
  if (end > start && buf[end - 1] === 13) end--; // CRLF
  return buf.toString('utf8', start, end);
}

export async function* readLineBatches(path: string, options: LineOptions = {}): AsyncGenerator<LineBatch> {
  const max = options.maxLineBytes ?? MAX_LINE_BYTES;
  let carry: Buffer[] = [];
  let carryLen = 0;
  let skipping = false;
  let lineNo = 0;
  let firstChunk = true;
  for await (const data of openInput(path, options)) {
    let chunk = data as Buffer;
    if (firstChunk) {
      firstChunk = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3); // BOM
    }
    const texts: (string | null)[] = [];
    const first = lineNo + 1;
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl === -1) break;
      lineNo++;
      if (skipping) {
        texts.push(null);
        skipping = false;
      } else if (carryLen > 0) {
        if (carryLen + nl - pos > max) texts.push(null);
        else {
          carry.push(chunk.subarray(pos, nl));
          const joined = Buffer.concat(carry);
          texts.push(decode(joined, 0, joined.length));
        }
        carry = [];
        carryLen = 0;
      } else texts.push(nl - pos > max ? null : decode(chunk, pos, nl));
      pos = nl + 1;
    }
    if (pos < chunk.length && !skipping) {
      carryLen += chunk.length - pos;
      if (carryLen > max) {
        skipping = true;
        carry = [];
        carryLen = 0;
      } else carry.push(chunk.subarray(pos));
    }
    if (texts.length > 0) yield { texts, first };
  }
  if (skipping) yield { texts: [null], first: lineNo + 1 };
  else if (carryLen > 0) {
    const joined = Buffer.concat(carry);
    yield { texts: [decode(joined, 0, joined.length)], first: lineNo + 1 };
  }
}
