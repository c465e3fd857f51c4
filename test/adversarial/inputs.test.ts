// Issue 11 items 1 and 10, issue 10 item 8: what was named and not read is an error or a warning with a
// distinct exit status, never "0 findings"; hunt, ingest and scan walk folders the same way.
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt, scan } from '../../src/index.js';
import { walkPaths } from '../../src/util/walk.js';
import { scratchDir, telltale } from '../helpers.js';
import { QUIET_CEF, telltaleWith } from './helpers.js';

const tmp = scratchDir('adv-inputs');

describe('exit status: a named path that was not read', () => {
  it('hunt /no/such: exit 2 with the reason, not "0 findings" and exit 0', () => {
    const r = telltale('hunt', join(tmp.dir, 'no-such-file'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`skipped ${join(tmp.dir, 'no-such-file')}: not found`);
    expect(r.stderr).toContain('error: nothing was read of the 1 input named');
  }, 120_000);

  it('ingest: nothing read is exit 2; something read and something missing is exit 3 with a warning', () => {
    const good = tmp.file('fw.cef', QUIET_CEF);
    const missing = join(tmp.dir, 'gone.cef');
    expect(telltale('ingest', missing).status).toBe(2);
    const partial = telltale('ingest', good, missing);
    expect(partial.stderr).toContain('read 1 = ingested 1 + rejected 0');
    expect(partial.stderr).toContain(`warning: incomplete: 1 input not read (${missing})`);
    expect(partial.status).toBe(3);
    expect(telltale('ingest', good).status).toBe(0);
  }, 120_000);

  it('scan agrees: 2 when nothing was read, 3 when part was not, 0 when all was', () => {
    const bin = tmp.file('clean.bin', 'nothing to see');
    const missing = join(tmp.dir, 'gone.bin');
    expect(telltale('scan', missing).status).toBe(2);
    const partial = telltale('scan', bin, missing);
    expect(partial.stderr).toContain(`skipped ${missing}: not found`);
    expect(partial.status).toBe(3);
    expect(telltale('scan', bin).status).toBe(0);
  }, 120_000);

  it('an empty folder named is not read: exit 2, not a clean bill', () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    const r = telltale('ingest', empty);
    expect(r.stderr).toContain(`skipped ${empty}: nothing to read: no regular file in this folder`);
    expect(r.status).toBe(2);
  }, 60_000);

  it('ingest - reads stdin (it was silently ignored)', () => {
    const r = telltaleWith({ input: QUIET_CEF }, 'ingest', '-');
    expect(r.stderr).toMatch(/stdin \[cef\]: read 1 = ingested 1 \+ rejected 0/);
    expect(r.status).toBe(0);
  }, 60_000);
});

describe('one walker for hunt and scan', () => {
  const root = join(tmp.dir, 'fwroot');
  const outside = join(tmp.dir, 'outside');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(outside, 'log'), { recursive: true });
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
  writeFileSync(join(root, 'fw.cef'), QUIET_CEF);
  writeFileSync(join(outside, 'log', 'secret.bin'), 'outside the firmware root');
  symlinkSync('../outside', join(root, 'var')); // fwroot/var -> ../outside: leaves the root
  symlinkSync('.', join(root, 'etc', 'loop')); // etc/loop -> etc: a loop
  symlinkSync('../fw.cef', join(root, 'etc', 'fw-link.cef')); // a second name for one file
  execFileSync('mkfifo', [join(root, 'pipe')]);

  it('a link out of the given folder is reported and not followed (unless asked)', async () => {
    const walked = await walkPaths([root]);
    // in walk order (sorted names), the first name of a file wins: etc/fw-link.cef before fw.cef
    expect(walked.files).toEqual([join(root, 'etc', 'fw-link.cef'), join(root, 'etc', 'passwd')]);
    expect(walked.skipped).toEqual([
      { path: join(root, 'etc', 'loop'), reason: 'symlink loop' },
      { path: join(root, 'fw.cef'), reason: `same file as ${join(root, 'etc', 'fw-link.cef')}: read once` },
      { path: join(root, 'pipe'), reason: 'special file (fifo)' },
      { path: join(root, 'var'), reason: `symlink leaves the given folders (to ${outside}): not followed` },
    ]);
    const followed = await walkPaths([root], { followLinks: true });
    expect(followed.files).toContain(join(root, 'var', 'log', 'secret.bin'));
  });

  it('scan reports no file outside the root as fwroot/var/...', async () => {
    const { report } = await scan([root], { bundled: false });
    expect(report.files.map((f) => f.path)).toEqual((await walkPaths([root])).files);
    expect(report.files.some((f) => f.path.includes('secret'))).toBe(false);
    expect(report.skipped.map((s) => s.path)).toContain(join(root, 'var'));
  }, 60_000);

  it('hunt sees the same files and its result lists every skipped path', async () => {
    const result = await hunt([root], { bundled: false, hunts: [] });
    const read = [...result.ledgers.map((l) => l.file), ...result.scan.files.map((f) => f.path)].sort();
    expect(read).toEqual((await walkPaths([root])).files);
    expect(result.inputs.skipped.map((s) => s.path).sort()).toEqual(
      ['etc/loop', 'fw.cef', 'pipe', 'var'].map((p) => join(root, p)),
    );
    expect(result.inputs.read).toBe(2);
  }, 120_000);
});

describe('scan of hostile special inputs', () => {
  it.skipIf(process.platform !== 'linux')(
    'scan /proc/self is skipped at once (procfs), exit 2',
    () => {
      const r = telltale('scan', '/proc/self');
      expect(r.stderr).toContain('skipped /proc/self: procfs (kernel pseudo file system): not read');
      expect(r.status).toBe(2);
    },
    60_000,
  );

  it('scan - </dev/zero stops at --max-size instead of reading for ever', () => {
    const fd = openSync('/dev/zero', 'r');
    try {
      const r = telltaleWith({ fd }, 'scan', '-', '--max-size', '1');
      expect(r.stderr).toContain('skipped -: larger than the 1048576 bytes cap: not scanned');
      expect(r.status).toBe(2);
    } finally {
      closeSync(fd);
    }
  }, 60_000);
});
