/** File scanning with YARA-X and digests: the stage's public surface. */
export { scanPaths } from './scanner.js';
export { compileRules, loadRuleSources, bundledRulesDir } from './rules.js';
export type { CompiledRules, RuleSource } from './rules.js';
export { walkPaths } from './walk.js';
export type { WalkResult } from './walk.js';
export { digests } from './hash.js';
export type { Digests } from './hash.js';
export { escapeBytes } from './format.js';
export {
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_TIMEOUT_MS,
  type FileResult,
  type RuleError,
  type RuleMatch,
  type ScanOptions,
  type ScanReport,
  type Skipped,
  type StringMatch,
} from './types.js';
