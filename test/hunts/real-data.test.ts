// The hunt pack on real captures (../shared/data): what each hunt flags, against the datasets' labels.
// The table in docs/hunts.md ("Evidence on real data") is this file's expectations.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hunt } from '../../src/index.js';
import { hasShared, sharedData } from '../helpers.js';

/** hunt key → flagged entity sets ("src dst"), for every hunt that flagged anything. */
async function flagged(path: string): Promise<{ flags: Record<string, string[]>; errors: string[] }> {
  const result = await hunt([path], { bundled: false });
  const flags: Record<string, string[]> = {};
  for (const f of result.huntFindings)
    (flags[f.huntId] ??= []).push(f.entities.map((e) => e.value).join(' '));
  return { flags, errors: result.errors };
}

const ZEEK: [string, string, Record<string, unknown>][] = [
  // NjRAT: 237 flows labelled "Malicious CC" from 192.168.1.115 to 41.108.179.197:1177, every 9-14 s
  [
    '001 NjRAT (labelled)',
    'zeek/stratosphere/001-zeek-scenario-malicious',
    { 'mirai-c2-beaconing': ['192.168.1.115 41.108.179.197'] },
  ],
  // nmap from 172.16.1.11 sweeps three private networks host by host: a sequential crawl (not worm
  // propagation: the targets are private, and Mirai's scanner skips RFC 1918)
  [
    '002 nmap port scans (2022)',
    'zeek/stratosphere/002-zeek-scenario-port-scanning',
    {
      'mirai-sequential-crawl': ['172.16.1.11'],
      // Zeek's scan.zeek shapes: one sweep per port, and each probed host a vertical scan of its own
      'network-horizontal-address-scan': expect.arrayContaining([expect.stringMatching(/^172\.16\.1\.11 /)]),
      'network-vertical-port-scan': expect.arrayContaining([expect.stringMatching(/^172\.16\.1\.11 /)]),
    },
  ],
  ['005 Simda DGA', 'zeek/stratosphere/005-zeek-scenario-malicious', {}],
  ['slips horizontal scan (port 80)', 'zeek/slips/port-scans/horizontal', {}],
  [
    'slips vertical scan (44 ports, one host)',
    'zeek/slips/port-scans/vertical',
    { 'network-vertical-port-scan': ['192.168.1.9 45.33.32.156'] },
  ],
  ['slips mixed Zeek dir (benign browsing)', 'zeek/slips/test9-mixed-zeek-dir', {}],
];

describe.skipIf(!hasShared)('hunts on real Zeek captures', () => {
  for (const [label, rel, expected] of ZEEK)
    it(`${label}: ${JSON.stringify(expected)}`, async () => {
      const { flags, errors } = await flagged(`${sharedData}/${rel}`);
      expect(errors).toEqual([]);
      expect(flags).toEqual(expected);
    });
});

const SURICATA = `${sharedData}/suricata/test6-malicious.suricata.json`;
const hasReader = existsSync(new URL('../../src/telemetry/suricata.ts', import.meta.url));

describe.skipIf(!hasShared || !hasReader)('hunts on the real Suricata EVE capture', () => {
  // one honeypot (192.168.1.129) scanned by many sources, each on a few ports: no hunt's pattern
  // (inbound scan needs 20 internal hosts, telnet brute force 10 tries from one source, spike a week)
  it('test6-malicious: quiet, and every hunt runs without error', async () => {
    const { flags, errors } = await flagged(SURICATA);
    expect(errors).toEqual([]);
    expect(flags).toEqual({});
  });
});
if (hasShared && !hasReader)
  console.warn('[skip] Suricata EVE hunts: src/telemetry/suricata.ts (the EVE reader) is not there yet');
