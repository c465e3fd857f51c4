/**
 * The entity view: per device, every finding in time order and one combined severity, so a device
 * with scanning + C2 + a malware hit ranks above a device with one of them. A finding's devices are its
 * Host entities and its internal (non-routable) IP entities — the remote side of a connection (a C2, a
 * scanned host) is context, not the device — else its first entity. Devices that share a finding
 * (Host cpe-gw-17 and IP 10.20.0.17 in one Defender row) merge; a file finding joins the device whose
 * finding names the same hash.
 */
import type { Entity, Finding } from './findings.js';
import { isRoutableIp } from '../intel/list-values.js';
import { SEVERITY_ORDER, type Severity } from './model.js';

export interface DeviceView {
  /** `Host:cpe-gw-17`, `IP:10.20.0.17`, … every name the device goes by. */
  names: string[];
  severity: Severity;
  score: number;
  hunts: string[];
  findings: Finding[];
}

/** Weights per distinct hunt: one critical outweighs two highs; breadth still counts. */
const WEIGHT: Record<Severity, number> = { critical: 40, high: 20, medium: 8, low: 3, informational: 1 };

const name = (e: Entity) => `${e.type}:${e.value}`;
const isDevice = (e: Entity) =>
  e.type === 'Host' || (e.type === 'IP' && !isRoutableIp(e.value)) || e.type === 'File';

/** The hunts behind a finding: every member of a merged incident, else the finding's own. */
const huntsOf = (f: Finding) => f.hunts ?? [{ huntId: f.huntId, severity: f.severity }];

function deviceNames(finding: Finding): string[] {
  const devices = finding.entities.filter(isDevice);
  return (devices.length ? devices : finding.entities.slice(0, 1)).map(name);
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let root = this.parent.get(x) ?? x;
    if (root !== x) this.parent.set(x, (root = this.find(root)));
    return root;
  }
  union(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/** Combined severity: the worst finding's, raised one level when 3+ distinct hunts of medium or worse agree. */
function combined(findings: Finding[]): Severity {
  const worst = Math.min(...findings.map((f) => SEVERITY_ORDER.indexOf(f.severity)));
  const strong = new Set(
    findings
      .flatMap(huntsOf)
      .filter((h) => SEVERITY_ORDER.indexOf(h.severity) <= 2)
      .map((h) => h.huntId),
  );
  return SEVERITY_ORDER[Math.max(0, worst - (strong.size >= 3 ? 1 : 0))];
}

export function entityView(findings: Finding[]): DeviceView[] {
  const uf = new UnionFind();
  const hashOwner = new Map<string, string>();
  for (const f of findings) {
    const names = deviceNames(f);
    for (const n of names.slice(1)) uf.union(names[0], n);
    for (const e of f.entities)
      if (e.type === 'FileHash' && !names.includes(name(e))) hashOwner.set(e.value.toLowerCase(), names[0]);
  }
  // a file finding (YARA, hash) joins the device on which the same hash was seen
  for (const f of findings)
    for (const e of f.entities) {
      const owner = hashOwner.get(e.value.toLowerCase());
      if (e.type === 'FileHash' && owner) uf.union(owner, deviceNames(f)[0]);
    }
  const groups = new Map<string, { names: Set<string>; findings: Finding[] }>();
  for (const f of findings) {
    const names = deviceNames(f);
    const root = uf.find(names[0]);
    const group = groups.get(root) ?? { names: new Set<string>(), findings: [] };
    names.forEach((n) => group.names.add(n));
    group.findings.push(f);
    groups.set(root, group);
  }
  return [...groups.values()]
    .map((g) => {
      const byHunt = new Map<string, Severity>();
      for (const h of g.findings.flatMap(huntsOf)) {
        const prev = byHunt.get(h.huntId);
        if (!prev || SEVERITY_ORDER.indexOf(h.severity) < SEVERITY_ORDER.indexOf(prev))
          byHunt.set(h.huntId, h.severity);
      }
      const ordered = [...g.findings].sort((a, b) =>
        (a.firstSeen ?? a.time ?? '').localeCompare(b.firstSeen ?? b.time ?? ''),
      );
      return {
        names: [...g.names].sort(),
        severity: combined(g.findings),
        score: [...byHunt.values()].reduce((sum, s) => sum + WEIGHT[s], 0),
        hunts: [...byHunt.keys()].sort(),
        findings: ordered,
      };
    })
    .sort((a, b) => b.score - a.score || a.names[0].localeCompare(b.names[0]));
}
