/** Messages between the pool (main thread) and scan workers. */
import type { FileOutcome } from './file.js';
import type { RuleSource } from './rules.js';
import type { RuleError } from './types.js';

export interface WorkerInit {
  module: WebAssembly.Module;
  sources: RuleSource[];
  maxFileSize: number;
  /** Int32 [0] = id+1 of the job being scanned (0 = idle); Float64 [1] = its start time (Date.now()). */
  state: SharedArrayBuffer;
}

export type ToWorker = { id: number; path: string } | { stop: true };

export type FromWorker =
  { ready: true; errors: RuleError[]; ruleCount: number } | ({ id: number } & FileOutcome);

export const STATE_BYTES = 16;
