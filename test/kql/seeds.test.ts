import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { runKql } from '../../src/kql/index.js';
import { NOW, storeWith } from './helpers.js';

// The three hunts of seed 002, verbatim.
const CEF_HUNT = `let malicious_ips = dynamic(["176.65.139.7"]);
CommonSecurityLog
| where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips)
| project TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceAction, Activity
| order by TimeGenerated desc`;

const MDE_HUNT = `let malicious_ips = dynamic(["176.65.139.7"]);
DeviceNetworkEvents
| where RemoteIP in (malicious_ips)
| project Timestamp, DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName, ActionType
| order by Timestamp desc`;

const DNS_HUNT = `let malicious_domains = dynamic(["tvt.miraibotnet.su"]);
DnsEvents
| where Name has_any (malicious_domains)
| project TimeGenerated, Computer, Name, IPAddresses, QueryType
| order by TimeGenerated desc`;

let store: Store;

beforeAll(async () => {
  store = await storeWith({
    CommonSecurityLog: [
      {
        TimeGenerated: '2026-05-21T10:00:00Z',
        SourceIP: '10.0.0.5',
        DestinationIP: '176.65.139.7',
        DestinationPort: 3778,
        DeviceAction: 'allow',
        Activity: 'TCP connect',
      },
      {
        TimeGenerated: '2026-05-21T11:00:00Z',
        SourceIP: '176.65.139.7',
        DestinationIP: '10.0.0.9',
        DestinationPort: 23,
        DeviceAction: 'deny',
        Activity: 'Telnet',
      },
      {
        TimeGenerated: '2026-05-21T09:30:00Z',
        SourceIP: '10.0.0.5',
        DestinationIP: '176.65.139.70',
        DestinationPort: 3778,
        DeviceAction: 'allow',
        Activity: 'TCP connect',
      },
      {
        TimeGenerated: '2026-05-21T08:00:00Z',
        SourceIP: '176.65.139.71',
        DestinationIP: '1.76.65.139',
        DestinationPort: 7547,
        DeviceAction: 'allow',
        Activity: 'TR-069',
      },
    ],
    DeviceNetworkEvents: [
      {
        Timestamp: '2026-05-21T10:00:00Z',
        DeviceName: 'cam-01',
        RemoteIP: '176.65.139.7',
        RemotePort: 3778,
        InitiatingProcessFileName: 'mirai.arm7',
        ActionType: 'ConnectionSuccess',
      },
      {
        Timestamp: '2026-05-21T10:30:00Z',
        DeviceName: 'cam-02',
        RemoteIP: '176.65.139.70',
        RemotePort: 3778,
        InitiatingProcessFileName: 'curl',
        ActionType: 'ConnectionSuccess',
      },
      {
        Timestamp: '2026-05-21T11:00:00Z',
        DeviceName: 'router-2',
        RemoteIP: '176.65.139.7',
        RemotePort: 3778,
        InitiatingProcessFileName: 'busybox',
        ActionType: 'ConnectionAttempt',
      },
    ],
    DnsEvents: [
      {
        TimeGenerated: '2026-05-21T10:00:00Z',
        Computer: 'dns1',
        Name: 'tvt.miraibotnet.su',
        IPAddresses: '176.65.139.7',
        QueryType: 'A',
      },
      {
        TimeGenerated: '2026-05-21T10:05:00Z',
        Computer: 'dns1',
        Name: 'miraibotnet.su.example.com',
        IPAddresses: '',
        QueryType: 'A',
      },
      {
        TimeGenerated: '2026-05-21T10:10:00Z',
        Computer: 'dns2',
        Name: 'a.tvt.miraibotnet.su',
        IPAddresses: '176.65.139.7',
        QueryType: 'AAAA',
      },
      {
        TimeGenerated: '2026-05-21T10:15:00Z',
        Computer: 'dns2',
        Name: 'nottvt.miraibotnet.su.example',
        QueryType: 'A',
      },
      {
        TimeGenerated: '2026-05-21T10:20:00Z',
        Computer: 'dns3',
        Name: 'TVT.MiraiBotnet.SU',
        QueryType: 'TXT',
      },
      {
        TimeGenerated: '2026-05-21T10:25:00Z',
        Computer: 'dns3',
        Name: 'tvt.miraibotnet.sus',
        QueryType: 'A',
      },
    ],
  });
});

afterAll(() => store.close());

describe('seed 002 hunts run verbatim', () => {
  it('CommonSecurityLog: matches the IP on either side, not 176.65.139.70, newest first', async () => {
    const result = await runKql(store, CEF_HUNT, { now: NOW });
    expect(result.columns).toEqual([
      'TimeGenerated',
      'SourceIP',
      'DestinationIP',
      'DestinationPort',
      'DeviceAction',
      'Activity',
      '_Source',
    ]);
    expect(result.rows).toEqual([
      {
        TimeGenerated: '2026-05-21T11:00:00.000Z',
        SourceIP: '176.65.139.7',
        DestinationIP: '10.0.0.9',
        DestinationPort: 23,
        DeviceAction: 'deny',
        Activity: 'Telnet',
        _Source: 'CommonSecurityLog:2',
      },
      {
        TimeGenerated: '2026-05-21T10:00:00.000Z',
        SourceIP: '10.0.0.5',
        DestinationIP: '176.65.139.7',
        DestinationPort: 3778,
        DeviceAction: 'allow',
        Activity: 'TCP connect',
        _Source: 'CommonSecurityLog:1',
      },
    ]);
  });

  it('DeviceNetworkEvents: matches RemoteIP exactly, newest first', async () => {
    const result = await runKql(store, MDE_HUNT, { now: NOW });
    expect(result.columns).toEqual([
      'Timestamp',
      'DeviceName',
      'RemoteIP',
      'RemotePort',
      'InitiatingProcessFileName',
      'ActionType',
      '_Source',
    ]);
    expect(result.rows.map((r) => [r.DeviceName, r.RemoteIP, r._Source])).toEqual([
      ['router-2', '176.65.139.7', 'DeviceNetworkEvents:3'],
      ['cam-01', '176.65.139.7', 'DeviceNetworkEvents:1'],
    ]);
  });

  it('DnsEvents: has_any matches whole terms, case-insensitively, and subdomains', async () => {
    const result = await runKql(store, DNS_HUNT, { now: NOW });
    expect(result.columns).toEqual([
      'TimeGenerated',
      'Computer',
      'Name',
      'IPAddresses',
      'QueryType',
      '_Source',
    ]);
    expect(result.rows.map((r) => r.Name)).toEqual([
      'TVT.MiraiBotnet.SU',
      'a.tvt.miraibotnet.su',
      'tvt.miraibotnet.su',
    ]);
    expect(result.rows[2]).toEqual({
      TimeGenerated: '2026-05-21T10:00:00.000Z',
      Computer: 'dns1',
      Name: 'tvt.miraibotnet.su',
      IPAddresses: '176.65.139.7',
      QueryType: 'A',
      _Source: 'DnsEvents:1',
    });
  });
});
