/** Where the read-only reference data lives; tests on it skip (visibly) when it is absent. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const sharedData = resolve(repoRoot, '../shared/data');
export const hasShared = existsSync(sharedData);
if (!hasShared)
  console.warn(`[skip] ${sharedData} is absent: telemetry tests on real third-party data are skipped`);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'telltale-telemetry-'));
}

export function writeTemp(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
