/**
 * scanPaths: walk → worker pool (read + hash + YARA-X per file) → sorted report. Rules load while the
 * walk runs; the pool's workers compile them and report the compile errors and rule count.
 */
import { availableParallelism } from 'node:os';
import { runPool, type PoolOutput } from './pool.js';
import { compileRules, loadRuleSources } from './rules.js';
import {
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_TIMEOUT_MS,
  type ScanOptions,
  type ScanReport,
  type Skipped,
} from './types.js';
import { walkPaths } from './walk.js';
import { initYarax, yaraxModule } from './yarax.js';

export async function scanPaths(paths: string[], options: ScanOptions = {}): Promise<ScanReport> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const workers = Math.max(1, Math.floor(options.workers ?? Math.min(2, availableParallelism())));
  const [loaded, walked] = await Promise.all([loadRuleSources(options.rules), walkPaths(paths)]);

  let out: PoolOutput;
  if (walked.files.length === 0) {
    // Nothing to scan: still compile, so rule errors and the count are reported.
    initYarax();
    const compiled = compileRules(loaded.sources);
    compiled.rules.free();
    out = { files: [], skipped: [], ruleErrors: compiled.errors, ruleCount: compiled.ruleCount };
  } else {
    out = await runPool(walked.files, {
      size: workers,
      module: yaraxModule(),
      sources: loaded.sources,
      maxFileSize,
      timeoutMs,
    });
  }

  const files = out.files.sort((a, b) => cmp(a.path, b.path));
  return {
    files,
    skipped: [...walked.skipped, ...out.skipped].sort((a: Skipped, b: Skipped) => cmp(a.path, b.path)),
    ruleErrors: [...loaded.errors, ...out.ruleErrors],
    ruleCount: out.ruleCount,
    bytes: files.reduce((n, f) => n + f.size, 0),
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
