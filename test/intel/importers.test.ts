import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importIntelFile, importIntelText } from '../../src/intel/import.js';
import type { Indicator } from '../../src/intel/model.js';
import { parseStixPattern } from '../../src/intel/importers/stix-pattern.js';
import { htmlToText } from '../../src/intel/importers/text.js';
import { hasSeeds, sharedSeeds } from '../helpers.js';

/** 1-based line of the `{` opening the object that holds `needle` (pretty-printed JSON). */
function openLine(text: string, needle: string): number {
  const lines = text.split('\n');
  let k = lines.findIndex((l) => l.includes(needle));
  while (k > 0 && !lines[k]!.trim().startsWith('{')) k--;
  return k + 1;
}
const brief = (list: Indicator[]) => list.map((i) => `${i.type} ${i.value}${i.port ? `:${i.port}` : ''}`);
const dir = mkdtempSync(join(tmpdir(), 'telltale-importers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STIX = JSON.stringify(
  {
    type: 'bundle',
    id: 'bundle--1',
    objects: [
      { type: 'identity', id: 'identity--a', name: 'Example CERT', identity_class: 'organization' },
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--c2',
        created_by_ref: 'identity--a',
        pattern_type: 'stix',
        pattern:
          "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '176.65.139.7' AND network-traffic:dst_port = 3778]",
        valid_from: '2026-05-20T00:00:00Z',
        valid_until: '2026-06-20T00:00:00Z',
        confidence: 80,
        labels: ['mirai', 'c2'],
        indicator_types: ['malicious-activity'],
      },
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--or',
        pattern_type: 'stix',
        pattern:
          "[domain-name:value = 'tvt.miraibotnet.su' OR url:value = 'http://45.9.20.1/bins/mirai.arm7'] AND [file:hashes.'SHA-256' = '7E84A8A74E93E567A6E7F781AB5764FE3BBC12C868B89E5C5C79924D5D5742E2'] WITHIN 300 SECONDS",
        valid_from: '2026-05-20T00:00:00Z',
        revoked: true,
      },
      { type: 'malware', id: 'malware--m', name: 'Mirai', is_family: true, aliases: ['Katana'] },
      {
        type: 'relationship',
        id: 'relationship--r',
        relationship_type: 'indicates',
        source_ref: 'indicator--c2',
        target_ref: 'malware--m',
      },
      {
        type: 'indicator',
        id: 'indicator--bad',
        pattern_type: 'stix',
        pattern: "[process:name = 'x']",
        valid_from: '2026-05-20T00:00:00Z',
      },
      {
        type: 'indicator',
        id: 'indicator--yara',
        pattern_type: 'yara',
        pattern: 'rule x {condition: true}',
        valid_from: '2026-05-20T00:00:00Z',
      },
      { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '185.244.25.10' },
      {
        type: 'observed-data',
        id: 'observed-data--1',
        first_observed: '2026-05-21T00:00:00Z',
        last_observed: '2026-05-21T01:00:00Z',
        number_observed: 3,
        object_refs: ['ipv4-addr--1'],
      },
    ],
  },
  null,
  2,
);

describe('STIX 2.1', () => {
  it('parses AND/OR patterns with qualifiers into a DNF per observation', () => {
    const [first] = parseStixPattern(
      "[a:value = 'x' OR (b:value = 'y' AND c:value IN ('z', 'w'))] START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'",
    );
    expect(first!.map((conj) => conj.map((c) => `${c.object}=${c.values.join('|')}`))).toEqual([
      ['a=x'],
      ['b=y', 'c=z|w'],
    ]);
    expect(() => parseStixPattern("[a:value = 'x'")).toThrow(/expected '\]'/);
  });

  it('imports indicators (ip:port from network-traffic, OR alternatives, validity, confidence, labels, malware) and simple observed-data', () => {
    const r = importIntelText(STIX, 'feed.stix.json');
    expect(r.format).toBe('stix');
    expect(brief(r.indicators)).toEqual([
      'ip:port 176.65.139.7:3778',
      'domain tvt.miraibotnet.su',
      'url http://45.9.20.1/bins/mirai.arm7',
      'sha256 7e84a8a74e93e567a6e7f781ab5764fe3bbc12c868b89e5c5c79924d5d5742e2',
      'ipv4 185.244.25.10',
    ]);
    expect(r.indicators[0]).toMatchObject({
      firstSeen: '2026-05-20T00:00:00.000Z',
      expires: '2026-06-20T00:00:00.000Z',
      confidence: 80,
      tags: ['mirai', 'c2'],
      malware: 'Mirai',
      malwareAliases: ['Katana'],
      source: 'Example CERT',
      reporter: 'Example CERT',
      origin: `feed.stix.json:${openLine(STIX, 'indicator--c2')}`,
    });
    expect(r.indicators[1]).toMatchObject({ revoked: true });
    expect(r.indicators[4]).toMatchObject({
      firstSeen: '2026-05-21T00:00:00.000Z',
      lastSeen: '2026-05-21T01:00:00.000Z',
    });
    expect(r.rejects.map((x) => [x.line, x.reason.replace(/:.*/, '')])).toEqual([
      [openLine(STIX, 'indicator--bad'), 'pattern has no supported equality comparison'],
      [openLine(STIX, 'indicator--yara'), 'pattern_type "yara" is not supported (only stix)'],
    ]);
  });
});

