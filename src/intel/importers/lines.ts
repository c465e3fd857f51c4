/**
 * Line-based importers (ThreatFox CSV, generic CSV, plain lists) take their input a chunk of lines at a
 * time, keeping what they learnt from earlier lines (the header) — so a whole file in memory
 * (`parseLines`) and a file streamed in bounded chunks (`parseLineChunks`) give the same indicators.
 */
import type { IntelReject, ParseResult } from '../model.js';
import { MAX_LINE_BYTES, readLineBatches } from '../../util/lines.js';

export interface LineImporter {
  /** Parses the next `lines` of the input (no newlines), the first of them being line `first` (1-based). */
  chunk(lines: readonly string[], first: number): ParseResult;
}

/** The whole input at once. */
export function parseLines(importer: LineImporter, raw: string): ParseResult {
  return importer.chunk(raw.split('\n'), 1);
}

/**
 * A file parsed in chunks of about `chunkBytes`, read by the project's one line reader (util/lines.ts,
 * BOM and CR dropped): a line over `maxLineBytes` is a reject, never a string that grows without bound.
 */
export async function* parseLineChunks(
  importer: LineImporter,
  path: string,
  file: string,
  options: { chunkBytes?: number; maxLineBytes?: number } = {},
): AsyncGenerator<ParseResult> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  for await (const { texts, first } of readLineBatches(path, {
    chunkBytes: options.chunkBytes,
    maxLineBytes,
  })) {
    const tooLong: IntelReject[] = [];
    const lines = texts.map((text, i) => {
      if (text !== null) return text;
      tooLong.push({ file, line: first + i, reason: `line too long (over ${maxLineBytes} bytes): skipped` });
      return ''; // a blank line keeps the numbering; every importer skips it
    });
    const result = importer.chunk(lines, first);
    yield tooLong.length ? { ...result, rejects: [...tooLong, ...result.rejects] } : result;
  }
}
