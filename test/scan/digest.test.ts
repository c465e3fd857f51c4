/**
 * Digests off the scan's thread (the mmap addon's `digest`, native workers): the same hex as
 * createHash for every algorithm and for views into a larger buffer; an object of OFF_THREAD_MIN_BYTES
 * and more gets the requested digests, and all three when it matched, as on the scan's thread.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjectScanner, OFF_THREAD_MIN_BYTES } from '../../src/scan/engine.js';
import type { HashName } from '../../src/scan/index.js';
import { loadDigest } from '../../src/scan/mapped.js';
import { loadNative, nativeRules } from '../../src/scan/native.js';
import { seedElf } from './helpers.js';

const digest = loadDigest();
const nativeLoads = !('reason' in loadNative());
if (!digest) console.warn('[skip] telltale-mmap did not build or load: off-thread digests are not tested');

const hex = (name: string, data: Uint8Array): string => createHash(name).update(data).digest('hex');
const NAMES: HashName[] = ['md5', 'sha1', 'sha256'];

describe.runIf(digest)('the addon digest', () => {
  it('gives createHash’s hex for each algorithm, for empty bytes and for a view inside a buffer', async () => {
    const whole = randomBytes(3 * 65536 + 17);
    const view = whole.subarray(4099, 4099 + 65536 * 2 + 5);
    for (const data of [
      new Uint8Array(0),
      whole,
      view,
      new Uint8Array(whole.buffer, whole.byteOffset + 1, 100),
    ])
      expect(await Promise.all(NAMES.map((n) => digest!(data, n)))).toEqual(NAMES.map((n) => hex(n, data)));
  });

  it('refuses an algorithm it does not offer, and what is not a Uint8Array', () => {
    expect(() => digest!(Buffer.from('x'), 'sha512' as HashName)).toThrow(/md5, sha1 or sha256/);
    expect(() => digest!('text' as unknown as Uint8Array, 'md5')).toThrow(/Uint8Array/);
  });
});

describe.runIf(digest && nativeLoads)('ObjectScanner with off-thread digests', () => {
  const rule = resolve(import.meta.dirname, '../../content/yara/mirai_tr069.yar');
  const sources = [{ file: rule, namespace: 'seed', text: readFileSync(rule, 'utf8') }];
  const scanner = (hashes: HashName[]): ObjectScanner =>
    new ObjectScanner(nativeRules(sources).scanner, {
      hashes,
      matchHashes: NAMES,
      filter: {},
      externals: false,
      offThread: digest,
    });
  const infected = seedElf(OFF_THREAD_MIN_BYTES + 4096);
  const clean = randomBytes(OFF_THREAD_MIN_BYTES + 1);

  it('a large object that matched gets all three digests, a clean one only those requested', async () => {
    for (const hashes of [[], ['sha256'], ['md5', 'sha1']] as HashName[][]) {
      const hit = await scanner(hashes).scan('hit.elf', 'file', infected);
      if (!('result' in hit)) throw new Error(hit.skipped.reason);
      expect(hit.result.matches.map((m) => m.rule)).toEqual(['Mirai_Generic_Arch']);
      expect([hit.result.md5, hit.result.sha1, hit.result.sha256]).toEqual(
        NAMES.map((n) => hex(n, infected)),
      );
      const miss = await scanner(hashes).scan('clean.bin', 'file', clean);
      if (!('result' in miss)) throw new Error(miss.skipped.reason);
      expect(miss.result).toEqual({
        path: 'clean.bin',
        kind: 'file',
        size: clean.length,
        matches: [],
        ...Object.fromEntries(hashes.map((n) => [n, hex(n, clean)])),
      });
    }
  });
});