const MISP = JSON.stringify(
  {
    Event: {
      info: 'Mirai TR-069 wave',
      date: '2026-05-20',
      Orgc: { name: 'CIRCL' },
      Tag: [{ name: 'tlp:white' }, { name: 'misp-galaxy:malpedia="Mirai"' }],
      Attribute: [
        {
          type: 'ip-dst|port',
          value: '176.65.139.7|3778',
          to_ids: true,
          category: 'Network activity',
          uuid: 'a1',
        },
        {
          type: 'hostname',
          value: 'tvt.miraibotnet.su',
          to_ids: true,
          comment: 'payload host',
          first_seen: '2026-05-19T10:00:00Z',
        },
        { type: 'ip-src', value: '185.244.25.10', to_ids: false },
        { type: 'text', value: 'free text' },
        { type: 'domain', value: 'deleted.example.su', deleted: true },
        { type: 'ip-dst', value: '45.9.20.0/24' },
        { type: 'link', value: 'https://example.org/report' },
      ],
      Object: [
        {
          name: 'file',
          Attribute: [
            {
              type: 'filename|sha256',
              value: 'mirai.arm7|5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc',
              to_ids: true,
            },
          ],
        },
      ],
    },
  },
  null,
  2,
);

describe('MISP', () => {
  it('imports event attributes and object attributes with tags, to_ids and provenance', () => {
    const r = importIntelText(MISP, 'event.json');
    expect(r.format).toBe('misp');
    expect(brief(r.indicators)).toEqual([
      'ip:port 176.65.139.7:3778',
      'domain tvt.miraibotnet.su',
      'ipv4 185.244.25.10',
      'sha256 5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc',
    ]);
    expect(r.indicators[0]).toMatchObject({
      malware: 'Mirai',
      tags: ['tlp:white'],
      source: 'CIRCL',
      firstSeen: '2026-05-20T00:00:00.000Z',
      reference: 'https://example.org/report',
      context: 'Mirai TR-069 wave',
    });
    expect(r.indicators[1]).toMatchObject({ context: 'payload host', firstSeen: '2026-05-19T10:00:00.000Z' });
    expect(r.indicators[2]).toMatchObject({ active: false });
    expect(r.rejects).toEqual([
      {
        file: 'event.json',
        line: openLine(MISP, '45.9.20.0/24'),
        reason: 'CIDR range is not an indicator: 45.9.20.0/24',
      },
    ]);
    expect(r.skipped).toBe(3); // text, deleted domain, link
  });

  it('follows a feed manifest to its event files', () => {
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ 'e-1': { info: 'x', timestamp: '1' }, 'e-2': { info: 'y', timestamp: '2' } }),
    );
    writeFileSync(join(dir, 'e-1.json'), MISP);
    const r = importIntelFile(join(dir, 'manifest.json'));
    expect(r.format).toBe('misp-manifest');
    expect(r.indicators).toHaveLength(4);
    expect(r.rejects.at(-1)).toMatchObject({ reason: 'manifest lists e-2 but e-2.json is missing' });
  });
});

