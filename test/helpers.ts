import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import type { HuntRun } from '../src/hunts/runner.js';

export const repoRoot = resolve(import.meta.dirname, '..');
export const sharedData = resolve(repoRoot, '../shared/data');
export const hasShared = existsSync(sharedData);
export const sharedSeeds = resolve(repoRoot, '../shared/seeds');
export const hasSeeds = existsSync(sharedSeeds);
if (!hasSeeds) console.warn(`[skip] ../shared/seeds is absent: tests on the seed documents are skipped`);
if (!hasShared) console.warn(`[skip] ../shared/data is absent: tests on real third-party data are skipped`);

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real bin (as a user would after `npm ci`) from the repository root. */
export function telltale(...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [resolve(repoRoot, 'bin/telltale.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    // Isolate from a developer's own indicator store: hunts see bundled content and explicit feeds only.
    env: { ...process.env, TELLTALE_INTEL_DB: resolve(repoRoot, '.tmp/no-intel-store.duckdb') },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary folder removed after the file's tests, and a writer of files in it (returns the path). */
export function scratchDir(prefix: string): { dir: string; file: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** What a user compares between two hunt runs: per hunt, its rows, findings, error and coverage. */
export function huntRunSummary(runs: HuntRun[]) {
  return runs.map((r) => ({
    hunt: r.hunt.key,
    rows: r.rows,
    findings: r.findings,
    error: r.error,
    coverage: r.coverage,
  }));
}
