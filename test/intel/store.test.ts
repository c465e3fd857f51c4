import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntelStore } from '../../src/intel/store.js';
import { importIntoStore, summariseStore } from '../../src/intel/pipeline.js';
import { summaryText, totalsText } from '../../src/intel/report.js';
import { importIntelText } from '../../src/intel/import.js';
import { parseTtl } from '../../src/intel/lifecycle.js';
import { loadWarninglists, warninglistsOf } from '../../src/intel/warninglists.js';
import { sightingsFromFindings } from '../../src/intel/sightings.js';
import { hunt } from '../../src/index.js';
import { repoRoot, scratchDir } from '../helpers.js';

const { dir, file } = scratchDir('telltale-store');
const FEED = file(
  'feed.csv',
  [
    'value,type,threat_type,malware,confidence,first_seen,last_seen,tags',
    '176.65.139.7:3778,ip:port,botnet_cc,Mirai,80,2026-05-20,,mirai',
    'tvt.miraibotnet.su,domain,payload_delivery,Mirai,100,2026-05-20,,',
    '8.8.8.8,ip,botnet_cc,Mirai,50,2026-05-20,,',
    '5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc,sha256,payload,Mirai,90,2016-11-28,,',
  ].join('\n'),
);
const t1 = new Date('2026-05-21T00:00:00Z');
const t2 = new Date('2026-05-22T00:00:00Z');

describe('warning lists', () => {
  const lists = loadWarninglists([], { userDir: join(dir, 'none') });
  it('flags resolvers, private ranges, empty-file hashes and top sites by their MISP list', () => {
    expect(warninglistsOf(lists, { type: 'ipv4', value: '8.8.8.8' })).toContain('public-dns-v4');
    expect(warninglistsOf(lists, { type: 'ip:port', value: '192.168.1.100' })).toContain('rfc1918');
    expect(
      warninglistsOf(lists, {
        type: 'sha256',
        value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      }),
    ).toContain('empty-hashes');
    expect(warninglistsOf(lists, { type: 'url', value: 'https://www.google.com/x' })).toContain('tranco10k');
    expect(warninglistsOf(lists, { type: 'ip:port', value: '176.65.139.7' })).toEqual([]);
    expect(warninglistsOf(lists, { type: 'domain', value: 'tvt.miraibotnet.su' })).toEqual([]);
  });

  it('reads user allow lists (plain files) from the user folder and --allowlist', () => {
    const user = join(dir, 'allow');
    rmSync(user, { recursive: true, force: true });
    writeFileSync(
      file('mine.txt', '# ours\n203.0.113.0/24\ncorp.example.su\n'),
      '# ours\n45.9.20.0/24\ncorp-cdn.su\n',
    );
    const mine = loadWarninglists([join(dir, 'mine.txt')], { bundled: false, userDir: user });
    expect(warninglistsOf(mine, { type: 'ipv4', value: '45.9.20.7' })).toEqual(['allowlist:mine']);
    expect(warninglistsOf(mine, { type: 'domain', value: 'a.corp-cdn.su' })).toEqual(['allowlist:mine']);
    expect(warninglistsOf(mine, { type: 'ipv4', value: '45.9.21.7' })).toEqual([]);
  });
});

