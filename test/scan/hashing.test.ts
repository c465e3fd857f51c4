/**
 * Which objects `scan()` hashes: only what a loaded hash indicator or a match needs by default (a match:
 * SHA-256 and the indicators' types), every object with `hash: 'sha256'` / `'all'`; MD5 and SHA-1 of a
 * match with `'all'`. Hash indicators must still match every file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import { OFF_THREAD_MIN_BYTES } from '../../src/scan/engine.js';
import type { FileResult } from '../../src/scan/index.js';
import { seedElf, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const hex = (name: string, data: Buffer): string => createHash(name).update(data).digest('hex');
const clean = [Buffer.from('plain text, nothing to see\n'), Buffer.from('another clean file\n')];
const infected = seedElf();
const files = { 'a-clean.txt': clean[0], 'b-clean.txt': clean[1], 'c-mirai.elf': infected };
for (const [name, data] of Object.entries(files)) writeFileSync(join(tmp.dir, name), data);
const byName = (result: FileResult[], name: string) => result.find((f) => f.path === join(tmp.dir, name))!;

describe('scan() hashing', () => {
  it('without hash indicators, hashes only the object that matched (its SHA-256)', async () => {
    const { report } = await scan([tmp.dir], { bundled: false });
    const a = byName(report.files, 'a-clean.txt');
    expect([a.sha256, a.sha1, a.md5]).toEqual([undefined, undefined, undefined]);
    const c = byName(report.files, 'c-mirai.elf');
    expect(c.matches.map((m) => m.rule)).toEqual(['Mirai_Generic_Arch']);
    expect([c.sha256, c.sha1, c.md5]).toEqual([hex('sha256', infected), undefined, undefined]);
  }, 60_000);

  it("a match gets the indicators' digest types too, and all three with hash: 'all'", async () => {
    const feed = join(tmp.dir, 'md5-feed.txt');
    writeFileSync(feed, `Mirai loader hashes:\n${hex('md5', clean[0])}\n`);
    const withMd5 = await scan([join(tmp.dir, 'c-mirai.elf')], { bundled: false, intel: [feed] });
    const [m] = withMd5.report.files;
    expect([m.sha256, m.sha1, m.md5]).toEqual([hex('sha256', infected), undefined, hex('md5', infected)]);
    const all = await scan([join(tmp.dir, 'c-mirai.elf')], { bundled: false, hash: 'all' });
    const [a] = all.report.files;
    expect([a.sha256, a.sha1, a.md5]).toEqual([
      hex('sha256', infected),
      hex('sha1', infected),
      hex('md5', infected),
    ]);
  }, 60_000);

  it('a matched object large enough for off-thread digests gets the same digests', async () => {
    const large = seedElf(OFF_THREAD_MIN_BYTES + 100_000);
    const path = join(tmp.dir, 'large', 'mirai.elf');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, large);
    const { report } = await scan([path], { bundled: false });
    const [f] = report.files;
    expect(f.matches.map((m) => m.rule)).toEqual(['Mirai_Generic_Arch']);
    expect([f.sha256, f.sha1, f.md5]).toEqual([hex('sha256', large), undefined, undefined]);
    const all = await scan([path], { bundled: false, hash: 'all' });
    const [g] = all.report.files;
    expect([g.sha256, g.sha1, g.md5]).toEqual([hex('sha256', large), hex('sha1', large), hex('md5', large)]);
  }, 60_000);

  it('hash indicators still match every clean file, whichever digest type they use', async () => {
    const feed = join(tmp.dir, 'feed.txt');
    writeFileSync(feed, `Mirai loader hashes:\n${hex('sha256', clean[0])}\n${hex('md5', clean[1])}\n`);
    const { report, findings } = await scan([join(tmp.dir, 'a-clean.txt'), join(tmp.dir, 'b-clean.txt')], {
      bundled: false,
      intel: [feed],
    });
    expect(report.files.every((f) => f.matches.length === 0 && f.sha256 && f.md5)).toBe(true);
    const hits = findings.filter((f) => f.huntId === 'file-hash-indicator');
    expect(hits.map((f) => f.entities)).toEqual([
      [
        { type: 'File', identifier: 'Path', value: join(tmp.dir, 'a-clean.txt') },
        { type: 'FileHash', identifier: 'SHA256', value: hex('sha256', clean[0]) },
      ],
      [
        { type: 'File', identifier: 'Path', value: join(tmp.dir, 'b-clean.txt') },
        { type: 'FileHash', identifier: 'MD5', value: hex('md5', clean[1]) },
      ],
    ]);
  }, 60_000);

  it('the bundled seed holds SHA-256 indicators: every object gets its SHA-256 by default', async () => {
    const { report } = await scan([tmp.dir]);
    expect(byName(report.files, 'b-clean.txt').sha256).toBe(hex('sha256', clean[1]));
  }, 60_000);

  it("hash: 'sha256' is an inventory; hash: 'all' gives every object all three", async () => {
    const inventory = await scan([tmp.dir], { bundled: false, hash: 'sha256' });
    const a = byName(inventory.report.files, 'a-clean.txt');
    expect([a.sha256, a.md5]).toEqual([hex('sha256', clean[0]), undefined]);
    const all = await scan([tmp.dir], { bundled: false, hash: 'all' });
    const b = byName(all.report.files, 'b-clean.txt');
    expect([b.sha256, b.sha1, b.md5]).toEqual([
      hex('sha256', clean[1]),
      hex('sha1', clean[1]),
      hex('md5', clean[1]),
    ]);
  }, 60_000);
});
