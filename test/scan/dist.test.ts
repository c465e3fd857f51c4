/**
 * The compiled (dist/) layout: the pool must find worker.js next to pool.js and run it without tsx.
 * Compiles src/scan with tsc into .tmp/, links content/, and scans from a plain `node` child process.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SEED_STRINGS, elfWith } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, '.tmp', `scan-dist-${process.pid}`);
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('scans from compiled JS through worker.js', () => {
  mkdirSync(out, { recursive: true });
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const srcs = ['src/util/paths.ts', 'src/scan/index.ts', 'src/scan/worker.ts'].map((f) => join(root, f));
  execFileSync(process.execPath, [
    tsc,
    ...['--outDir', join(out, 'dist'), '--rootDir', join(root, 'src'), '--module', 'NodeNext'],
    ...[
      '--moduleResolution',
      'NodeNext',
      '--target',
      'ES2022',
      '--strict',
      '--skipLibCheck',
      '--types',
      'node',
    ],
    ...srcs,
  ]);
  symlinkSync(join(root, 'content'), join(out, 'content')); // paths.ts: content/ sits next to dist/
  const sample = join(out, 'sample.elf');
  writeFileSync(sample, elfWith(SEED_STRINGS.map((text, i) => ({ text, offset: 0x40 + 0x80 * i }))));
  const script = join(out, 'run.mjs');
  writeFileSync(
    script,
    `import { scanPaths } from './dist/scan/index.js';
const r = await scanPaths([${JSON.stringify(sample)}], { workers: 1 });
console.log(JSON.stringify(r));`,
  );
  const report = JSON.parse(execFileSync(process.execPath, [script], { cwd: out, encoding: 'utf8' }));
  expect(report.ruleErrors).toEqual([]);
  expect(report.files[0].matches[0].rule).toBe('Mirai_Generic_Arch');
}, 120_000);
