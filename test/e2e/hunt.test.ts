// The walking skeleton end to end: `telltale hunt examples/incident` finds exactly the seeds' incident.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hunt, type Finding } from '../../src/index.js';
import { repoRoot, telltale } from '../helpers.js';

const INCIDENT = 'examples/incident';
const byHunt = (findings: Finding[], id: string) => findings.filter((f) => f.huntId === id);
const sources = (f: Finding) => f.evidence.map((row) => String(row._Source));

/** Line numbers (1-based) of the lines in a file that contain `needle`. */
function linesWith(file: string, needle: string): number[] {
  return readFileSync(`${repoRoot}/${file}`, 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
}

describe('telltale hunt examples/incident', () => {
  let findings: Finding[];
  let result: Awaited<ReturnType<typeof hunt>>;

  beforeAll(async () => {
    process.chdir(repoRoot);
    result = await hunt([INCIDENT], { now: new Date('2026-05-22T00:00:00Z') });
    findings = result.huntFindings;
  });

  it('runs every hunt without error and accounts for every log line', () => {
    expect(result.errors).toEqual([]);
    expect(result.huntRuns.map((r) => r.hunt.key).sort()).toEqual([
      'mirai-c2-beaconing',
      'mirai-ddos-participation',
      'mirai-inbound-scan',
      'mirai-indicator-domains-dns',
      'mirai-indicator-hits-commonsecuritylog',
      'mirai-indicator-hits-devicenetworkevents',
      'mirai-port-spike',
      'mirai-sequential-crawl',
      'mirai-telnet-bruteforce',
      'mirai-tr069-file-hashes',
      'mirai-worm-propagation',
      'mirai-worm-propagation-devicenetworkevents',
      'network-horizontal-address-scan',
      'network-vertical-port-scan',
      'threatfox-mirai-c2-commonsecuritylog',
      'threatfox-mirai-c2-devicenetworkevents',
      'threatfox-mirai-dns',
    ]);
    for (const ledger of result.ledgers) {
      expect(ledger.rejected, ledger.file).toEqual([]);
      expect(ledger.read).toBe(ledger.ingested);
    }
    const formats = Object.fromEntries(
      result.ledgers.map((l) => [l.file.replace(`${INCIDENT}/`, ''), l.ingested]),
    );
    expect(formats['firewall/edge-fw.cef.log']).toBe(243);
    expect(formats['defender/DeviceNetworkEvents.json']).toBe(121);
    expect(formats['defender/DeviceFileEvents.csv']).toBe(41);
    expect(formats['dns/DnsEvents.ndjson']).toBe(152);
    expect(formats['zeek/conn.log']).toBe(190);
  });

  it('finds the C2 176.65.139.7 in CommonSecurityLog with the CEF lines as evidence', () => {
    const hits = byHunt(findings, 'threatfox-mirai-c2-commonsecuritylog');
    const cefLines = linesWith(`${INCIDENT}/firewall/edge-fw.cef.log`, 'dst=176.65.139.7 ').concat(
      linesWith(`${INCIDENT}/firewall/edge-fw.cef.log`, 'src=176.65.139.7 '),
    );
    expect(cefLines).toHaveLength(3);
    const cefSources = hits.flatMap(sources).filter((s) => s.includes('edge-fw.cef.log'));
    expect(cefSources.sort()).toEqual(
      cefLines.map((n) => `${INCIDENT}/firewall/edge-fw.cef.log:${n}`).sort(),
    );
    const outbound = hits.flatMap((f) => f.evidence).filter((r) => r.DestinationIP === '176.65.139.7');
    expect(outbound.map((r) => r.DestinationPort)).toEqual([3778, 3778]);
    expect(outbound.map((r) => r.DeviceAction).sort()).toEqual(['accept', 'deny']);
    for (const f of hits) expect(f.severity).toBe('high');
  });

  it('finds the C2 in DeviceNetworkEvents from the Defender export', () => {
    const [hit, ...rest] = byHunt(findings, 'threatfox-mirai-c2-devicenetworkevents');
    expect(rest).toEqual([]);
    expect(hit.evidence).toHaveLength(1);
    expect(hit.evidence[0]).toMatchObject({
      DeviceName: 'cpe-gw-17',
      RemoteIP: '176.65.139.7',
      RemotePort: 3778,
      InitiatingProcessFileName: 'mirai.arm7',
      ActionType: 'ConnectionSuccess',
    });
    expect(String(hit.evidence[0]._Source)).toMatch(
      /^examples\/incident\/defender\/DeviceNetworkEvents\.json:\d+$/,
    );
    expect(hit.entities).toContainEqual({ type: 'Host', identifier: 'HostName', value: 'cpe-gw-17' });
  });

  it('finds DNS queries for tvt.miraibotnet.su and its subdomain, and not the look-alikes', () => {
    const names = byHunt(findings, 'threatfox-mirai-dns')
      .flatMap((f) => f.evidence)
      .map((r) => r.Name)
      .sort();
    expect(names).toEqual(['dl.tvt.miraibotnet.su', 'tvt.miraibotnet.su']);
    const dnsSources = byHunt(findings, 'threatfox-mirai-dns').flatMap(sources);
    const expected = [
      ...linesWith(`${INCIDENT}/dns/DnsEvents.ndjson`, '"Name":"tvt.miraibotnet.su"'),
      ...linesWith(`${INCIDENT}/dns/DnsEvents.ndjson`, '"Name":"dl.tvt.miraibotnet.su"'),
    ].map((n) => `${INCIDENT}/dns/DnsEvents.ndjson:${n}`);
    expect(dnsSources.sort()).toEqual(expected.sort());
  });

  it("finds the file event whose SHA256 is one of seed 003's hashes", () => {
    const [hit, ...rest] = byHunt(findings, 'mirai-tr069-file-hashes');
    expect(rest).toEqual([]);
    expect(hit.severity).toBe('critical');
    expect(hit.evidence).toEqual([
      expect.objectContaining({
        DeviceName: 'cpe-gw-17',
        FileName: 'mirai.arm7',
        SHA256: '7e84a8a74e93e567a6e7f781ab5764fe3bbc12c868b89e5c5c79924d5d5742e2',
        _Source: `${INCIDENT}/defender/DeviceFileEvents.csv:${linesWith(`${INCIDENT}/defender/DeviceFileEvents.csv`, '7e84a8a74e93')[0]}`,
      }),
    ]);
  });

  it("reports the YARA hit of seed 000's Mirai_Generic_Arch with the 4 strings, offsets and SHA256", () => {
    const hits = findings.filter((f) => f.huntId.startsWith('yara/'));
    expect(hits).toHaveLength(1);
    const [hit] = hits;
    expect(hit.huntId).toMatch(/\/Mirai_Generic_Arch$/);
    const sha256 = createHash('sha256')
      .update(readFileSync(`${repoRoot}/${INCIDENT}/files/mirai.arm7`))
      .digest('hex');
    expect(hit.entities).toContainEqual({ type: 'FileHash', identifier: 'SHA256', value: sha256 });
    expect(hit.entities).toContainEqual({
      type: 'File',
      identifier: 'Path',
      value: `${INCIDENT}/files/mirai.arm7`,
    });
    expect(hit.evidence.map((r) => [r.string, r.offset])).toEqual([
      ['$miname', 0x400],
      ['$iptables1', 0x600],
      ['$iptables2', 0x800],
      ['$procnet', 0xa00],
    ]);
  });

  it('port-aware: the C2 endpoint is critical, the same IP on another port a separate medium finding', () => {
    const hits = byHunt(findings, 'mirai-indicator-hits-commonsecuritylog');
    expect(hits.map((f) => [f.severity, f.count, f.evidence.map((r) => r.MatchKind)])).toEqual([
      ['critical', 2, ['ip:port', 'ip:port']],
      ['medium', 1, ['ip:port indicator on another port']],
    ]);
    expect(hits[1].evidence[0]).toMatchObject({
      SourceIP: '176.65.139.7',
      DestinationPort: 7547,
      Indicator: '176.65.139.7',
    });
    const [dne, ...more] = byHunt(findings, 'mirai-indicator-hits-devicenetworkevents');
    expect(more).toEqual([]);
    expect(dne).toMatchObject({ severity: 'critical', count: 1 });
    expect(
      byHunt(findings, 'mirai-indicator-domains-dns')
        .flatMap((f) => f.evidence.map((r) => r.Name))
        .sort(),
    ).toEqual(['dl.tvt.miraibotnet.su', 'tvt.miraibotnet.su']);
  });

  it('finds the worm scan: cpe-gw-17 knocks on 7547 and 23 of 20 external hosts each within 8 minutes', () => {
    const [worm, ...rest] = byHunt(findings, 'mirai-worm-propagation');
    expect(rest).toEqual([]);
    expect(worm.entities).toEqual([{ type: 'IP', identifier: 'Address', value: '10.20.0.17' }]);
    expect(worm.evidence.map((r) => [r.DstPortNumber, r.Hosts, r.Attempts])).toEqual([
      [7547, 20, 20],
      [23, 20, 20],
    ]);
    expect(worm.firstSeen).toBe('2026-05-21T12:01:40.000Z');
    expect(worm.lastSeen).toBe('2026-05-21T12:09:28.000Z');
    expect(
      worm.evidence
        .flatMap((r) => r._Source as string[])
        .every((s) => s.startsWith(`${INCIDENT}/zeek/conn.log:`)),
    ).toBe(true);
  });

  it('ranks cpe-gw-17 first in the entity view, by name and address', () => {
    const [top] = result.devices;
    expect(top.names).toEqual(['Host:cpe-gw-17', 'IP:10.20.0.17']);
    expect(top.severity).toBe('critical');
    expect(top.hunts).toContain('mirai-worm-propagation');
  });

  it('reports one finding per incident, naming every hunt that saw it', () => {
    const incidents = result.findings;
    const c2 = incidents.filter((f) => f.entities.some((e) => e.value === '176.65.139.7'));
    // the seed queries, their port-aware twins, the firewall line and the Defender row of one C2 contact
    expect(c2).toHaveLength(1);
    expect(c2[0].severity).toBe('critical');
    expect(c2[0].hunts?.map((h) => `${h.huntId}:${h.severity}`).sort()).toEqual([
      'mirai-indicator-hits-commonsecuritylog:critical',
      'mirai-indicator-hits-commonsecuritylog:medium',
      'mirai-indicator-hits-devicenetworkevents:critical',
      'threatfox-mirai-c2-commonsecuritylog:high',
      'threatfox-mirai-c2-commonsecuritylog:high',
      'threatfox-mirai-c2-devicenetworkevents:high',
    ]);
    expect(c2[0].evidence.map((r) => String(r._Source).replace(`${INCIDENT}/`, '')).sort()).toEqual([
      'defender/DeviceNetworkEvents.json:842',
      'firewall/edge-fw.cef.log:121',
      'firewall/edge-fw.cef.log:151',
      'firewall/edge-fw.cef.log:161',
    ]);
    // every hunt finding is in exactly one incident; distinct incidents stay apart (two domains, the scan)
    expect(incidents.reduce((n, f) => n + (f.hunts?.length ?? 0), 0)).toBe(result.huntFindings.length);
    expect(incidents.map((f) => f.huntId).sort()).toEqual([
      'mirai-indicator-domains-dns',
      'mirai-indicator-domains-dns',
      'mirai-indicator-hits-commonsecuritylog',
      'mirai-tr069-file-hashes',
      'mirai-worm-propagation',
      'yara/mirai_tr069/Mirai_Generic_Arch',
    ]);
  });

  it('raises nothing on the near misses', () => {
    const text = JSON.stringify(findings);
    for (const nearMiss of [
      '176.65.139.70',
      'miraibotnet.su.example.com',
      'nottvt.miraibotnet.su.example',
      'busybox-config.bin',
    ])
      expect(text).not.toContain(nearMiss);
    // seed hunts: CSL (2) + DNE 1 + DNS 2 + hash 1 + YARA 1; hunt pack: port-aware CSL 2 + DNE 1, DNS 2, worm 1
    expect(findings).toHaveLength(
      byHunt(findings, 'threatfox-mirai-c2-commonsecuritylog').length + 1 + 2 + 1 + 1 + 2 + 1 + 2 + 1,
    );
  });
});

describe('the telltale bin', () => {
  it('hunt prints findings with their sources and exits 1', () => {
    const run = telltale('hunt', INCIDENT);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Mirai_Generic_Arch');
    expect(run.stdout).toContain('176.65.139.7');
    expect(run.stdout).toMatch(/examples\/incident\/firewall\/edge-fw\.cef\.log:\d+/);
    expect(run.stderr).toMatch(/ingest total: \d+ files, read (\d+) = ingested \1 \+ rejected 0/);
    // without --now the clock is the end of the logs: the seed indicators were active then
    expect(run.stderr).toContain('6 findings (2 critical, 4 high), one per incident from 13 hunt findings');
  });

  it('hunt --format json gives the findings and what each hunt read', () => {
    const run = telltale('hunt', INCIDENT, '--format', 'json');
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout) as {
      findings: Finding[];
      coverage: {
        hunt: string;
        read: boolean;
        tables: { table: string; rows: number | null; sources?: Record<string, number> }[];
      }[];
    };
    // one finding per incident: the seed DNS hunt is listed inside the incident it shares with its twin
    const dns = doc.findings.filter((f) => f.hunts?.some((h) => h.huntId === 'threatfox-mirai-dns'));
    expect(dns.map((f) => f.hunts?.map((h) => h.huntId))).toEqual([
      ['mirai-indicator-domains-dns', 'threatfox-mirai-dns'],
      ['mirai-indicator-domains-dns', 'threatfox-mirai-dns'],
    ]);
    // the worm hunt read ASIM sessions from the firewall's CEF and from Zeek; every hunt is accounted for
    const worm = doc.coverage.find((c) => c.hunt === 'mirai-worm-propagation');
    expect(worm?.read).toBe(true);
    expect(Object.keys(worm?.tables[0].sources ?? {}).sort()).toEqual(expect.arrayContaining(['Zeek']));
    expect(worm?.tables[0].rows).toBeGreaterThan(0);
    expect(doc.coverage.length).toBeGreaterThanOrEqual(17);
  });

  it('exits 0 when there is nothing to find (the 3-of-4-strings near miss)', () => {
    const run = telltale('hunt', `${INCIDENT}/files/busybox-config.bin`);
    expect(run.stderr).toContain('0 findings');
    expect(run.status).toBe(0);
  });

  it('kql runs a seed query verbatim and prints its rows as JSON', () => {
    const query = `let malicious_domains = dynamic(["tvt.miraibotnet.su"]);
DnsEvents
| where Name has_any (malicious_domains)
| project TimeGenerated, Computer, Name, IPAddresses, QueryType
| order by TimeGenerated desc`;
    const run = telltale('kql', query, INCIDENT, '--format', 'json');
    expect(run.status).toBe(0);
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => r.Name)).toEqual(['dl.tvt.miraibotnet.su', 'tvt.miraibotnet.su']);
    expect(Object.keys(rows[0]).slice(0, 5)).toEqual([
      'TimeGenerated',
      'Computer',
      'Name',
      'IPAddresses',
      'QueryType',
    ]);
  });

  it("kql with an unknown column prints Kusto's diagnostic with its position", () => {
    const run = telltale('kql', 'DnsEvents\n| where NoSuchColumn == 1', INCIDENT);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/KS142/);
    expect(run.stderr).toMatch(/NoSuchColumn/);
    expect(run.stderr).toMatch(/line 2/);
  });

  it('every command has --help with an example', () => {
    for (const args of [
      ['hunt'],
      ['scan'],
      ['kql'],
      ['ingest'],
      ['intel', 'import'],
      ['intel', 'extract'],
      ['intel', 'list'],
      ['exclusions', 'lint'],
    ]) {
      const run = telltale(...args, '--help');
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.stdout, args.join(' ')).toMatch(/Example:\n\s+\$ telltale /);
    }
  });
});
