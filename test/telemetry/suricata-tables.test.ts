import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestFile } from '../../src/telemetry/ingest.js';
import { tempDir, writeTemp } from './shared.js';

const base = (type: string, rest: string) =>
  `{"timestamp":"2024-05-21T10:00:00.250000+0000","flow_id":77,"event_type":"${type}","src_ip":"10.1.0.23","src_port":40001,"dest_ip":"176.65.139.7","dest_port":80,"proto":"TCP","host":"sensor-1"${rest}}`;
const FLOW = base(
  'flow',
  ',"app_proto":"http","flow":{"pkts_toserver":3,"pkts_toclient":2,"bytes_toserver":300,"bytes_toclient":900,"start":"2024-05-21T10:00:00.000000+0000","end":"2024-05-21T10:00:01.000000+0000","age":1,"state":"closed","reason":"timeout","alerted":true},"tcp":{"tcp_flags":"1b","syn":true,"fin":true,"psh":true,"ack":true,"state":"closed"}',
);
const HTTP = base(
  'http',
  ',"tx_id":0,"http":{"hostname":"176.65.139.7","url":"/bins/mirai.arm7","http_user_agent":"Wget","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":61234}',
);
const ALERT = base(
  'alert',
  ',"alert":{"action":"allowed","gid":1,"signature_id":2024917,"rev":3,"signature":"ET MALWARE Mirai download","category":"A Network Trojan was detected","severity":1,"metadata":{"tag":["Mirai"]}},"http":{"hostname":"176.65.139.7","url":"/bins/mirai.arm7"}',
);
const TLS = base(
  'tls',
  ',"tls":{"subject":"CN=c2.example","sni":"c2.example","version":"TLS 1.2","notafter":"2025-01-01T00:00:00","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865","string":"771,49195"}}',
);
const SMB = base('smb', ',"smb":{"command":"SMB2_COMMAND_NEGOTIATE","dialect":"2.10"}');
const NO_TYPE = '{"timestamp":"2024-05-21T10:00:02Z","src_ip":"10.1.0.23"}';

async function load(name: string, content: string | Buffer) {
  const file = writeTemp(tempDir(), name, content);
  const store = await Store.open();
  const ledger = await ingestFile(store, file);
  return { file, store, ledger };
}

