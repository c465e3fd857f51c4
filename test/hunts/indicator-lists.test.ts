// Port-aware indicator lists: which indicators a hunt sees (active, unexpired, confident, routable).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { loadIndicators } from '../../src/intel/ti-table.js';
import type { Indicator } from '../../src/intel/model.js';
import {
  activeIndicatorValues,
  bindIndicatorList,
  bindIndicatorLists,
  MAX_REGEX_DOMAINS,
  isRoutableIp,
  LIST_TABLE,
  stageIndicatorValues,
  subdomainRegex,
} from '../../src/hunts/indicator-lists.js';
import type { Hunt, IndicatorListBinding } from '../../src/hunts/model.js';
import { runKql } from '../../src/kql/index.js';

const NOW = new Date('2026-05-22T00:00:00Z');
const ind = (i: Partial<Indicator> & Pick<Indicator, 'type' | 'value'>): Indicator =>
  ({ source: 'test', ...i }) as Indicator;

describe('indicator lists from the store', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open();
    await loadIndicators(
      store,
      [
        ind({ type: 'ip:port', value: '176.65.139.7', port: 3778, threatType: 'botnet_cc', confidence: 80 }),
        ind({ type: 'ipv4', value: '45.9.148.1', confidence: 90 }),
        ind({ type: 'ipv4', value: '45.9.148.2', confidence: 20 }), // below --min-confidence
        ind({ type: 'ipv4', value: '45.9.148.3', active: false }),
        ind({ type: 'ipv4', value: '45.9.148.4', expires: '2026-01-01T00:00:00Z' }),
        ind({ type: 'ipv4', value: '10.1.2.3', confidence: 100 }), // private: never an indicator
        ind({ type: 'ipv4', value: '127.0.0.1' }),
        ind({ type: 'ipv4', value: '169.254.10.1' }),
        ind({ type: 'domain', value: 'tvt.miraibotnet.su', threatType: 'payload_delivery', confidence: 100 }),
      ],
      NOW,
    );
  });
  afterAll(() => store.close());

  const values = (types: string[], extra: { threatTypes?: string[]; minConfidence?: number } = {}) =>
    activeIndicatorValues(
      store,
      { types, threatTypes: extra.threatTypes },
      { now: NOW, minConfidence: extra.minConfidence },
    );

  it('keeps the port of ip:port indicators apart from plain IP indicators', async () => {
    expect(await values(['ip:port'])).toEqual(['176.65.139.7:3778']);
    expect(await values(['ip:port-ip'])).toEqual(['176.65.139.7']);
    expect(await values(['ip-anyport'])).toEqual(['45.9.148.1']);
  });

  it('honours confidence, Active and expiry, and never binds private, loopback or link-local addresses', async () => {
    expect(await values(['ip'])).toEqual(['176.65.139.7', '45.9.148.1']);
    expect(await values(['ip'], { minConfidence: 85 })).toEqual(['45.9.148.1']);
    expect(await values(['ip'], { minConfidence: 0 })).toEqual(['176.65.139.7', '45.9.148.1', '45.9.148.2']);
  });

  it('never binds a row whose Active is NULL (the store and Sentinel read it as false)', async () => {
    await store.run(
      `INSERT INTO ThreatIntelligenceIndicator (DomainName, Active) VALUES ('null-active.example.su', NULL), ('true-active.example.su', true)`,
    );
    try {
      expect(await values(['domain'])).toEqual(['true-active.example.su', 'tvt.miraibotnet.su']);
    } finally {
      await store.run(`DELETE FROM ThreatIntelligenceIndicator WHERE DomainName LIKE '%-active.example.su'`);
    }
  });

  it('filters by Sentinel ThreatType (botnet_cc → C2)', async () => {
    expect(await values(['ip'], { threatTypes: ['C2'] })).toEqual(['176.65.139.7']);
    expect(await values(['domain'])).toEqual(['tvt.miraibotnet.su']);
  });

  it('knows routable addresses', () => {
    expect(['176.65.139.7', '176.65.139.7:3778', '2a00:1450::1'].map(isRoutableIp)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['10.0.0.1', '192.168.1.1:80', '127.0.0.1', '169.254.1.1', 'fe80::1', '::1', '100.64.0.1'].map(
        isRoutableIp,
      ),
    ).toEqual(Array(7).fill(false));
  });
});

