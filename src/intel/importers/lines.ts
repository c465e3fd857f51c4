/**
 * Line-based importers (ThreatFox CSV, generic CSV, plain lists) take their input a chunk of lines at a
 * time, keeping what they learnt from earlier lines (the header) — so a whole file in memory
 * (`parseLines`) and a file streamed in bounded chunks (`readLineChunks`) give the same indicators.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { ParseResult } from '../model.js';

export interface LineImporter {
  /** Parses the next `lines` of the input (no newlines), the first of them being line `first` (1-based). */
  chunk(lines: readonly string[], first: number): ParseResult;
}

/** The whole input at once. */
export function parseLines(importer: LineImporter, raw: string): ParseResult {
  return importer.chunk(raw.split('\n'), 1);
}

/** A file's lines in chunks of about `chunkBytes` (a BOM dropped), with the number of each chunk's first line. */
export function* readLineChunks(
  path: string,
  chunkBytes = 4 << 20,
): Generator<{ lines: string[]; first: number }> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const decoder = new StringDecoder('utf8');
    let carry = '';
    let first = 1;
    for (let start = true; ; start = false) {
      const n = readSync(fd, buffer, 0, chunkBytes, null);
      let text = carry + (n > 0 ? decoder.write(buffer.subarray(0, n)) : decoder.end());
      if (start) text = text.replace(/^\uFEFF/, '');
      const cut = n > 0 ? text.lastIndexOf('\n') : text.length;
      if (cut >= 0) {
        const lines = text.slice(0, cut).split('\n');
        if (lines.length > 1 || lines[0]) yield { lines, first };
        first += lines.length;
        carry = text.slice(cut + 1);
      } else carry = text;
      if (n === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}
