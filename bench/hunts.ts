/**
 * The hunt pack over a generated day of flows: every bundled hunt on N CommonSecurityLog rows (a
 * Zeek/NetFlow-like day: internal clients browsing, DNS and NTP, plus a worm scanner, a sequential
 * crawler, a beacon and C2 contacts), events/s over all hunts and the time of each; and the worm hunt
 * as translated KQL against the same answer as hand-written DuckDB SQL, as a ratio. The rows are
 * generated inside DuckDB (INSERT … SELECT FROM range): this measures hunting, not ingest.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Store } from '../src/store/db.js';
import { runKql } from '../src/kql/index.js';
import { loadHunts } from '../src/hunts/loader.js';
import { runHunts } from '../src/hunts/runner.js';
import { loadIndicators } from '../src/intel/ti-table.js';
import { bundledIndicators } from '../src/intel/bundled.js';
import type { BenchResult, BenchRow } from './types.js';

const DAY = '2026-05-21';
const NOW = new Date(`${DAY}T23:59:59Z`);

/** One day of flows: 1% a worm scanner on 23, 0.1% each a sequential crawler on 7547 and C2 contacts. */
export function generateSql(events: number): string {
  const t = `TIMESTAMP '${DAY}' + to_microseconds(CAST(i * (86400000000 // ${events}) AS BIGINT))`;
  return `INSERT INTO CommonSecurityLog (TimeGenerated, SourceIP, SourcePort, DestinationIP, DestinationPort, Protocol, Activity, SentBytes, ReceivedBytes, DeviceVendor, DeviceProduct, _Source)
  SELECT ${t},
    CASE WHEN i % 100 = 1 THEN '10.20.0.17' WHEN i % 1000 = 2 THEN '10.20.0.18' WHEN i % 1000 = 3 THEN '10.20.0.19'
         ELSE '10.' || (i % 50) || '.' || ((i // 50) % 250) || '.' || (1 + (i // 12500) % 250) END,
    30000 + i % 30000,
    CASE WHEN i % 100 = 1 THEN '198.' || (10 + (hash(i) % 200)) || '.' || (hash(i * 7) % 256) || '.' || (hash(i * 13) % 256)
         WHEN i % 1000 = 2 THEN '81.10.' || ((i // 1000 // 254) % 256) || '.' || (1 + (i // 1000) % 254)
         WHEN i % 1000 = 3 THEN '176.65.139.7'
         ELSE '93.' || (hash(i) % 64) || '.' || (hash(i * 3) % 256) || '.' || (hash(i * 5) % 256) END,
    CASE WHEN i % 100 = 1 THEN 23 WHEN i % 1000 = 2 THEN 7547 WHEN i % 1000 = 3 THEN 3778
         ELSE [443, 443, 443, 80, 53, 123, 22, 8080][1 + i % 8] END,
    'TCP',
    CASE WHEN i % 100 = 1 OR i % 1000 = 2 THEN 'S0' ELSE 'SF' END,
    CASE WHEN i % 100 = 1 OR i % 1000 = 2 THEN 0 ELSE 200 + i % 5000 END,
    CASE WHEN i % 100 = 1 OR i % 1000 = 2 THEN 0 ELSE 1000 + i % 90000 END,
    'Zeek', 'conn', 'bench:' || i
  FROM range(${events}) r(i)`;
}

/** The worm hunt's answer, written by hand for DuckDB. */
const WORM_SQL = `
  SELECT SourceIP, DestinationPort, time_bucket(INTERVAL 15 MINUTE, TimeGenerated) AS WindowStart,
         count(DISTINCT DestinationIP) AS Hosts, count(*) AS Attempts,
         count(*) FILTER (WHERE Activity IN ('S0', 'REJ', 'RSTOS0', 'SH')) AS Unanswered,
         min(TimeGenerated) AS FirstSeen, max(TimeGenerated) AS LastSeen
  FROM CommonSecurityLog
  WHERE TimeGenerated > ?::TIMESTAMP - INTERVAL 1 DAY AND DestinationPort IN (7547, 5555, 23, 2323, 37215, 52869)
    AND (tt_ipv4_is_private(SourceIP) OR tt_ipv4_in_range(SourceIP, '100.64.0.0/10'))
    AND coalesce(DestinationIP, '') <> '' AND NOT tt_ipv4_is_private(DestinationIP)
  GROUP BY ALL HAVING count(DISTINCT DestinationIP) >= 20`;

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { seconds: (performance.now() - t0) / 1000, value };
}

