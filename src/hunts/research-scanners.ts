/**
 * Known research scanners (Shodan, Censys, Shadowserver, Rapid7, CIRCL, Internet Cleanup… from the
 * bundled MISP warning lists in content/warninglists/) are labelled as such rather than reported as
 * Mirai: a scanning finding whose source is on one of those lists becomes informational, titled with
 * the list's name. Only hunts that opt in (`x-telltale.labelResearchScanners`) are relabelled.
 */
import { loadWarninglists, type Warninglist } from '../intel/warninglists.js';
import type { Finding } from './findings.js';

let scannerLists: Warninglist[] | undefined;

function lists(): Warninglist[] {
  // the user's allow lists say "benign", not "research scanner": only the bundled MISP scanner lists
  scannerLists ??= loadWarninglists([], { userDir: '/nonexistent' }).filter((l) => /scann/i.test(l.name));
  return scannerLists;
}

export function labelResearchScanners(findings: Finding[]): Finding[] {
  return findings.map((f) => {
    const names = f.entities
      .filter((e) => e.type === 'IP')
      .flatMap((e) =>
        lists()
          .filter((l) => l.matches(e.value.includes(':') ? 'ipv6' : 'ipv4', e.value))
          .map((l) => l.name),
      );
    if (names.length === 0) return f;
    return {
      ...f,
      severity: 'informational',
      title: `Known research scanner (${[...new Set(names)].join('; ')}): ${f.title}`,
      labels: ['research-scanner'],
    };
  });
}
