/**
 * Ingest + hunt throughput: `telltale hunt` (telemetry readers → DuckDB → every bundled hunt) on a
 * generated log of N events, against a reference that does the least possible for the same answer:
 * DuckDB's own NDJSON reader and one hand-written SQL query. Reported as events/s and a ratio.
 */
import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { hunt, ingest } from '../src/index.js';
import type { BenchResult } from './types.js';

const corpusDir = resolve(import.meta.dirname, '.corpus');

/** Defender DeviceNetworkEvents as NDJSON, one in 50,000 events to the seed C2. */
function writeNetworkLog(events: number): string {
  const file = join(corpusDir, `DeviceNetworkEvents-${events}.ndjson`);
  if (existsSync(file)) return file;
  mkdirSync(corpusDir, { recursive: true });
  const start = Date.UTC(2026, 4, 21);
  const chunks: string[] = [];
  for (let i = 0; i < events; i++) {
    const c2 = i % 50_000 === 49_999;
    chunks.push(
      JSON.stringify({
        Timestamp: new Date(start + i * 10).toISOString(),
        DeviceName: `host-${i % 500}`,
        ActionType: 'ConnectionSuccess',
        LocalIP: `10.0.${(i >> 8) & 255}.${i & 255}`,
        LocalPort: 30000 + (i % 30000),
        RemoteIP: c2 ? '176.65.139.7' : `93.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        RemotePort: c2 ? 3778 : 443,
        Protocol: 'Tcp',
        InitiatingProcessFileName: 'curl',
      }),
    );
  }
  writeFileSync(file, chunks.join('\n') + '\n');
  return file;
}

/** Zeek conn TSV with the standard header; one in 50,000 connections to the seed C2. */
function writeZeekLog(lines: number): string {
  const file = join(corpusDir, `conn-${lines}.log`);
  if (existsSync(file)) return file;
  mkdirSync(corpusDir, { recursive: true });
  const out = [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
  ];
  for (let i = 0; i < lines; i++) {
    const c2 = i % 50_000 === 49_999;
    out.push(
      `${1779321600 + i / 100}\tC${i.toString(36)}\t10.0.${(i >> 8) & 255}.${i & 255}\t${30000 + (i % 30000)}\t` +
        `${c2 ? '176.65.139.7' : `93.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`}\t${c2 ? 3778 : 443}\ttcp\t` +
        `${i % 3 ? '-' : 'ssl'}\t${(i % 100) / 10}\t${i % 500}\t${i % 900}\t${i % 4 ? 'S0' : 'SF'}\tT\tF\t0\tShADadfF\t${i % 9}\t${i % 700}\t${i % 8}\t${i % 800}\t(empty)`,
    );
  }
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

/** CEF from a firewall (RFC 3164 header, ~20 keys); one in 50,000 lines to the seed C2. */
function writeCefLog(lines: number): string {
  const file = join(corpusDir, `edge-fw-${lines}.cef.log`);
  if (existsSync(file)) return file;
  mkdirSync(corpusDir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const c2 = i % 50_000 === 49_999;
    const ss = String(i % 60).padStart(2, '0');
    out.push(
      `<134>May 21 10:${String(((i / 60) % 60) | 0).padStart(2, '0')}:${ss} fw01 CEF:0|Acme|Gate|7.2|${1000 + (i % 50)}|traffic allowed|${i % 10}|` +
        `rt=${1779357600000 + i} src=10.0.${(i >> 8) & 255}.${i & 255} spt=${1024 + (i % 60000)} ` +
        `dst=${c2 ? '176.65.139.7' : `93.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`} dpt=${c2 ? 3778 : 443} proto=TCP act=accept ` +
        `app=HTTPS in=${i % 9000} out=${(i * 7) % 9000} dvchost=fw01 cs1Label=Policy cs1=allow-out cn1Label=Rule cn1=${i % 300} msg=session ${i} closed`,
    );
  }
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

/** DuckDB alone: its own reader into a table, then one query counting the C2 rows. */
async function reference(load: string, count: string): Promise<{ seconds: number; hits: number }> {
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(load);
  const reader = await con.runAndReadAll(count);
  const hits = Number(reader.getRowObjectsJS()[0].n);
  con.closeSync();
  instance.closeSync();
  return { seconds: (performance.now() - t0) / 1000, hits };
}

const C2 = "'176.65.139.7'";

interface Workload {
  name: string;
  unit: 'events' | 'lines';
  file: string;
  count: number;
  hunt: string;
  load: string;
  countSql: string;
}

function workloads(events: number, cefLines: number): Workload[] {
  const ndjson = writeNetworkLog(events);
  const zeek = writeZeekLog(events);
  const cef = writeCefLog(cefLines);
  return [
    {
      name: 'Defender DeviceNetworkEvents NDJSON',
      unit: 'events',
      file: ndjson,
      count: events,
      hunt: 'threatfox-mirai-c2-devicenetworkevents',
      load: `CREATE TABLE e AS SELECT * FROM read_ndjson('${ndjson}', columns={Timestamp:'TIMESTAMP', DeviceName:'VARCHAR', ActionType:'VARCHAR', LocalIP:'VARCHAR', LocalPort:'INTEGER', RemoteIP:'VARCHAR', RemotePort:'INTEGER', Protocol:'VARCHAR', InitiatingProcessFileName:'VARCHAR'})`,
      countSql: `SELECT count(*) AS n FROM e WHERE RemoteIP IN (${C2})`,
    },
    {
      name: 'Zeek conn TSV',
      unit: 'lines',
      file: zeek,
      count: events,
      hunt: 'threatfox-mirai-c2-devicenetworkevents',
      load: `CREATE TABLE e AS SELECT * FROM read_csv('${zeek}', delim='\t', header=false, skip=6, comment='#', auto_detect=false, columns={ts:'DOUBLE', uid:'VARCHAR', orig_h:'VARCHAR', orig_p:'INTEGER', resp_h:'VARCHAR', resp_p:'INTEGER', proto:'VARCHAR', service:'VARCHAR', duration:'VARCHAR', orig_bytes:'VARCHAR', resp_bytes:'VARCHAR', conn_state:'VARCHAR', local_orig:'VARCHAR', local_resp:'VARCHAR', missed_bytes:'VARCHAR', history:'VARCHAR', orig_pkts:'VARCHAR', orig_ip_bytes:'VARCHAR', resp_pkts:'VARCHAR', resp_ip_bytes:'VARCHAR', tunnel_parents:'VARCHAR'})`,
      countSql: `SELECT count(*) AS n FROM e WHERE resp_h IN (${C2})`,
    },
    {
      name: 'firewall CEF',
      unit: 'lines',
      file: cef,
      count: cefLines,
      hunt: 'threatfox-mirai-c2-commonsecuritylog',
      load: `CREATE TABLE e AS SELECT regexp_extract(l, ' dst=(\\S+)', 1) AS dst FROM read_csv('${cef}', columns={'l':'VARCHAR'}, delim=E'\\x01', quote='', escape='', header=false, auto_detect=false)`,
      countSql: `SELECT count(*) AS n FROM e WHERE dst IN (${C2})`,
    },
  ];
}

/**
 * Three workloads, each `telltale hunt` next to its DuckDB-only reference: N Defender NDJSON events,
 * N Zeek conn TSV lines, and N/2 CEF lines (BENCH_CEF_LINES overrides).
 */
export async function benchIngest(opts: { events: number; cefLines?: number }): Promise<BenchResult> {
  const cefLines = opts.cefLines ?? Number(process.env.BENCH_CEF_LINES ?? Math.round(opts.events / 2));
  const out: BenchResult = {
    name: 'ingest + all hunts (telltale hunt) vs DuckDB reader + 1 query',
    rows: [],
    ratios: {},
  };
  for (const w of workloads(opts.events, cefLines)) {
    const ref = await reference(w.load, w.countSql);
    const i0 = performance.now();
    await ingest([w.file]);
    const ingestSeconds = (performance.now() - i0) / 1000;
    const rss0 = process.resourceUsage().maxRSS;
    const t0 = performance.now();
    const result = await hunt([w.file], { now: new Date('2026-05-22T00:00:00Z') });
    const seconds = (performance.now() - t0) / 1000;
    const hits = result.findings
      .filter((f) => f.huntId === w.hunt)
      .reduce((n, f) => n + (f.count ?? f.evidence.length), 0);
    if (hits !== ref.hits)
      throw new Error(`${w.name}: telltale found ${hits} C2 events, the reference ${ref.hits}`);
    const ledger = result.ledgers[0];
    if (!ledger || ledger.ingested !== w.count || ledger.rejected.length > 0)
      throw new Error(
        `${w.name}: ledger ${JSON.stringify({ ...ledger, rejected: ledger?.rejected.slice(0, 3) })}`,
      );
    const what = `${w.count.toLocaleString('en')} ${w.unit} of ${w.name}`;
    out.rows.push(
      { label: `telltale hunt, ${what}`, seconds, files: 1, bytes: 0, events: w.count },
      { label: `telltale ingest only, ${what}`, seconds: ingestSeconds, files: 1, bytes: 0, events: w.count },
      { label: `reference, ${what}`, seconds: ref.seconds, files: 1, bytes: 0, events: w.count },
    );
    out.ratios[`${w.name}: telltale ${w.unit}/s`] = w.count / seconds;
    out.ratios[`${w.name}: reference time / telltale time`] = ref.seconds / seconds;
    out.ratios[`${w.name}: reference time / telltale ingest-only time`] = ref.seconds / ingestSeconds;
    out.ratios[`${w.name}: peak RSS so far (MiB)`] = Math.max(rss0, process.resourceUsage().maxRSS) / 1024;
  }
  return out;
}
