import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestFile, ingestPaths } from '../../src/telemetry/ingest.js';
import { ipType } from '../../src/telemetry/iptype.js';
import { IGNORED, type TableRow } from '../../src/telemetry/types.js';
import { unescapeZeek, zeekJsonParser, zeekPathFromName, zeekTsvParser } from '../../src/telemetry/zeek.js';
import { hasShared, sharedData, tempDir, writeTemp } from './shared.js';

const TSV_HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2024-01-01-00-00-00',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\thistory\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tstring\tset[string]',
];

function rows(result: unknown): TableRow[] {
  if (typeof result === 'string') throw new Error(result);
  return Array.isArray(result) ? result : [result as TableRow];
}

describe('Zeek conn TSV', () => {
  it('reads headers, unset, (empty) and \\x escapes, and maps to both tables', () => {
    const parse = zeekTsvParser({ sensor: 'zeek-1' });
    for (const [i, h] of TSV_HEADER.entries()) expect(parse(h, i + 1)).toBe(IGNORED);
    const out = rows(
      parse(
        '1700000000.5\tCabc\t10.0.0.5\t51000\t176.65.139.7\t7547\ttcp\t-\t1.5\t10\t20\tSF\tShAD\\x09x\t(empty)',
        9,
      ),
    );
    expect(out.map((r) => r.table)).toEqual(['DeviceNetworkEvents', 'CommonSecurityLog']);
    const dne = out[0].row;
    expect(dne).toMatchObject({
      DeviceName: 'zeek-1',
      ActionType: 'ConnectionSuccess',
      LocalIP: '10.0.0.5',
      LocalPort: 51000,
      LocalIPType: 'Private',
      RemoteIP: '176.65.139.7',
      RemotePort: 7547,
      RemoteIPType: 'Public',
      Protocol: 'Tcp',
      Type: 'DeviceNetworkEvents',
    });
    expect((dne.Timestamp as Date).toISOString()).toBe('2023-11-14T22:13:20.500Z');
    expect(dne.TimeGenerated).toEqual(dne.Timestamp);
    expect(dne.AdditionalFields).toEqual({
      uid: 'Cabc',
      duration: 1.5,
      orig_bytes: 10,
      resp_bytes: 20,
      conn_state: 'SF',
      history: 'ShAD\tx',
    });
    const csl = out[1].row;
    expect(csl).toMatchObject({
      DeviceVendor: 'Zeek',
      DeviceProduct: 'conn',
      Activity: 'SF',
      SourceIP: '10.0.0.5',
      SourcePort: 51000,
      DestinationIP: '176.65.139.7',
      DestinationPort: 7547,
      Protocol: 'TCP',
      SentBytes: 10,
      ReceivedBytes: 20,
      Computer: 'zeek-1',
    });
    expect((csl.EndTime as Date).toISOString()).toBe('2023-11-14T22:13:22.000Z');
    expect(csl.AdditionalExtensions).toBe(
      'uid=Cabc;duration=1.5;orig_bytes=10;resp_bytes=20;conn_state=SF;history=ShAD\tx',
    );
  });

  it('maps conn_state to ActionType and can feed one table only', () => {
    const parse = zeekTsvParser({ connTables: ['DeviceNetworkEvents'] });
    TSV_HEADER.forEach((h, i) => parse(h, i + 1));
    const action = (state: string) =>
      rows(parse(`1\tC\t1.1.1.1\t1\t2.2.2.2\t23\ttcp\t-\t-\t-\t-\t${state}\tS\t(empty)`, 9))[0].row
        .ActionType;
    expect(action('S0')).toBe('ConnectionAttempt');
    expect(action('REJ')).toBe('ConnectionFailed');
    expect(action('RSTO')).toBe('ConnectionSuccess');
    expect(action('SF')).toBe('ConnectionSuccess');
    expect(action('OTH')).toBe('ConnectionFound');
    expect(action('???')).toBeNull();
    expect(rows(parse(`1\tC\t1.1.1.1\t1\t2.2.2.2\t23\ttcp\t-\t-\t-\t-\tSF\tS\t(empty)`, 9))).toHaveLength(1);
  });

  it('rejects data before #fields and rows with the wrong field count', () => {
    const parse = zeekTsvParser();
    expect(parse('1\t2', 1)).toMatch(/before the #fields header/);
    TSV_HEADER.forEach((h, i) => parse(h, i + 1));
    expect(parse('1\t2\t3', 9)).toMatch(/3 fields, #fields names 14/);
    expect(parse('', 10)).toBe(IGNORED);
    expect(parse('#close\t2024-01-01-01-00-00', 11)).toBe(IGNORED);
  });

  it('unescapes \\xHH and \\\\', () => {
    expect(unescapeZeek('a\\x09b\\x5cc\\\\d')).toBe('a\tb\\c\\d');
  });
});

describe('Zeek dns and JSON', () => {
  it('maps dns to DnsEvents: answers that are IPs, comma-joined', () => {
    const parse = zeekJsonParser({ sensor: 's1' });
    const out = rows(
      parse(
        '{"ts":1700000000,"uid":"C1","id.orig_h":"10.0.0.9","id.orig_p":5353,"id.resp_h":"8.8.8.8","id.resp_p":53,"proto":"udp",' +
          '"query":"tvt.miraibotnet.su","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","answers":["cdn.example","176.65.139.7","::1"]}',
        1,
      ),
    );
    expect(out).toEqual([
      {
        table: 'DnsEvents',
        row: {
          TimeGenerated: new Date(1700000000000),
          Computer: 's1',
          ClientIP: '10.0.0.9',
          Name: 'tvt.miraibotnet.su',
          QueryType: 'A',
          IPAddresses: '176.65.139.7,::1',
          ResultCode: 0,
          SubType: 'LookupQuery',
          Type: 'DnsEvents',
        },
      },
    ]);
  });

  it('tells conn from dns per record, rejects broken JSON and unknown kinds', () => {
    const parse = zeekJsonParser();
    const conn =
      '"ts":1,"id.orig_h":"1.1.1.1","id.orig_p":1,"id.resp_h":"2.2.2.2","id.resp_p":23,"proto":"tcp"';
    expect(rows(parse(`{${conn},"conn_state":"S0"}`, 1))).toHaveLength(2);
    expect(parse('{"ts":1,"id.orig_h":"1.1.1.1","conn_state":"S0"}', 1)).toMatch(
      /conn record lacks id.orig_p, id.resp_h, id.resp_p, proto/,
    );
    expect(parse('{"ts":1,"method":"GET"}', 2)).toMatch(/unknown kind/);
    expect(parse('{"ts":', 3)).toMatch(/invalid JSON/);
    expect(parse('[1]', 4)).toMatch(/not a JSON object/);
    expect(parse('{"ts":"yesterday","conn_state":"S0"}', 5)).toMatch(/ts is not a time/);
    expect(zeekJsonParser({ path: 'http' })('{"ts":1}', 1)).toMatch(/no Sentinel table maps http/);
  });

  it('infers the log kind from the file name', () => {
    expect(zeekPathFromName('/x/conn.log')).toBe('conn');
    expect(zeekPathFromName('labeled-conn.log')).toBe('conn');
    expect(zeekPathFromName('dns.00:00:00-01:00:00.log.gz')).toBe('dns');
    expect(zeekPathFromName('connection.log')).toBeUndefined();
  });

  it('classifies IPs as Defender does', () => {
    expect(
      ['8.8.8.8', '10.1.1.1', '127.0.0.1', '169.254.1.1', '224.0.0.252', '255.255.255.255', '0.0.0.0'].map(
        ipType,
      ),
    ).toEqual(['Public', 'Private', 'Loopback', 'LinkLocal', 'Multicast', 'Broadcast', 'Reserved']);
    expect(
      ['fe80::1', 'ff02::1:3', 'fd2d::1', '2a00:1450::1', '::ffff:1.2.3.4', 'cdn.example'].map(ipType),
    ).toEqual(['LinkLocal', 'Multicast', 'Private', 'Public', 'FourToSixMapping', null]);
  });

  it('ingests a generated TSV file with every line accounted for', async () => {
    const dir = tempDir();
    const file = writeTemp(
      dir,
      'conn.log',
      [
        ...TSV_HEADER,
        '1\tC\t1.1.1.1\t1\t2.2.2.2\t23\ttcp\t-\t-\t-\t-\tS0\tS\t(empty)',
        'broken',
        '#close\tx',
        '',
      ].join('\n'),
    );
    const store = await Store.open();
    const ledger = await ingestFile(store, file);
    expect(ledger).toMatchObject({ format: 'zeek-tsv', read: 2, ingested: 1, ignored: 9 });
    expect(ledger.rejected).toEqual([{ file, line: 10, reason: '1 fields, #fields names 14' }]);
    expect(ledger.tables).toEqual({ DeviceNetworkEvents: 1, CommonSecurityLog: 1 });
    expect(await store.query('SELECT _Source FROM DeviceNetworkEvents')).toEqual([{ _Source: `${file}:9` }]);
    store.close();
  });
});

const HTTP_TSV = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\thttp',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmethod\turi\tstatus_code\tresp_mime_types',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tstring\tcount\tvector[string]',
  '1700000000.25\tC1\t10.0.0.5\t40000\t203.0.113.9\t80\tGET\t/bins/mirai.arm7\t200\tapplication/x-executable,text/plain',
  '1700000001\tC2\t10.0.0.6\t40001\t203.0.113.9\t80\tPOST\t/x\t-\t(empty)',
  '1700000002\tC3\t10.0.0.6\t40001\t203.0.113.9\tnotaport\tPOST\t/x\t-\t-',
  '#close\tx',
  '',
].join('\n');

async function columnTypes(store: Store, table: string): Promise<Record<string, string>> {
  const rows = await store.query(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '${table}'`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.column_name), String(r.data_type)]));
}

describe('Zeek logs of every path in native tables (DuckDB reads them)', () => {
  it('keeps an http TSV log in zeek_http, typed by #types, plain or gzip', async () => {
    const dir = tempDir();
    const plain = writeTemp(dir, 'http.log', HTTP_TSV);
    const gz = writeTemp(dir, 'http.00:00:00-01:00:00.log.gz', gzipSync(HTTP_TSV.replace('C1', 'G1')));
    const store = await Store.open();
    for (const file of [plain, gz]) {
      const ledger = await ingestFile(store, file);
      expect(ledger, file).toMatchObject({
        format: 'zeek-tsv',
        read: 3,
        ingested: 2,
        nativeTable: 'zeek_http',
      });
      expect(ledger.rejected).toEqual([{ file, line: 10, reason: 'id.resp_p: not an int: "notaport"' }]);
      expect(ledger.tables).toEqual({});
    }
    expect(await columnTypes(store, 'zeek_http')).toMatchObject({
      ts: 'TIMESTAMP',
      'id.orig_h': 'VARCHAR',
      'id.resp_p': 'INTEGER',
      status_code: 'BIGINT',
      resp_mime_types: 'VARCHAR[]',
    });
    const rows = await store.query(
      'SELECT uid, ts, status_code, resp_mime_types AS types, _line FROM zeek_http ORDER BY uid',
    );
    expect(rows.map((r) => [r.uid, r.ts, r.status_code, r.types, r._line])).toEqual(
      [
        ['C1', '2023-11-14T22:13:20.250Z', 200, ['application/x-executable', 'text/plain'], 8],
        ['C2', '2023-11-14T22:13:21.000Z', null, null, 9],
        ['G1', '2023-11-14T22:13:20.250Z', 200, ['application/x-executable', 'text/plain'], 8],
        ['C2', '2023-11-14T22:13:21.000Z', null, null, 9],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    store.close();
  });

  it('decodes \\xHH escapes in SQL, in native tables and the views, as the line reader does', async () => {
    const uris = ['/a\\x09b', '/caf\\xe9', '/\\x2d', '/odd\\x4', '/x\\x5cx41'];
    const lines = uris.map(
      (uri, i) =>
        `1700000000\tE${i}\t10.0.0.5\t40000\t203.0.113.9\t80\tGET\t${uri}\t200\ttext/\\x2cplain,a\\x09b`,
    );
    const http = HTTP_TSV.split('\n').slice(0, 7).concat(lines, ['']).join('\n');
    const conn = [
      ...TSV_HEADER,
      '1700000000.5\tCabc\t10.0.0.5\t51000\t176.65.139.7\t7547\ttcp\t-\t1.5\t10\t20\tSF\tSh\\x09A\\x2c\t(empty)',
      '',
    ].join('\n');
    const dir = tempDir();
    const store = await Store.open();
    const httpLedger = await ingestFile(store, writeTemp(dir, 'http.log', http));
    const connLedger = await ingestFile(store, writeTemp(dir, 'conn.log', conn));
    expect(httpLedger).toMatchObject({ read: 5, ingested: 5, rejected: [] });
    expect(connLedger).toMatchObject({ read: 1, ingested: 1, rejected: [] });
    const got = await store.query('SELECT uri, resp_mime_types AS types FROM zeek_http ORDER BY uid');
    expect(got).toEqual(uris.map((uri) => ({ uri: unescapeZeek(uri), types: ['text/,plain', 'a\tb'] })));
    expect(got.map((r) => r.uri)).toEqual(['/a\tb', '/café', '/-', '/odd\\x4', '/x\\x41']);
    // every line went to the native table (none through the line reader's rows)
    expect(await store.query('SELECT history FROM zeek_conn')).toEqual([{ history: 'Sh\tA,' }]);
    const [csl] = await store.query(
      `SELECT AdditionalExtensions AS x FROM CommonSecurityLog WHERE DeviceProduct = 'conn'`,
    );
    expect(String(csl.x)).toContain('history=Sh\tA,');
    store.close();
  });

  it('reads Zeek JSON dns through DuckDB into zeek_dns and the DnsEvents view, as the line reader maps it', async () => {
    const dir = tempDir();
    const record = (i: number, extra = '') =>
      `{"ts":${1700000000 + i},"uid":"C${i}","id.orig_h":"10.0.0.9","id.orig_p":5353,"id.resp_h":"8.8.8.8","id.resp_p":53,` +
      `"proto":"udp","query":"q${i}.example","qtype":1,"qtype_name":"A","rcode":0,"answers":["cdn.example","176.65.139.${i % 250}"]${extra}}`;
    // 1,000 sampled lines, then one with a key the sample never had: it goes to the line reader, not lost
    const lines = Array.from({ length: 1000 }, (_, i) => record(i));
    lines.push(record(1000, ',"TTLs":[60.0]'));
    const file = writeTemp(dir, 'dns.log', lines.join('\n') + '\n');
    const store = await Store.open();
    const ledger = await ingestFile(store, file);
    expect(ledger).toMatchObject({
      format: 'zeek-json',
      read: 1001,
      ingested: 1001,
      nativeTable: 'zeek_dns',
    });
    expect(ledger.rejected).toEqual([]);
    expect(ledger.tables).toEqual({ DnsEvents: 1001 });
    const [native] = await store.query('SELECT count(*) AS n FROM zeek_dns');
    expect(native.n).toBe(1000);
    const viewRow = await store.query("SELECT * EXCLUDE (_Source) FROM DnsEvents WHERE Name = 'q7.example'");
    const jsRow = rows(zeekJsonParser()(record(7), 1))[0].row;
    const expected = Object.fromEntries(
      Object.entries(jsRow).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
    );
    expect(viewRow[0]).toMatchObject(expected);
    const [late] = await store.query(
      "SELECT _Source, IPAddresses FROM DnsEvents WHERE Name = 'q1000.example'",
    );
    expect(late).toEqual({ _Source: `${file}:1001`, IPAddresses: '176.65.139.0' });
    store.close();
  });

  it('keeps a Zeek JSON log no table maps (ssl) in zeek_ssl with its values typed', async () => {
    const dir = tempDir();
    const file = writeTemp(
      dir,
      'ssl.log',
      '{"ts":1700000000.5,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":443,"server_name":"c2.example","established":true,"cert_chain_fps":["ab","cd"]}\n',
    );
    const store = await Store.open();
    const ledger = await ingestFile(store, file);
    expect(ledger).toMatchObject({ format: 'zeek-json', read: 1, ingested: 1, nativeTable: 'zeek_ssl' });
    expect(await columnTypes(store, 'zeek_ssl')).toMatchObject({
      ts: 'TIMESTAMP',
      'id.orig_p': 'INTEGER',
      established: 'BOOLEAN',
      cert_chain_fps: 'VARCHAR[]',
    });
    const [row] = await store.query('SELECT server_name, established, cert_chain_fps FROM zeek_ssl');
    expect(row).toEqual({ server_name: 'c2.example', established: true, cert_chain_fps: ['ab', 'cd'] });
    store.close();
  });
});

describe.skipIf(!hasShared)('real Zeek logs (../shared/data/zeek)', () => {
  it('accounts for every line of every log', async () => {
    const store = await Store.open();
    const { ledgers, unrecognised } = await ingestPaths(store, [join(sharedData, 'zeek')]);
    expect(ledgers).toHaveLength(8);
    for (const ledger of ledgers) {
      const text = readFileSync(ledger.file, 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      expect(ledger.read, ledger.file).toBe(ledger.ingested + ledger.rejected.length);
      expect(ledger.read + ledger.ignored, ledger.file).toBe(lines);
      expect(ledger.rejected, ledger.file).toEqual([]);
    }
    expect(unrecognised.every((f) => /README|LICENSE/.test(f))).toBe(true);
    const [dns] = await store.query(
      "SELECT count(*) AS n FROM DnsEvents WHERE Name = 'puzybep.com' AND _Source LIKE '%005-zeek-scenario-malicious/dns.log:%'",
    );
    expect(dns.n).toBeGreaterThan(0);
    const [scan] = await store.query(
      "SELECT count(DISTINCT RemotePort) AS ports FROM DeviceNetworkEvents WHERE LocalIP = '192.168.1.9' AND RemoteIP = '45.33.32.156'",
    );
    expect(scan.ports).toBeGreaterThan(40);
    const counts = await store.query(
      'SELECT (SELECT count(*) FROM DeviceNetworkEvents) AS dne, (SELECT count(*) FROM CommonSecurityLog) AS csl',
    );
    expect(counts[0].dne).toBe(counts[0].csl);
    store.close();
  });
});