describe('large lists staged in TelltaleIndicatorList', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open();
    await loadIndicators(
      store,
      [
        ind({ type: 'ip:port', value: '176.65.139.7', port: 3778, threatType: 'botnet_cc', confidence: 80 }),
        ind({ type: 'ipv4', value: '45.9.148.1', confidence: 90 }),
        ind({ type: 'ipv4', value: '192.169.1.1' }), // routable, though its first octet holds special ranges
        ind({ type: 'ipv4', value: '192.0.2.1' }), // documentation range: not routable
        ind({ type: 'ipv4', value: '100.64.0.9' }),
        ind({ type: 'ipv4', value: '10.1.2.3', confidence: 100 }),
        ind({ type: 'ipv6', value: '2a00:1450::1' }),
        ind({ type: 'ipv6', value: 'fe80::1' }),
        ind({ type: 'domain', value: 'tvt.miraibotnet.su', confidence: 100 }),
        ind({ type: 'domain', value: 'c2.example.su', confidence: 100 }),
      ],
      NOW,
    );
    // addresses a feed should not carry: decided by isRoutableIp whatever their spelling
    await store.run(
      `INSERT INTO ThreatIntelligenceIndicator (NetworkIP, Active, ConfidenceScore) SELECT v, true, 90 FROM (VALUES
        ('045.9.148.9'), ('1.2.3.256'), ('224.0.0.1'), ('203.0.113.5'), ('203.1.1.1'), ('0.1.2.3'), ('9.9.9.9'),
        ('172.32.0.1'), ('172.16.0.1'), ('255.255.255.255'), ('8.8.8.8.8'), ('::ffff:8.8.4.4'), ('1.1.1.1:53')) t(v)`,
    );
    await store.run(
      `INSERT INTO DnsEvents (TimeGenerated, Name, IPAddresses) VALUES
        ('2026-05-21', 'tvt.miraibotnet.su', '45.9.148.1'), ('2026-05-21', 'dl.tvt.miraibotnet.su', '192.169.1.1'),
        ('2026-05-21', 'nottvt.miraibotnet.su.example', '192.0.2.1'), ('2026-05-21', 'C2.Example.su', '2a00:1450::1'),
        ('2026-05-21', 'example.org', '176.65.139.7'), ('2026-05-21', 'example.net', '10.1.2.3')`,
    );
  });
  afterAll(() => store.close());

  it('stages exactly the values a literal list would bind (routability decided as in JS)', async () => {
    for (const binding of [
      { types: ['ip'] },
      { types: ['ip:port'] },
      { types: ['ip:port-ip', 'ip-anyport'] },
      { types: ['ip'], threatTypes: ['C2'] },
      { types: ['domain', 'ip'] },
    ]) {
      const literal = await activeIndicatorValues(store, binding, { now: NOW });
      const n = await stageIndicatorValues(store, binding, { now: NOW }, 'h/x');
      const staged = await store.query(`SELECT DISTINCT Value FROM ${LIST_TABLE} WHERE List = 'h/x'`);
      expect(staged.map((r) => String(r.Value)).sort()).toEqual(literal);
      expect(n).toBe(literal.length);
    }
  });

  it('binds a tabular let: in, !in, in~ and has_any give the rows of the literal list', async () => {
    const hunt = {
      id: 'h',
      key: 'h',
      query: `let ips = dynamic(["1.1.1.1"]);
let domains = dynamic(["x.example"]);
DnsEvents
| extend In = IPAddresses in (ips), NotIn = IPAddresses !in (ips), InCi = toupper(IPAddresses) in~ (ips),
         Has = Name has_any (domains)
| project Name, IPAddresses, In, NotIn, InCi, Has
| order by Name asc`,
      indicatorLists: [
        { variable: 'ips', types: ['ip'] },
        { variable: 'domains', types: ['domain'] },
      ],
    } as unknown as Hunt;
    const rows = async (q: string) => (await runKql(store, q, { now: NOW })).rows;
    const literal = await bindIndicatorLists(store, hunt, { now: NOW, literal: true });
    expect(literal).toContain('dynamic(["');
    // small lists stay literal by default
    expect(await bindIndicatorLists(store, hunt, { now: NOW })).toBe(literal);
    const expected = await rows(literal);
    expect(expected.filter((r) => r.In).length).toBe(4);
    expect(expected.filter((r) => r.Has).length).toBe(3);
    const table = await bindIndicatorLists(store, hunt, { now: NOW, tableThreshold: 0 });
    expect(table).toContain(`let ips = ${LIST_TABLE} | where List == "h/ips" | project Value;`);
    expect(await rows(table)).toEqual(expected);
  });
});

describe('the subdomain regex', () => {
  const re = (domains: string[]) => new RegExp(subdomainRegex(domains).replace('(?i)', ''), 'i');
  it('matches the domain, its subdomains and URLs on them, never look-alikes', () => {
    const r = re(['tvt.miraibotnet.su']);
    for (const yes of [
      'tvt.miraibotnet.su',
      'DL.TVT.miraibotnet.su',
      'tvt.miraibotnet.su.',
      'http://dl.tvt.miraibotnet.su:80/bins/x',
      'tvt.miraibotnet.su/x',
    ])
      expect(r.test(yes), yes).toBe(true);
    for (const no of [
      'nottvt.miraibotnet.su.example',
      'miraibotnet.su.example.com',
      'tvt.miraibotnet.su.example.com',
      'xtvt.miraibotnet.su',
      'http://a.com/tvt.miraibotnet.su',
    ])
      expect(r.test(no), no).toBe(false);
  });
  it('matches nothing for an empty list', () => {
    expect(re([]).test('anything')).toBe(false);
    expect(re([]).test('')).toBe(false);
  });
  it('refuses more domains than one regex should hold, naming the hunt, the list and the way out', () => {
    const binding: IndicatorListBinding = { variable: 'rx', types: ['domain'], as: 'subdomain-regex' };
    const query = 'let rx = @"x";\nDnsEvents | where Name matches regex rx';
    const many = Array.from({ length: MAX_REGEX_DOMAINS + 1 }, (_, k) => `d${k}.example.su`);
    expect(() => bindIndicatorList(query, binding, many, 'my-hunt')).toThrow(
      /hunt my-hunt: 10,001 domains are too many for one regex in 'rx' \(at most 10,000\); bind them as a list/,
    );
    expect(bindIndicatorList(query, binding, many.slice(0, 3), 'my-hunt')).toContain('d2\\\\.example\\\\.su');
  });
});
