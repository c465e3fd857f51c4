import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { detectSample } from '../../src/telemetry/detect.js';
import { ingestFile } from '../../src/telemetry/ingest.js';
import { planParser } from '../../src/telemetry/plan-reader.js';
import { suricataPlan } from '../../src/telemetry/suricata.js';
import type { TableRow } from '../../src/telemetry/types.js';
import { hasShared, sharedData, tempDir, writeTemp } from './shared.js';

const FLOW =
  '{"timestamp":"2021-06-06T15:57:37.272281+0200","flow_id":445348883402532,"event_type":"flow","src_ip":"192.168.1.132","src_port":1900,"dest_ip":"176.65.139.7","dest_port":7547,"proto":"TCP","app_proto":"failed","flow":{"pkts_toserver":12,"pkts_toclient":0,"bytes_toserver":4056,"bytes_toclient":0,"start":"2021-06-06T16:38:55.855844+0200","end":"2021-06-06T16:38:56.963027+0200","age":1,"state":"new","reason":"timeout","alerted":false},"host":"sensor-1"}';
const ALERT =
  '{"timestamp":"2021-06-06T15:59:46.457984+0200","event_type":"alert","src_ip":"78.36.196.213","src_port":51698,"dest_ip":"192.168.1.129","dest_port":445,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2403388,"rev":66418,"signature":"ET CINS Poor Reputation IP","category":"Misc Attack","severity":2},"host":"sensor-1"}';
const DNS =
  '{"timestamp":"2021-06-06T16:26:27.442512+0200","event_type":"dns","src_ip":"192.168.1.129","src_port":35790,"dest_ip":"192.168.1.1","dest_port":53,"proto":"UDP","dns":{"version":2,"type":"answer","rrname":"tvt.miraibotnet.su","rrtype":"A","rcode":"NOERROR","grouped":{"A":["176.65.139.7","1.2.3.4"]}},"host":"sensor-1"}';
const HTTP =
  '{"timestamp":"2021-06-06T16:26:27.442512+0200","event_type":"http","src_ip":"1.1.1.1","http":{}}';

describe('Suricata EVE JSON', () => {
  it('is detected from its first line', () => {
    expect(detectSample('eve.json', Buffer.from(FLOW + '\n')).format).toBe('suricata-eve');
  });

  it('maps flow, alert and dns in JavaScript (the fallback reader) as documented', () => {
    const ignored: string[] = [];
    const parse = planParser(suricataPlan(), (r) => ignored.push(r));
    const flow = parse(FLOW, 1) as TableRow[];
    expect(flow.map((r) => r.table)).toEqual(['DeviceNetworkEvents', 'CommonSecurityLog']);
    expect(flow[0].row).toMatchObject({
      ActionType: 'ConnectionAttempt',
      LocalIP: '192.168.1.132',
      RemotePort: 7547,
      RemoteIPType: 'Public',
      Protocol: 'Tcp',
    });
    expect(flow[1].row).toMatchObject({ DeviceVendor: 'OISF', DeviceProduct: 'Suricata', SentBytes: 4056 });
    const [alert] = parse(ALERT, 2) as TableRow[];
    expect(alert.row).toMatchObject({
      Activity: 'ET CINS Poor Reputation IP',
      DeviceEventClassID: 2403388,
      LogSeverity: 2,
      DeviceVendor: 'OISF',
    });
    const [dns] = parse(DNS, 3) as TableRow[];
    expect(dns.row).toMatchObject({
      Name: 'tvt.miraibotnet.su',
      IPAddresses: '176.65.139.7,1.2.3.4',
      ResultCode: 0,
    });
    // an event type no Sentinel table maps gives no row: only its native table (DuckDB's path) holds it
    expect(parse(HTTP, 4)).toEqual([]);
    expect(ignored).toEqual([]);
  });

  it('ingests through DuckDB with every line accounted for, odd lines handed to the reader', async () => {
    const dir = tempDir();
    const bad = FLOW.replace('"src_port":1900', '"src_port":"x"');
    const file = writeTemp(dir, 'eve.json', [FLOW, ALERT, '', DNS, HTTP, '{not json', bad].join('\n') + '\n');
    const store = await Store.open();
    const ledger = await ingestFile(store, file);
    expect(ledger.format).toBe('suricata-eve');
    expect(ledger.read).toBe(ledger.ingested + ledger.rejected.length);
    expect(ledger.read + ledger.ignored).toBe(7);
    expect(ledger.ingested).toBe(4);
    expect(ledger.rejected.map((r) => r.line)).toEqual([6, 7]);
    expect(ledger.rejected[1].reason).toMatch(/src_port/);
    expect(ledger.ignoredReasons).toEqual({ 'blank line': 1 });
    expect(ledger.nativeTable).toBe('suricata_flow, suricata_alert, suricata_dns, suricata_http');
    expect(ledger.tables).toEqual({ DeviceNetworkEvents: 1, CommonSecurityLog: 2, DnsEvents: 1 });
    const rows = await store.query(
      'SELECT TimeGenerated, LocalIPType, RemoteIP, ActionType, _Source FROM DeviceNetworkEvents',
    );
    expect(rows).toEqual([
      {
        TimeGenerated: '2021-06-06T14:38:55.855Z',
        LocalIPType: 'Private',
        RemoteIP: '176.65.139.7',
        ActionType: 'ConnectionAttempt',
        _Source: `${file}:1`,
      },
    ]);
    const [alert] = await store.query(
      "SELECT Activity, DeviceEventClassID, LogSeverity, _Source FROM CommonSecurityLog WHERE DeviceEventClassID <> 'flow'",
    );
    expect(alert).toEqual({
      Activity: 'ET CINS Poor Reputation IP',
      DeviceEventClassID: '2403388',
      LogSeverity: '2',
      _Source: `${file}:2`,
    });
    store.close();
  });

  it.skipIf(!hasShared)('accounts for every line of test6-malicious.suricata.json', async () => {
    const file = join(sharedData, 'suricata/test6-malicious.suricata.json');
    const lines = readFileSync(file, 'utf8').split('\n');
    const count = (t: string) => lines.filter((l) => l.includes(`"event_type":"${t}"`)).length;
    const store = await Store.open();
    const ledger = await ingestFile(store, file);
    expect(ledger.format).toBe('suricata-eve');
    expect(ledger.rejected).toEqual([]);
    expect(ledger.read + ledger.ignored).toBe(lines.length - (lines.at(-1) === '' ? 1 : 0));
    expect(ledger.ignored).toBe(0);
    expect(ledger.ingested).toBe(lines.filter((l) => l.trim() !== '').length);
    expect(ledger.tables.DeviceNetworkEvents).toBe(count('flow') + count('netflow'));
    expect(ledger.tables.DnsEvents).toBe(count('dns'));
    // each event once, in the table of its event_type
    for (const type of ['flow', 'alert', 'dns', 'http', 'tls', 'fileinfo', 'anomaly']) {
      const [stored] = await store.query(`SELECT count(*) AS n FROM suricata_${type}`);
      expect(stored.n, type).toBe(count(type));
    }
    const [row] = await store.query(
      "SELECT count(*) AS n FROM CommonSecurityLog WHERE DeviceProduct = 'Suricata' AND Activity LIKE 'ET %'",
    );
    expect(row.n).toBe(count('alert'));
    store.close();
  });
});

