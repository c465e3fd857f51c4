import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTERS, fileText } from '../../src/intel/exporters/index.js';
import { prettyJsonParts } from '../../src/intel/exporters/types.js';
import { renderTable } from '../../src/output/table.js';
import { importIntelText } from '../../src/intel/import.js';
import { indicatorKey, type Indicator } from '../../src/intel/model.js';
import { IntelStore } from '../../src/intel/store.js';
import { exportFromStore } from '../../src/intel/pipeline.js';
import { flagWarninglisted, loadWarninglists } from '../../src/intel/warninglists.js';

const now = new Date('2026-05-22T00:00:00Z');
const base = { source: 'ThreatFox', malware: 'Mirai', firstSeen: '2026-05-20T00:00:00.000Z' };
const INDICATORS: Indicator[] = [
  {
    ...base,
    type: 'ip:port',
    value: '176.65.139.7',
    port: 3778,
    threatType: 'botnet_cc',
    confidence: 80,
    tags: ['c2'],
    lastSeen: '2026-05-21T00:00:00.000Z',
    expires: '2026-06-19T00:00:00.000Z',
  },
  {
    ...base,
    type: 'ipv4',
    value: '185.244.25.10',
    threatType: 'botnet_cc',
    confidence: 60,
    expires: '2026-06-19T00:00:00.000Z',
  },
  {
    ...base,
    type: 'ipv6',
    value: '2a03:2880:f003:c07:face:b00c:0:2',
    confidence: 50,
    expires: '2026-06-19T00:00:00.000Z',
  },
  {
    ...base,
    type: 'domain',
    value: 'tvt.miraibotnet.su',
    threatType: 'payload_delivery',
    confidence: 100,
    reference: 'https://example.org/r',
    expires: '2026-08-18T00:00:00.000Z',
  },
  {
    ...base,
    type: 'url',
    value: 'http://45.9.20.1/bins/mirai.arm7',
    threatType: 'payload_delivery',
    confidence: 90,
    expires: '2026-07-19T00:00:00.000Z',
  },
  {
    ...base,
    type: 'sha256',
    value: '5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc',
    threatType: 'payload',
    confidence: 90,
    expires: '2036-05-20T00:00:00.000Z',
  },
  { ...base, type: 'md5', value: 'a41d8cd98f00b204e9800998ecf8427e', expires: '2036-05-20T00:00:00.000Z' },
];
const run = (format: string) => EXPORTERS[format]!(INDICATORS, { now, title: 'Telltale' });
const content = (format: string, name: string) => fileText(run(format).find((f) => f.name === name)!);
const core = (i: Indicator) => [
  indicatorKey(i),
  i.threatType,
  i.malware,
  i.confidence,
  i.firstSeen,
  i.lastSeen,
  i.expires,
  i.tags,
  i.source,
];

