import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, chooseEngine, scanPaths } from '../../src/scan/index.js';
import { runPool } from '../../src/scan/pool.js';
import { loadRuleSources } from '../../src/scan/rules.js';
import { yaraxModule } from '../../src/scan/yarax.js';
import { SEED_STRINGS, elfWith, tempDir } from './helpers.js';

const OFFSETS = [0x40, 0x100, 0x200, 0x300];
const isRoot = process.getuid?.() === 0;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

function dirWith(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(tmp.dir, name);
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), body);
  }
  return dir;
}

describe('scanPaths with the bundled seed rule', () => {
  it('matches Mirai_Generic_Arch with each string at its exact offset, and hashes the file', async () => {
    const bytes = elfWith(SEED_STRINGS.map((text, i) => ({ text, offset: OFFSETS[i] })));
    const dir = dirWith('elf', { 'mirai.elf': bytes });
    const report = await scanPaths([dir]);
    expect(report.ruleErrors).toEqual([]);
    expect(report.ruleCount).toBe(1);
    expect(report.files).toHaveLength(1);
    const [file] = report.files;
    expect(file.size).toBe(4096);
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(file.sha1).toBe(createHash('sha1').update(bytes).digest('hex'));
    expect(file.md5).toBe(createHash('md5').update(bytes).digest('hex'));
    expect(file.matches).toHaveLength(1);
    const [m] = file.matches;
    expect(m).toMatchObject({ rule: 'Mirai_Generic_Arch', namespace: 'mirai_tr069', tags: ['MALW'] });
    expect(m.meta.author).toBe('Felipe Molina / @felmoltor');
    expect(m.strings).toEqual(
      ['$miname', '$iptables1', '$iptables2', '$procnet'].map((identifier, i) => ({
        identifier,
        offset: OFFSETS[i],
        length: SEED_STRINGS[i].length,
        data: SEED_STRINGS[i],
        context: expect.objectContaining({ offset: OFFSETS[i] - 16 }),
      })),
    );
    expect(report.bytes).toBe(4096);
  });

  it('a file of several MiB (native workers map it) gives the same exact offsets and digests', async () => {
    const offsets = [0x40, 0x1_0000, 0x20_0001, 0x30_0000 - 0x40];
    const bytes = Buffer.alloc(0x30_0000, 0x90);
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x01, 0x01, 0x01]).copy(bytes, 0);
    SEED_STRINGS.forEach((text, i) => bytes.write(text, offsets[i], 'latin1'));
    const report = await scanPaths([dirWith('large', { 'big.elf': bytes })]);
    expect(report.files).toHaveLength(1);
    const [file] = report.files;
    expect(file.size).toBe(bytes.length);
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(file.md5).toBe(createHash('md5').update(bytes).digest('hex'));
    expect(file.matches.map((m) => m.strings.map((s) => [s.offset, s.data]))).toEqual([
      SEED_STRINGS.map((text, i) => [offsets[i], text]),
    ]);
  });

  it('does not match with only 3 of the 4 strings', async () => {
    const bytes = elfWith(SEED_STRINGS.slice(0, 3).map((text, i) => ({ text, offset: OFFSETS[i] })));
    const report = await scanPaths([dirWith('three', { 'three.elf': bytes })]);
    expect(report.files).toHaveLength(1);
    expect(report.files[0].matches).toEqual([]);
  });

  it('returns files sorted by path whatever the worker order', async () => {
    const files: Record<string, string> = {};
    for (let i = 9; i >= 0; i--) files[`d${i % 3}/f${i}.bin`] = `file ${i}`;
    const dir = dirWith('many', files);
    const report = await scanPaths([dir], { workers: 2 });
    const paths = report.files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toHaveLength(10);
  });
});