describe('IntelStore', () => {
  it('re-importing the same feed changes nothing but lastImported', async () => {
    const store = await IntelStore.open(join(dir, 'idem.duckdb'));
    try {
      const [first] = await importIntoStore(store, [FEED], { now: t1 });
      expect(first).toMatchObject({ added: 4, updated: 0, warninglisted: 1 });
      const before = await store.list();
      const [again] = await importIntoStore(store, [FEED], { now: t2 });
      expect(again).toMatchObject({ added: 0, updated: 4 });
      const after = await store.list();
      expect(after.map(({ lastImported: _l, ...rest }) => rest)).toEqual(
        before.map(({ lastImported: _l, ...rest }) => rest),
      );
      expect(
        after.every((i) => i.lastImported === t2.toISOString() && i.firstImported === t1.toISOString()),
      ).toBe(true);
      expect(await store.count()).toBe(4);
      expect(await store.store.count('ThreatIntelligenceIndicator')).toBe(4);
    } finally {
      store.close();
    }
  });

  it('merges first/last seen, confidence, tags and sources across feeds', async () => {
    const store = await IntelStore.open(join(dir, 'merge.duckdb'));
    try {
      await importIntoStore(store, [FEED], { now: t1 });
      const other = file(
        'other.csv',
        'value,type,confidence,first_seen,last_seen,tags,source\n176.65.139.7:3778,ip:port,95,2026-05-18,2026-05-21,tr069,CERT\n',
      );
      await importIntoStore(store, [other], { now: t2 });
      const [c2] = await store.list({ values: ['176.65.139.7:3778'] });
      expect(c2).toMatchObject({
        confidence: 95,
        firstSeen: '2026-05-18T00:00:00.000Z',
        lastSeen: '2026-05-21T00:00:00.000Z',
        tags: ['mirai', 'tr069'],
        sources: ['CERT', 'feed.csv'],
        source: 'feed.csv',
        threatType: 'botnet_cc',
      });
    } finally {
      store.close();
    }
  });

  it('expires by type (IPs before domains before hashes); expired, revoked and warning-listed stay but stop matching', async () => {
    const store = await IntelStore.open(join(dir, 'life.duckdb'));
    try {
      await importIntoStore(store, [FEED], { now: t1, ttl: parseTtl('ip=30') });
      const at = (iso: string) =>
        store.activeIndicators(new Date(iso)).then((l) => l.map((i) => i.value).sort());
      const hash = '5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc';
      expect(await at('2026-06-01T00:00:00Z')).toEqual([hash, '176.65.139.7', 'tvt.miraibotnet.su'].sort());
      expect(await at('2026-07-01T00:00:00Z')).toEqual([hash, 'tvt.miraibotnet.su'].sort()); // IP: 30 days from first seen
      expect(await at('2026-09-01T00:00:00Z')).toEqual([hash]); // domain: 90 days
      expect(await store.remove({ values: [hash] }, { revoke: true, now: t1 })).toBe(1);
      expect(await at('2026-06-01T00:00:00Z')).toEqual(['176.65.139.7', 'tvt.miraibotnet.su']);
      expect(await store.count()).toBe(4); // nothing deleted
      const ti = await store.store.query(
        `SELECT coalesce(NetworkIP, DomainName, FileHashValue) AS v, Active, ExpirationDateTime FROM ThreatIntelligenceIndicator ORDER BY v`,
      );
      expect(ti.map((r) => [r.v, r.Active])).toEqual([
        ['176.65.139.7', true],
        [hash, false], // revoked
        ['8.8.8.8', false], // warning-listed
        ['tvt.miraibotnet.su', true],
      ]);
      expect(await store.remove({ values: ['8.8.8.8'] })).toBe(1);
      expect(await store.count()).toBe(3);
    } finally {
      store.close();
    }
  });

  it('a failed import leaves the store as it was', async () => {
    const store = await IntelStore.open(join(dir, 'atomic.duckdb'));
    try {
      await importIntoStore(store, [FEED], { now: t1 });
      const bad = importIntelText('value,type\n45.9.20.1,ip\n', 'x.csv').indicators.map((i) => ({
        ...i,
        confidence: Number.NaN,
      }));
      await expect(
        store.upsert([...bad, { type: 'ipv4', value: '45.9.20.2', source: 'x', firstSeen: 'not a date' }], {
          now: t2,
        }),
      ).rejects.toThrow();
      expect(await store.count()).toBe(4);
    } finally {
      store.close();
    }
  });
});