describe('nfdump CSV (NetFlow / IPFIX)', () => {
  const header =
    'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';
  const tail =
    ',0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0.000,0.000,0.000,0.0.0.0,0/0,1,2024-05-21 10:00:01.120';
  const flow = (ts: string, sa: string, da: string, sp: number, dp: number, flg: string, bytes: number) =>
    `${ts},${ts},0.000,${sa},${da},${sp},${dp},TCP,${flg},0,0,1,${bytes},0,0${tail}`;
  const sample = [
    header,
    flow('2024-05-21 10:00:00.000', '10.1.0.23', '176.65.139.7', 40001, 3778, '...AP.SF', 1480),
    flow('2024-05-21 10:00:00.250', '10.1.0.23', '203.0.113.9', 40002, 7547, '....S.', 60),
    flow('2024-05-21 10:00:00.500', '10.1.0.23', 'x', 'bad' as unknown as number, 23, '....S.', 60),
    'Summary',
    'flows,bytes,packets,avg_bps,avg_pps,avg_bpp',
    '3,1600,3,0,0,533',
  ];

  it('is detected by its header and ingested into both tables, the summary ignored', async () => {
    expect(detectSample('flows.csv', Buffer.from(sample.join('\n'))).format).toBe('nfdump-csv');
    const dir = tempDir();
    const file = writeTemp(dir, 'flows.csv', sample.join('\n') + '\n');
    const store = await Store.open();
    const ledger = await ingestFile(store, file);
    expect(ledger.format).toBe('nfdump-csv');
    expect(ledger.ingested).toBe(2);
    expect(ledger.rejected.map((r) => r.line)).toEqual([4]);
    expect(ledger.read + ledger.ignored).toBe(sample.length);
    expect(ledger.tables).toEqual({ DeviceNetworkEvents: 2, CommonSecurityLog: 2 });
    const rows = await store.query(
      'SELECT TimeGenerated, LocalIP, RemoteIP, RemotePort, ActionType, Protocol, RemoteIPType, _Source FROM DeviceNetworkEvents ORDER BY _Source',
    );
    expect(rows).toEqual([
      {
        TimeGenerated: '2024-05-21T10:00:00.000Z',
        LocalIP: '10.1.0.23',
        RemoteIP: '176.65.139.7',
        RemotePort: 3778,
        ActionType: null,
        Protocol: 'Tcp',
        RemoteIPType: 'Public',
        _Source: `${file}:2`,
      },
      {
        TimeGenerated: '2024-05-21T10:00:00.250Z',
        LocalIP: '10.1.0.23',
        RemoteIP: '203.0.113.9',
        RemotePort: 7547,
        ActionType: 'ConnectionAttempt',
        Protocol: 'Tcp',
        RemoteIPType: 'Reserved',
        _Source: `${file}:3`,
      },
    ]);
    const [csl] = await store.query(
      'SELECT DeviceVendor, SentBytes, EndTime FROM CommonSecurityLog WHERE DestinationPort = 3778',
    );
    expect(csl).toEqual({ DeviceVendor: 'nfdump', SentBytes: 1480, EndTime: '2024-05-21T10:00:00.000Z' });
    store.close();
  });
});
