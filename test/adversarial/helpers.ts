import { spawnSync, type StdioOptions } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { ingest } from '../../src/index.js';
import { repoRoot, type CliResult } from '../helpers.js';

/** The real bin with stdin from a string or a file descriptor (`scan - </dev/zero`). */
export function telltaleWith(stdin: { input?: string | Buffer; fd?: number }, ...args: string[]): CliResult {
  const stdio: StdioOptions = [stdin.fd ?? 'pipe', 'pipe', 'pipe'];
  const result = spawnSync(process.execPath, [resolve(repoRoot, 'bin/telltale.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    input: stdin.input,
    stdio,
    env: { ...process.env, TELLTALE_INTEL_DB: resolve(repoRoot, '.tmp/no-intel-store.duckdb') },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** One CEF line that no hunt flags: a log the ingest reads. */
export const QUIET_CEF =
  'CEF:0|Acme|EdgeFirewall|7.2|200|Connection allowed|3|rt=1779321783000 src=10.20.0.21 spt=34892 dst=140.82.121.4 dpt=123 proto=TCP act=accept\n';

/** One file's ledger after an in-memory ingest: nothing skipped, and read = ingested + rejected. */
export async function ingestOne(path: string) {
  const { ledgers, inputs } = await ingest([path]);
  expect(inputs.skipped).toEqual([]);
  expect(ledgers).toHaveLength(1);
  const [ledger] = ledgers;
  expect(ledger.read).toBe(ledger.ingested + ledger.rejected.length);
  return ledger;
}
