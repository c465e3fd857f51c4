/** Loads exclusions from YAML files: `exclusions: [ {id, reason, predicate | when, hunts, expires, enabled} ]`. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { contentDir } from '../../util/paths.js';
import type { Exclusion } from './model.js';
import { compilePredicate, ExclusionSyntaxError } from './when.js';

export const bundledExclusionsDir = resolve(contentDir, 'exclusions');

function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (/\.ya?ml$/i.test(name) ? [join(path, name)] : []));
}

function parseExpiry(value: unknown, where: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime()))
    throw new ExclusionSyntaxError(`${where}: expires is not a date: ${JSON.stringify(value)}`);
  return date;
}

export function parseExclusions(text: string, file: string): Exclusion[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ExclusionSyntaxError(`${file}: invalid YAML: ${(err as Error).message}`);
  }
  const entries = (doc as { exclusions?: unknown })?.exclusions;
  if (!Array.isArray(entries))
    throw new ExclusionSyntaxError(`${file}: expected a top-level 'exclusions:' list`);
  return entries.map((raw, i) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const where = `${file}: exclusions[${i}]${typeof e.id === 'string' ? ` (${e.id})` : ''}`;
    for (const key of ['id', 'reason'])
      if (typeof e[key] !== 'string' || !(e[key] as string).trim())
        throw new ExclusionSyntaxError(`${where}: missing '${key}'`);
    return {
      id: String(e.id),
      reason: String(e.reason).trim(),
      predicate: compilePredicate(e.when, e.predicate, where),
      hunts: Array.isArray(e.hunts) ? e.hunts.map(String) : e.hunts === undefined ? [] : [String(e.hunts)],
      expires: parseExpiry(e.expires, where),
      enabled: e.enabled !== false,
      file,
    };
  });
}

/** Every exclusion under the given files/folders; ids must be unique across them. */
export function loadExclusions(paths: string[]): Exclusion[] {
  const all = paths.flatMap(yamlFiles).flatMap((file) => parseExclusions(readFileSync(file, 'utf8'), file));
  const seen = new Map<string, string>();
  for (const e of all) {
    const other = seen.get(e.id);
    if (other) throw new ExclusionSyntaxError(`duplicate exclusion id ${e.id} in ${other} and ${e.file}`);
    seen.set(e.id, e.file);
  }
  return all;
}
