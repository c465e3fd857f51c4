/**
 * Sightings: which stored indicators a hunt run matched, and how often. The hunts report findings, not
 * indicator ids, so the match is read back from the evidence: every row value equal to an indicator's
 * value is a sighting of it (an ip:port one only when the row also carries its port, or no port at all).
 * Kept structural (no import of hunts/) so intel stays below hunts in the pipeline.
 */
import { indicatorKey, type Indicator } from './model.js';
import { IntelStore } from './store.js';

export interface FindingLike {
  huntId: string;
  evidence: ReadonlyArray<Record<string, unknown>>;
}

export interface Sightings {
  /** indicator key → evidence rows that matched it. */
  counts: Map<string, number>;
  hunts: string[];
}

export function sightingsFromFindings(
  findings: readonly FindingLike[],
  indicators: readonly Indicator[],
): Sightings {
  const byValue = new Map<string, Indicator[]>();
  for (const i of indicators) {
    const v = i.value.toLowerCase();
    byValue.set(v, [...(byValue.get(v) ?? []), i]);
  }
  const counts = new Map<string, number>();
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
      for (const key of hit) counts.set(key, (counts.get(key) ?? 0) + 1);
      if (hit.size) hunts.add(finding.huntId);
    }
  }
  return { counts, hunts: [...hunts].sort() };
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
  options: { now?: Date; includeWarninglisted?: boolean; at?: Date } = {},
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
    const { counts, hunts } = sightingsFromFindings(findings, indicators);
    return counts.size ? await store.recordSightings(counts, at, hunts) : 0;
  } finally {
    store.close();
  }
}
