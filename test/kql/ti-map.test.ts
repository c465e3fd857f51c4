/**
 * The Sentinel TI-map rules (../shared/data/kql/sentinel), run unchanged on planted rows: each rule must
 * return exactly the known matches and none of the private, expired, inactive or out-of-window ones.
 * NOW is 2026-05-21T12:00Z; the rules look back 1h for events and 14d for indicators.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { runKql } from '../../src/kql/index.js';
import { packageRoot } from '../../src/util/paths.js';
import { NOW, storeWith } from './helpers.js';

const DIR = join(packageRoot, '..', 'shared', 'data', 'kql', 'sentinel');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const FUTURE = '2026-06-30T00:00:00Z';
const PAST = '2026-05-20T00:00:00Z';

/** One indicator; the defaults make it active, unexpired and recent. */
const indicator = (id: string, fields: Record<string, unknown>) => ({
  IndicatorId: id,
  TimeGenerated: ago(24 * 60),
  Active: true,
  ExpirationDateTime: FUTURE,
  ThreatType: 'C2',
  ConfidenceScore: 80,
  Description: `planted ${id}`,
  ...fields,
});

const INDICATORS = [
  indicator('ip-good', { NetworkIP: '176.65.139.7' }),
  indicator('ip-private', { NetworkIP: '10.0.0.5' }),
  indicator('ip-expired', { NetworkIP: '45.95.147.10', ExpirationDateTime: PAST }),
  indicator('ip-inactive', { NetworkIP: '185.1.1.1', Active: false }),
  indicator('ip-old', { NetworkIP: '91.2.2.2', TimeGenerated: ago(20 * 24 * 60) }),
  indicator('d-good', { DomainName: 'evil.example.com' }),
  indicator('d-expired', { DomainName: 'expired.example.net', ExpirationDateTime: PAST }),
  indicator('d-inactive', { DomainName: 'inactive.example.org', Active: false }),
  indicator('h-good', { FileHashValue: 'a'.repeat(40), FileHashType: 'SHA1' }),
  indicator('h-falsepos', {
    FileHashValue: 'b'.repeat(40),
    FileHashType: 'SHA1',
    Description: 'State: falsepos;',
  }),
  indicator('h-expired', { FileHashValue: 'c'.repeat(40), FileHashType: 'SHA1', ExpirationDateTime: PAST }),
  indicator('h-inactive', { FileHashValue: 'd'.repeat(40), FileHashType: 'SHA1', Active: false }),
];

const firewall = (dest: string, minutes: number, source = '10.1.1.1') => ({
  TimeGenerated: ago(minutes),
  SourceIP: source,
  DestinationIP: dest,
  DeviceVendor: 'Fortinet',
  Message: `conn ${source} -> ${dest}`,
});

const DATA = {
  ThreatIntelligenceIndicator: INDICATORS,
  CommonSecurityLog: [
    firewall('176.65.139.7', 30), // the one match
    firewall('176.65.139.7', 120), // out of the 1h window
    firewall('10.0.0.5', 20, '10.0.0.9'), // a private indicator
    firewall('45.95.147.10', 20), // expired indicator
    firewall('185.1.1.1', 20), // inactive indicator
    firewall('91.2.2.2', 20), // indicator older than 14 days
  ],
  DnsEvents: [
    {
      TimeGenerated: ago(10),
      Name: 'evil.example.com',
      Computer: 'ws1.corp.local',
      ClientIP: '10.0.0.7',
      QueryType: 'A',
    },
    { TimeGenerated: ago(180), Name: 'evil.example.com', Computer: 'ws2.corp.local', ClientIP: '10.0.0.8' },
    { TimeGenerated: ago(10), Name: 'expired.example.net', Computer: 'ws1.corp.local', ClientIP: '10.0.0.7' },
    {
      TimeGenerated: ago(10),
      Name: 'inactive.example.org',
      Computer: 'ws1.corp.local',
      ClientIP: '10.0.0.7',
    },
  ],
  DeviceFileEvents: [
    {
      TimeGenerated: ago(15),
      DeviceId: 'dev1',
      DeviceName: 'ws1',
      SHA1: 'a'.repeat(40),
      ActionType: 'FileCreated',
    },
    {
      TimeGenerated: ago(150),
      DeviceId: 'dev2',
      DeviceName: 'ws2',
      SHA1: 'a'.repeat(40),
      ActionType: 'FileCreated',
    },
    { TimeGenerated: ago(15), DeviceId: 'dev3', DeviceName: 'ws3', SHA1: 'b'.repeat(40) },
    { TimeGenerated: ago(15), DeviceId: 'dev4', DeviceName: 'ws4', SHA1: 'c'.repeat(40) },
    { TimeGenerated: ago(15), DeviceId: 'dev5', DeviceName: 'ws5', SHA1: 'd'.repeat(40) },
  ],
  DeviceNetworkEvents: [
    { TimeGenerated: ago(5), DeviceName: 'ws1', RemoteIP: '176.65.139.7', ActionType: 'ConnectionSuccess' },
    { TimeGenerated: ago(5), DeviceName: 'ws1', RemoteIP: '45.95.147.10', ActionType: 'ConnectionSuccess' },
    { TimeGenerated: ago(5), DeviceName: 'ws1', RemoteIP: '10.0.0.5', ActionType: 'ConnectionSuccess' },
    { TimeGenerated: ago(90), DeviceName: 'ws2', RemoteIP: '176.65.139.7', ActionType: 'ConnectionSuccess' },
  ],
};

