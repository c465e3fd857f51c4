/**
 * JavaScript functions for encodings and hashes (see js-library.ts for the calling convention): gzip /
 * zlib to and from base64 (Node's zlib; Kusto writes stored deflate blocks, level 0, and .NET's gzip
 * header), byte arrays and GUIDs from base64, and the XXH64 hash behind `hash()` / `hash_xxhash64()`.
 */
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import type { JsFn, JsValue } from './js-value.js';

const bytesOf = (base64: string): Buffer | null =>
  /^[A-Za-z0-9+/]*={0,2}$/.test(base64) && base64.length % 4 !== 1 ? Buffer.from(base64, 'base64') : null;

/** A decompressor's text, or Kusto's empty string when the input is not valid (never an error). */
function decompressed(inflate: (b: Buffer) => Buffer): JsFn {
  return (text) => {
    const bytes = typeof text === 'string' ? bytesOf(text) : null;
    if (!bytes) return '';
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(inflate(bytes));
    } catch {
      return '';
    }
  };
}

function gzipText(text: JsValue): JsValue {
  if (typeof text !== 'string') return null;
  const out = gzipSync(Buffer.from(text, 'utf8'), { level: 0 });
  // .NET's GZipStream header: no extra flags, OS "unknown"
  out[8] = 0;
  out[9] = 0xff;
  return out.toString('base64');
}

/** A GUID from its 16 bytes as Kusto prints it: the first two groups little-endian (the page's example). */
function guidOf(bytes: Buffer): string | null {
  if (bytes.length !== 16) return null;
  const hex = (from: number, to: number, reverse = false) => {
    const part = [...bytes.subarray(from, to)];
    return (reverse ? part.reverse() : part).map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8)}-${hex(8, 10)}-${hex(10, 16)}`;
}

const MASK = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;
const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & MASK;
const round = (acc: bigint, lane: bigint) => (rotl((acc + lane * P2) & MASK, 31n) * P1) & MASK;
const merge = (acc: bigint, v: bigint) => ((((acc ^ round(0n, v)) * P1) & MASK) + P4) & MASK;

/** XXH64 (seed 0) of bytes, as the unsigned 64-bit value. */
export function xxh64(data: Buffer): bigint {
  const len = data.length;
  const u64 = (i: number) => data.readBigUInt64LE(i);
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    const v = [(P1 + P2) & MASK, P2, 0n, (0n - P1) & MASK];
    for (; i + 32 <= len; i += 32) for (let l = 0; l < 4; l++) v[l] = round(v[l], u64(i + 8 * l));
    h = (rotl(v[0], 1n) + rotl(v[1], 7n) + rotl(v[2], 12n) + rotl(v[3], 18n)) & MASK;
    for (const lane of v) h = merge(h, lane);
  } else h = P5;
  h = (h + BigInt(len)) & MASK;
  for (; i + 8 <= len; i += 8) h = (((rotl(h ^ round(0n, u64(i)), 27n) * P1) & MASK) + P4) & MASK;
  if (i + 4 <= len) {
    h = (((rotl(h ^ ((BigInt(data.readUInt32LE(i)) * P1) & MASK), 23n) * P2) & MASK) + P3) & MASK;
    i += 4;
  }
  for (; i < len; i++) h = (rotl(h ^ ((BigInt(data[i]) * P5) & MASK), 11n) * P1) & MASK;
  h = ((h ^ (h >> 33n)) * P2) & MASK;
  h = ((h ^ (h >> 29n)) * P3) & MASK;
  return h ^ (h >> 32n);
}

/** Kusto's `hash(text[, mod])`: the signed XXH64 of the UTF-8 text, or its remainder by mod. */
function hashText(text: JsValue, mod: JsValue = null): JsValue {
  if (typeof text !== 'string') return null;
  const signed = BigInt.asIntN(64, xxh64(Buffer.from(text, 'utf8')));
  if (typeof mod !== 'number') return signed.toString();
  if (mod <= 0) return null;
  const r = signed % BigInt(mod);
  return Number(r < 0n ? -r : r);
}

export const CODEC_LIBRARY: Record<string, JsFn> = {
  gzip_compress_to_base64_string: gzipText,
  gzip_decompress_from_base64_string: decompressed(gunzipSync),
  zlib_compress_to_base64_string: (text) =>
    typeof text === 'string' ? deflateSync(Buffer.from(text, 'utf8'), { level: 0 }).toString('base64') : null,
  zlib_decompress_from_base64_string: decompressed(inflateSync),
  base64_decode_toguid: (text) => {
    const bytes = typeof text === 'string' ? bytesOf(text) : null;
    return bytes ? guidOf(bytes) : null;
  },
  base64_encode_fromarray: (arr) =>
    Array.isArray(arr) && arr.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b < 256)
      ? Buffer.from(arr as number[]).toString('base64')
      : null,
  // .NET byte order (the first three groups little-endian), as the page's example encodes
  base64_encode_fromguid: (guid) => {
    const hex = typeof guid === 'string' ? guid.replace(/-/g, '') : '';
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
    const bytes = Buffer.from(hex, 'hex');
    for (const [from, to] of [
      [0, 4],
      [4, 6],
      [6, 8],
    ])
      bytes.subarray(from, to).reverse();
    return bytes.toString('base64');
  },
  hash: hashText,
  hash_xxhash64: hashText,
};
