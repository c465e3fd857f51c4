/**
 * Ingest + hunt throughput: `telltale hunt` (telemetry readers → DuckDB → every bundled hunt) on a
 * generated log of N events, against a reference that does the least possible for the same answer:
 * DuckDB's own NDJSON reader and one hand-written SQL query. Reported as events/s and a ratio.
 */
import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { hunt } from '../src/index.js';
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

async function reference(file: string): Promise<{ seconds: number; hits: number }> {
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(
    `CREATE TABLE e AS SELECT * FROM read_ndjson('${file}', columns={Timestamp:'TIMESTAMP', DeviceName:'VARCHAR', ActionType:'VARCHAR', LocalIP:'VARCHAR', LocalPort:'INTEGER', RemoteIP:'VARCHAR', RemotePort:'INTEGER', Protocol:'VARCHAR', InitiatingProcessFileName:'VARCHAR'})`,
  );
  const reader = await con.runAndReadAll(`SELECT count(*) AS n FROM e WHERE RemoteIP IN ('176.65.139.7')`);
  const hits = Number(reader.getRowObjectsJS()[0].n);
  con.closeSync();
  instance.closeSync();
  return { seconds: (performance.now() - t0) / 1000, hits };
}

export async function benchIngest(opts: { events: number }): Promise<BenchResult> {
  const file = writeNetworkLog(opts.events);
  const ref = await reference(file);
  const t0 = performance.now();
  const result = await hunt([file], { now: new Date('2026-05-22T00:00:00Z') });
  const seconds = (performance.now() - t0) / 1000;
  const hits = result.findings.filter((f) => f.huntId === 'threatfox-mirai-c2-devicenetworkevents').flatMap((f) => f.evidence).length;
  if (hits !== ref.hits) throw new Error(`telltale found ${hits} C2 events, the reference ${ref.hits}`);
  return {
    name: `ingest + all hunts, ${opts.events.toLocaleString('en')} DeviceNetworkEvents (NDJSON)`,
    rows: [
      { label: 'telltale hunt', seconds, files: 1, bytes: 0, events: opts.events },
      { label: 'DuckDB read_ndjson + 1 SQL query (reference)', seconds: ref.seconds, files: 1, bytes: 0, events: opts.events },
    ],
    ratios: { 'telltale events/s': opts.events / seconds, 'reference time / telltale time': ref.seconds / seconds },
  };
}
