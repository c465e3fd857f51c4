// Hunts reading their indicator lists in place from the intel store (intel_lists, TelltaleIntelList).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers.js';
import { copyMatchableIndicators, IntelStore } from '../../src/intel/store.js';
import { importIntoStore } from '../../src/intel/pipeline.js';
import { HUNT_LISTS } from '../../src/intel/hunt-lists.js';
import { attachIntelLists } from '../../src/intel/attach-lists.js';
import { prepareRunIntel } from '../../src/intel/run.js';
import { importIntelText } from '../../src/intel/import.js';
import { bindIndicatorLists } from '../../src/hunts/indicator-lists.js';
import { bundledHuntsDir, loadHunts } from '../../src/hunts/loader.js';
import { runHunts } from '../../src/hunts/runner.js';
import { Store } from '../../src/store/db.js';
import { runKql } from '../../src/kql/index.js';

const { dir, file } = scratchDir('telltale-lists');
const IMPORTED = new Date('2026-05-21T00:00:00Z');
const NOW = new Date('2026-05-22T00:00:00Z');
const HEADER = 'value,type,threat_type,malware,confidence,first_seen,last_seen,tags';

/** 1,500 plain C2 addresses (more than a literal list takes) plus the cases a list must get right. */
function bigFeed(): string {
  const rows = [HEADER];
  for (let k = 0; k < 1500; k++)
    rows.push(
      `45.${60 + (k >> 8)}.${k & 255}.9,ip,botnet_cc,Mirai,80,2026-05-20,2026-05-20,`,
      `c2-${k}.bad-domain.su,domain,botnet_cc,Mirai,80,2026-05-20,2026-05-20,`,
    );
  rows.push(
    '176.65.139.7:3778,ip:port,botnet_cc,Mirai,80,2026-05-20,2026-05-20,mirai',
    '91.92.93.94,ip,payload_delivery,Mirai,90,2026-05-20,2026-05-20,', // not C2: High, not Critical
    '91.92.93.95,ip,botnet_cc,Mirai,20,2026-05-20,2026-05-20,', // below the default min confidence
    '91.92.93.96,ip,botnet_cc,Mirai,90,2025-01-01,2025-01-02,', // expired (IPs live 30 days)
    '10.1.2.3,ip,botnet_cc,Mirai,100,2026-05-20,2026-05-20,', // private: never matched
    '8.8.8.8,ip,botnet_cc,Mirai,100,2026-05-20,2026-05-20,', // warning-listed public resolver
    'tvt.miraibotnet.su,domain,payload_delivery,Mirai,100,2026-05-20,2026-05-20,',
    'http://45.9.20.7/bins/mirai.arm7,url,payload_delivery,Mirai,100,2026-05-20,2026-05-20,',
  );
  return file('big.csv', rows.join('\n') + '\n');
}

async function intelStore(name: string, feed: string): Promise<string> {
  const path = join(dir, name);
  const intel = await IntelStore.open(path);
  try {
    await importIntoStore(intel, [feed], { now: IMPORTED, allowlists: [] });
  } finally {
    intel.close();
  }
  return path;
}

const dneHunt = () => loadHunts([join(bundledHuntsDir, 'mirai-indicator-hits-devicenetworkevents.yaml')])[0]!;

async function flowsStore(): Promise<Store> {
  const store = await Store.open();
  const flows = [
    ['176.65.139.7', 3778], // the C2 on its port: Critical
    ['176.65.139.7', 23], // its IP on another port: Medium
    ['45.60.5.9', 443], // one of the 1,500: any port, C2: Critical
    ['91.92.93.94', 80], // any port, not C2: High
    ['91.92.93.95', 80], // low confidence: nothing
    ['91.92.93.96', 80], // expired: nothing
    ['10.1.2.3', 80], // private: nothing
    ['8.8.8.8', 53], // warning-listed: nothing
    ['93.184.216.34', 443], // unrelated: nothing
    ['93.184.216.35', 8080, 'http://DL.c2-7.bad-domain.su:8080/bins/x.arm7'], // below a domain indicator: High
    ['93.184.216.36', 80, 'c2-7.bad-domain.su.example.com'], // a look-alike: nothing
  ] as const;
  const values = flows
    .map(
      ([ip, port, url], k) =>
        `(TIMESTAMP '2026-05-21 10:00:${String(k).padStart(2, '0')}', 'dev-1', 'host-1', '192.168.1.20', '${ip}', ${port}, ${url ? `'${url}'` : 'NULL'}, 'ConnectionSuccess')`,
    )
    .join(', ');
  await store.run(
    `INSERT INTO DeviceNetworkEvents (Timestamp, DeviceId, DeviceName, LocalIP, RemoteIP, RemotePort, RemoteUrl, ActionType) VALUES ${values}`,
  );
  await store.run(
    `INSERT INTO DnsEvents (TimeGenerated, Computer, ClientIP, Name) VALUES
       (TIMESTAMP '2026-05-21 10:00:00', 'host-1', '192.168.1.20', 'c2-7.bad-domain.su.'),
       (TIMESTAMP '2026-05-21 10:00:01', 'host-1', '192.168.1.20', 'x.C2-1499.bad-domain.su'),
       (TIMESTAMP '2026-05-21 10:00:02', 'host-1', '192.168.1.20', 'c2-7.bad-domain.su.example.com'),
       (TIMESTAMP '2026-05-21 10:00:03', 'host-1', '192.168.1.20', 'notc2-7.bad-domain.su')`,
  );
  return store;
}