/** DuckDB's cap for this run: the box has 24 GiB for everyone; past it aggregates spill to disk. */
const MEMORY_LIMIT = process.env.BENCH_HUNT_MEMORY ?? '8GB';

export async function benchHunts(opts: { events: number }): Promise<BenchResult> {
  const store = await Store.open();
  try {
    await store.run(`SET memory_limit = '${MEMORY_LIMIT.replace(/[^0-9A-Za-z.]/g, '')}'`);
    await store.run(`SET temp_directory = '${join(tmpdir(), 'telltale-bench-spill').replace(/'/g, "''")}'`);
    const load = await timed(() => store.run(generateSql(opts.events)));
    await loadIndicators(store, bundledIndicators(), NOW);
    const hunts = loadHunts().filter((h) => !h.view);
    const all = await timed(() => runHunts(store, hunts, { now: NOW }));
    const errors = all.value.filter((r) => r.error).map((r) => `${r.hunt.key}: ${r.error}`);
    if (errors.length) throw new Error(`hunts failed: ${errors.join('; ')}`);
    const worm = hunts.find((h) => h.key === 'mirai-worm-propagation')!;
    // warm both paths once (Kusto's first parse, DuckDB's caches), then time the better of 3 runs each
    await runKql(store, worm.query, { now: NOW });
    const best = async (work: () => Promise<unknown>) => Math.min(...(await sequential(work, 3)));
    const nowParam = NOW.toISOString().replace('Z', '');
    const kql = await best(() => runKql(store, worm.query, { now: NOW }));
    const hand = await best(() => store.query(WORM_SQL, [nowParam]));
    const kqlRows = (await runKql(store, worm.query, { now: NOW })).rows.length;
    const handRows = (await store.query(WORM_SQL, [nowParam])).length;
    if (kqlRows !== handRows)
      throw new Error(`worm hunt: translated KQL gave ${kqlRows} rows, hand-written SQL ${handRows}`);
    const rows: BenchRow[] = [
      {
        label: `generate ${opts.events.toLocaleString('en')} flows in DuckDB (not timed in events/s)`,
        seconds: load.seconds,
        files: 0,
        bytes: 0,
      },
      { label: `all ${hunts.length} hunts`, seconds: all.seconds, files: 0, bytes: 0, events: opts.events },
      ...all.value.map((r) => ({
        label: `  ${r.hunt.key} (${r.findings.length} findings)`,
        seconds: r.ms / 1000,
        files: 0,
        bytes: 0,
      })),
      {
        label: 'worm hunt, translated KQL (best of 3)',
        seconds: kql,
        files: 0,
        bytes: 0,
        events: opts.events,
      },
      {
        label: 'worm hunt, hand-written DuckDB SQL (best of 3)',
        seconds: hand,
        files: 0,
        bytes: 0,
        events: opts.events,
      },
    ];
    return {
      name: `hunt pack over a day of ${opts.events.toLocaleString('en')} flows (CommonSecurityLog), DuckDB memory_limit ${MEMORY_LIMIT}`,
      rows,
      ratios: {
        'all hunts, events/s': opts.events / all.seconds,
        'worm hunt: translated KQL / hand-written SQL': kql / hand,
        // the process's peak so far (DuckDB's buffers included): generation, hunts and the worm runs
        'peak RSS, MiB': process.resourceUsage().maxRSS / 1024,
      },
    };
  } finally {
    store.close();
  }
}

async function sequential(work: () => Promise<unknown>, times: number): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 0; i < times; i++) seconds.push((await timed(work)).seconds);
  return seconds;
}
