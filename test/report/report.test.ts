// `telltale report` on the example incident: what an analyst checks in the HTML file and the Markdown brief.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HuntResult } from '../../src/index.js';
import { scratchDir, telltale } from '../helpers.js';
import { buildReport, HOSTILE_HOST, HOSTILE_SCRIPT, INCIDENT_NOW, writeHostileLogs } from './fixture.js';

const scratch = scratchDir('telltale-report');

describe('telltale report examples/incident', () => {
  let html: string;
  let result: HuntResult;

  beforeAll(async () => {
    const out = join(scratch.dir, 'incident.html');
    ({ result } = await buildReport(['examples/incident'], out, { now: INCIDENT_NOW }));
    html = readFileSync(out, 'utf8');
  }, 240_000);

  it('is one self-contained file: no script, nothing fetched', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('ranks the infected gateway first and shows its timeline with file:line sources', () => {
    const first = html.indexOf('class="device"');
    const section = html.slice(first, html.indexOf('</section>', first));
    expect(section).toContain('Host:cpe-gw-17');
    expect(section).toContain('IP:10.20.0.17');
    expect(section).toMatch(/examples\/incident\/firewall\/edge-fw\.cef\.log:\d+/);
    expect(section).toMatch(/examples\/incident\/dns\/DnsEvents\.ndjson:\d+/);
    expect(section).toMatch(/examples\/incident\/defender\/DeviceFileEvents\.csv:\d+/);
    // in time order: the payload DNS query (11:57) before the C2 connection (12:00) before the scan
    const dns = section.indexOf('Name=tvt.miraibotnet.su');
    const c2 = section.indexOf('RemotePort=3778');
    expect(dns).toBeGreaterThan(0);
    expect(c2).toBeGreaterThan(dns);
  });

  it('summarises hunts, sources, time covered and exclusions', () => {
    expect(html).toContain(`${result.huntRuns.length} KQL hunts`);
    expect(html).toContain('2026-05-21 00:0');
    for (const l of result.ledgers) expect(html).toContain(l.file);
    for (const e of result.exclusions) expect(html).toContain(e.exclusion.id);
  });

  it('lists the indicators hit in seed 002 layout, with blocklists for them', () => {
    expect(html).toMatch(/Malware Family:<\/strong> Mirai/);
    expect(html).toContain('176[.]65[.]139[.]7:3778');
    expect(html).toContain('tvt[.]miraibotnet[.]su');
    expect(html).not.toContain('176[.]65[.]139[.]70'); // the near miss is not an IOC hit
    expect(html).toContain('176.65.139.7 . 3778'); // nftables ip·port set
    expect(html).toContain('*.tvt.miraibotnet.su CNAME .'); // RPZ zone: NXDOMAIN for the payload domain
    expect(html).toMatch(/alert ip \$HOME_NET any -&#62; 176\.65\.139\.7 3778/); // suricata rule
  });

  it('shows each hunt as Sentinel would run it, IOC lists bound, with its parameters', () => {
    expect(html).toContain('let malicious_ips = dynamic([&#34;176.65.139.7&#34;');
    expect(html).toMatch(/<td>min_probes<\/td><td class="what">20<\/td>/);
  });

  it('draws the top destination ports per hour as bars, 7547 among them', () => {
    const chart = html.slice(html.indexOf('data-chart="ports-per-hour"'));
    expect(chart).toMatch(/<title>port 7547, 2026-05-21 12:00: \d+ events<\/title>/);
  });
});

describe('telltale report --format md', () => {
  it('writes the brief in the seeds layout, charts as SVG files beside it', async () => {
    const out = join(scratch.dir, 'brief.md');
    const { files } = await buildReport(['examples/incident'], out, { now: INCIDENT_NOW }, 'md');
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('## IOC Summary');
    expect(md).toMatch(/Malware Family: Mirai Total IOCs: \d+ IOC Types: /);
    expect(md).toContain('| Type | Value | Threat Type | First Seen | Confidence |');
    expect(md).toContain('| ip:port | 176[.]65[.]139[.]7:3778 | botnet\\_cc |');
    expect(md).toContain('| Sentinel Table | Notes |');
    expect(md).toContain('Filter/Exclusion:');
    expect(md).toMatch(/```kql\n\/\/ Hunt for network connections to known malicious IPs/);
    const svgs = readdirSync(join(scratch.dir, 'brief-charts'));
    expect(svgs).toContain('ports-per-hour.svg');
    expect(md).toContain('![Top 5 destination ports per hour](brief-charts/ports-per-hour.svg)');
    expect(files).toHaveLength(1 + svgs.length);
    expect(readFileSync(join(scratch.dir, 'brief-charts', 'ports-per-hour.svg'), 'utf8')).toMatch(
      /^<\?xml[^>]*>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
  }, 240_000);
});

describe('hostile log values', () => {
  it('show as text in the HTML and the brief, never as markup or terminal control', async () => {
    const logs = writeHostileLogs(scratchDir('telltale-hostile').dir);
    const out = join(scratch.dir, 'hostile.html');
    await buildReport([logs], out, { now: INCIDENT_NOW });
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain(HOSTILE_HOST);
    expect(html).not.toContain(HOSTILE_SCRIPT);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('&#60;script&#62;alert(2)&#60;/script&#62;');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('\\x1b[31mred\\x1b]0;pwned\\x07');
    const mdOut = join(scratch.dir, 'hostile.md');
    await buildReport([logs], mdOut, { now: INCIDENT_NOW }, 'md');
    const md = readFileSync(mdOut, 'utf8');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<script');
    expect(md).toContain('&#60;img src=x onerror=alert(1)&#62;');
  }, 240_000);
});

describe('telltale hunt --report and telltale report (CLI)', () => {
  it('writes the report and keeps hunt exit codes', () => {
    const out = join(scratch.dir, 'cli.html');
    const r = telltale(
      'report',
      'examples/incident',
      '--out',
      out,
      '--now',
      '2026-05-22T00:00:00Z',
      '--no-intel-db',
    );
    expect(r.stderr).toContain(`report: ${out}`);
    expect(r.status).toBe(1);
    expect(readFileSync(out, 'utf8')).toContain('Host:cpe-gw-17');
  }, 240_000);
});
