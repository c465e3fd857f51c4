/**
 * One finding per incident. Hunts overlap by design: seed 002's verbatim C2 query and Telltale's
 * port-aware twin flag the same firewall line; a Zeek flow and the Defender row of the same connection
 * are two rows of two tables. An analyst wants one line per incident that names every hunt that saw it.
 *
 * Two findings belong to one incident when
 *  - they share an evidence row (the same `_Source` file:line, or the same scanned object), or
 *  - they share at least two entities (an entity pair: device and C2, client and domain) and their
 *    first/last-seen ranges are at most `windowMs` apart (default 5 h: Sentinel's default time frame
 *    for grouping an analytic rule's alerts into one incident).
 * The relation is closed transitively (union-find). A merged finding keeps the worst severity, the
 * worst member's hunt id and title, the union of entities, techniques, labels and evidence (deduplicated
 * by source), and lists every member in `hunts`.
 */
import type { Entity, Finding, HuntHit } from './findings.js';
import { SEVERITY_ORDER } from './model.js';
import { SOURCE_COLUMN } from '../store/schema.js';

/** Sentinel's default alert-grouping time frame for incidents. */
export const INCIDENT_WINDOW_MS = 5 * 3600_000;

/** Entity types that identify what an incident is about (a `Field` entity is only a grouping column). */
const IDENTIFYING = (e: Entity) => e.type !== 'Field';

const entityKey = (e: Entity) => `${e.type}\u0000${e.identifier}\u0000${e.value.toLowerCase()}`;
const valueKey = (e: Entity) => e.value.toLowerCase();

class DisjointSets {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]];
    return i;
  }
  union(a: number, b: number): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    // the lower index (the worse finding, as the input is sorted) stays the root
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Every evidence source a finding names: `file:line`, arrays of them (summarised rows), object paths. */
function evidenceKeys(finding: Finding): string[] {
  return finding.evidence.flatMap((row) => {
    const source = row[SOURCE_COLUMN];
    if (source === null || source === undefined || source === '') return [];
    return (Array.isArray(source) ? source : [source]).map(String);
  });
}

function span(finding: Finding): [number, number] | null {
  const first = Date.parse(finding.firstSeen ?? finding.time ?? '');
  const last = Date.parse(finding.lastSeen ?? finding.time ?? '');
  if (Number.isNaN(first) && Number.isNaN(last)) return null;
  return [Number.isNaN(first) ? last : first, Number.isNaN(last) ? first : last];
}

function listAt<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** Every unordered pair of a finding's identifying entity values. */
function entityPairs(finding: Finding): string[] {
  const values = [...new Set(finding.entities.filter(IDENTIFYING).map(valueKey))].sort();
  const pairs: string[] = [];
  for (let x = 0; x < values.length; x++)
    for (let y = x + 1; y < values.length; y++) pairs.push(`${values[x]}\u0000${values[y]}`);
  return pairs;
}

function hitOf(finding: Finding): HuntHit[] {
  return (
    finding.hunts ?? [
      {
        huntId: finding.huntId,
        title: finding.title,
        severity: finding.severity,
        count: finding.count ?? finding.evidence.length,
      },
    ]
  );
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function minIso(values: (string | null | undefined)[]): string | null {
  const present = values.filter((v): v is string => !!v);
  return present.length ? present.reduce((a, b) => (b < a ? b : a)) : null;
}

function maxIso(values: (string | null | undefined)[]): string | null {
  const present = values.filter((v): v is string => !!v);
  return present.length ? present.reduce((a, b) => (b > a ? b : a)) : null;
}

/** Folds a group (worst finding first) into one finding that lists every hunt that saw it. */
function mergeGroup(group: Finding[]): Finding {
  const [lead] = group;
  const hunts = group
    .flatMap(hitOf)
    .sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
        a.huntId.localeCompare(b.huntId),
    );
  if (group.length === 1) return { ...lead, hunts };
  const evidence = unique(
    group.flatMap((f) => f.evidence),
    (row) => JSON.stringify(row[SOURCE_COLUMN] ?? row),
  );
  const labels = [...new Set(group.flatMap((f) => f.labels ?? []))];
  const techniques = [...new Set(group.flatMap((f) => f.techniques ?? []))];
  const lastSeen = maxIso(group.map((f) => f.lastSeen ?? f.time));
  return {
    ...lead,
    entities: unique(
      group.flatMap((f) => f.entities),
      entityKey,
    ),
    evidence,
    time: lastSeen,
    firstSeen: minIso(group.map((f) => f.firstSeen ?? f.time)),
    lastSeen,
    count: hunts.reduce((n, h) => n + h.count, 0),
    techniques: techniques.length ? techniques : lead.techniques,
    labels: labels.length ? labels : undefined,
    hunts,
  };
}

/**
 * Merges findings (sorted worst first, as the caller prints them) into incidents, keeping that order.
 * Suppressed findings are not passed here: an exclusion decides per hunt.
 */
export function mergeIncidents(findings: Finding[], windowMs = INCIDENT_WINDOW_MS): Finding[] {
  const sets = new DisjointSets(findings.length);
  const bySource = new Map<string, number>();
  findings.forEach((finding, i) => {
    for (const key of evidenceKeys(finding)) {
      const seen = bySource.get(key);
      if (seen === undefined) bySource.set(key, i);
      else sets.union(seen, i);
    }
  });
  // findings sharing an entity pair: sweep each pair's findings in time order, joining ranges that
  // lie within the window of the group so far (linear per pair, never all pairs of findings)
  const byPair = new Map<string, number[]>();
  findings.forEach((finding, i) => {
    for (const pair of entityPairs(finding)) listAt(byPair, pair).push(i);
  });
  for (const members of byPair.values()) {
    const timed = members
      .map((i) => ({ i, range: span(findings[i]) }))
      .filter((m): m is { i: number; range: [number, number] } => m.range !== null)
      .sort((a, b) => a.range[0] - b.range[0]);
    let reach = -Infinity;
    timed.forEach(({ i, range }, k) => {
      if (k > 0 && range[0] - reach <= windowMs) sets.union(timed[k - 1].i, i);
      reach = Math.max(reach, range[1]);
    });
  }
  const groups = new Map<number, Finding[]>();
  findings.forEach((finding, i) => listAt(groups, sets.find(i)).push(finding));
  return [...groups.values()].map(mergeGroup);
}
