/**
 * Rule loading: the bundled content/yara/ plus `--rules FILE|DIR` paths, one YARA-X namespace per file.
 * A file YARA-X rejects is reported and left out; the rest still compile. YARA-X's Compiler keeps the
 * failed file's partial state (build() would then throw), so on an error we restart a fresh compiler from
 * the files accepted so far: errors are rare and compiling is cheap (~0.1 s for the real Mirai sets).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { contentDir } from '../util/paths.js';
import { defineExternals } from './externals.js';
import { IncludeError, originLines, spliceIncludes, type LineOrigin } from './includes.js';
import { outline } from './outline.js';
import type { RuleError } from './types.js';
import { Compiler, type Rules } from './yarax.js';

export interface RuleSource {
  file: string;
  namespace: string;
  /** The file's text, its includes spliced in (includes.ts). */
  text: string;
  /** Where each line of `text` comes from, when the file has includes. */
  origins?: LineOrigin[];
}

export interface CompiledRules {
  rules: Rules;
  /** Sources that compiled: hand these to workers so they build the same rules without errors. */
  accepted: RuleSource[];
  errors: RuleError[];
  /** YARA-X's warnings (slow patterns, …), per file. */
  warnings: RuleError[];
  ruleCount: number;
}

export const bundledRulesDir = resolve(contentDir, 'yara');

const RULE_EXT = new Set(['.yar', '.yara']);

/** Rule files under a file or folder, recursively, in sorted (code-unit) order. */
async function ruleFiles(path: string): Promise<string[]> {
  const st = await stat(path);
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => cmp(a.name, b.name));
  for (const e of entries) {
    const full = join(path, e.name);
    if (e.isDirectory()) out.push(...(await ruleFiles(full)));
    else if (RULE_EXT.has(extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Read the bundled rules and the extra paths; unreadable paths become rule errors. */
export async function loadRuleSources(
  extra: string[] = [],
  opts: { bundled?: boolean } = {},
): Promise<{ sources: RuleSource[]; errors: RuleError[] }> {
  const roots = [...(opts.bundled === false ? [] : [bundledRulesDir]), ...extra.map((p) => resolve(p))];
  const sources: RuleSource[] = [];
  const errors: RuleError[] = [];
  const used = new Set<string>();
  for (const root of roots) {
    let files: string[];
    try {
      files = await ruleFiles(root);
    } catch (e) {
      errors.push({ file: root, message: errorText(e) });
      continue;
    }
    const tree = files.length === 1 && files[0] === root ? dirname(root) : root;
    for (const file of files) {
      try {
        const spliced = await spliceIncludes(file, await readFile(file, 'utf8'), tree);
        sources.push({ file, namespace: uniqueNamespace(file, used), ...spliced });
      } catch (e) {
        if (!(e instanceof IncludeError)) errors.push({ file, message: errorText(e) });
        else errors.push({ file, message: e.file === file ? e.message : `${e.file}: ${e.message}` });
      }
    }
  }
  return { sources, errors };
}

/** The file's base name, made unique (`name`, `name_2`, …) so two same-named files don't merge. */
function uniqueNamespace(file: string, used: Set<string>): string {
  const base = basename(file, extname(file));
  let ns = base;
  for (let i = 2; used.has(ns); i++) ns = `${base}_${i}`;
  used.add(ns);
  return ns;
}

/** Compile sources into one Rules object. The caller owns (and must free) `rules`. */
export function compileRules(sources: RuleSource[]): CompiledRules {
  const accepted: RuleSource[] = [];
  const errors: RuleError[] = [];
  const warnings: RuleError[] = [];
  let compiler = newCompiler();
  try {
    for (const src of sources) {
      try {
        const before = compiler.warnings.length;
        compiler.newNamespace(src.namespace);
        compiler.addSource(src.text);
        accepted.push(src);
        for (const message of compiler.warnings.slice(before)) warnings.push({ file: src.file, message });
      } catch (e) {
        const all = compiler.errors;
        const message = all.length > 0 ? all.join('\n') : errorText(e);
        errors.push({ file: src.file, message: originLines(message, src) });
        compiler.free();
        compiler = newCompiler();
        for (const ok of accepted) {
          compiler.newNamespace(ok.namespace);
          compiler.addSource(ok.text);
        }
      }
    }
    const rules = compiler.build();
    const ruleCount = accepted.reduce((n, s) => n + outline(s.text).rules.length, 0);
    return { rules, accepted, errors, warnings, ruleCount };
  } finally {
    compiler.free();
  }
}

/** A compiler with the LOKI/THOR external variables defined (empty until set per object). */
function newCompiler(): Compiler {
  const compiler = new Compiler();
  defineExternals(compiler);
  return compiler;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
