/** Public shapes of a scan. Kept apart so the worker, the pool and callers share one definition. */
import type { Skipped, WalkOptions } from '../util/walk.js';

/** The YARA-X builds (engines.ts). */
export type EngineName = 'native' | 'wasm';

/** `auto`: native when it loads, else WASM (said once per process on stderr). */
export type EngineChoice = EngineName | 'auto';

export interface StringMatch {
  identifier: string;
  offset: number;
  length: number;
  /** Matched bytes, printable ASCII with \xNN escapes, capped at 64 bytes. */
  data: string;
  /** Up to 16 bytes either side of the match, as a hex dump line and its ASCII column. */
  context: { offset: number; hex: string; ascii: string };
}

export interface RuleMatch {
  rule: string;
  namespace: string;
  tags: string[];
  meta: Record<string, string | number | boolean>;
  strings: StringMatch[];
}

/** Where a scanned object came from. */
export type ObjectKind = 'file' | 'stdin' | 'member' | 'carved' | 'region';

export interface ProcessRegion {
  pid: number;
  /** The process name (/proc/PID/comm). */
  process: string;
  /** `start-end perms [mapping]`, as in /proc/PID/maps. */
  region: string;
  start: number;
}

export interface FileResult {
  /**
   * The object's name: a path, `-` for stdin, `outer!inner` for archive members and carved objects
   * (`fw.tar.gz!squashfs-root/bin/busybox`, `image.bin!elf@0x1a2000`), `pid:N(name)!0xSTART-0xEND` for
   * a memory region.
   */
  path: string;
  kind: ObjectKind;
  size: number;
  /**
   * All three for an object that matched a rule; for every other object only those requested
   * (ScanOptions.hashes: SHA-256 by default, none when `[]`).
   */
  md5?: string;
  sha1?: string;
  sha256?: string;
  matches: RuleMatch[];
  /** Set for memory regions. */
  memory?: ProcessRegion;
}

export type { Skipped } from '../util/walk.js';

export interface RuleError {
  file: string;
  message: string;
}

export type HashName = 'md5' | 'sha1' | 'sha256';

/** Archive and carving caps (zip bombs, nesting). Each hit is a Skipped item with its reason. */
export interface ExpandLimits {
  /** Nesting of archives and carved objects below the top-level object; default 5. */
  maxDepth: number;
  /** Archive members plus carved objects per top-level object; default 10000. */
  maxEntries: number;
  /** Decompressed / compressed size per member; default 100. */
  maxRatio: number;
  /** Decompressed bytes per top-level object, all levels together; default 1 GiB. */
  maxTotalBytes: number;
}

export interface ScanOptions {
  /** Extra rule files or folders (.yar/.yara, recursive), compiled after the bundled ones. */
  rules?: string[];
  /** Load the bundled content/yara/ rules (default true). */
  bundledRules?: boolean;
  /** Report only matches of rules carrying one of these tags (case-insensitive). */
  tags?: string[];
  /** Report only matches of these rules (`name` or `namespace.name`). */
  ruleNames?: string[];
  /** Objects above this size are skipped; default 256 MiB. */
  maxFileSize?: number;
  /** Per-object limit for read + hash + scan; default 30000 ms. */
  timeoutMs?: number;
  /** Worker threads; default min(2, os.availableParallelism()). */
  workers?: number;
  /**
   * Digests computed for every object; default ['sha256'] (an inventory); `[]` hashes only what matched
   * (SHA-256 is ~a third of a fast rule set's CPU).
   */
  hashes?: HashName[];
  /**
   * Digests an object that matched a rule gets besides `hashes`; default all three (MD5, SHA-1, SHA-256).
   * MD5 of a large match is the slowest of the three (0.4 s for 256 MiB here).
   */
  matchHashes?: HashName[];
  /** Open archives (zip, tar, gzip) and carve ELF binaries and gzip streams out of objects; default true. */
  expand?: boolean;
  limits?: Partial<ExpandLimits>;
  /** Bytes read per memory region; larger regions are cut with a note; default 64 MiB. */
  maxRegionSize?: number;
  /** How folders are walked (links out of the given folders, pseudo file systems). */
  walk?: WalkOptions;
  /** YARA-X build: `native` (N-API addon, child processes), `wasm`, or `auto` (default: TELLTALE_YARA_ENGINE, else native when it loads). */
  engine?: EngineChoice;
}

/** What to scan besides paths. */
export interface ScanInputs {
  paths?: string[];
  /** stdin's bytes (or any buffer) scanned as one object named `name` (default `-`). */
  buffers?: { name: string; data: Uint8Array }[];
  /** Process ids whose memory is scanned (Linux). */
  pids?: number[];
}

export interface ScanReport {
  files: FileResult[];
  skipped: Skipped[];
  ruleErrors: RuleError[];
  ruleCount: number;
  /** Bytes scanned (sum of FileResult.size). */
  bytes: number;
  /** The YARA-X build that scanned. */
  engine: EngineName;
}

export const DEFAULT_MAX_FILE_SIZE = 256 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REGION_SIZE = 64 * 1024 * 1024;
export const DEFAULT_LIMITS: ExpandLimits = {
  maxDepth: 5,
  maxEntries: 10_000,
  maxRatio: 100,
  maxTotalBytes: 1024 * 1024 * 1024,
};
