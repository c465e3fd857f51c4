/**
 * `npm run bench -- suricata`: ingest of a generated Suricata EVE file (BENCH_SURICATA_EVENTS, default
 * 1,000,000 events: 70% flow, 15% alert, 10% dns, 5% http), each in its own process under /usr/bin/time:
 *   - the reference: DuckDB's own read_json of the same file with explicit columns (the nested objects
 *     as STRUCTs) into a table, then one GROUP BY;
 *   - `telltale ingest FILE` (in memory): one native table per event_type, the Sentinel views over them.
 * BENCH_SURICATA_CLI names another build's bin/telltale.js (to compare before/after a change).
 * The CLI runs from dist/ (`npm run build` first). The input is cached in bench/.corpus/scale.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchResult } from './types.js';
import { generateLines } from './generate.js';
import { measure } from './scale.js';

const root = resolve(import.meta.dirname, '..');
const START = Date.UTC(2026, 4, 21);

const time = (i: number) => new Date(START + i * 10).toISOString().replace('Z', '+0000');
const remote = (i: number) => `${45 + (i % 150)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** One EVE event: the common keys, then the event type's object, as Suricata 7 writes them. */
function eve(i: number): string {
  const common = {
    timestamp: time(i),
    flow_id: 1_000_000_000 + i,
    in_iface: 'eth0',
    src_ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
    src_port: 30000 + (i % 30000),
    dest_ip: remote(i),
    dest_port: [443, 80, 23, 7547, 53][i % 5],
    proto: 'TCP',
    host: 'sensor-1',
  };
  const kind = i % 20;
  if (kind < 14)
    return JSON.stringify({
      ...common,
      event_type: 'flow',
      app_proto: 'tls',
      flow: {
        pkts_toserver: i % 50,
        pkts_toclient: i % 40,
        bytes_toserver: i % 5000,
        bytes_toclient: i % 9000,
        start: time(i - 100),
        end: time(i),
        age: 1,
        state: i % 4 ? 'closed' : 'new',
        reason: 'timeout',
        alerted: false,
      },
      tcp: { tcp_flags: '1b', syn: true, fin: true, psh: true, ack: true, state: 'closed' },
    });
  if (kind < 17)
    return JSON.stringify({
      ...common,
      event_type: 'alert',
      tx_id: 0,
      alert: {
        action: 'allowed',
        gid: 1,
        signature_id: 2_020_000 + (i % 300),
        rev: 3,
        signature: `ET SCAN Suspicious inbound ${i % 300}`,
        category: 'Attempted Information Leak',
        severity: 2,
        metadata: { tag: ['Mirai'] },
      },
      flow: {
        pkts_toserver: 3,
        pkts_toclient: 1,
        bytes_toserver: 300,
        bytes_toclient: 90,
        start: time(i - 5),
      },
    });
  if (kind < 19)
    return JSON.stringify({
      ...common,
      event_type: 'dns',
      proto: 'UDP',
      dns: {
        version: 2,
        type: 'answer',
        id: i % 65536,
        flags: '8180',
        qr: true,
        rd: true,
        ra: true,
        rrname: `host${i % 5000}.example.org`,
        rrtype: 'A',
        rcode: 'NOERROR',
        answers: [{ rrname: `host${i % 5000}.example.org`, rrtype: 'A', ttl: 300, rdata: remote(i) }],
        grouped: { A: [remote(i)] },
      },
    });
  return JSON.stringify({
    ...common,
    event_type: 'http',
    tx_id: 0,
    http: {
      hostname: remote(i),
      url: `/bins/${i % 100}.arm7`,
      http_user_agent: 'Wget',
      http_method: 'GET',
      protocol: 'HTTP/1.1',
      status: 200,
      length: i % 70000,
    },
  });
}

const COMMON_COLUMNS =
  "timestamp: 'TIMESTAMPTZ', event_type: 'VARCHAR', flow_id: 'BIGINT', in_iface: 'VARCHAR', src_ip: 'VARCHAR', " +
  "src_port: 'INTEGER', dest_ip: 'VARCHAR', dest_port: 'INTEGER', proto: 'VARCHAR', host: 'VARCHAR', app_proto: 'VARCHAR', tx_id: 'BIGINT'";
