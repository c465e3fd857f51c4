// Sentinel's own ASIM rules for network behaviour and threat-intel matching (../shared/data/kql/asim),
// unchanged, run as hunts (scheduled rules replayed every queryFrequency) on the real captures and on
// examples/incident: what each one finds. docs/hunts.md ("Sentinel's ASIM rules on the same data")
// is this file's table.
import { describe, expect, it } from 'vitest';
import { hunt } from '../../src/index.js';
import { hasShared, repoRoot, sharedData } from '../helpers.js';

const RULES = [
  'PortScan.yaml', // > 50 ports from one public source in 5 min
  'Remote Desktop Network Brute force (ASIM Network Session schema).yaml',
  'PotentialBeaconingActivity.yaml', // DNS beaconing, a day-old window
  'IPEntity_imNetworkSession.yaml', // TI map: sessions to or from an indicator IP (ThreatIntelIndicators)
  'imDns_IPEntity_DnsEvents__Threat-Intelligence.yaml', // TI map: DNS answers that are indicator IPs
  'Sources(Clients)WithHighNumberOfErrors.yaml', // DNS clients with many error responses
];
const ruleFiles = RULES.map((r) => `${sharedData}/kql/asim/${r}`);

/** rule key → flagged entity values, for every rule that flagged anything. */
async function flagged(path: string): Promise<{ flags: Record<string, string[]>; errors: string[] }> {
  const result = await hunt([path], { hunts: ruleFiles });
  const flags: Record<string, string[]> = {};
  const ruleKeys = new Set(result.huntRuns.map((r) => r.hunt.key));
  for (const f of result.huntFindings.filter((x) => ruleKeys.has(x.huntId))) {
    const values = (flags[f.huntId] ??= []);
    for (const e of f.entities) if (!values.includes(e.value)) values.push(e.value);
  }
  for (const list of Object.values(flags)) list.sort();
  return { flags, errors: result.errors };
}

const CASES: [string, string, Record<string, unknown>][] = [
  // the NjRAT C2 flows are internal → external on 1177: no rule here covers C2 without indicators
  ['001 NjRAT', `${sharedData}/zeek/stratosphere/001-zeek-scenario-malicious`, {}],
  // nmap from a private address: PortScan only looks at public sources (by design, its first line)
  ['002 nmap', `${sharedData}/zeek/stratosphere/002-zeek-scenario-port-scanning`, {}],
  // Simda's DGA: its failed lookups make the infected hosts the clients with the most DNS errors
  [
    '005 Simda DGA',
    `${sharedData}/zeek/stratosphere/005-zeek-scenario-malicious`,
    {
      'Sources(Clients)WithHighNumberOfErrors': expect.arrayContaining(['192.168.1.116', '192.168.1.131']),
    },
  ],
  ['slips vertical scan (private source)', `${sharedData}/zeek/slips/port-scans/vertical`, {}],
  // benign browsing, but one client's NXDOMAIN answers put it in the top-25 error list (a hunting query)
  [
    'slips mixed (benign)',
    `${sharedData}/zeek/slips/test9-mixed-zeek-dir`,
    { 'Sources(Clients)WithHighNumberOfErrors': expect.arrayContaining(['10.0.2.15']) },
  ],
  // the generated incident: the C2 in the firewall, Zeek and Defender sessions and in a DNS answer
  [
    'examples/incident',
    `${repoRoot}/examples/incident`,
    {
      IPEntity_imNetworkSession: expect.arrayContaining(['10.20.0.17', '176.65.139.7']),
      'imDns_IPEntity_DnsEvents__Threat-Intelligence': expect.arrayContaining(['176.65.139.7']),
    },
  ],
];

describe.skipIf(!hasShared)("Sentinel's ASIM rules on the captures", () => {
  for (const [label, path, expected] of CASES)
    it(`${label}: ${Object.keys(expected).join(', ') || 'nothing'}`, { timeout: 300_000 }, async () => {
      const { flags, errors } = await flagged(path);
      expect(errors).toEqual([]);
      expect(flags).toEqual(expected);
    });
});