/** The hunt's rows as "ip:port kind severity", sorted. */
async function huntRows(store: Store, intelLists?: { skipIds: readonly string[] }): Promise<string[]> {
  const [run] = await runHunts(store, [dneHunt()], { now: NOW, intelLists, evidence: 'all' });
  expect(run!.error).toBeUndefined();
  return run!.findings
    .flatMap((f) => f.evidence)
    .map(
      (r) =>
        `${String(r.RemoteIP)}:${String(r.RemotePort)} ${String(r.MatchKind)} ${String(r.AlertSeverity)}`,
    )
    .sort();
}

/** The DNS hunt's names over 1,501 domain indicators (a list bound in place, looked up by host suffix). */
async function dnsNames(store: Store, path: string): Promise<string[]> {
  const lists = await attachIntelLists(store, path, NOW);
  try {
    const dns = loadHunts([join(bundledHuntsDir, 'mirai-indicator-domains-dns.yaml')])[0]!;
    expect(await bindIndicatorLists(store, dns, { now: NOW, intelLists: lists })).toMatch(
      /let indicator_domains = TelltaleIntelList/,
    );
    const [run] = await runHunts(store, [dns], { now: NOW, intelLists: lists, evidence: 'all' });
    expect(run!.error).toBeUndefined();
    return run!.findings.flatMap((f) => f.evidence.map((r) => String(r.Name))).sort();
  } finally {
    await lists!.detach();
  }
}

const EXPECTED = [
  '176.65.139.7:23 ip:port indicator on another port Medium',
  '176.65.139.7:3778 ip:port Critical',
  '45.60.5.9:443 ip Critical',
  '91.92.93.94:80 ip High',
  '93.184.216.35:8080 domain High',
];

describe('the intel store keeps its hunt lists in step', () => {
  it('holds every list type of each matchable indicator, and nothing warning-listed, private or revoked', async () => {
    const feed = file(
      'small.csv',
      [
        HEADER,
        '176.65.139.7:3778,ip:port,botnet_cc,Mirai,80,2026-05-20,,',
        '45.9.148.1,ip,botnet_cc,Mirai,80,2026-05-20,,',
        '10.1.2.3,ip,botnet_cc,Mirai,80,2026-05-20,,',
        '8.8.8.8,ip,botnet_cc,Mirai,80,2026-05-20,,',
        'TVT.miraibotnet.su,domain,payload_delivery,Mirai,100,2026-05-20,,',
        '5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc,sha256,payload,Mirai,90,2016-11-28,,',
      ].join('\n'),
    );
    const intel = await IntelStore.open(':memory:');
    const lists = async () =>
      (await intel.store.query(`SELECT kind, value, threat_type FROM ${HUNT_LISTS} ORDER BY ALL`)).map(
        (r) => `${String(r.kind)} ${String(r.value)} ${String(r.threat_type)}`,
      );
    try {
      await importIntoStore(intel, [feed], { now: IMPORTED, allowlists: [] });
      const first = await lists();
      expect(first).toEqual([
        'domain tvt.miraibotnet.su MaliciousUrl',
        'ip 176.65.139.7 C2',
        'ip 45.9.148.1 C2',
        'ip-anyport 45.9.148.1 C2',
        'ip:port 176.65.139.7:3778 C2',
        'ip:port-ip 176.65.139.7 C2',
        'sha256 5d4e46b3510679dc49ce295b7f448cd69e952d80ba1450f6800be074992b07cc Malware',
      ]);
      await importIntoStore(intel, [feed], { now: NOW, allowlists: [] }); // idempotent
      expect(await lists()).toEqual(first);
      await intel.remove({ values: ['45.9.148.1'] }, { revoke: true, now: NOW });
      expect((await lists()).filter((l) => l.includes('45.9.148.1'))).toEqual([]);
      await intel.remove({ types: ['sha256'] }, { now: NOW });
      expect((await lists()).filter((l) => l.startsWith('sha256'))).toEqual([]);
      expect(await lists()).toHaveLength(4);
    } finally {
      intel.close();
    }
  });
});

