/**
 * `telltale rules show`: what a rule set holds, per file — its outline (rules, tags, meta, patterns,
 * conditions) and what YARA-X says when compiling it alone: errors with line:col, performance warnings.
 */
import { outline, type SourceOutline } from './outline.js';
import { compileRules, loadRuleSources } from './rules.js';
import type { RuleError } from './types.js';
import { initYarax } from './yarax.js';

export interface RuleFileDescription extends SourceOutline {
  file: string;
  namespace: string;
  errors: string[];
  warnings: string[];
}

export async function describeRules(
  paths: string[],
): Promise<{ files: RuleFileDescription[]; loadErrors: RuleError[] }> {
  initYarax();
  const { sources, errors } = await loadRuleSources(paths, { bundled: false });
  const files = sources.map((src) => {
    const compiled = compileRules([src]);
    compiled.rules.free();
    return {
      file: src.file,
      namespace: src.namespace,
      ...outline(src.text),
      errors: compiled.errors.map((e) => e.message),
      warnings: compiled.warnings.map((w) => w.message),
    };
  });
  return { files, loadErrors: errors };
}
