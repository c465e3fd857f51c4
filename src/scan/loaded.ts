/** What either YARA-X build gives once the rules are compiled (engines.ts picks the build). */
import type { YxMatch } from './format.js';
import type { RuleSource } from './rules.js';
import type { RuleError } from './types.js';

/** Scans one object at a time with the compiled rules. */
export interface RuleScanner {
  /** Throws on engine errors (a wasm trap: WebAssembly.RuntimeError). */
  scan(data: Uint8Array, globals?: Record<string, string>): YxMatch[];
  free(): void;
}

export interface LoadedRules {
  scanner: RuleScanner;
  /** Sources that compiled, in order. */
  accepted: RuleSource[];
  errors: RuleError[];
  ruleCount: number;
}
