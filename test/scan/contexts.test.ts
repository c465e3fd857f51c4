/** Each scan context with generated objects: archives, firmware images, bombs, stdin, processes. */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanInputs, scanPaths, type ScanReport } from '../../src/scan/index.js';
import { SEED_STRINGS, realElf, seedElf, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

const hits = (r: ScanReport): [string, string[]][] =>
  r.files.filter((f) => f.matches.length > 0).map((f) => [f.path, f.matches.map((m) => m.rule)]);

/** A tar.gz of `files` (system tar: an independent writer). */
function tarGz(files: Record<string, Buffer>): Buffer {
  const dir = join(tmp.dir, `tar-${Math.random().toString(36).slice(2)}`);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return gzipSync(execFileSync('tar', ['-C', dir, '-cf', '-', ...Object.keys(files)]));
}

function write(name: string, data: Buffer | Uint8Array | string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, data);
  return path;
}

describe('archives', () => {
  it('scans a tar.gz inside a zip and names the inner path', async () => {
    const fw = tarGz({
      'squashfs-root/bin/busybox': seedElf(),
      'squashfs-root/etc/passwd': Buffer.from('root:x:0:0'),
    });
    const path = write('outer.zip', zipSync({ 'fw.tar.gz': fw, 'README.txt': Buffer.from('hello') }));
    const r = await scanPaths([path]);
    expect(r.skipped).toEqual([]);
    expect(r.files.map((f) => [f.path, f.kind])).toEqual([
      [path, 'file'],
      [`${path}!fw.tar.gz`, 'member'],
      [`${path}!fw.tar.gz!squashfs-root/bin/busybox`, 'member'],
      [`${path}!fw.tar.gz!squashfs-root/etc/passwd`, 'member'],
      [`${path}!README.txt`, 'member'],
    ]);
    expect(hits(r)).toEqual([[`${path}!fw.tar.gz!squashfs-root/bin/busybox`, ['Mirai_Generic_Arch']]]);
    const busybox = r.files[2];
    expect(busybox.md5).toMatch(/^[0-9a-f]{32}$/); // matched: all three digests
    expect(busybox.sha1).toMatch(/^[0-9a-f]{40}$/);
    expect(r.files[3].md5).toBeUndefined(); // clean: only the requested SHA-256
  });

  it('catches a zip bomb, a gzip bomb, too deep nesting and too many entries, each with its reason', async () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const zipBomb = write('bomb.zip', zipSync({ 'zeros.bin': zeros }, { level: 9 }));
    const gzBomb = write('bomb.bin.gz', gzipSync(zeros));
    let nested: Uint8Array = seedElf();
    for (let i = 0; i < 7; i++) nested = zipSync({ [`level${i}.zip`]: nested });
    const deep = write('deep.zip', nested);
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 10; i++) many[`f${i}.txt`] = Buffer.from(`file ${i}`);
    const wide = write('wide.zip', zipSync(many));
    const r = await scanPaths([zipBomb, gzBomb, deep]);
    const w = await scanPaths([wide], { limits: { maxEntries: 4 } });
    const reasons = Object.fromEntries(
      [...r.skipped, ...w.skipped].map((s) => [s.path.slice(tmp.dir.length + 1), s.reason]),
    );
    expect(reasons['bomb.zip!zeros.bin']).toMatch(/^expansion ratio \d+:1 above the 100:1 cap/);
    expect(reasons['bomb.bin.gz']).toMatch(/^expansion ratio above the 100:1 cap/);
    expect(Object.entries(reasons).find(([p]) => p.startsWith('deep.zip!'))?.[1]).toMatch(
      /^nesting depth cap \(5\) reached/,
    );
    expect(reasons['wide.zip']).toBe('archive entry limit (4) reached: the rest was not scanned');
    expect(w.files.filter((f) => f.path.startsWith(wide + '!'))).toHaveLength(4);
    expect(Object.keys(reasons)).toHaveLength(4);
  });
});

describe('firmware images', () => {
  it('carves two embedded ELFs (one matching) and a gzip stream, and scans the whole image', async () => {
    const image = Buffer.alloc(0x200000, 0xff);
    realElf(0x800, [{ text: 'just a clean binary', offset: 0x100 }]).copy(image, 0x1000);
    seedElf(0x1000).copy(image, 0x1a2000);
    gzipSync(Buffer.from('#!/bin/sh\necho telltale-carved-gzip\n')).copy(image, 0x40000);
    const path = write('image.bin', image);
    const rules = write(
      'anchored.yar',
      'rule ElfAtZero { strings: $a = "Myname--is:" condition: uint32(0) == 0x464c457f and $a }',
    );
    const r = await scanPaths([path], { rules: [rules] });
    expect(r.files.map((f) => [f.path.slice(path.length), f.kind, f.size])).toEqual([
      ['', 'file', 0x200000],
      ['!elf@0x1000', 'carved', 0x800],
      ['!gzip@0x40000', 'carved', 36],
      ['!elf@0x1a2000', 'carved', 0x1000],
    ]);
    expect(hits(r)).toEqual([
      [path, ['Mirai_Generic_Arch']],
      [`${path}!elf@0x1a2000`, ['Mirai_Generic_Arch', 'ElfAtZero']],
    ]);
    expect(r.files[3].matches[0].strings[0]).toMatchObject({ identifier: '$miname', offset: 0x100 });
  });
});

