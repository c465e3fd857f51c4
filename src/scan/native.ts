/**
 * The native YARA-X engine: YARA-X 1.20.0 (the same version as the WebAssembly build) compiled into a
 * prebuilt N-API addon, `@litko/yara-x-linux-x64-gnu` (optional dependency: Linux x64, glibc). Loaded
 * with `require`, as the package ships only the `.node` file. Anything that stops it from loading
 * (another OS or CPU, a failed install) is returned as a reason, and the caller falls back to WASM.
 */
import { createRequire } from 'node:module';
import type { LoadedRules, RuleScanner } from './loaded.js';
import { EXTERNALS } from './externals.js';
import type { YxMatch } from './format.js';
import { originLines } from './includes.js';
import { outline } from './outline.js';
import type { RuleSource } from './rules.js';
import type { RuleError } from './types.js';

export const NATIVE_PACKAGE = '@litko/yara-x-linux-x64-gnu';

interface NativeDiagnostic {
  code: string;
  message: string;
}

interface NativeMatch {
  ruleIdentifier: string;
  namespace: string;
  meta: Record<string, unknown>;
  tags: string[];
  matches: { identifier: string; offset: number; length: number }[];
}

/** Compiled rules plus their scanner (the addon keeps one scanner per instance). */
export interface NativeRules {
  defineVariable(name: string, value: string): void;
  addRuleSources(sources: { namespace: string; source: string }[]): void;
  scan(data: Buffer, variables?: Record<string, string>): NativeMatch[];
}

interface NativeModule {
  create(): NativeRules;
  validate(
    source: string,
    options?: { defineVariables?: Record<string, string> },
  ): { errors: NativeDiagnostic[]; warnings: NativeDiagnostic[] };
}

let loaded: NativeModule | { reason: string } | undefined;
let probed = false;

/** The addon as `require` gives it, or why it did not load. Loaded once per process. */
export function requireNative(): NativeModule | { reason: string } {
  if (!loaded) {
    try {
      loaded = createRequire(import.meta.url)(NATIVE_PACKAGE) as NativeModule;
    } catch (e) {
      loaded = unusable(e);
    }
  }
  return loaded;
}

/**
 * The addon, checked with a probe compile, or why it cannot be used here: what the engine choice asks.
 * Worker processes skip the probe (requireNative: ~10 ms of CPU each): the parent made it before
 * choosing the native engine.
 */
export function loadNative(): NativeModule | { reason: string } {
  const mod = requireNative();
  if (!('reason' in mod) && !probed) {
    try {
      mod.validate('rule probe { condition: true }');
      probed = true;
    } catch (e) {
      loaded = unusable(e);
    }
  }
  return loaded!;
}

function unusable(e: unknown): { reason: string } {
  const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return { reason: `${NATIVE_PACKAGE} did not load (${process.platform}-${process.arch}): ${msg}` };
}

function nativeModule(): NativeModule {
  const mod = requireNative();
  if ('reason' in mod) throw new Error(mod.reason);
  return mod;
}

const EMPTY_EXTERNALS = Object.fromEntries(EXTERNALS.map((n) => [n, '']));

export interface NativeCompiled {
  rules: NativeRules;
  accepted: RuleSource[];
  errors: RuleError[];
  ruleCount: number;
}

/**
 * One namespace per source, as the WASM path does. All sources are compiled together first; only if
 * that fails is each one validated on its own (YARA-X's own diagnostics, line:col and caret), so a
 * rejected file is reported and the others still compile. Compiling is the slow part (~10 ms per small
 * file), so the common case compiles once.
 */
export function compileNative(sources: RuleSource[]): NativeCompiled {
  const mod = nativeModule();
  const errors: RuleError[] = [];
  let accepted = sources;
  let rules = build(mod, accepted);
  if (!rules) {
    accepted = [];
    for (const src of sources) {
      const check = mod.validate(src.text, { defineVariables: EMPTY_EXTERNALS });
      if (check.errors.length === 0) accepted.push(src);
      else {
        const message = check.errors.map((e) => e.message).join('\n');
        errors.push({ file: src.file, message: originLines(message, src) });
      }
    }
    rules = build(mod, accepted);
    if (!rules) throw new Error('native YARA-X rejected sources that each validate on their own');
  }
  const ruleCount = accepted.reduce((n, s) => n + outline(s.text).rules.length, 0);
  return { rules, accepted, errors, ruleCount };
}

/** Compiled rules behind the engines' common scanner interface. */
export function nativeRules(sources: RuleSource[]): LoadedRules {
  const { rules, ...rest } = compileNative(sources);
  const scanner: RuleScanner = {
    scan: (data, globals) => nativeMatches(rules.scan(asBuffer(data), globals)),
    free: () => undefined,
  };
  return { scanner, ...rest };
}

/** Rules with the externals defined and one namespace per source, or undefined if one fails. */
function build(mod: NativeModule, sources: RuleSource[]): NativeRules | undefined {
  const rules = mod.create();
  for (const name of EXTERNALS) rules.defineVariable(name, '');
  try {
    rules.addRuleSources(sources.map((s) => ({ namespace: s.namespace, source: s.text })));
    return rules;
  } catch {
    return undefined;
  }
}

/** The addon's result in the WASM build's shape (patterns grouped, metadata as a list), for format.ts. */
export function nativeMatches(found: NativeMatch[]): YxMatch[] {
  return found.map((m) => {
    const patterns = new Map<string, { offset: number; length: number }[]>();
    for (const { identifier, offset, length } of m.matches) {
      const list = patterns.get(identifier) ?? [];
      list.push({ offset, length });
      patterns.set(identifier, list);
    }
    return {
      identifier: m.ruleIdentifier,
      namespace: m.namespace,
      tags: m.tags,
      metadata: Object.entries(m.meta).map(([identifier, value]) => ({ identifier, value })),
      patterns: [...patterns].map(([identifier, matches]) => ({ identifier, matches })),
    };
  });
}

/** A Buffer over the same bytes (no copy): the addon takes Buffers. */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
