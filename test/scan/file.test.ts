/**
 * FileReader: small files are read into one reused buffer; with the mapping addon (native workers),
 * files of MAP_MIN_BYTES and more are mapped instead. Either way the bytes are the file's.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileReader, MAP_MIN_BYTES } from '../../src/scan/file.js';
import { loadMapFile } from '../../src/scan/mapped.js';
import { tempDir } from './helpers.js';

const map = loadMapFile();
let tmp: ReturnType<typeof tempDir>;
const large = randomBytes(MAP_MIN_BYTES + 12345);
const small = randomBytes(5000);
beforeAll(() => {
  tmp = tempDir();
  writeFileSync(join(tmp.dir, 'large.bin'), large);
  writeFileSync(join(tmp.dir, 'small.bin'), small);
  writeFileSync(join(tmp.dir, 'empty.bin'), '');
});
afterAll(() => tmp.cleanup());

/** Compared with Buffer.equals: vitest's deep equality walks a MiB byte by byte (seconds). */
function same(got: Uint8Array | { reason: string }, want: Buffer): boolean {
  if (!(got instanceof Uint8Array)) throw new Error(got.reason);
  return Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(want);
}

describe('FileReader', () => {
  it('reads small, empty and large files into its reused buffer without the addon', () => {
    const reader = new FileReader(16 * MAP_MIN_BYTES);
    expect(same(reader.read(join(tmp.dir, 'small.bin')), small)).toBe(true);
    expect(same(reader.read(join(tmp.dir, 'empty.bin')), Buffer.alloc(0))).toBe(true);
    expect(same(reader.read(join(tmp.dir, 'large.bin')), large)).toBe(true);
  });

  it.runIf(map)('maps large files (their own buffer, not the reused one) and reads small ones', () => {
    const reader = new FileReader(16 * MAP_MIN_BYTES, map);
    const first = reader.read(join(tmp.dir, 'small.bin'));
    const mapped = reader.read(join(tmp.dir, 'large.bin'));
    const second = reader.read(join(tmp.dir, 'small.bin'));
    expect(same(mapped, large)).toBe(true);
    expect(same(second, small)).toBe(true);
    expect((first as Uint8Array).buffer).toBe((second as Uint8Array).buffer);
    expect((mapped as Uint8Array).buffer).not.toBe((first as Uint8Array).buffer);
  });

  it.runIf(map)('still applies the size cap before mapping', () => {
    const reader = new FileReader(MAP_MIN_BYTES, map);
    expect(reader.read(join(tmp.dir, 'large.bin'))).toEqual({
      reason: `larger than 1 MiB cap (${large.length} bytes)`,
    });
  });
});