describe('CSV, plain lists, HTML', () => {
  it('maps columns by --columns (name or position) and rejects bad rows with their line', () => {
    const csv =
      'kind;ioc;score;when\nip:port;176.65.139.7:3778;80;2026-05-20\ndomain;tvt[.]miraibotnet[.]su;101;2026-05-20\nsha3;abc;1;x\n';
    const r = importIntelText(csv, 'x.csv', 'auto', {
      columns: 'value=ioc,type=kind,confidence=score,first_seen=when',
    });
    expect(brief(r.indicators)).toEqual(['ip:port 176.65.139.7:3778']);
    expect(r.rejects).toEqual([
      { file: 'x.csv', line: 3, reason: 'confidence out of 0-100: "101"' },
      { file: 'x.csv', line: 4, reason: 'unsupported type "sha3"' },
    ]);
    const positional = importIntelText('evil-cdn.com,55\n45.9.20.1,90\n', 'p.csv', 'csv', {
      columns: 'value=1,confidence=2',
    });
    expect(positional.indicators.map((i) => [i.type, i.value, i.confidence])).toEqual([
      ['domain', 'evil-cdn.com', 55],
      ['ipv4', '45.9.20.1', 90],
    ]);
  });

  it('detects a CSV by its header names', () => {
    const r = importIntelText('indicator,type,malware\n45.9.20.1,ip,Mirai\n', 'h.csv');
    expect(r.format).toBe('csv');
    expect(r.indicators[0]).toMatchObject({
      type: 'ipv4',
      value: '45.9.20.1',
      malware: 'Mirai',
      source: 'h.csv',
    });
  });

  it('reads plain lists with comments, inferring each type; undefanged URLs count in a list', () => {
    const r = importIntelText(
      '# blocklist\n45.9.20.1\n176.65.139.7:3778 # c2\nhttp://evil-cdn.com/x.sh\n\nnot_a_value\n',
      'l.txt',
    );
    expect(r.format).toBe('list');
    expect(brief(r.indicators)).toEqual([
      'ipv4 45.9.20.1',
      'ip:port 176.65.139.7:3778',
      'url http://evil-cdn.com/x.sh',
    ]);
    expect(r.rejects).toEqual([
      { file: 'l.txt', line: 6, reason: 'not an IP, ip:port, domain, URL or hash: "not_a_value"' },
    ]);
  });

  it('reads HTML as its visible text, keeping line numbers; links are references', () => {
    const html =
      '<html><body>\n<p>C2 at <b>176[.]65[.]139[.]7</b>:3778 &amp; more.</p>\n<p>See <a href="https://news.example.com/a">the news</a>.</p>\n<script>var x = "8.8.4.4";</script>\n</body></html>';
    const r = importIntelText(html, 'r.html');
    expect(r.format).toBe('html');
    expect(r.indicators.map((i) => [i.type, i.value, i.port, i.origin])).toEqual([
      ['ip:port', '176.65.139.7', 3778, 'r.html:2'],
    ]);
  });

  it('decodes HTML entities as a browser does, an out-of-range code point included (it aborted the import)', () => {
    const html =
      '<html><body>\n<p>bad &#x110000; &#0; &#xD800; entity</p>\n<p>C2&nbsp;&#49;76.65.139.7&colon;3778 &bogus; &lt;b&gt;</p>\n</body></html>';
    expect(htmlToText(html)).toBe(
      '\n bad \ufffd \ufffd \ufffd entity \n C2 176.65.139.7:3778 &bogus; <b> \n',
    );
    const r = importIntelText(html, 'r.html');
    expect(r.indicators.map((i) => [i.type, i.value, i.port, i.origin])).toEqual([
      ['ip:port', '176.65.139.7', 3778, 'r.html:3'],
    ]);
  });
});

describe.skipIf(!hasSeeds)('the seeds', () => {
  const seeds = sharedSeeds;
  const seed = (n: string) => readFileSync(join(seeds, n), 'utf8');

  it("seed 002's table gives exactly its two IOCs with threat type, first seen and confidence", () => {
    const r = importIntelText(seed('002_3ac1d089a82c337e.txt'), '002.txt');
    expect(
      r.indicators.map((i) => [i.type, i.value, i.port, i.threatType, i.firstSeen, i.confidence]),
    ).toEqual([
      ['ip:port', '176.65.139.7', 3778, 'botnet_cc', '2026-05-20T00:00:00.000Z', 80],
      ['domain', 'tvt.miraibotnet.su', undefined, 'payload_delivery', '2026-05-20T00:00:00.000Z', 100],
    ]);
    expect(r.rejects).toEqual([]);
  });

  it("seed 003's report gives its six distinct hashes", () => {
    const r = importIntelText(seed('003_38f23edca79ea893.txt'), '003.txt');
    expect(r.indicators.map((i) => i.type)).toEqual(Array(6).fill('sha256'));
    expect(new Set(r.indicators.map((i) => i.value)).size).toBe(6);
  });

  it("seed 000's reference links (news sites) are not indicators", () => {
    expect(importIntelText(seed('000_eb0500674ccd9cfb.txt'), '000.txt').indicators).toEqual([]);
  });
});
