/** File scanning with YARA-X and digests: the stage's public surface. */
export { scanInputs, scanPaths } from './scanner.js';
export { scanResultRows, FILE_SCAN_TABLE } from './rows.js';
export { compileRules, loadRuleSources, bundledRulesDir } from './rules.js';
export type { CompiledRules, RuleSource } from './rules.js';
export { walkPaths } from '../util/walk.js';
export { describeRules, type RuleFileDescription } from './describe.js';
export { describePatterns, outline, type RuleOutline, type SourceOutline } from './outline.js';
export { allPids } from './memory.js';
export type { WalkResult, WalkOptions } from '../util/walk.js';
export { digests, someDigests } from './hash.js';
export type { Digests } from './hash.js';
export { escapeBytes } from './format.js';
export { chooseEngine, type EngineChoice, type EngineName } from './engines.js';
export {
  DEFAULT_LIMITS,
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_TIMEOUT_MS,
  type ExpandLimits,
  type FileResult,
  type HashName,
  type ObjectKind,
  type ScanInputs,
  type RuleError,
  type RuleMatch,
  type ScanOptions,
  type ScanReport,
  type Skipped,
  type StringMatch,
} from './types.js';
