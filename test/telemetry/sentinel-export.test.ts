import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { loadSchemas } from '../../src/store/schema.js';
import { CsvRecordJoiner, parseCsvRecord } from '../../src/util/csv.js';
import { ingestFile } from '../../src/telemetry/ingest.js';
import { JsonArraySplitter } from '../../src/telemetry/json-array.js';
import {
  parseExportTime,
  sentinelExportParser,
  tableFromColumns,
  tableFromFileName,
} from '../../src/telemetry/sentinel-export.js';
import type { SourceRecord, TableRow } from '../../src/telemetry/types.js';
import { hasShared, sharedData, tempDir, writeTemp } from './shared.js';

const schemas = loadSchemas();

describe('which table', () => {
  it('from the file name, then the columns', () => {
    expect(tableFromFileName('/x/DeviceNetworkEvents.json', schemas)).toBe('DeviceNetworkEvents');
    expect(tableFromFileName('dns_events.csv', schemas)).toBe('DnsEvents');
    expect(tableFromFileName('export-CommonSecurityLog-2024.ndjson', schemas)).toBe('CommonSecurityLog');
    expect(tableFromFileName('wirex_sample_DNS.csv', schemas)).toBeUndefined();
    expect(tableFromColumns(['Timestamp', 'RemoteIP', 'ActionType'])).toBe('DeviceNetworkEvents');
    expect(tableFromColumns(['SHA256', 'FolderPath'])).toBe('DeviceFileEvents');
    expect(tableFromColumns(['Name', 'QueryType', 'ClientIP'])).toBe('DnsEvents');
    expect(tableFromColumns(['DeviceVendor'])).toBe('CommonSecurityLog');
    expect(tableFromColumns(['foo'])).toBeUndefined();
  });

  it('a Type column wins; unknown tables and untellable rows are rejects', () => {
    const parse = sentinelExportParser('sentinel-ndjson', { schemas, table: 'DnsEvents' });
    expect((parse('{"Type":"DeviceFileEvents","SHA256":"ab"}', 1) as TableRow).table).toBe(
      'DeviceFileEvents',
    );
    expect((parse('{"Name":"x"}', 2) as TableRow).table).toBe('DnsEvents');
    expect(parse('{"Type":"Nope"}', 3)).toMatch(/unknown table "Nope"/);
    expect(sentinelExportParser('sentinel-ndjson', { schemas })('{"a":1}', 1)).toMatch(
      /cannot tell the table/,
    );
    expect(sentinelExportParser('sentinel-ndjson', { schemas, table: 'Nope' })('{}', 1)).toMatch(
      /unknown table/,
    );
  });
});

describe('values', () => {
  it('reads portal (US locale) and ISO timestamps as UTC', () => {
    expect(parseExportTime('3/31/2022, 10:52:35.857 AM')?.toISOString()).toBe('2022-03-31T10:52:35.857Z');
    expect(parseExportTime('12/1/2023, 12:05:00 AM')?.toISOString()).toBe('2023-12-01T00:05:00.000Z');
    expect(parseExportTime('12/1/2023, 12:05:00 PM')?.toISOString()).toBe('2023-12-01T12:05:00.000Z');
    expect(parseExportTime('2020-07-22T23:17:03.406Z')?.toISOString()).toBe('2020-07-22T23:17:03.406Z');
    expect(parseExportTime('2020-07-22 23:17:03')?.toISOString()).toBe('2020-07-22T23:17:03.000Z');
    expect(parseExportTime('13/45/2020, 1:00:00 AM')).toBeNull();
  });

  it('fills TimeGenerated from Defender Timestamp and back', () => {
    const parse = sentinelExportParser('sentinel-ndjson', { schemas });
    const dne = parse(
      '{"Timestamp":"2024-05-01T10:00:00Z","RemoteIP":"1.2.3.4","ActionType":"ConnectionSuccess"}',
      1,
    ) as TableRow;
    expect(dne.row.TimeGenerated).toEqual(new Date('2024-05-01T10:00:00Z'));
    expect(dne.row.Type).toBe('DeviceNetworkEvents');
    const back = parse(
      '{"TimeGenerated":"2024-05-01T10:00:00Z","RemoteIP":"1.2.3.4","ActionType":"x"}',
      2,
    ) as TableRow;
    expect(back.row.Timestamp).toEqual(new Date('2024-05-01T10:00:00Z'));
    const csl = parse('{"Timestamp":"2024-05-01T10:00:00Z","DeviceVendor":"X"}', 3) as TableRow;
    expect(csl.row.TimeGenerated).toEqual(new Date('2024-05-01T10:00:00Z'));
  });
});