describe('intel stats over a store', () => {
  it('counts every indicator and keeps at most --rows table rows per family, streamed', async () => {
    const store = await IntelStore.open(':memory:');
    try {
      await importIntoStore(store, [FEED], { now: t1, allowlists: [] });
      const summary = await summariseStore(store, {}, t2, 1);
      expect(summary.total).toBe(4);
      expect(summary.families.map((f) => [f.family, f.total, f.types, f.indicators.length])).toEqual([
        ['Mirai', 4, ['domain', 'ip:port', 'ipv4', 'sha256'], 1],
      ]);
      expect(Object.fromEntries(summary.byStatus)).toEqual({ active: 3, warninglisted: 1 });
      const text = summaryText(summary.families) + totalsText(summary);
      expect(text).toContain('(3 more not shown: --rows all, or telltale intel list)');
      expect(text).toContain(
        'Total: 4\nBy type: domain 1, ip:port 1, ipv4 1, sha256 1\nBy status: active 3, warninglisted 1',
      );
      expect((await summariseStore(store, {}, t2)).families[0]!.indicators).toHaveLength(4);
    } finally {
      store.close();
    }
  });
});

describe('sightings', () => {
  it('reads matches back from findings, port-aware for ip:port', () => {
    const indicators = importIntelText('176.65.139.7:3778\ntvt.miraibotnet.su\n', 'l.txt').indicators;
    const { rows, hunts } = sightingsFromFindings(
      [
        {
          huntId: 'c2',
          evidence: [
            { DestinationIP: '176.65.139.7', DestinationPort: 3778 },
            { DestinationIP: '176.65.139.7', DestinationPort: 23 },
          ],
        },
        { huntId: 'dns', evidence: [{ Name: 'TVT.miraibotnet.su' }] },
      ],
      indicators,
    );
    expect([...rows].map(([key, ids]) => [key, ids.size])).toEqual([
      ['ip:port|176.65.139.7|3778', 1],
      ['domain|tvt.miraibotnet.su|', 1],
    ]);
    expect(hunts).toEqual(['c2', 'dns']);
  });

  it(
    'a hunt run with an intel store uses its indicators and records what matched',
    { timeout: 180_000 },
    async () => {
      const db = join(dir, 'hunt.duckdb');
      const store = await IntelStore.open(db);
      await importIntoStore(store, [FEED], { now: t1 });
      store.close();
      process.chdir(repoRoot);
      const now = new Date('2026-05-22T00:00:00Z');
      await hunt(['examples/incident'], { now, intelDb: db, bundled: false });
      const again = await IntelStore.open(db);
      try {
        const sighted = await again.list({ sighted: true });
        expect(sighted.map((i) => i.value)).toContain('176.65.139.7');
        expect(sighted.every((i) => i.sightings > 0 && i.lastSighted)).toBe(true);
        const [c2] = sighted.filter((i) => i.value === '176.65.139.7');
        expect((await again.sightingsOf(c2!.key))[0]!.hunts.length).toBeGreaterThan(0);
      } finally {
        again.close();
      }
    },
  );
});

describe('ThreatIntelligenceIndicator in the store', () => {
  it("a run's --intel rows and the store's synced rows are the same rows", async () => {
    const { Store } = await import('../../src/store/db.js');
    const { loadIndicators } = await import('../../src/intel/ti-table.js');
    const { expiryOf } = await import('../../src/intel/lifecycle.js');
    const indicators = importIntelText(
      'value,type,threat_type,malware,confidence,first_seen,last_seen,tags,reference,description\n' +
        '176.65.139.7:3778,ip:port,botnet_cc,Mirai,80,2026-05-20,2026-05-21,"a,b",https://x.example/r,\n' +
        'tvt.miraibotnet.su,domain,payload_delivery,,,,,,,seen in report\n' +
        '5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc,sha256,payload_delivery,Mirai,90,,,,,\n' +
        'http://45.9.20.1/x,url,,,,,,,,\n',
      'f.csv',
    ).indicators.map((i) => ({ ...i, expires: expiryOf(i, t1), externalId: undefined }));
    const store = await IntelStore.open(join(dir, 'ti.duckdb'));
    const mem = await Store.open();
    try {
      await store.upsert(indicators, { now: t1 });
      await store.syncThreatIntelligence(t2);
      await loadIndicators(mem, indicators, t2);
      const q = `SELECT * EXCLUDE (TenantId) FROM ThreatIntelligenceIndicator ORDER BY IndicatorId`;
      expect(await store.store.query(q)).toEqual(await mem.query(q));
    } finally {
      store.close();
      mem.close();
    }
  });
});