describe('rules', () => {
  it('--rules DIR adds rules (recursive, one namespace per file)', async () => {
    const rules = dirWith('extra-rules', {
      'sub/extra.yar':
        'rule Extra_Marker : TEST { meta: n = 3 strings: $a = "telltale-extra" condition: $a }',
      'ignored.txt': 'rule Not_Loaded { condition: true }',
    });
    const target = dirWith('extra-target', { 'x.bin': 'xx telltale-extra xx' });
    const report = await scanPaths([target], { rules: [rules] });
    expect(report.ruleCount).toBe(2);
    expect(report.files[0].matches).toEqual([
      {
        rule: 'Extra_Marker',
        namespace: 'extra',
        tags: ['TEST'],
        meta: { n: 3 },
        strings: [
          {
            identifier: '$a',
            offset: 3,
            length: 14,
            data: 'telltale-extra',
            context: {
              offset: 0,
              hex: '78 78 20 74 65 6c 6c 74 61 6c 65 2d 65 78 74 72 61 20 78 78',
              ascii: 'xx telltale-extra xx',
            },
          },
        ],
      },
    ]);
  });

  it('reports a broken rule file with file and line:col; the good ones still compile', async () => {
    const rules = dirWith('broken-rules', {
      'a_good.yar': 'rule Good_One { strings: $a = "good-marker" condition: $a }',
      'b_bad.yar': 'rule Bad_One {\n  condition:\n    no_such_identifier\n}\n',
      'c_good.yara': 'rule Good_Two { strings: $a = "second-marker" condition: $a }',
    });
    const target = dirWith('broken-target', { 'x.bin': 'good-marker second-marker' });
    const report = await scanPaths([target], { rules: [rules] });
    expect(report.ruleErrors).toHaveLength(1);
    expect(report.ruleErrors[0].file).toBe(join(rules, 'b_bad.yar'));
    expect(report.ruleErrors[0].message).toMatch(/unknown identifier/);
    expect(report.ruleErrors[0].message).toContain('line:3:5');
    expect(report.ruleCount).toBe(3); // seed + the two good ones
    expect(report.files[0].matches.map((m) => m.rule)).toEqual(['Good_One', 'Good_Two']);
  });

  it('reports a missing --rules path without failing the scan', async () => {
    const target = dirWith('missing-rules-target', { 'x.bin': 'x' });
    const report = await scanPaths([target], { rules: [join(tmp.dir, 'nope.yar')] });
    expect(report.ruleErrors.map((e) => e.file)).toEqual([join(tmp.dir, 'nope.yar')]);
    expect(report.files).toHaveLength(1);
  });

  it('still reports rule errors and the count when there is nothing to scan', async () => {
    const rules = dirWith('only-rules', { 'bad.yar': 'rule x { condition: nope }' });
    const report = await scanPaths([], { rules: [rules] });
    expect(report.ruleCount).toBe(1);
    expect(report.ruleErrors).toHaveLength(1);
  });
});

