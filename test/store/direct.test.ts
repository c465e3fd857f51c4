import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import type { LoadPlan } from '../../src/store/plan.js';
import { sentinelNdjsonPlan } from '../../src/telemetry/sentinel-export.js';
import { zeekTsvPlan } from '../../src/telemetry/zeek.js';

const dir = mkdtempSync(join(tmpdir(), 'telltale-direct-'));
/** The conn fields this test writes, with their Zeek types. */
const CONN_FIELDS = (
  'ts:time uid:string id.orig_h:addr id.orig_p:port id.resp_h:addr id.resp_p:port proto:enum ' +
  'service:string duration:interval orig_bytes:count conn_state:string local_orig:bool tunnel_parents:set[string]'
)
  .split(' ')
  .map((f) => f.split(':'));
/** Zeek's header (the separator line holds a backslash, which data lines may not). */
const ZEEK_HEADER = [
  '#separator \\x09',
  '#path\tconn',
  `#fields\t${CONN_FIELDS.map(([name]) => name).join('\t')}`,
  `#types\t${CONN_FIELDS.map(([, type]) => type).join('\t')}`,
];
/** A conn line whose uid names its line in the file (after the header lines). */
const zeekLine = (i: number) =>
  `${1779321600 + i}.25\tL${i + ZEEK_HEADER.length + 1}\t10.0.${i % 200}.1\t${40000 + i}\t45.1.${i % 250}.9\t` +
  `${[23, 80, 443][i % 3]}\ttcp\t${i % 2 ? '-' : 'http'}\t${i % 5}.5\t${i % 7 ? i : '-'}\tSF\t${i % 2 ? 'T' : 'F'}\t` +
  `${i % 4 ? '(empty)' : 'a,b'}`;
const exportLine = (i: number) =>
  JSON.stringify({
    Timestamp: `2026-05-21T00:00:${String(i % 60).padStart(2, '0')}.5Z`,
    DeviceName: `host-${i}`,
    LocalPort: i,
    RemoteIP: `45.0.0.${i % 250}`,
    RemoteUrl: i % 3 ? '' : `http://x/${i}`,
  });

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Loads a file twice, once each way, in two stores: results and native rows side by side. */
async function bothWays(path: string, plan: (store: Store) => LoadPlan, source: string, gzip = false) {
  const out = [];
  for (const direct of [true, false]) {
    const store = await Store.open();
    const result = await store.loadFile(path, plan(store), { sourceName: 'f', source, direct, gzip });
    const rows = await store.query(`SELECT * EXCLUDE (_file) FROM ${result.native} ORDER BY _line`);
    const views = Object.keys(result.tables).sort();
    const sources = await Promise.all(
      views.map((t) =>
        store.query(`SELECT _Source FROM ${t} ORDER BY CAST(split_part(_Source, ':', 2) AS INT)`),
      ),
    );
    store.close();
    out.push({ result, rows, sources });
  }
  return { direct: out[0], staged: out[1] };
}