describe('stdin and externals', () => {
  it('scans a buffer named "-" and sets filename/extension/filetype for LOKI/THOR rules', async () => {
    const rules = write(
      'externals.yar',
      `rule Named { condition: filename == "busybox" and extension == "" and filetype == "ELF" and filepath endswith "ext.tar.gz!bin" }
       rule Ext { condition: extension == ".txt" }`,
    );
    const path = write('ext.tar.gz', tarGz({ 'bin/busybox': seedElf(), 'notes.txt': Buffer.from('x') }));
    const r = await scanInputs(
      { paths: [path], buffers: [{ name: '-', data: Buffer.from(SEED_STRINGS.join('\n')) }] },
      { rules: [rules] },
    );
    expect(hits(r)).toEqual([
      [`${path}!bin/busybox`, ['Mirai_Generic_Arch', 'Named']],
      [`${path}!notes.txt`, ['Ext']],
      ['-', ['Mirai_Generic_Arch']],
    ]);
    expect(r.files.find((f) => f.path === '-')?.kind).toBe('stdin');
  });

  it('--tag and --rule keep only the wanted matches', async () => {
    const rules = write('two.yar', 'rule Other : extra { strings: $a = "Myname" condition: $a }');
    const path = write('two.bin', Buffer.from(SEED_STRINGS.join('\n')));
    const byTag = await scanPaths([path], { rules: [rules], tags: ['EXTRA'] });
    expect(hits(byTag)).toEqual([[path, ['Other']]]);
    const byRule = await scanPaths([path], { rules: [rules], ruleNames: ['mirai_tr069.Mirai_Generic_Arch'] });
    expect(hits(byRule)).toEqual([[path, ['Mirai_Generic_Arch']]]);
  });
});

describe('unreadable file', () => {
  const root = process.getuid?.() === 0;
  it('is reported (as root: scanned from a child process running as nobody)', () => {
    const dir = join(tmp.dir, 'noperm');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'locked.bin'), 'x');
    chmodSync(join(dir, 'locked.bin'), 0);
    chmodSync(tmp.dir, 0o755);
    const script = `import { scanPaths } from ${JSON.stringify(resolve(import.meta.dirname, '../../src/scan/index.ts'))};
      console.log(JSON.stringify((await scanPaths([${JSON.stringify(dir)}], { workers: 1 })).skipped));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: resolve(import.meta.dirname, '../..'),
      ...(root ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: tmp.dir } } : {}),
    });
    expect(JSON.parse(out)).toEqual([
      {
        path: join(dir, 'locked.bin'),
        reason: expect.stringMatching(/^unreadable: EACCES/),
        incomplete: true,
      },
    ]);
  }, 60_000);
});

describe.skipIf(process.platform !== 'linux')('process memory', () => {
  it('finds the four seed strings in a live child process and names process and region', async () => {
    const holder = `const b = Buffer.from(${JSON.stringify(SEED_STRINGS.join('|'))}.split('').reverse().join('')); globalThis.keep = Buffer.from(b.reverse()); console.log('ready'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', holder], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((ok) => child.stdout.once('data', ok));
      const gone = 2 ** 22 + 12345; // above the default pid_max: no such process
      const r = await scanInputs({ pids: [child.pid!, gone] });
      const hit = r.files.find((f) => f.matches.length > 0);
      expect(hit?.path).toMatch(new RegExp(`^pid:${child.pid}\\(node\\)!0x[0-9a-f]+-0x[0-9a-f]+$`));
      expect(hit?.kind).toBe('region');
      expect(hit?.memory).toMatchObject({
        pid: child.pid,
        process: 'node',
        region: expect.stringMatching(/^[0-9a-f]+-[0-9a-f]+ r/),
      });
      expect(hit?.matches.map((m) => m.rule)).toContain('Mirai_Generic_Arch');
      expect(r.skipped).toContainEqual({ path: `pid:${gone}(?)`, reason: 'process not found (exited?)' });
    } finally {
      child.kill();
    }
  }, 60_000);
});
