/**
 * Sightings: which stored indicators a hunt run matched, and in how many evidence rows (each row once,
 * however many findings or runs show it). The hunts report findings, not
 * indicator ids, so the match is read back from the evidence: every row value equal to an indicator's
 * value is a sighting of it (an ip:port one only when the row also carries its port, or no port at all).
 * Kept structural (no import of hunts/) so intel stays below hunts in the pipeline.
 */
import { basename, normalize } from 'node:path';
import { indicatorKey, type Indicator } from './model.js';
import { IntelStore } from './store.js';

export interface FindingLike {
  huntId: string;
  evidence: ReadonlyArray<Record<string, unknown>>;
}

export interface Sightings {
  /** indicator key → the ids of the evidence rows that matched it (a row in several findings once). */
  rows: Map<string, Set<string>>;
  hunts: string[];
}

/**
 * A `_Source` (`path:line`, `path@offset`, `archive!member:line`) with the named input it was found
 * under cut off: `hunt /data/incident` and `cd /data && hunt incident` (or the folder moved to /backup)
 * both give `firewall/edge-fw.cef.log:12`; a file named alone keeps its base name. The paths are the
 * walker's (`join(root, …)`), so the named input is a plain prefix.
 */
export function relativeSource(source: string, roots: readonly string[]): string {
  for (const given of [...roots].sort((a, b) => b.length - a.length)) {
    const root = normalize(given).replace(/\/+$/, '');
    if (!root || root === '.' || root === '-') continue;
    if (source.startsWith(`${root}/`)) return source.slice(root.length + 1);
    const next = source[root.length];
    if (source.startsWith(root) && (next === ':' || next === '@' || next === '!'))
      return basename(root) + source.slice(root.length);
  }
  return source;
}

/**
 * What an evidence row is known by across runs: its `_Source` (file:line, file@offset, or the lines an
 * aggregate row summarises) relative to the named inputs (`roots`, see relativeSource), else its values
 * in a fixed key order.
 */
export function evidenceRowId(row: Readonly<Record<string, unknown>>, roots: readonly string[] = []): string {
  const source = row._Source;
  const relative = (v: unknown) => (typeof v === 'string' ? relativeSource(v, roots) : v);
  if (source !== undefined && source !== null && source !== '')
    return `src:${JSON.stringify(Array.isArray(source) ? source.map(relative) : relative(source))}`;
  const keys = Object.keys(row).sort();
  return `row:${JSON.stringify(
    keys.map((k) => [k, row[k]]),
    (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
  )}`;
}

export function sightingsFromFindings(
  findings: readonly FindingLike[],
  indicators: readonly Indicator[],
  /** The named inputs of the run: evidence is known by its path under them (relativeSource). */
  roots: readonly string[] = [],
): Sightings {
  const byValue = new Map<string, Indicator[]>();
  for (const i of indicators) {
    const v = i.value.toLowerCase();
    byValue.set(v, [...(byValue.get(v) ?? []), i]);
  }
  const rows = new Map<string, Set<string>>();
  const hunts = new Set<string>();
  for (const finding of findings) {
    for (const row of finding.evidence) {
      const entries = Object.entries(row);
      const ports = new Set(entries.filter(([k]) => /port/i.test(k)).map(([, v]) => Number(v)));
      const hit = new Set<string>();
      for (const [, v] of entries) {
        if (typeof v !== 'string') continue;
        for (const i of byValue.get(v.toLowerCase()) ?? []) {
          if (i.type === 'ip:port' && ports.size > 0 && !ports.has(i.port!)) continue;
          hit.add(indicatorKey(i));
        }
      }
      if (hit.size === 0) continue;
      const id = evidenceRowId(row, roots);
      for (const key of hit) {
        let ids = rows.get(key);
        if (!ids) rows.set(key, (ids = new Set()));
        ids.add(id);
      }
      hunts.add(finding.huntId);
    }
  }
  return { rows, hunts: [...hunts].sort() };
}

/** Every string value of the findings' evidence: the candidates a sighting can be. */
function evidenceValues(findings: readonly FindingLike[]): Set<string> {
  const values = new Set<string>();
  for (const finding of findings)
    for (const row of finding.evidence)
      for (const v of Object.values(row)) if (typeof v === 'string') values.add(v);
  return values;
}

/**
 * What the hunt runner calls after a run: records the matches of `findings` against the indicators of
 * the intel store at `dbPath` that were matchable at `now` — looked up by the evidence's values, so
 * the store is never read whole. Returns how many stored indicators were sighted.
 */
export async function recordSightings(
  dbPath: string,
  findings: readonly FindingLike[],
  options: { now?: Date; includeWarninglisted?: boolean; at?: Date; roots?: readonly string[] } = {},
): Promise<number> {
  const values = evidenceValues(findings);
  if (values.size === 0) return 0;
  const store = await IntelStore.open(dbPath);
  try {
    const at = options.at ?? new Date();
    const indicators = await store.matchableWithValues(
      values,
      options.now ?? at,
      options.includeWarninglisted,
    );
    const { rows, hunts } = sightingsFromFindings(findings, indicators, options.roots);
    return rows.size ? await store.recordSightings(rows, at, hunts) : 0;
  } finally {
    store.close();
  }
}