describe('CSV', () => {
  it('splits quoted fields, "" escapes, literal null and empty', () => {
    expect(parseCsvRecord('a,"b,c","d""e",null,,"null",""', { nulls: true })).toEqual([
      'a',
      'b,c',
      'd"e',
      null,
      null,
      'null',
      '',
    ]);
    expect(parseCsvRecord('x,', { nulls: true })).toEqual(['x', null]);
    expect(() => parseCsvRecord('"open')).toThrow(/unterminated/);
    expect(() => parseCsvRecord('"a"b')).toThrow(/after the closing quote/);
  });

  it('joins records whose quoted fields span lines, keeping the first line number', () => {
    const joiner = new CsvRecordJoiner();
    expect(joiner.push('a,"multi', 1)).toBeUndefined();
    expect(joiner.push('line "" text",b', 2)).toEqual({ text: 'a,"multi\nline "" text",b', line: 1 });
    expect(joiner.push('c,d', 3)).toEqual({ text: 'c,d', line: 3 });
    expect(joiner.push('"x', 4)).toBeUndefined();
    expect(joiner.flush()).toEqual({ text: '"x', line: 4 });
  });

  it('round-trips arbitrary fields', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 8 }), (fields) => {
        const text = fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',');
        expect(parseCsvRecord(text, { nulls: true })).toEqual(fields);
      }),
    );
  });
});

describe('JSON array splitter', () => {
  it('gives the same elements and lines whatever the chunking', () => {
    const elements = fc.array(
      fc.oneof(
        fc.dictionary(
          fc.string({ maxLength: 5 }),
          fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)),
        ),
        fc.integer(),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(elements, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (items, cuts, pretty) => {
        const text = pretty ? JSON.stringify(items, null, 2) : JSON.stringify(items);
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const splitter = new JsonArraySplitter();
        const out: SourceRecord[] = [];
        let last = 0;
        for (const p of [...points, text.length]) {
          splitter.push(text.slice(last, p), out);
          last = p;
        }
        splitter.finish();
        expect(splitter.error).toBeUndefined();
        expect(out.map((r) => JSON.parse(r.text!))).toEqual(items);
        if (pretty && items.length > 0) expect(out[0].line).toBe(2);
      }),
    );
  });

  it('reports non-arrays, unclosed arrays and oversize elements', () => {
    const out: SourceRecord[] = [];
    const a = new JsonArraySplitter();
    a.push('{"a":1}', out);
    expect(a.error).toBe('not a JSON array');
    const b = new JsonArraySplitter();
    b.push('[{"a":1},{"b"', out);
    b.finish();
    expect(b.error).toBe('the JSON array is not closed: its last element is cut off');
    expect(b.errorLine).toBe(1);
    const c = new JsonArraySplitter(10);
    const big: SourceRecord[] = [];
    c.push('[{"a":"0123456789"},', big);
    c.push('{"b":1}]', big);
    c.finish();
    expect(big).toEqual([
      { text: null, line: 1 },
      { text: '{"b":1}', line: 1 },
    ]);
  });
});