let store: Store;
let feeds: string;
const rule = (name: string) => readFileSync(join(DIR, name), 'utf8');
const run = (name: string) => runKql(store, rule(name), { now: NOW, externaldataDir: feeds });

describe.skipIf(!existsSync(DIR))('TI-map rules on planted rows', () => {
  beforeAll(async () => {
    store = await storeWith(DATA);
    // the domain rule also reads MSTIC's RapidReleaseTI feed: one inactive domain, which must not match
    feeds = mkdtempSync(join(tmpdir(), 'tt-timap-'));
    const csv = join(feeds, 'raw.githubusercontent.com/microsoft/mstic/master/RapidReleaseTI/Indicators.csv');
    mkdirSync(join(csv, '..'), { recursive: true });
    writeFileSync(
      csv,
      'TimeGenerated,IoC,IoC_Type,ExpirationDateTime,Description,Action,ConfidenceScore,ThreatType,Active,Type,TrafficLightProtocolLevel,ActivityGroupNames\n' +
        `${ago(60)},feed.example.com,domainname,${FUTURE},feed,alert,50,C2,False,indicator,green,\n`,
    );
  });
  afterAll(() => {
    store?.close();
    if (feeds) rmSync(feeds, { recursive: true, force: true });
  });

  it('IP → CommonSecurityLog returns only the public, active, unexpired, recent indicator hit', async () => {
    const r = await run('ti-map-ip-entity-to-commonsecuritylog.kql');
    expect(r.rows.map((x) => [x.IndicatorId, x.CS_ipEntity, x.timestamp, x.DestinationIP])).toEqual([
      ['ip-good', '176.65.139.7', ago(30), '176.65.139.7'],
    ]);
  });

  it('Domain → DnsEvents returns only the active, unexpired domain looked up in the window', async () => {
    const r = await run('ti-map-domain-entity-to-dnsevents.kql');
    expect(
      r.rows.map((x) => [x.IndicatorId, x.Name, x.DNS_TimeGenerated, x.Computer, x.HostName, x.DnsDomain]),
    ).toEqual([['d-good', 'evil.example.com', ago(10), 'ws1.corp.local', 'ws1', 'corp.local']]);
  });

  it('File hash → DeviceFileEvents returns only the active, unexpired, non-falsepos hash seen in the window', async () => {
    const r = await run('ti-map-file-hash-to-devicefileevents.kql');
    expect(r.rows.map((x) => [x.IndicatorId, x.DeviceId, x.FileHashValue, x.TimeGenerated])).toEqual([
      ['h-good', 'dev1', 'a'.repeat(40), ago(15)],
    ]);
  });

  it('IP → DeviceNetworkEvents returns only the public, active, unexpired indicator hit in the window', async () => {
    const r = await run('ti-map-ip-entity-to-devicenetworkevents.kql');
    expect(r.rows.map((x) => [x.IndicatorId, x.TI_ipEntity, x.DeviceName, x.timestamp])).toEqual([
      ['ip-good', '176.65.139.7', 'ws1', ago(5)],
    ]);
  });
});

it.skipIf(existsSync(DIR))('TI-map rules: skipped, ../shared/data/kql/sentinel is absent', () => {});
