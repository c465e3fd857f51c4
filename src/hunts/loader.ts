/** Loads hunts from Sentinel hunting-query YAML files (content/hunts/ plus user folders). */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse } from 'yaml';
import { contentDir } from '../util/paths.js';
import { walkPathsSync } from '../util/walk.js';
import type { EntityMapping, Hunt, IndicatorListBinding, Severity } from './model.js';
import { SEVERITY_ORDER } from './model.js';
import { timespanMs } from './lookback.js';

export const bundledHuntsDir = resolve(contentDir, 'hunts');

export class HuntLoadError extends Error {}

/**
 * The YAML files under the given paths, through the one walker (a symlink loop is skipped, not a crash).
 * Links are followed: a hunt folder is configuration, and a shared pack linked in is common. A named
 * file is taken whatever its extension; a named path that yields no YAML is an error.
 */
function yamlFiles(path: string): string[] {
  const walked = walkPathsSync([path], { followLinks: true });
  const lost = walked.skipped.find((s) => s.incomplete);
  if (lost) throw new HuntLoadError(`${lost.path}: ${lost.reason}`);
  const files = walked.files.filter((file) => file === path || /\.ya?ml$/i.test(file));
  if (files.length === 0) throw new HuntLoadError(`${path}: no hunt YAML file (.yaml, .yml) in this folder`);
  return files;
}

function asStringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** `var: [types]` (short form) or `var: { types, threatTypes, as }`. */
function indicatorBinding(variable: string, spec: unknown, file: string): IndicatorListBinding {
  if (Array.isArray(spec)) return { variable, types: asStringList(spec) };
  const s = (spec ?? {}) as Record<string, unknown>;
  const as = s.as === undefined ? 'list' : String(s.as);
  if (as !== 'list' && as !== 'subdomain-regex')
    throw new HuntLoadError(`${file}: indicatorLists.${variable}.as must be list or subdomain-regex`);
  return { variable, types: asStringList(s.types), threatTypes: asStringList(s.threatTypes), as };
}

function frequency(value: unknown, file: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = timespanMs(String(value));
  if (ms === null || ms <= 0)
    throw new HuntLoadError(`${file}: x-telltale.queryFrequency is not a timespan (1h, 1d…)`);
  return ms;
}

export function parseHunt(text: string, file: string): Hunt {
  let doc: Record<string, any>;
  try {
    doc = parse(text) as Record<string, any>;
  } catch (err) {
    throw new HuntLoadError(`${file}: invalid YAML: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object') throw new HuntLoadError(`${file}: not a YAML mapping`);
  for (const key of ['id', 'name', 'query'])
    if (typeof doc[key] !== 'string' || doc[key].trim() === '')
      throw new HuntLoadError(`${file}: missing required key '${key}'`);
  const extra = (doc['x-telltale'] ?? {}) as Record<string, any>;
  const severity = String(extra.severity ?? doc.severity ?? 'medium').toLowerCase() as Severity;
  if (!SEVERITY_ORDER.includes(severity)) throw new HuntLoadError(`${file}: unknown severity '${severity}'`);
  const indicatorLists = Object.entries((extra.indicatorLists ?? {}) as Record<string, unknown>).map(
    ([variable, spec]) => indicatorBinding(variable, spec, file),
  );
  const requiredTables = asStringList(
    (doc.requiredDataConnectors ?? []).flatMap((c: { dataTypes?: string[] }) => c.dataTypes ?? []),
  );
  return {
    id: doc.id,
    key: basename(file).replace(/\.ya?ml$/i, ''),
    name: doc.name,
    description: String(doc.description ?? '').trim(),
    severity,
    tactics: asStringList(doc.tactics),
    relevantTechniques: asStringList(doc.relevantTechniques),
    requiredTables,
    query: doc.query,
    entityMappings: (doc.entityMappings ?? []) as EntityMapping[],
    indicatorLists,
    severityColumn: typeof extra.severityColumn === 'string' ? extra.severityColumn : undefined,
    groupBy: asStringList(extra.groupBy),
    // a scheduled analytics rule runs every queryFrequency in Sentinel: replayed the same way here
    queryFrequencyMs: frequency(
      extra.queryFrequency ?? (doc.kind === 'Scheduled' ? doc.queryFrequency : undefined),
      file,
    ),
    view: extra.view === true,
    labelResearchScanners: extra.labelResearchScanners === true,
    file,
  };
}

/** Loads every hunt under the given files/folders; a bad file fails loudly with its name. */
export function loadHunts(paths: string[] = [bundledHuntsDir]): Hunt[] {
  const hunts = paths.flatMap(yamlFiles).map((file) => parseHunt(readFileSync(file, 'utf8'), file));
  const seen = new Map<string, string>();
  for (const hunt of hunts)
    for (const id of [hunt.id, hunt.key]) {
      const other = seen.get(id);
      if (other) throw new HuntLoadError(`duplicate hunt id ${id} in ${other} and ${hunt.file}`);
      seen.set(id, hunt.file);
    }
  return hunts;
}