describe('ingesting exports', () => {
  it('NDJSON and multi-line CSV with every record accounted for', async () => {
    const dir = tempDir();
    const nd = writeTemp(
      dir,
      'DnsEvents.ndjson',
      '{"TimeGenerated":"2024-05-01T10:00:00Z","Name":"tvt.miraibotnet.su","ClientIP":"10.0.0.1"}\n\n{"broken\n{"ResultCode":"x"}\n',
    );
    const csv = writeTemp(
      dir,
      'device_network_events.csv',
      'Timestamp,RemoteIP,RemotePort,ActionType,InitiatingProcessCommandLine\n' +
        '"4/2/2024, 1:02:03.004 PM",176.65.139.7,3778,ConnectionSuccess,"sh -c ""wget x""\nsecond line"\n' +
        'bad,row\n',
    );
    const store = await Store.open();
    const a = await ingestFile(store, nd);
    expect(a).toMatchObject({ format: 'sentinel-ndjson', read: 3, ingested: 1, ignored: 1 });
    expect(a.rejected.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [3, 'invalid JSON'],
      [4, 'DnsEvents.ResultCode'],
    ]);
    const b = await ingestFile(store, csv);
    expect(b).toMatchObject({ format: 'sentinel-csv', read: 2, ingested: 1, ignored: 1 });
    expect(b.rejected).toEqual([{ file: csv, line: 4, reason: 'CSV: 2 fields, the header has 5' }]);
    expect(
      await store.query(
        'SELECT TimeGenerated, Timestamp, RemotePort, InitiatingProcessCommandLine, _Source FROM DeviceNetworkEvents',
      ),
    ).toEqual([
      {
        TimeGenerated: '2024-04-02T13:02:03.004Z',
        Timestamp: '2024-04-02T13:02:03.004Z',
        RemotePort: 3778,
        InitiatingProcessCommandLine: 'sh -c "wget x"\nsecond line',
        _Source: `${csv}:2`,
      },
    ]);
    store.close();
  });
});

describe.skipIf(!hasShared)('real Sentinel exports (../shared/data/sentinel/commonsecuritylog)', () => {
  it('Fortigate.json (JSON array, US-locale times, numbers in string columns)', async () => {
    const store = await Store.open();
    const file = join(sharedData, 'sentinel/commonsecuritylog/Fortigate.json');
    const ledger = await ingestFile(store, file);
    expect(ledger).toMatchObject({
      format: 'sentinel-json',
      read: 2,
      ingested: 2,
      rejected: [],
      tables: { CommonSecurityLog: 2 },
    });
    const rows = await store.query(
      'SELECT TimeGenerated, DeviceEventClassID, LogSeverity, Protocol, RemoteIP, DestinationPort, ExternalID, _Source FROM CommonSecurityLog ORDER BY _Source',
    );
    expect(rows[0]).toEqual({
      TimeGenerated: '2022-03-31T10:52:35.857Z',
      DeviceEventClassID: '28704',
      LogSeverity: '2',
      Protocol: '6',
      RemoteIP: '0',
      DestinationPort: 3389,
      ExternalID: 14430578,
      _Source: `${file}:2`,
    });
    store.close();
  });

  it('wirex_sample_DNS.csv (152 columns, literal null, Type column)', async () => {
    const store = await Store.open();
    const file = join(sharedData, 'sentinel/commonsecuritylog/wirex_sample_DNS.csv');
    const ledger = await ingestFile(store, file);
    expect(ledger).toMatchObject({ format: 'sentinel-csv', read: 2, ingested: 2, rejected: [], ignored: 1 });
    const rows = await store.query(
      'SELECT TimeGenerated, DeviceVendor, SourceIP, DestinationPort, ThreatSeverity, Type FROM CommonSecurityLog ORDER BY _Source',
    );
    expect(rows[0]).toEqual({
      TimeGenerated: '2020-07-22T23:17:03.406Z',
      DeviceVendor: 'WireX',
      SourceIP: '192.168.102.35',
      DestinationPort: 53,
      ThreatSeverity: null,
      Type: 'CommonSecurityLog',
    });
    store.close();
  });
});
