/**
 * `npm run bench`: every benchmark, each side by side with its reference in the same run.
 * Sizes: BENCH_HUNT_EVENTS (default 10,000,000 flows from Zeek, CEF and Defender files), BENCH_SCAN_MIB (default 256 MiB per large file of the scan corpus), BENCH_EVENTS (default 1,000,000), BENCH_INTEL_ROWS (default
 * 1,000,000 ThreatFox CSV rows) and BENCH_FLOWS (default 10,000,000). `npm run bench -- intel` runs one.
 * `npm run bench -- scale` (logs at scale, see bench/scale.ts) and `-- suricata` (bench/suricata.ts) run only when named.
 * BENCH_REPORT_EVENTS (default 3,000,000): the incident report of a day of flows (bench/report.ts).
 */
import { benchIngest } from './ingest.js';
import { benchHunts } from './hunts.js';
import { benchScan } from './scan.js';
import { benchIntel } from './intel.js';
import { benchKql } from './kql.js';
import { benchKqlUdf } from './kql-udf.js';
import { benchScale } from './scale.js';
import { benchSuricata } from './suricata.js';
import { benchAsim } from './asim.js';
import { benchReport } from './report.js';
import { benchHuntCosts } from './hunt-costs.js';
import type { BenchResult } from './types.js';

function print(result: BenchResult): void {
  console.log(`\n## ${result.name}`);
  for (const row of result.rows) {
    const parts = [`${row.seconds.toFixed(2)} s`];
    if (row.files > 1) parts.push(`${(row.files / row.seconds).toFixed(0)} files/s`);
    if (row.bytes > 0) parts.push(`${(row.bytes / 1048576 / row.seconds).toFixed(0)} MiB/s`);
    if (row.events) parts.push(`${(row.events / row.seconds).toFixed(0)} events/s`);
    console.log(`- ${row.label}: ${parts.join(', ')}`);
  }
  for (const [name, value] of Object.entries(result.ratios)) console.log(`- ${name}: ${value.toFixed(2)}`);
}

const only = process.argv[2];
if (!only || only === 'hunts')
  print(await benchHunts({ events: Number(process.env.BENCH_HUNT_EVENTS ?? 10_000_000) }));
if (!only || only === 'scan') print(await benchScan({ sizeMiB: Number(process.env.BENCH_SCAN_MIB ?? 256) }));
if (!only || only === 'ingest')
  print(await benchIngest({ events: Number(process.env.BENCH_EVENTS ?? 1_000_000) }));
if (!only || only === 'intel')
  print(
    await benchIntel({
      rows: Number(process.env.BENCH_INTEL_ROWS ?? 1_000_000),
      flows: Number(process.env.BENCH_FLOWS ?? 10_000_000),
    }),
  );
// 10M rows take several minutes on a 2-core box; 1M (~40 s for all three queries) is the default
if (!only || only === 'kql')
  print(await benchKql({ rows: Number(process.env.BENCH_KQL_ROWS ?? 10_000_000) }));
if (!only || only === 'kql-udf')
  print(await benchKqlUdf({ rows: Number(process.env.BENCH_UDF_ROWS ?? 1_000_000) }));
if (only === 'scale')
  print(
    await benchScale({
      events: Number(process.env.BENCH_SCALE_EVENTS ?? 3_000_000),
      formats: new Set((process.env.BENCH_SCALE_FORMATS ?? 'zeek,ndjson,cef').split(',')),
      big: process.env.BENCH_SCALE_BIG === '1',
    }),
  );
if (only === 'hunt-costs')
  print(
    await benchHuntCosts({
      events: Number(process.env.BENCH_HUNT_COST_EVENTS ?? 1_000_000),
      formats: (process.env.BENCH_HUNT_COST_FORMATS ?? 'zeek,ndjson,cef').split(','),
    }),
  );
if (only === 'suricata')
  print(
    await benchSuricata({
      events: Number(process.env.BENCH_SURICATA_EVENTS ?? 1_000_000),
      cli: process.env.BENCH_SURICATA_CLI,
    }),
  );
if (!only || only === 'asim')
  print(await benchAsim({ rows: Number(process.env.BENCH_ASIM_ROWS ?? 2_000_000) }));
if (!only || only === 'report')
  print(await benchReport({ events: Number(process.env.BENCH_REPORT_EVENTS ?? 3_000_000) }));
