/**
 * zstd-compressed logs (`conn.log.zst`, a rotated `eve.json.1` with zstd content) are read directly:
 * recognised by the zstd magic, decompressed by DuckDB, and accounted for line by line like plain ones.
 * The inputs are compressed by DuckDB's own zstd writer (no zstd tool needed).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestFile, ingestPaths } from '../../src/telemetry/ingest.js';
import { sqlString } from '../../src/util/sql.js';
import { tempDir, writeTemp } from './shared.js';

const CONN = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring',
  '1779321600.5\tC1\t10.0.0.5\t51000\t176.65.139.7\t3778\ttcp\tSF',
  '',
  '1779321601\tC2\t10.0.0.6\t51001\t93.0.0.1\tnotaport\ttcp\tS0',
  '1779321602\tC3\t10.0.0.7\t51002\t93.0.0.2\t23\ttcp\tS0',
];
const EVE = [
  '{"timestamp":"2026-05-21T10:00:00.000000+0000","flow_id":1,"event_type":"flow","src_ip":"10.0.0.5","src_port":1900,"dest_ip":"176.65.139.7","dest_port":7547,"proto":"TCP","flow":{"pkts_toserver":1,"pkts_toclient":0,"bytes_toserver":60,"bytes_toclient":0,"start":"2026-05-21T10:00:00.000000+0000","end":"2026-05-21T10:00:01.000000+0000","age":1,"state":"new","reason":"timeout","alerted":false}}',
  '{"timestamp":"2026-05-21T10:00:02.000000+0000","event_type":"alert","src_ip":"176.65.139.7","src_port":3778,"dest_ip":"10.0.0.5","dest_port":40000,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":1,"rev":1,"signature":"Mirai C2","category":"Trojan","severity":1}}',
];

/** Writes `lines` zstd-compressed with DuckDB's writer. */
async function zstdFile(dir: string, name: string, lines: string[]): Promise<string> {
  const plain = writeTemp(dir, `${name}.plain`, `${lines.join('\n')}\n`);
  const out = `${dir}/${name}`;
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(
    `COPY (SELECT l FROM read_csv(${sqlString(plain)}, columns={'l': 'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false)) ` +
      `TO ${sqlString(out)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER E'\\x01', COMPRESSION 'zstd')`,
  );
  con.closeSync();
  instance.closeSync();
  expect([...readFileSync(out).subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
  return out;
}

describe('zstd inputs', () => {
  it('reads a .zst Zeek log and a zstd EVE file without the extension, every line accounted', async () => {
    const dir = tempDir();
    const conn = await zstdFile(dir, 'conn.log.zst', CONN);
    const eve = await zstdFile(dir, 'eve.json.1', EVE);
    const store = await Store.open();
    const zeek = await ingestFile(store, conn);
    expect(zeek).toMatchObject({ file: conn, format: 'zeek-tsv', read: 3, ingested: 2 });
    expect(zeek.rejected).toEqual([
      { file: conn, line: 10, reason: 'DeviceNetworkEvents.RemotePort: not an int: "notaport"' },
    ]);
    const { ledgers } = await ingestPaths(store, [eve]);
    expect(ledgers).toMatchObject([{ file: eve, format: 'suricata-eve', read: 2, ingested: 2 }]);
    const rows = await store.query(
      `SELECT RemoteIP, RemotePort, _Source FROM DeviceNetworkEvents ORDER BY _Source, RemotePort`,
    );
    expect(rows).toEqual([
      { RemoteIP: '93.0.0.2', RemotePort: 23, _Source: `${conn}:11` },
      { RemoteIP: '176.65.139.7', RemotePort: 3778, _Source: `${conn}:8` },
      { RemoteIP: '176.65.139.7', RemotePort: 7547, _Source: `${eve}:1` },
    ]);
    store.close();
  });

  it('reports a broken zstd file as unreadable, by name', async () => {
    const dir = tempDir();
    const bad = writeTemp(dir, 'conn.log.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4, 5]));
    const store = await Store.open();
    const ledger = await ingestFile(store, bad);
    expect(ledger.read).toBe(ledger.ingested + ledger.rejected.length);
    expect(ledger.rejected).toHaveLength(1);
    expect(ledger.rejected[0].reason).toMatch(/^unreadable file: /);
    store.close();
  });
});
