/**
 * One gzip member, whether a whole `.gz` object or a stream carved out of a firmware image: parse the
 * header (RFC 1952) ourselves, inflate the deflate body with node:zlib, which stops at the stream's end
 * (so trailing image bytes don't matter) and tells how many compressed bytes it used; the ISIZE trailer
 * confirms a carved stream. The output cap makes a gzip bomb fail fast instead of filling memory.
 */
import { createRequire } from 'node:module';

/** node:zlib loads on the first gzip only: a scan worker process that meets none saves ~7 ms of start-up. */
let zlib: typeof import('node:zlib') | undefined;
const inflateRawSync: typeof import('node:zlib').inflateRawSync = (input, options) =>
  (zlib ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib')).inflateRawSync(
    input,
    options,
  );

export interface Gunzipped {
  data: Buffer;
  /** The FNAME header field, if any. */
  name?: string;
  /** Bytes of input the member spans (header + body + trailer). */
  consumed: number;
}

export type GunzipFailure = { tooLarge: true } | { invalid: string };

const FTEXT_MASK = 0xe0; // reserved flag bits must be zero

export function isGzipAt(data: Uint8Array, at: number): boolean {
  return (
    data[at] === 0x1f && data[at + 1] === 0x8b && data[at + 2] === 8 && (data[at + 3] & FTEXT_MASK) === 0
  );
}

/** The offset just past the header, the FNAME, or an error text. */
function header(data: Uint8Array, at: number): { body: number; name?: string } | string {
  const flags = data[at + 3];
  let p = at + 10;
  if (flags & 4) {
    if (p + 2 > data.length) return 'truncated header';
    p += 2 + (data[p] | (data[p + 1] << 8));
  }
  let name: string | undefined;
  if (flags & 8) {
    const end = data.indexOf(0, p);
    if (end < 0 || end - p > 1024) return 'bad FNAME';
    name = Buffer.from(data.buffer, data.byteOffset + p, end - p).toString('latin1');
    p = end + 1;
  }
  if (flags & 16) {
    const end = data.indexOf(0, p);
    if (end < 0) return 'bad FCOMMENT';
    p = end + 1;
  }
  if (flags & 2) p += 2;
  return p < data.length ? { body: p, name } : 'truncated header';
}

export function gunzipAt(data: Uint8Array, at: number, maxOutput: number): Gunzipped | GunzipFailure {
  if (!isGzipAt(data, at)) return { invalid: 'not a gzip header' };
  const h = header(data, at);
  if (typeof h === 'string') return { invalid: h };
  let out: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    const input = Buffer.from(data.buffer, data.byteOffset + h.body, data.length - h.body);
    out = inflateRawSync(input, { info: true, maxOutputLength: maxOutput }) as unknown as typeof out;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { tooLarge: true };
    return { invalid: (e as Error).message };
  }
  const trailer = h.body + out.engine.bytesWritten;
  if (trailer + 8 > data.length) return { invalid: 'truncated trailer' };
  const isize = Buffer.from(data.buffer, data.byteOffset + trailer + 4, 4).readUInt32LE(0);
  if (isize !== out.buffer.length % 2 ** 32) return { invalid: 'size trailer mismatch' };
  return { data: out.buffer, name: h.name, consumed: trailer + 8 - at };
}
