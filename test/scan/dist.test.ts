/**
 * The compiled (dist/) layout: the pool must find worker.js next to pool.js and run it without tsx,
 * and native worker processes must run the bundle the build makes (worker.cjs). Compiles src/scan with
 * tsc into .tmp/, links content/, and scans from a plain `node` child process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SEED_STRINGS, elfWith } from './helpers.js';
import { loadNative } from '../../src/scan/native.js';

const nativeLoads = !('reason' in loadNative());

const root = resolve(import.meta.dirname, '../..');
const out = join(root, '.tmp', `scan-dist-${process.pid}`);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Compiles src/scan into `out`/dist, as `npm run build`'s tsc step does. */
function compile(): void {
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
}

/** Scans one infected sample from a plain `node` process importing the compiled dist/. */
function scanFromDist(engine: 'auto' | 'native'): { ruleErrors: unknown[]; engine: string; files: any[] } {
  const sample = join(out, 'sample.elf');
  writeFileSync(sample, elfWith(SEED_STRINGS.map((text, i) => ({ text, offset: 0x40 + 0x80 * i }))));
  const script = join(out, 'run.mjs');
  writeFileSync(
    script,
    `import { scanPaths } from './dist/scan/index.js';
const r = await scanPaths([${JSON.stringify(sample)}], { workers: 1, engine: '${engine}' });
console.log(JSON.stringify(r));`,
  );
  return JSON.parse(execFileSync(process.execPath, [script], { cwd: out, encoding: 'utf8' }));
}

it('scans from compiled JS through worker.js', () => {
  compile();
  const report = scanFromDist('auto');
  expect(report.ruleErrors).toEqual([]);
  expect(report.files[0].matches[0].rule).toBe('Mirai_Generic_Arch');
}, 120_000);

it.runIf(nativeLoads)(
  'native worker processes run the bundled worker.cjs that the build makes',
  () => {
    if (!existsSync(join(out, 'dist/scan/worker.js'))) compile();
    execFileSync(process.execPath, [join(root, 'src/scan/bundle-worker.mjs'), join(out, 'dist')]);
    // without worker.js the pool can only fork the bundle (or fail): the scan proves the bundle runs
    rmSync(join(out, 'dist/scan/worker.js'));
    const report = scanFromDist('native');
    expect(report.engine).toBe('native');
    expect(report.ruleErrors).toEqual([]);
    expect(report.files[0].matches[0].rule).toBe('Mirai_Generic_Arch');
  },
  120_000,
);
