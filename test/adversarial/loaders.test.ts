// Issue 11: a hunt folder with a symlink loop crashed the loader (ELOOP); an unknown --log-format was
// taken as "detect, then scan with YARA", so a typo turned every log into a binary with no findings.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HuntLoadError, loadHunts } from '../../src/hunts/loader.js';
import { walkPaths, walkPathsSync } from '../../src/util/walk.js';
import { scratchDir, telltale } from '../helpers.js';
import { QUIET_CEF } from './helpers.js';

const tmp = scratchDir('adv-loaders');

const HUNT = `id: 5b1c0e38-1a49-4a1b-9a55-loop
name: Any CEF row
query: CommonSecurityLog | take 1
`;

describe('hunt folders go through the one walker', () => {
  const dir = join(tmp.dir, 'hunts');
  mkdirSync(join(dir, 'nested'), { recursive: true });
  writeFileSync(join(dir, 'nested', 'any.yaml'), HUNT);
  symlinkSync('..', join(dir, 'nested', 'loop')); // nested/loop -> hunts: a loop
  symlinkSync('self', join(dir, 'self')); // a link to itself: ELOOP on stat

  it('a symlink loop in --hunts is skipped, the hunts load', () => {
    const hunts = loadHunts([dir]);
    expect(hunts.map((h) => h.key)).toEqual(['any']);
  });

  it('the synchronous walk sees what the asynchronous one sees', async () => {
    expect(walkPathsSync([dir])).toEqual(await walkPaths([dir]));
  });

  it('a missing or empty hunt folder is an error naming it, not a run of zero hunts', () => {
    const empty = join(tmp.dir, 'no-hunts');
    mkdirSync(empty);
    expect(() => loadHunts([join(tmp.dir, 'nope')])).toThrow(HuntLoadError);
    expect(() => loadHunts([join(tmp.dir, 'nope')])).toThrow(/nope: not found/);
    expect(() => loadHunts([empty])).toThrow(/no-hunts: nothing to read/);
  });
});

describe('--log-format', () => {
  it('an unknown value is a usage error (exit 2) listing the known ones', () => {
    const log = tmp.file('fw.cef', QUIET_CEF);
    for (const command of ['ingest', 'hunt']) {
      const r = telltale(command, '--log-format', 'zeek', log);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--log-format.*expected one of cef, zeek-tsv, zeek-json/);
    }
  }, 120_000);
});