const NESTED_COLUMNS =
  'flow: \'STRUCT(pkts_toserver BIGINT, pkts_toclient BIGINT, bytes_toserver BIGINT, bytes_toclient BIGINT, start TIMESTAMPTZ, "end" TIMESTAMPTZ, age BIGINT, state VARCHAR, reason VARCHAR, alerted BOOLEAN)\', ' +
  "tcp: 'STRUCT(tcp_flags VARCHAR, syn BOOLEAN, fin BOOLEAN, psh BOOLEAN, ack BOOLEAN, state VARCHAR)', " +
  "alert: 'STRUCT(action VARCHAR, gid BIGINT, signature_id BIGINT, rev BIGINT, signature VARCHAR, category VARCHAR, severity INTEGER, metadata JSON)', " +
  "dns: 'STRUCT(version INTEGER, type VARCHAR, id BIGINT, flags VARCHAR, qr BOOLEAN, rd BOOLEAN, ra BOOLEAN, rrname VARCHAR, rrtype VARCHAR, rcode VARCHAR, answers JSON, grouped STRUCT(A VARCHAR[]))', " +
  "http: 'STRUCT(hostname VARCHAR, url VARCHAR, http_user_agent VARCHAR, http_method VARCHAR, protocol VARCHAR, status INTEGER, length BIGINT)'";

/** The reference: DuckDB's read_json with explicit columns into a table, then one GROUP BY. */
function referenceScript(file: string): string {
  const load = `CREATE TABLE t AS SELECT * FROM read_json('${file.replace(/'/g, "''")}', format='newline_delimited', columns={${COMMON_COLUMNS}, ${NESTED_COLUMNS}})`;
  return `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await con.run(${JSON.stringify(load)});
const r = await con.runAndReadAll('SELECT count(*) FROM (SELECT event_type, dest_ip, count(*) FROM t GROUP BY ALL)');
console.log(String(r.getRows()[0][0]));
con.closeSync(); instance.closeSync();`;
}

export async function benchSuricata(opts: { events: number; cli?: string }): Promise<BenchResult> {
  const cli = opts.cli ?? join(root, 'bin', 'telltale.js');
  if (!opts.cli && !existsSync(join(root, 'dist', 'cli', 'main.js')))
    throw new Error('run `npm run build` first');
  const file = await generateLines(
    join(root, 'bench', '.corpus', 'scale'),
    `eve-${opts.events}.json`,
    [],
    opts.events,
    eve,
  );
  const bytes = statSync(file).size;
  const name = `Suricata EVE, ${opts.events.toLocaleString('en')} events`;
  const ref = measure(['--input-type=module', '-e', referenceScript(file)]);
  if (ref.code !== 0) throw new Error(`${name}: reference failed: ${ref.stderr.slice(-2000)}`);
  const ingest = measure([cli, 'ingest', file]);
  if (ingest.code !== 0)
    throw new Error(`${name}: ingest failed (${ingest.code}): ${ingest.stderr.slice(-2000)}`);
  const result: BenchResult = {
    name: 'Suricata EVE ingest: telltale vs DuckDB read_json',
    rows: [],
    ratios: {},
  };
  for (const [label, m] of [
    ['reference (DuckDB read_json + GROUP BY)', ref],
    [`telltale ingest (${cli})`, ingest],
  ] as const)
    result.rows.push({
      label: `${name}: ${label}, CPU ${m.cpuSeconds.toFixed(1)} s, peak RSS ${m.rssMiB.toFixed(0)} MiB`,
      seconds: m.seconds,
      files: 1,
      bytes,
      events: opts.events,
    });
  result.ratios[`${name}: ingest time / reference`] = ingest.seconds / ref.seconds;
  result.ratios[`${name}: ingest CPU / reference`] = ingest.cpuSeconds / ref.cpuSeconds;
  result.ratios[`${name}: ingest peak RSS / reference`] = ingest.rssMiB / ref.rssMiB;
  return result;
}