describe('Suricata EVE: one native table per event_type', () => {
  const lines = [FLOW, HTTP, ALERT, TLS, SMB, NO_TYPE];

  it('stores each event once, in the table of its type, typed as EVE defines it', async () => {
    const { store, ledger } = await load('eve.json', lines.join('\n') + '\n');
    expect(ledger.read).toBe(6);
    expect(ledger.ingested).toBe(6);
    expect(ledger.rejected).toEqual([]);
    expect(ledger.nativeTable).toBe(
      'suricata_flow, suricata_alert, suricata_http, suricata_tls, suricata_other',
    );
    const [flow] = await store.query(
      'SELECT "flow.bytes_toclient" AS b, "flow.alerted" AS alerted, "tcp.syn" AS syn, "flow.end" AS e, _line FROM suricata_flow',
    );
    expect(flow).toEqual({ b: 900, alerted: true, syn: true, e: '2024-05-21T10:00:01.000Z', _line: 1 });
    const [http] = await store.query(
      'SELECT "http.url" AS url, "http.status" AS status, "http.length" AS len, typeof("http.status") AS t, _line FROM suricata_http',
    );
    expect(http).toEqual({ url: '/bins/mirai.arm7', status: 200, len: 61234, t: 'INTEGER', _line: 2 });
    const [alert] = await store.query(
      'SELECT "alert.signature_id" AS sid, "alert.metadata" AS meta, "http.url" AS url FROM suricata_alert',
    );
    expect(alert).toEqual({ sid: 2024917, meta: '{"tag":["Mirai"]}', url: '/bins/mirai.arm7' });
    const [tls] = await store.query('SELECT "tls.sni" AS sni, "tls.ja3.hash" AS ja3 FROM suricata_tls');
    expect(tls).toEqual({ sni: 'c2.example', ja3: 'e7d705a3286e19ea42f587b344ee6865' });
    store.close();
  });

  it('keeps event types without a table (and lines without event_type) whole in suricata_other', async () => {
    const { store } = await load('eve.json', lines.join('\n') + '\n');
    const other = await store.query(
      "SELECT event_type, src_ip, _raw->>'$.smb.dialect' AS dialect, _raw, _line FROM suricata_other ORDER BY _line",
    );
    expect(other).toEqual([
      { event_type: 'smb', src_ip: '10.1.0.23', dialect: '2.10', _raw: SMB, _line: 5 },
      { event_type: null, src_ip: '10.1.0.23', dialect: null, _raw: NO_TYPE, _line: 6 },
    ]);
    store.close();
  });

  it('feeds the Sentinel views from the per-type tables, with file:line provenance', async () => {
    const { file, store, ledger } = await load('eve.json', lines.join('\n') + '\n');
    expect(ledger.tables).toEqual({ DeviceNetworkEvents: 1, CommonSecurityLog: 2 });
    const rows = await store.query(
      'SELECT DeviceEventClassID AS id, Activity, SentBytes, _Source FROM CommonSecurityLog ORDER BY _Source',
    );
    expect(rows).toEqual([
      { id: 'flow', Activity: 'closed', SentBytes: 300, _Source: `${file}:1` },
      { id: '2024917', Activity: 'ET MALWARE Mirai download', SentBytes: null, _Source: `${file}:3` },
    ]);
    store.close();
  });

  it('reads .gz directly, and a second file adds to the same tables', async () => {
    const dir = tempDir();
    const gz = writeTemp(dir, 'eve.json.1.gz', gzipSync(lines.join('\n') + '\n'));
    const plain = writeTemp(dir, 'eve.json', [HTTP, HTTP.replace('"status":200', '"status":404')].join('\n'));
    const store = await Store.open();
    expect((await ingestFile(store, gz)).ingested).toBe(6);
    expect((await ingestFile(store, plain)).ingested).toBe(2);
    const rows = await store.query(
      'SELECT f.path, n._line, n."http.status" AS status FROM suricata_http n JOIN tt_files f ON f.id = n._file ORDER BY f.id, n._line',
    );
    expect(rows).toEqual([
      { path: gz, _line: 2, status: 200 },
      { path: plain, _line: 1, status: 200 },
      { path: plain, _line: 2, status: 404 },
    ]);
    const natives = await store.query("SELECT name FROM tt_native WHERE name LIKE 'suricata%' ORDER BY name");
    expect(natives.map((r) => r.name)).not.toContain('suricata_http_2');
    store.close();
  });

  it('a value that does not fit its EVE type is rejected with the field, line and reason', async () => {
    const bad = HTTP.replace('"status":200', '"status":"OK"');
    const { store, ledger } = await load('eve.json', [FLOW, bad].join('\n') + '\n');
    expect(ledger.read).toBe(ledger.ingested + ledger.rejected.length);
    expect(ledger.rejected).toEqual([
      { file: expect.any(String), line: 2, reason: 'http.status: not an int: "OK"' },
    ]);
    store.close();
  });

  it('a file DuckDB cannot read goes the JavaScript way: unmapped events are rejected, not lost silently', async () => {
    const invalidUtf8 = Buffer.concat([
      Buffer.from(FLOW.slice(0, -1) + ',"note":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`"}\n${HTTP}\n`),
    ]);
    const { store, ledger } = await load('eve.json', invalidUtf8);
    expect(ledger.read).toBe(2);
    expect(ledger.ingested).toBe(1);
    expect(ledger.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, 'not stored: DuckDB could not read the file into its native table'],
    ]);
    const [row] = await store.query('SELECT count(*) AS n FROM DeviceNetworkEvents');
    expect(row.n).toBe(1);
    store.close();
  });
});
