/**
 * scanInputs: rules → worker pool started → walk → jobs (files, buffers, processes) → the pool (read +
 * YARA-X + digests + expansion per job) → report in a stable order (walk order, then each job's own
 * order). Native worker processes start first, then get the rules and compile them while the walk
 * runs; the pool's workers report the compile errors and rule count.
 */
import { availableParallelism } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { dismiss, forkWorker } from './channel.js';
import { chooseEngine, compileWith, type EngineName } from './engines.js';
import { startPool, type PoolOutput } from './pool.js';
import type { Job } from './protocol.js';
import { loadRuleSources } from './rules.js';
import { ALL_HASHES } from './hash.js';
import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_MAX_REGION_SIZE,
  DEFAULT_TIMEOUT_MS,
  type ScanInputs,
  type ScanOptions,
  type ScanReport,
} from './types.js';
import { walkPathsSync, type WalkResult } from '../util/walk.js';
import { yaraxModule } from './yarax.js';

export function scanPaths(paths: string[], options: ScanOptions = {}): Promise<ScanReport> {
  return scanInputs({ paths }, options);
}

export async function scanInputs(inputs: ScanInputs, options: ScanOptions = {}): Promise<ScanReport> {
  const workers = Math.max(1, Math.floor(options.workers ?? Math.min(2, availableParallelism())));
  const engine = chooseEngine(options.engine);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const given = (inputs.paths?.length ?? 0) + (inputs.buffers?.length ?? 0) + (inputs.pids?.length ?? 0);
  // Native workers start now, while the rules load and the folders are walked (unless nothing is given).
  const spares = engine === 'native' && given > 0 ? Array.from({ length: workers }, forkWorker) : [];
  try {
    return await scan(inputs, options, { engine, workers, timeoutMs, given }, spares);
  } finally {
    for (const child of spares) dismiss(child); // the ones the pool did not take
  }
}

async function scan(
  inputs: ScanInputs,
  options: ScanOptions,
  {
    engine,
    workers,
    timeoutMs,
    given,
  }: { engine: EngineName; workers: number; timeoutMs: number; given: number },
  spares: ChildProcess[],
): Promise<ScanReport> {
  const loaded = await loadRuleSources(options.rules, { bundled: options.bundledRules });
  // The workers get the rules now and compile them while the folders are walked.
  const pool =
    given > 0
      ? startPool(
          {
            size: workers,
            engine,
            module: engine === 'wasm' ? yaraxModule() : undefined,
            sources: loaded.sources,
            maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
            maxRegionSize: options.maxRegionSize ?? DEFAULT_MAX_REGION_SIZE,
            timeoutMs,
            hashes: options.hashes ?? ['sha256'],
            matchHashes: options.matchHashes ?? [...ALL_HASHES],
            filter: { tags: options.tags, rules: options.ruleNames },
            expand: options.expand ?? true,
            limits: { ...DEFAULT_LIMITS, ...options.limits },
          },
          spares,
        )
      : undefined;
  let walked: WalkResult;
  let jobs: Job[];
  try {
    // The synchronous walk: a tenth of the async one's CPU (no thread-pool hop or promise per lstat),
    // and nothing waits on this thread meanwhile (the workers start in their own processes).
    walked = walkPathsSync(inputs.paths ?? [], options.walk);
    jobs = [
      ...walked.files.map((path, i): Job => ({ kind: 'file', path, size: walked.sizes[i] })),
      ...(inputs.buffers ?? []).map(({ name, data }): Job => ({ kind: 'buffer', name, data })),
      ...(inputs.pids ?? []).map((pid): Job => ({ kind: 'pid', pid })),
    ];
  } catch (e) {
    pool?.close();
    throw e;
  }

  let out: PoolOutput;
  if (!pool || jobs.length === 0) {
    // Nothing to scan: still compile, so rule errors and the count are reported.
    pool?.close();
    const compiled = compileWith(engine, loaded.sources);
    compiled.scanner.free();
    out = { files: [], skipped: [], ruleErrors: compiled.errors, ruleCount: compiled.ruleCount };
  } else {
    out = await pool.run(jobs);
  }

  return {
    files: out.files,
    skipped: [...walked.skipped, ...out.skipped].sort((a, b) => cmp(a.path, b.path)),
    ruleErrors: [...loaded.errors, ...out.ruleErrors],
    ruleCount: out.ruleCount,
    bytes: out.files.reduce((n, f) => n + f.size, 0),
    engine,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
