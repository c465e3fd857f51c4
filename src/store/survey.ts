/**
 * A quick look at a whole log file's line structure, before DuckDB's own reader loads it directly
 * (direct.ts). DuckDB's readers skip blank lines and comments and number nothing, so a direct load can
 * only give each row its file line when the file is regular: no blank line, comment lines (Zeek's `#`
 * header and `#close`) only in one block before the data and one after, no carriage return, each data
 * line starting as its layout requires (`{` for NDJSON), none longer than the store's line cap. The
 * survey says so, with the counts, or says no; a file it refuses takes the staged load (bulk.ts), which
 * classifies every line. Byte searches only (Buffer.indexOf): about a tenth of a CPU-second per 100 MB.
 * A gzip file is surveyed over node's gunzip stream (DuckDB then reads the same file through its own
 * gzip reader); a stream that does not decompress (truncated, corrupt) is not regular either.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { openInput } from '../util/lines.js';

export interface SurveyRules {
  /** A byte every data line starts with (`{` for NDJSON); undefined: any but a space or a tab. */
  dataStart?: string;
  /** A one-character comment prefix (`#`); such lines may only form a block before and after the data. */
  commentPrefix?: string;
  /** A character that may occur in comment lines only (Zeek's `\`: escapes the direct load does not decode). */
  forbidden?: string;
  /** Longest line allowed, in bytes. */
  maxLineBytes: number;
  /** Read size (default 16 MiB). */
  bufferBytes?: number;
  /** The file is gzip-compressed: survey its decompressed lines. */
  gzip?: boolean;
}

export interface Survey {
  /** Lines in the file (a last line without a newline counts). */
  lines: number;
  /** Comment lines before the first data line. */
  head: number;
  /** Data lines: every line between the two comment blocks. */
  data: number;
  /** Comment lines after the last data line. */
  tail: number;
  /** Bytes of (decompressed) text. */
  bytes: number;
}

/** Fills `buf` from `at` on with the next bytes of the text; 0 at its end. */
type Fill = (buf: Buffer, at: number) => Promise<number>;

const NL = 0x0a;
const CR = 0x0d;

/** The file's line counts when it is regular under `rules`, else undefined. */
export async function surveyLines(path: string, rules: SurveyRules): Promise<Survey | undefined> {
  if (rules.gzip) return surveyGzip(path, rules);
  const fd = openSync(path, 'r');
  try {
    return await survey((buf, at) => Promise.resolve(readSync(fd, buf, at, buf.length - at, null)), rules);
  } finally {
    closeSync(fd);
  }
}

/** The survey of a gzip file's decompressed text; undefined also when it does not decompress. */
async function surveyGzip(path: string, rules: SurveyRules): Promise<Survey | undefined> {
  const text = openInput(path, { gzip: true, chunkBytes: 1024 * 1024 });
  const chunks = text[Symbol.asyncIterator]();
  let pending: Buffer | undefined; // decompressed bytes not yet copied
  const fill: Fill = async (buf, at) => {
    if (!pending || pending.length === 0) {
      const next = await chunks.next();
      if (next.done) return 0;
      pending = next.value as Buffer;
    }
    const n = pending.copy(buf, at);
    pending = pending.subarray(n);
    return n;
  };
  try {
    return await survey(fill, rules);
  } catch {
    return undefined; // truncated or corrupt: the staged load reports it
  } finally {
    text.destroy();
  }
}

async function survey(fill: Fill, rules: SurveyRules): Promise<Survey | undefined> {
  const size = rules.bufferBytes ?? 16 * 1024 * 1024;
  const buf = Buffer.alloc(Math.max(size, rules.maxLineBytes + 2));
  const comment = rules.commentPrefix === undefined ? -1 : rules.commentPrefix.charCodeAt(0);
  const start = rules.dataStart === undefined ? -1 : rules.dataStart.charCodeAt(0);
  const forbidden = rules.forbidden === undefined ? -1 : rules.forbidden.charCodeAt(0);
  const counts: Survey = { lines: 0, head: 0, data: 0, tail: 0, bytes: 0 };
  // comment lines seen after data lines: they are the tail only if no data line follows
  let pendingComments = 0;
  /** Classifies one line (without its newline); false: the file is not regular. */
  const line = (from: number, to: number): boolean => {
    counts.lines++;
    if (to - from > rules.maxLineBytes || to === from) return false;
    const first = buf[from];
    if (first === comment) {
      if (counts.data === 0) counts.head++;
      else pendingComments++;
      return true;
    }
    if (pendingComments > 0) return false; // a comment between data lines
    if (start >= 0 ? first !== start : first === 0x20 || first === 0x09) return false;
    counts.data++;
    return true;
  };
  let kept = 0; // bytes of an unfinished line at the start of buf
  for (;;) {
    const read = await fill(buf, kept);
    counts.bytes += read;
    const end = kept + read;
    const view = buf.subarray(0, end);
    if (view.includes(CR, kept)) return undefined;
    // the forbidden character may occur in comment lines only (Zeek's `#separator \x09`)
    for (let at = forbidden < 0 ? -1 : view.indexOf(forbidden, kept); at !== -1;) {
      if (buf[view.lastIndexOf(NL, at) + 1] !== comment) return undefined;
      const next = view.indexOf(NL, at);
      at = next === -1 ? -1 : view.indexOf(forbidden, next);
    }
    let from = 0;
    for (let nl = view.indexOf(NL, kept); nl !== -1; nl = view.indexOf(NL, from)) {
      if (!line(from, nl)) return undefined;
      from = nl + 1;
    }
    if (read === 0) {
      if (from < end && !line(from, end)) return undefined;
      break;
    }
    if (end - from > rules.maxLineBytes) return undefined;
    buf.copy(buf, 0, from, end);
    kept = end - from;
  }
  counts.tail = pendingComments;
  return counts.data > 0 ? counts : undefined;
}