describe('walk and read failures are reported, never fatal', () => {
  it('reports a symlink loop, a fifo and a missing path', async () => {
    const dir = dirWith('loops', { 'a/real.bin': 'data' });
    symlinkSync('..', join(dir, 'a', 'up')); // a/up -> dir: a loop through an ancestor
    symlinkSync('self', join(dir, 'self')); // ELOOP
    symlinkSync('missing', join(dir, 'dangling'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const report = await scanPaths([dir, join(dir, 'nope')]);
    expect(report.files.map((f) => f.path)).toEqual([join(dir, 'a', 'real.bin')]);
    expect(report.skipped).toEqual([
      { path: join(dir, 'a', 'up'), reason: 'symlink loop' },
      { path: join(dir, 'dangling'), reason: 'broken symlink' },
      { path: join(dir, 'nope'), reason: 'not found', incomplete: true },
      { path: join(dir, 'pipe'), reason: 'special file (fifo)' },
      { path: join(dir, 'self'), reason: 'symlink loop' },
    ]);
  });

  it('skips a file above the size cap with a clear reason', async () => {
    const dir = dirWith('big', { 'big.bin': Buffer.alloc(1024 * 1024 + 1), 'ok.bin': 'small' });
    const report = await scanPaths([dir], { maxFileSize: 1024 * 1024 });
    expect(report.files.map((f) => f.path)).toEqual([join(dir, 'ok.bin')]);
    expect(report.skipped).toEqual([
      { path: join(dir, 'big.bin'), reason: 'larger than 1 MiB cap (1048577 bytes)', incomplete: true },
    ]);
  });

  it('reports a file that vanished between walk and read', async () => {
    const dir = dirWith('vanish', { 'gone.bin': 'x', 'kept.bin': 'y' });
    unlinkSync(join(dir, 'gone.bin')); // the pool gets the walked list, as if deleted mid-scan
    const { sources } = await loadRuleSources();
    const jobs = ['gone.bin', 'kept.bin'].map((f) => ({ kind: 'file' as const, path: join(dir, f) }));
    const engine = chooseEngine();
    const out = await runPool(jobs, {
      size: 1,
      engine,
      module: engine === 'wasm' ? yaraxModule() : undefined,
      sources,
      maxFileSize: 1 << 20,
      maxRegionSize: 1 << 20,
      timeoutMs: 10_000,
      hashes: ['sha256'],
      matchHashes: ['sha256'],
      filter: {},
      expand: true,
      limits: DEFAULT_LIMITS,
    });
    expect(out.files.map((f) => f.path)).toEqual([join(dir, 'kept.bin')]);
    expect(out.skipped).toHaveLength(1);
    expect(out.skipped[0].reason).toMatch(/^unreadable: ENOENT/);
  });

  it.skipIf(isRoot)('reports an unreadable file (chmod 000)', async () => {
    const dir = dirWith('noperm', { 'locked.bin': 'x' });
    chmodSync(join(dir, 'locked.bin'), 0);
    const report = await scanPaths([dir]);
    expect(report.skipped[0].reason).toMatch(/^unreadable: EACCES/);
  });
  // As root, chmod 000 does not stop reads: contexts.test.ts scans from a child running as nobody.
});

describe('timeout', () => {
  it('a pathological rule times out on its file; later files still get scanned', async () => {
    const rules = dirWith('slow-rules', {
      'slow.yar':
        'rule Quadratic { condition: for all i in (0..filesize - 1) : ( for all j in (0..filesize - 1) : ( uint8(i) != 0xff or uint8(j) != 0xfe ) ) }',
    });
    const dir = dirWith('slow-target', { 'a.bin': Buffer.alloc(200_000), 'b.bin': SEED_STRINGS.join(' ') });
    const report = await scanPaths([dir], { rules: [rules], timeoutMs: 4000, workers: 1 });
    expect(report.skipped).toEqual([
      { path: join(dir, 'a.bin'), reason: 'YARA scan timed out after 4000 ms', incomplete: true },
    ]);
    // b.bin (170 bytes: 29k iterations) is scanned by the replacement worker
    expect(report.files.map((f) => f.matches.map((m) => m.rule))).toEqual([
      ['Mirai_Generic_Arch', 'Quadratic'],
    ]);
    // Two workers compile the rules (WASM: seconds on a loaded machine) besides the 4 s timeout.
  }, 180_000);
});

describe('crash isolation', () => {
  it('a rule that panics on one file of many: that file is skipped, every other one scanned once', async () => {
    // INT64_MIN \\ -1 panics YARA-X (native: the worker process aborts; WASM: a trap), only when
    // the file is 777 bytes long: the files before it in the same worker are done but their outputs
    // may still be batched in the worker when it dies.
    const rules = dirWith('panic-rules', {
      'panic.yar':
        'rule Boom { strings: $a = "zz" condition: filesize == 777 and (#a + -0x7FFFFFFFFFFFFFFF - 1) \\ -1 == 0 }',
    });
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++)
      files[`f${String(i).padStart(2, '0')}.bin`] = 'x'.repeat(i === 23 ? 777 : 100 + i);
    const dir = dirWith('panic-target', files);
    const report = await scanPaths([dir], { rules: [rules], workers: 1, bundledRules: false });
    const crashed = join(dir, 'f23.bin');
    expect(report.skipped.map((s) => s.path)).toEqual([crashed]);
    expect(report.skipped[0].reason).toMatch(
      /scan worker exited \(signal SIGABRT\)|YARA-X crashed on this object/,
    );
    const scanned = Object.keys(files)
      .map((f) => join(dir, f))
      .filter((p) => p !== crashed);
    expect(report.files.map((f) => f.path)).toEqual(scanned);
  }, 120_000);
});

const realRules = join(import.meta.dirname, '../../../shared/data/yara/rules');
describe.skipIf(!existsSync(realRules))('real rule sets (../shared/data/yara/rules)', () => {
  it('compiles 8 of the 10 files (228 rules); the two that need an external is__elf rule are reported', async () => {
    const report = await scanPaths([], { rules: [realRules] });
    const files = readdirSync(realRules).filter((f) => f.endsWith('.yar'));
    expect(files).toHaveLength(10);
    expect(report.ruleErrors.map((e) => e.file.split('/').pop())).toEqual([
      'YaraRules_MALW_Mirai_Okiru_ELF.yar',
      'YaraRules_MALW_Mirai_Satori_ELF.yar',
    ]);
    for (const e of report.ruleErrors)
      expect(e.message).toMatch(/unknown identifier `is__elf`[\s\S]*line:\d+:\d+/);
    expect(report.ruleCount).toBe(1 + 228);
  });
});
