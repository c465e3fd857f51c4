/**
 * KQL translation cost: three corpus-style hunts (port scan, rare destination ports, top talkers) on N
 * generated CommonSecurityLog rows, the translated KQL against hand-written DuckDB SQL giving the same
 * answer (asserted), as ratios; plus parse + bind + translate time per query.
 */
import { performance } from 'node:perf_hooks';
import { Store } from '../src/store/db.js';
import { compileKql, runKql } from '../src/kql/index.js';
import type { BenchResult, BenchRow } from './types.js';

const NOW = new Date('2026-05-21T23:59:59Z');

function generateSql(rows: number): string {
  return `INSERT INTO CommonSecurityLog (TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceVendor, SentBytes, _Source)
  SELECT TIMESTAMP '2026-05-21' + to_microseconds(CAST(i * (86400000000 // ${rows}) AS BIGINT)),
    '10.' || (i % 50) || '.' || ((i // 50) % 250) || '.1',
    CASE WHEN i % 100 = 1 THEN '198.51.' || (hash(i) % 256) || '.' || (hash(i * 7) % 256) ELSE '93.184.' || (hash(i) % 64) || '.1' END,
    CASE WHEN i % 100 = 1 THEN 1000 + hash(i) % 60000 ELSE [443, 80, 53, 123][1 + i % 4] END,
    ['Palo Alto Networks', 'Fortinet', 'Zeek'][1 + i % 3], 100 + i % 5000, 'bench:' || i
  FROM range(${rows}) r(i)`;
}

const CASES: { name: string; kql: string; sql: string }[] = [
  {
    name: 'port scan (palo-alto-possible-internal-to-external-port-scanning)',
    kql: `CommonSecurityLog | where TimeGenerated > ago(1d) | where DeviceVendor =~ "Palo Alto Networks"
| where DestinationPort !in ("443", "53", "80") | summarize Ports = dcount(DestinationPort) by SourceIP, bin(TimeGenerated, 1h)
| where Ports > 3`,
    sql: `SELECT SourceIP, time_bucket(INTERVAL 1 HOUR, TimeGenerated) AS TimeGenerated, count(DISTINCT DestinationPort) AS Ports
FROM CommonSecurityLog WHERE TimeGenerated > $1::TIMESTAMP - INTERVAL 1 DAY AND lower(DeviceVendor) = 'palo alto networks'
  AND DestinationPort NOT IN (443, 53, 80) GROUP BY ALL HAVING count(DISTINCT DestinationPort) > 3`,
  },
  {
    name: 'rare ports (time-series style count by vendor)',
    kql: `CommonSecurityLog | where isnotempty(DestinationIP) and isnotempty(SourceIP)
| summarize Total = count() by DeviceVendor, DestinationPort | where Total < 5`,
    sql: `SELECT DeviceVendor, DestinationPort, count(*) AS Total FROM CommonSecurityLog
WHERE coalesce(DestinationIP, '') <> '' AND coalesce(SourceIP, '') <> '' GROUP BY ALL HAVING count(*) < 5`,
  },
  {
    name: 'top talkers (rare-dns-lookup-with-data-transfer)',
    kql: `CommonSecurityLog | where ipv4_is_private(DestinationIP) == false
| summarize sum(SentBytes), ConnectionCount = count() by SourceIP, DestinationIP | top 10 by sum_SentBytes desc`,
    sql: `SELECT SourceIP, DestinationIP, sum(SentBytes) AS sum_SentBytes, count(*) AS ConnectionCount FROM CommonSecurityLog
WHERE NOT tt_ipv4_is_private(DestinationIP) GROUP BY ALL ORDER BY sum_SentBytes DESC LIMIT 10`,
  },
];

async function best(work: () => Promise<unknown>, runs = 3): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    min = Math.min(min, (performance.now() - t0) / 1000);
  }
  return min;
}

const canonical = (rows: Record<string, unknown>[]): string[] =>
  rows
    .map((r) => JSON.stringify(Object.values(r), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)))
    .sort();

export async function benchKql(opts: { rows: number }): Promise<BenchResult> {
  const store = await Store.open();
  const rows: BenchRow[] = [];
  const ratios: Record<string, number> = {};
  try {
    await store.run(generateSql(opts.rows));
    for (const [i, k] of CASES.entries()) {
      const t0 = performance.now();
      compileKql(k.kql, { schemas: store.schemas, now: NOW, keepSource: false });
      const translate = (performance.now() - t0) / 1000;
      const compiled = compileKql(k.kql, { schemas: store.schemas, now: NOW, keepSource: false });
      const nowParam = k.sql.includes('$1') ? ['2026-05-21 23:59:59'] : [];
      const mine = canonical((await store.queryWithColumns(compiled.sql, compiled.params)).rows);
      const hand = canonical(await store.query(k.sql, nowParam));
      if (mine.join('\n') !== hand.join('\n'))
        throw new Error(
          `bench kql: ${k.name}: translated KQL and hand-written SQL disagree (${mine.length} vs ${hand.length} rows)`,
        );
      const kqlSeconds = await best(() => store.queryWithColumns(compiled.sql, compiled.params));
      const sqlSeconds = await best(() => store.query(k.sql, nowParam));
      rows.push({
        label: `q${i + 1} ${k.name}: KQL (${mine.length} rows)`,
        seconds: kqlSeconds,
        files: 1,
        bytes: 0,
        events: opts.rows,
      });
      rows.push({
        label: `q${i + 1} hand-written SQL`,
        seconds: sqlSeconds,
        files: 1,
        bytes: 0,
        events: opts.rows,
      });
      rows.push({ label: `q${i + 1} parse+bind+translate`, seconds: translate, files: 1, bytes: 0 });
      ratios[`q${i + 1} KQL / SQL`] = kqlSeconds / sqlSeconds;
    }
    await runKql(store, 'print 1', { now: NOW });
  } finally {
    store.close();
  }
  return {
    name: `KQL vs hand-written SQL, ${opts.rows.toLocaleString('en')} CommonSecurityLog rows`,
    rows,
    ratios,
  };
}