describe('direct load (DuckDB reader straight into the native table)', () => {
  it('gives a clean Zeek log the rows, line numbers and counts of the staged load', async () => {
    const lines = [
      ...ZEEK_HEADER,
      ...Array.from({ length: 600 }, (_, i) => zeekLine(i)),
      '#close\t2026-05-21-01',
    ];
    const path = write('conn.log', lines);
    const { direct, staged } = await bothWays(path, () => zeekTsvPlan(ZEEK_HEADER)!.plan, 'zeek_conn');
    expect(direct.result.direct).toBe(true);
    expect(staged.result.direct).toBeUndefined();
    expect({ ...direct.result, direct: undefined, bytesRead: undefined }).toEqual(staged.result);
    expect(direct.result).toMatchObject({
      lines: 605,
      ingested: 600,
      ignored: { 'header or comment line': 5 },
    });
    expect(direct.rows).toEqual(staged.rows);
    expect(direct.rows.every((r) => r.uid === `L${String(r._line)}`)).toBe(true);
    expect(direct.rows[3]).toMatchObject({ duration: 3.5, service: null, proto: 'tcp' });
    expect(direct.rows[0]).toMatchObject({ tunnel_parents: ['a', 'b'], local_orig: false, orig_bytes: null });
    expect(direct.sources).toEqual(staged.sources);
  });

  it('gives a clean Defender export the rows of the staged load', async () => {
    const path = write(
      'DeviceNetworkEvents.ndjson',
      Array.from({ length: 500 }, (_, i) => exportLine(i + 1)),
    );
    const plan = (store: Store) =>
      sentinelNdjsonPlan(
        store.schema('DeviceNetworkEvents'),
        new Set(['Timestamp', 'DeviceName', 'LocalPort', 'RemoteIP', 'RemoteUrl']),
      );
    const { direct, staged } = await bothWays(path, plan, 'export_DeviceNetworkEvents');
    expect(direct.result.direct).toBe(true);
    expect({ ...direct.result, direct: undefined, bytesRead: undefined }).toEqual(staged.result);
    expect(direct.rows).toEqual(staged.rows);
    expect(direct.rows.every((r) => r.LocalPort === Number(r._line))).toBe(true);
    expect(direct.sources).toEqual(staged.sources);
  });

  it('leaves irregular files and lines the staged load must classify to the staged load', async () => {
    const good = Array.from({ length: 50 }, (_, i) => exportLine(i + 1));
    const cases: Record<string, { lines: string[]; reader: number[] }> = {
      'a port that is not a number': {
        lines: good.map((l, i) => (i === 30 ? l.replace('"LocalPort":31', '"LocalPort":"x"') : l)),
        reader: [31],
      },
      'a column the sample never had': {
        lines: good.map((l, i) => (i === 9 ? l.replace('{', '{"TenantId":"t",') : l)),
        reader: [10],
      },
      'a JSON array line': { lines: good.map((l, i) => (i === 4 ? '[1]' : l)), reader: [5] },
      'invalid JSON': { lines: good.map((l, i) => (i === 48 ? '{"LocalPort":' : l)), reader: [49] },
      'a blank line': { lines: good.map((l, i) => (i === 20 ? '' : l)), reader: [] },
      'a row of another table': {
        lines: good.map((l, i) => (i === 2 ? l.replace('{', '{"Type":"DnsEvents",') : l)),
        reader: [3],
      },
    };
    for (const [name, { lines, reader }] of Object.entries(cases)) {
      const path = write(`odd-${reader.join('-')}-${lines.length}.ndjson`, lines);
      const store = await Store.open();
      const plan = sentinelNdjsonPlan(
        store.schema('DeviceNetworkEvents'),
        new Set(['Timestamp', 'DeviceName', 'LocalPort', 'RemoteIP', 'RemoteUrl']),
      );
      const result = await store.loadFile(path, plan, { sourceName: 'f', source: 'export' });
      store.close();
      expect({ name, direct: result.direct, reader: result.toReader.map((r) => r.line) }).toEqual({
        name,
        direct: undefined,
        reader,
      });
      expect(result.lines).toBe(50);
    }
  });

  it('takes the staged load for a Zeek log with a comment between data lines or an escape', async () => {
    const data = Array.from({ length: 20 }, (_, i) => zeekLine(i));
    for (const lines of [
      [...ZEEK_HEADER, ...data.slice(0, 10), '#close\tx', ...data.slice(10)],
      [...ZEEK_HEADER, ...data.slice(0, 10), data[10].replace('tcp', 't\\x63p'), ...data.slice(11)],
    ]) {
      const path = write(`conn-odd-${lines.length}.log`, lines);
      const store = await Store.open();
      const result = await store.loadFile(path, zeekTsvPlan(ZEEK_HEADER)!.plan, { source: 'zeek_conn' });
      const rows = await store.query(`SELECT proto, count(*) AS n FROM zeek_conn GROUP BY ALL`);
      store.close();
      expect(result.direct).toBeUndefined();
      expect(result.ingested).toBe(20);
      expect(rows).toEqual([{ proto: 'tcp', n: 20 }]);
    }
  });

  it('loads gzip files directly, with the rows of the plain file and of the staged load', async () => {
    const exportPlan = (store: Store) =>
      sentinelNdjsonPlan(
        store.schema('DeviceNetworkEvents'),
        new Set(['Timestamp', 'DeviceName', 'LocalPort', 'RemoteIP', 'RemoteUrl']),
      );
    const zeek = [
      ...ZEEK_HEADER,
      ...Array.from({ length: 300 }, (_, i) => zeekLine(i)),
      '#close\t2026-05-21-01',
    ];
    const inputs = [
      { name: 'conn.log', lines: zeek, plan: () => zeekTsvPlan(ZEEK_HEADER)!.plan, source: 'zeek_conn' },
      {
        name: 'DeviceNetworkEvents.ndjson',
        lines: Array.from({ length: 400 }, (_, i) => exportLine(i + 1)),
        plan: exportPlan,
        source: 'export_DeviceNetworkEvents',
      },
    ];
    for (const { name, lines, plan, source } of inputs) {
      const plain = write(`gz-${name}`, lines);
      const gz = `${plain}.gz`;
      writeFileSync(gz, gzipSync(readFileSync(plain)));
      const fromPlain = (await bothWays(plain, plan, source)).direct;
      const { direct, staged } = await bothWays(gz, plan, source, true);
      expect({ name, direct: direct.result.direct }).toEqual({ name, direct: true });
      expect(direct.result.bytesRead).toBe(readFileSync(plain).length);
      expect(direct.result).toEqual(fromPlain.result);
      expect({ ...direct.result, direct: undefined, bytesRead: undefined }).toEqual(staged.result);
      expect(direct.rows).toEqual(fromPlain.rows);
      expect(direct.rows).toEqual(staged.rows);
      expect(direct.sources).toEqual(staged.sources);
    }
  });

  it('writes nothing from a truncated gzip file', async () => {
    const plain = write(
      'cut.ndjson',
      Array.from({ length: 3000 }, (_, i) => exportLine(i + 1)),
    );
    const zipped = gzipSync(readFileSync(plain));
    const cut = join(dir, 'cut.ndjson.gz');
    writeFileSync(cut, zipped.subarray(0, Math.floor(zipped.length / 2)));
    const store = await Store.open();
    const plan = sentinelNdjsonPlan(
      store.schema('DeviceNetworkEvents'),
      new Set(['Timestamp', 'DeviceName', 'LocalPort', 'RemoteIP', 'RemoteUrl']),
    );
    await expect(
      store.loadFile(cut, plan, { sourceName: 'cut', source: 'export', gzip: true }),
    ).rejects.toThrow(/unexpected end of file/);
    const rows = await store.query('SELECT count(*) AS n FROM export');
    store.close();
    expect(rows).toEqual([{ n: 0 }]);
  });
});
