/** Public shapes of a file scan. Kept apart so the worker, the pool and callers share one definition. */

export interface StringMatch {
  identifier: string;
  offset: number;
  length: number;
  /** Matched bytes, printable ASCII with \xNN escapes, capped at 64 bytes. */
  data: string;
}

export interface RuleMatch {
  rule: string;
  namespace: string;
  tags: string[];
  meta: Record<string, string | number | boolean>;
  strings: StringMatch[];
}

export interface FileResult {
  path: string;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  matches: RuleMatch[];
}

export interface Skipped {
  path: string;
  reason: string;
}

export interface RuleError {
  file: string;
  message: string;
}

export interface ScanOptions {
  /** Extra rule files or folders (.yar/.yara, recursive), compiled after the bundled ones. */
  rules?: string[];
  /** Files above this size are skipped; default 256 MiB. */
  maxFileSize?: number;
  /** Per-file limit for read + hash + scan; default 30000 ms. */
  timeoutMs?: number;
  /** Worker threads; default min(2, os.availableParallelism()). */
  workers?: number;
}

export interface ScanReport {
  files: FileResult[];
  skipped: Skipped[];
  ruleErrors: RuleError[];
  ruleCount: number;
  /** Bytes read and scanned (sum of FileResult.size). */
  bytes: number;
}

export const DEFAULT_MAX_FILE_SIZE = 256 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