describe('exporters', () => {
  it('round-trips STIX 2.1 and MISP: re-import gives the same indicators', () => {
    for (const format of ['stix', 'misp']) {
      const [file] = run(format);
      const back = importIntelText(fileText(file!), file!.name);
      expect(back.format).toBe(format);
      expect(back.rejects).toEqual([]);
      expect(back.indicators.map(core), format).toEqual(INDICATORS.map(core));
    }
  });

  it('writes large JSON documents in parts that join to JSON.stringify(doc, null, 2)', () => {
    const items = Array.from({ length: 25_001 }, (_, k) => ({
      id: k,
      tags: k % 2 ? ['a', 'b'] : undefined,
      s: 'x"\n',
    }));
    const nested = { Event: { uuid: 'u', Attribute: items, after: 1 } };
    const parts = prettyJsonParts(nested, items);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.join('')).toBe(JSON.stringify(nested, null, 2) + '\n');
    const empty: unknown[] = [];
    expect(prettyJsonParts({ type: 'bundle', objects: empty }, empty).join('')).toBe(
      JSON.stringify({ type: 'bundle', objects: [] }, null, 2) + '\n',
    );
  });

  it('handles a blocklist of 300,000 addresses (no argument spreading that overflows the stack)', () => {
    const many: Indicator[] = Array.from({ length: 300_000 }, (_, k) => ({
      type: 'ipv4',
      value: `45.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`,
      source: 'bulk',
    }));
    const ipsetText = fileText(EXPORTERS.ipset!(many, { now })[0]!);
    expect(ipsetText.split('\n').filter((l) => l.startsWith('add ')).length).toBe(300_000);
    const table = renderTable(
      ['value'],
      many.slice(0, 200_000).map((i) => ({ value: i.value })),
    );
    expect(table.split('\n').length).toBe(200_000 + 3);
  });

  it('round-trips the CSV export', () => {
    const back = importIntelText(fileText(run('csv')[0]!), 'x.csv');
    expect(back.indicators.map(core)).toEqual(INDICATORS.map(core));
  });

  it('writes plain lists per type', () => {
    expect(run('list').map((f) => f.name)).toEqual([
      'ipv4.txt',
      'ipv6.txt',
      'ip-port.txt',
      'domain.txt',
      'url.txt',
      'md5.txt',
      'sha256.txt',
    ]);
    expect(content('list', 'ip-port.txt')).toBe('176.65.139.7:3778\n');
  });

  it('writes a Zeek intel file (URL without scheme, ip:port as its address)', () => {
    const text = content('zeek', 'telltale.intel');
    expect(text.split('\n')[0]).toBe('#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url');
    expect(text).toContain('176.65.139.7\tIntel::ADDR\tThreatFox\tMirai botnet_cc port 3778\t-\n');
    expect(text).toContain('45.9.20.1/bins/mirai.arm7\tIntel::URL\t');
    expect(text).toContain(
      '5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc\tIntel::FILE_HASH\t',
    );
  });

  it('writes Suricata rules: iprep for bare IPs, an exact rule per ip:port, datasets, hash lists', () => {
    const rules = content('suricata', 'telltale.rules');
    expect(rules).toContain(
      'alert ip $HOME_NET any -> 176.65.139.7 3778 (msg:"Telltale IOC: 176.65.139.7:3778 Mirai botnet_cc port 3778"; sid:',
    );
    expect(rules).toMatch(/iprep:dst,Telltale,>,0/);
    expect(rules).toContain(
      'dns.query; dataset:isset,telltale-domains,type string,load telltale-domains.lst;',
    );
    expect(rules).toContain('filesha256:telltale-sha256.txt;');
    expect(content('suricata', 'telltale-iprep.list')).toBe(
      '185.244.25.10,1,60\n2a03:2880:f003:c07:face:b00c:0:2,1,50\n',
    );
    expect(content('suricata', 'telltale-domains.lst')).toBe(
      `${Buffer.from('tvt.miraibotnet.su').toString('base64')}\n`,
    );
    const sids = [...rules.matchAll(/sid:(\d+)/g)].map((m) => m[1]);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it('writes nftables sets and ipset/iptables restore files, port-aware', () => {
    const nft = content('nftables', 'telltale.nft');
    expect(nft).toContain('elements = { 185.244.25.10 }');
    expect(nft).toContain('type ipv4_addr . inet_service');
    expect(nft).toContain('elements = { 176.65.139.7 . 3778 }');
    expect(nft).toContain('ip daddr . th dport @ipv4_port counter drop');
    const ipset = content('ipset', 'telltale.ipset');
    expect(ipset).toContain('create telltale-ipv4-port hash:ip,port family inet');
    expect(ipset).toContain('add telltale-ipv4-port 176.65.139.7,tcp:3778 -exist');
    expect(content('ipset', 'telltale.iptables')).toContain(
      '-A OUTPUT -m set --match-set telltale-ipv4-port dst,dst -j DROP',
    );
  });

  it('writes an RPZ zone, a hosts file and a Sentinel watchlist', () => {
    expect(content('rpz', 'telltale.rpz.zone')).toContain(
      'tvt.miraibotnet.su CNAME .\n*.tvt.miraibotnet.su CNAME .\n',
    );
    expect(content('hosts', 'telltale.hosts')).toContain('0.0.0.0 tvt.miraibotnet.su\n');
    const csv = content('sentinel-watchlist', 'telltale-watchlist.csv').split('\n');
    expect(csv[0]).toBe(
      'Indicator,IndicatorType,IP,Port,ThreatType,Malware,ConfidenceScore,FirstSeen,LastSeen,ExpirationDateTime,Tags,Source,Reference',
    );
    expect(csv[1]).toMatch(/^176\.65\.139\.7:3778,ip:port,176\.65\.139\.7,3778,botnet_cc,Mirai,80,/);
  });
});

describe('exportFromStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telltale-export-'));
  let store: IntelStore;
  beforeAll(async () => {
    store = await IntelStore.open(join(dir, 'x.duckdb'));
    const lists = loadWarninglists();
    await store.upsert(
      flagWarninglisted(
        [...INDICATORS, { type: 'ipv4', value: '8.8.8.8', source: 'x', confidence: 100 }],
        lists,
      ),
      { now },
    );
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('honours confidence, type, family and active filters and never exports warning-listed values', async () => {
    const values = async (request: Parameters<typeof exportFromStore>[1]) =>
      (await exportFromStore(store, request)).map(fileText).join('');
    expect(await values({ format: 'list', now })).not.toContain('8.8.8.8');
    expect(await values({ format: 'list', minConfidence: 85, now })).toBe(
      'tvt.miraibotnet.su\nhttp://45.9.20.1/bins/mirai.arm7\n5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc\n',
    );
    expect(await values({ format: 'list', types: ['ip:port'], family: 'mirai', now })).toBe(
      '176.65.139.7:3778\n',
    );
    expect(await values({ format: 'list', types: ['ip:port'], family: 'gafgyt', now })).toBe('');
    expect(
      await values({
        format: 'list',
        types: ['ipv4', 'ip:port'],
        active: true,
        now: new Date('2026-07-01T00:00:00Z'),
      }),
    ).toBe('');
  });
});