describe('a hunt over a large store reads its lists in place', () => {
  it(
    'binds the large lists to TelltaleIntelList and finds what the copy path finds',
    { timeout: 60_000 },
    async () => {
      const path = await intelStore('big.duckdb', bigFeed());
      const store = await flowsStore();
      try {
        const lists = await attachIntelLists(store, path, NOW);
        expect(lists).toBeDefined();
        // 1,500 C2 addresses and 1,500 C2 domains, the C2 ip:port, the payload host, the low-confidence one, the domain and the URL
        expect(lists!.matchable).toBe(3005);
        let inPlace: string[];
        try {
          const bound = await bindIndicatorLists(store, dneHunt(), { now: NOW, intelLists: lists });
          expect(bound).toMatch(/let indicator_addresses = TelltaleIntelList \| where Kind in \("ip"\)/);
          expect(bound).toMatch(/let indicator_endpoints = dynamic\(\["176\.65\.139\.7:3778"\]\)/); // small: literal
          inPlace = await huntRows(store, lists);
        } finally {
          await lists!.detach();
        }
        expect(inPlace).toEqual(EXPECTED);
        expect(await dnsNames(store, path)).toEqual(['c2-7.bad-domain.su.', 'x.C2-1499.bad-domain.su']);
        // the view is gone with the attachment
        expect((await runKql(store, 'TelltaleIntelList | count', { now: NOW })).rows[0]).toMatchObject({
          Count: 0,
        });

        await copyMatchableIndicators(store, path, NOW);
        expect(await huntRows(store)).toEqual(EXPECTED);
      } finally {
        store.close();
      }
    },
  );

  it('falls back to the copy when the lists cannot answer', { timeout: 60_000 }, async () => {
    const path = await intelStore('fallback.duckdb', bigFeed());
    const store = await Store.open();
    try {
      // warning-listed indicators on request: the lists leave them out
      expect(await attachIntelLists(store, path, NOW, { includeWarninglisted: true })).toBeUndefined();
      // a clock before the store's last sync (a replay of the past): Active there speaks of a later time
      expect(await attachIntelLists(store, path, new Date('2026-05-20T00:00:00Z'))).toBeUndefined();
      // nothing is left attached by a refusal
      expect(await store.query(`SELECT database_name FROM duckdb_databases() WHERE NOT internal`)).toEqual([
        { database_name: 'memory' },
      ]);
      // a hunt reading ThreatIntelligenceIndicator itself: the store is copied into it
      const copied = await prepareRunIntel(store, [], NOW, { intelDb: path, readsThreatIntelligence: true });
      expect(copied.intelLists).toBeUndefined();
      expect(copied.loaded).toBe(await store.count('ThreatIntelligenceIndicator'));
      await copied.release();
    } finally {
      store.close();
    }
  });

  it("a run's own copy of an indicator wins over the store's", { timeout: 60_000 }, async () => {
    const path = await intelStore('twin.duckdb', bigFeed());
    const store = await flowsStore();
    try {
      // this run says 45.60.5.9 is no longer active; the store still has it active
      const [own] = importIntelText('45.60.5.9\n', 'run.txt').indicators;
      const run = await prepareRunIntel(store, [{ ...own!, active: false }], NOW, {
        intelDb: path,
        readsThreatIntelligence: false,
      });
      try {
        expect(run.intelLists!.skipIds).toHaveLength(1);
        expect(run.loaded).toBe(3005 - 1 + 1);
        expect(await huntRows(store, run.intelLists)).toEqual(
          EXPECTED.filter((e) => !e.startsWith('45.60.5.9')),
        );
      } finally {
        await run.release();
      }
    } finally {
      store.close();
    }
  });
});
